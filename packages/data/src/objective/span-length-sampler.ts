// Span-length distribution: Poisson(λ) weights on 1 … max−1, renormalised (the original
// precomputes scipy's poisson.pmf for k = 1 … 39 and draws with random.choices).

export class SpanLengthSampler {
  /** cumulative[k-1] = Σ_{j ≤ k} w_j, unnormalised. */
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(lambda: number, maxBlockLength: number) {
    const n = maxBlockLength - 1;
    this.cumulative = new Float64Array(n);
    let logFactorial = 0;
    let sum = 0;
    for (let k = 1; k <= n; k++) {
      logFactorial += Math.log(k);
      sum += Math.exp(k * Math.log(lambda) - lambda - logFactorial);
      this.cumulative[k - 1] = sum;
    }
    this.total = sum;
  }

  /** Probability of length k (normalised over the support). */
  probability(k: number): number {
    if (k < 1 || k > this.cumulative.length) return 0;
    return (this.cumulative[k - 1]! - (k > 1 ? this.cumulative[k - 2]! : 0)) / this.total;
  }

  /** Draws one length from a uniform u in [0, 1). */
  draw(u: number): number {
    const x = u * this.total;
    const c = this.cumulative;
    let k = 0;
    while (k < c.length - 1 && x >= c[k]!) k++;
    return k + 1;
  }
}
