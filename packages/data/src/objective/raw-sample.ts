/** A packed training sample before masking: `[ENC] d1 [eos] [ENC] d2 …` and its loss mask. */
export interface RawSample {
  text: Int32Array;
  /** 0 on [ENC] tokens, 1 on text and eos (used by document mode's suffix layout). */
  lossMask: Uint8Array;
}

/** A raw sample from token ids, with the usual loss mask (0 on `cls`, 1 elsewhere). */
export function rawSample(tokens: ArrayLike<number>, cls: number): RawSample {
  const text = Int32Array.from(tokens);
  const lossMask = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) lossMask[i] = text[i] === cls ? 0 : 1;
  return { text, lossMask };
}
