// Perplexity from a summed negative log-likelihood.
import { GlmjsError } from "@glmjs/common";

/** exp(sumNll / tokenCount), with the NLL in nats (natural log), as every glmjs loss is. */
export function perplexity(sumNll: number, tokenCount: number): number {
  if (!Number.isFinite(sumNll)) throw new GlmjsError("INPUT_INVALID", `perplexity: the summed NLL is ${sumNll}; it must be a finite number of nats`);
  if (!(tokenCount > 0)) throw new GlmjsError("INPUT_INVALID", `perplexity: the token count is ${tokenCount}; it must be positive`);
  return Math.exp(sumNll / tokenCount);
}
