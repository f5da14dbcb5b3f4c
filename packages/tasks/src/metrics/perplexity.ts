// Perplexity from a summed negative log-likelihood.

/** exp(sumNll / tokenCount), with the NLL in nats (natural log), as every glmjs loss is. */
export function perplexity(sumNll: number, tokenCount: number): number {
  if (!Number.isFinite(sumNll)) throw new Error(`perplexity: the summed NLL is ${sumNll}; it must be a finite number of nats`);
  if (!(tokenCount > 0)) throw new Error(`perplexity: the token count is ${tokenCount}; it must be positive`);
  return Math.exp(sumNll / tokenCount);
}
