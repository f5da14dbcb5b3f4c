// The n-best list of finished beam-search hypotheses, with the original's scoring
// (generation_utils.BeamHypotheses): score = summed log-probability / max(length, 1) ** lengthPenalty,
// where length counts the generated tokens (not sop, not the end token).
import { GlmjsError } from "@glmjs/common";

export interface Hypothesis {
  /** Generated tokens (without the end token). */
  tokens: number[];
  /** summed log-probability / length ** lengthPenalty. */
  score: number;
  /** The end token that closed it, or null when it was still running at the end. */
  endedOn: number | null;
  /** For a hypothesis still running at the end: its beam (= decoder cache row). */
  beam: number | null;
}

export class BeamHypotheses {
  /** In insertion order (ties in score are resolved towards the latest, as the original's sort + pop). */
  private readonly list: Hypothesis[] = [];
  private worstScore = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
  ) {}

  get size(): number {
    return this.list.length;
  }

  add(tokens: number[], sumLogProbs: number, endedOn: number | null, beam: number | null): void {
    const score = sumLogProbs / Math.max(tokens.length, 1) ** this.lengthPenalty;
    if (this.list.length < this.numBeams || score > this.worstScore) {
      this.list.push({ tokens, score, endedOn, beam });
      if (this.list.length > this.numBeams) {
        const ranked = this.list.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.list.splice(ranked[0]![1], 1);
        this.worstScore = ranked[1]![0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /**
   * Done when the list is full and the best running score, normalised by the current length,
   * cannot beat the worst kept hypothesis (no early stopping).
   */
  isDone(bestRunningSum: number, currentLength: number): boolean {
    if (this.list.length < this.numBeams) return false;
    return this.worstScore >= bestRunningSum / currentLength ** this.lengthPenalty;
  }

  /** The best hypothesis (the latest added among equal scores). */
  best(): Hypothesis {
    if (this.list.length === 0) throw new GlmjsError("INPUT_INVALID", "BeamHypotheses.best(): no hypothesis");
    let best = this.list[0]!;
    for (const h of this.list) if (h.score >= best.score) best = h;
    return best;
  }
}
