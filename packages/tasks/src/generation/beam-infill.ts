// Beam-search infilling of one context: each blank is searched in turn exactly as the original's
// DecoderEvaluater searches its one blank (BeamSearch, over each beam's best candidates picked on
// the backend unless a repetition penalty or top-k/top-p filter needs whole rows), and decoding continues from the best
// hypothesis: its cache row when it was still running at the end, otherwise the whole history
// (context + every fed span) is re-encoded in one call (the same attention pattern: Part A
// bidirectional, each span token seeing Part A and everything fed before it).
import type { GLMModel } from "@glmjs/core";
import { type BeamStep, BeamSearch } from "../decoding/beam-search.js";
import { type ResolvedDecoding, throwIfAborted } from "../decoding/options.js";
import type { TaskSpecialIds } from "../special-ids.js";
import { blankPositions } from "../decoding/special-ids.js";
import { contextRow } from "./context.js";
import { type PrefillRow, type StepRequest, disposeStepOutput, openSession, readTopK } from "./session.js";
import type { InfillEvent, InfillResult } from "./types.js";

export async function* infillBeam(
  model: GLMModel,
  context: readonly number[],
  row: number,
  special: TaskSpecialIds,
  d: ResolvedDecoding,
): AsyncGenerator<InfillEvent, InfillResult> {
  const blanks = blankPositions(context, special);
  const ids = [...context];
  const spans: InfillResult["spans"] = [];
  if (blanks.length === 0) return { ids, spans };
  const vocab = model.config.vocab_size;
  const specialSet = new Set(Object.values(special).filter((v) => v >= 0));
  const seen = new Set(d.repetitionPenalty !== 1 ? context.filter((t) => !specialSet.has(t)) : []);
  // What the cache holds, as one prefill row (for re-encoding after a finished hypothesis wins).
  const history = { ids: [...context], positions: context.map((_, i) => i), blocks: context.map(() => 0), sep: context.length } satisfies PrefillRow;
  const session = openSession(model);
  try {
    throwIfAborted(d.signal);
    session.prefill([contextRow(context)]);
    for (const [blank, position] of blanks.entries()) {
      ids.push(special.sop);
      const search = new BeamSearch({
        numBeams: d.numBeams,
        lengthPenalty: d.lengthPenalty,
        endIds: d.stopIds,
        minLength: d.minNewTokens,
        noRepeatNgramSize: d.noRepeatNgramSize,
        topK: d.topK,
        topP: d.topP,
        repetitionPenalty: d.repetitionPenalty,
        seen,
      });
      // Each row's best candidates picked on the backend, or whole rows when the search needs them.
      const request = (): StepRequest => (search.needsWholeRows ? { logits: true } : { topK: search.candidatesPerRow(vocab) });
      let out = session.step({ tokens: [special.sop], positions: [position], blocks: [1] }, request());
      let rows = 1;
      for (let counter = 0; ;) {
        let step: BeamStep;
        try {
          throwIfAborted(d.signal);
          step = out.topK ? search.stepTopK(await readTopK(out.topK), rows, vocab) : search.step((await out.logits!.data()) as Float32Array, rows, vocab);
        } finally {
          disposeStepOutput(out);
        }
        session.keepRows(step.sourceBeams);
        rows = d.numBeams;
        if (step.done) break;
        counter++;
        if (counter >= d.maxNewTokens) break;
        out = session.step(
          { tokens: step.nextTokens, positions: step.nextTokens.map(() => position), blocks: step.nextTokens.map(() => counter + 1) },
          request(),
        );
      }
      const best = search.finalize();
      const span = { ids: best.tokens, score: best.score, stoppedOn: best.endedOn, position };
      ids.push(...best.tokens);
      spans.push(span);
      for (const [index, tokenId] of best.tokens.entries()) yield { type: "token", row, blank, tokenId, index };
      yield { type: "span", row, blank, span };
      for (const t of best.tokens) if (!specialSet.has(t)) seen.add(t);

      // Tokens that entered the cache for this blank: sop + the span (its last token only when it
      // ended on a stop id, or with feedTruncatedToken).
      const truncated = best.endedOn === null;
      const fed = truncated && !d.feedTruncatedToken ? best.tokens.slice(0, -1) : best.tokens;
      history.ids.push(special.sop, ...fed);
      history.positions.push(position, ...fed.map(() => position));
      history.blocks.push(...Array.from({ length: fed.length + 1 }, (_, k) => k + 1));
      if (blank + 1 === blanks.length) break;
      throwIfAborted(d.signal);
      if (best.beam !== null) {
        session.keepRows([best.beam]);
        if (truncated && d.feedTruncatedToken) {
          disposeStepOutput(session.step({ tokens: [best.tokens.at(-1)!], positions: [position], blocks: [best.tokens.length + 1] }, {}));
        }
      } else {
        session.prefill([history]);
      }
    }
  } finally {
    session.dispose();
  }
  return { ids, spans };
}
