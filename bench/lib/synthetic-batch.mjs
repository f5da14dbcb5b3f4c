// The synthetic GLM batch of ../shared/bench/glm_torch.py, shared by the benchmarks: Part A = the
// first 80 % of each row (bidirectional), one span per row as Part B (causal, with the loss).

/** A tiny linear congruential generator: the same ids in every benchmark run. */
export function lcg(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export function synthBatch(vocab, batch, seq) {
  const rand = lcg(7);
  const n = batch * seq;
  const s0 = Math.floor(seq * 0.8);
  const b = {
    batchSize: batch,
    seqLength: seq,
    inputIds: new Int32Array(n),
    positionIds: new Int32Array(n),
    blockPositionIds: new Int32Array(n),
    targets: new Int32Array(n),
    lossMask: new Float32Array(n),
    sep: new Int32Array(batch).fill(s0),
  };
  for (let r = 0; r < batch; r++) {
    const maskPos = rand(s0);
    for (let t = 0; t < seq; t++) {
      const i = r * seq + t;
      b.inputIds[i] = rand(vocab);
      b.targets[i] = rand(vocab);
      b.positionIds[i] = t < s0 ? t : maskPos;
      b.blockPositionIds[i] = t < s0 ? 0 : t - s0 + 1;
      b.lossMask[i] = t < s0 ? 0 : 1;
    }
  }
  return b;
}
