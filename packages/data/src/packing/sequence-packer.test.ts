import { describe, expect, it } from "vitest";
import { SequencePacker, type PackerOptions } from "./sequence-packer.js";
import { SYNTHETIC_SPECIAL as SP, syntheticDocuments, syntheticSentenceEnd } from "../test-helpers/synthetic.js";

const options = (seqLength: number): PackerOptions => ({ seqLength, eos: SP.eos, cls: SP.cls, sentenceEnd: syntheticSentenceEnd() });

function puller(docs: ArrayLike<number>[]) {
  let i = 0;
  return () => docs[i++];
}

/** Text tokens of samples with [ENC] and eos removed, to compare with the documents. */
function textOf(samples: Int32Array[]): number[] {
  return samples.flatMap((s) => Array.from(s).filter((t) => t !== SP.cls && t !== SP.eos));
}

describe("SequencePacker", () => {
  it("packs short documents as [ENC] d1 [eos] [ENC] d2 [eos] … up to S tokens", () => {
    const docs = [Int32Array.of(10, 11, 12), Int32Array.of(20, 21), Int32Array.of(30, 31, 32, 33, 34, 35, 36)];
    const packer = new SequencePacker(options(10), puller(docs));
    const first = packer.next()!;
    // 1+3+1 + 1+2+1 = 8 tokens; the third document gets room 2 and no sentence end, and the
    // original's right_strip_seq then keeps only its [ENC] (1 is not < floor(2/2)).
    expect(Array.from(first.text)).toEqual([1, 10, 11, 12, 0, 1, 20, 21, 0, 1]);
    expect(Array.from(first.lossMask)).toEqual([0, 1, 1, 1, 1, 0, 1, 1, 1, 0]);
    // What the cut left (all of it) starts the next sample.
    expect(Array.from(packer.next()!.text)).toEqual([1, 30, 31, 32, 33, 34, 35, 36, 0]);
    expect(packer.next()).toBeUndefined();
  });

  it("cuts after a sentence end when that keeps at least S/2 tokens", () => {
    // 17 and 34 end sentences.
    const doc = Int32Array.of(10, 11, 12, 17, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23);
    const packer = new SequencePacker(options(10), puller([doc]));
    expect(Array.from(packer.next()!.text)).toEqual([1, 10, 11, 12, 17]);
    expect(Array.from(packer.next()!.text)).toEqual([1, 13, 14, 15, 16, 18, 19, 20, 21, 22]);
    expect(Array.from(packer.next()!.text)).toEqual([1, 23, 0]);
  });

  it("uses every token exactly once, never exceeds S, and resumes exactly from its state", () => {
    const docs = syntheticDocuments(60, 1, 900, 3);
    const S = 256;
    const packer = new SequencePacker(options(S), puller(docs));
    const samples: Int32Array[] = [];
    const states = [];
    for (let s = packer.next(); s; s = packer.next()) {
      expect(s.text.length).toBeLessThanOrEqual(S);
      expect(s.text[0]).toBe(SP.cls);
      samples.push(s.text);
      states.push(JSON.parse(JSON.stringify(packer.state())));
    }
    expect(textOf(samples)).toEqual(docs.flatMap((d) => Array.from(d)));
    // Resume after sample k from its state and get the same continuation.
    for (const k of [0, 5, 17, samples.length - 2]) {
      const st = states[k]!;
      const carried = st.carryOffset > 0 ? docs[st.nextDocument] : undefined;
      const resumed = new SequencePacker(options(S), puller(docs.slice(st.nextDocument + (carried ? 1 : 0))), st, carried);
      const rest: Int32Array[] = [];
      for (let s = resumed.next(); s; s = resumed.next()) rest.push(s.text);
      expect(rest).toEqual(samples.slice(k + 1));
    }
  });

  it("gives the same samples from a ring of reused buffers", () => {
    const docs = syntheticDocuments(30, 1, 700, 6);
    const plain = new SequencePacker(options(128), puller(docs));
    const ringed = new SequencePacker({ ...options(128), ring: 3 }, puller(docs));
    let count = 0;
    for (let a = plain.next(); a; a = plain.next()) {
      const b = ringed.next()!;
      expect(Array.from(b.text)).toEqual(Array.from(a.text));
      expect(Array.from(b.lossMask)).toEqual(Array.from(a.lossMask));
      count++;
    }
    expect(ringed.next()).toBeUndefined();
    expect(count).toBeGreaterThan(50);
  });
});
