// The segmentation a SentencePiece model produces for a normalised text: consecutive pieces, each
// an id (what the library's model reports: unk for a character the model does not know) and a
// length in UTF-16 units.

export class PieceList {
  ids = new Int32Array(64);
  lengths = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
    // Do not keep buffers sized for one huge input.
    if (this.ids.length > 1 << 20) {
      this.ids = new Int32Array(64);
      this.lengths = new Int32Array(64);
    }
  }

  push(id: number, length: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      const lengths = new Int32Array(this.size * 2);
      lengths.set(this.lengths);
      this.ids = ids;
      this.lengths = lengths;
    }
    this.ids[this.size] = id;
    this.lengths[this.size] = length;
    this.size++;
  }
}

/** What a SentencePiece algorithm (BPE, unigram) turns a normalised text into. */
export interface PieceEncoder {
  /** Appends the pieces of the normalised text `t` to `out`. */
  encode(t: string, out: PieceList): void;
}
