// The decoder's key/value cache: per layer one preallocated buffer of keys and one of values,
// `[batch, heads, capacity, headSize]`, holding the live window [start, start + length). A step
// writes its keys/values after the window (in place where the backend has the GlmCachedAttention
// kernel); the window slides when max_memory_length drops old positions, and the buffers are
// rebuilt (compacted, or grown to twice what is needed) only when a step would not fit, so a step
// copies O(1) positions amortised instead of the whole cache.
import { tf } from "../tfjs.js";

const MIN_CAPACITY = 64;
const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

export class DecodeCache {
  keys: tf.Tensor4D[] = [];
  values: tf.Tensor4D[] = [];
  /** First live position in the buffers. */
  start = 0;
  /** Live positions (what the next step attends to besides itself). */
  length = 0;
  /** Whether the last reserve() left room after the window (a kernel writes there in place). */
  preallocated = false;

  constructor(
    private readonly layers: number,
    private readonly heads: number,
    private readonly headSize: number,
    /** Keep only the last N positions after each step; 0 = all. */
    private readonly maxLength: number,
  ) {}

  get batch(): number | undefined {
    return this.keys[0]?.shape[0];
  }

  get capacity(): number {
    return this.keys[0]?.shape[2] ?? 0;
  }

  /**
   * Makes room for `seq` new positions after the window (allocating on the first step). Without
   * `preallocate` (a backend with no kernel to write in place) the buffers hold exactly the
   * window and a step appends by concatenation, as an unallocated cache does; they are only cut
   * down to the window when positions were dropped.
   */
  reserve(batch: number, seq: number, preallocate: boolean): void {
    const need = this.length + seq;
    this.preallocated = preallocate;
    if (!preallocate) {
      if (this.keys.length === 0 || this.start > 0) this.rebuild(batch, this.length);
      return;
    }
    if (this.keys.length > 0 && this.start + need <= this.capacity) return;
    this.rebuild(batch, this.keys.length > 0 && 2 * need <= this.capacity ? this.capacity : roundUp(Math.max(2 * need, MIN_CAPACITY), MIN_CAPACITY));
  }

  /** New buffers of `capacity` positions holding the window at their start. */
  private rebuild(batch: number, capacity: number): void {
    const rebuild = (buffers: tf.Tensor4D[]) =>
      tf.tidy(() =>
        Array.from({ length: this.layers }, (_, i) => {
          const empty = tf.zeros([batch, this.heads, capacity - this.length, this.headSize]);
          if (this.length === 0) return empty as tf.Tensor4D;
          const live = tf.slice(buffers[i]!, [0, 0, this.start, 0], [-1, -1, this.length, -1]);
          return (capacity === this.length ? live : tf.concat([live, empty], 2)) as tf.Tensor4D;
        }),
      );
    // Kept: reserve() may run inside a step's tf.tidy, and the buffers outlive it.
    const keys = rebuild(this.keys).map((t) => tf.keep(t));
    const values = rebuild(this.values).map((t) => tf.keep(t));
    this.replace(keys, values);
    this.start = 0;
  }

  /** Adopts the buffers a step returned (the same data, or rebuilt ones). */
  replace(keys: tf.Tensor4D[], values: tf.Tensor4D[]): void {
    tf.dispose([...this.keys, ...this.values]);
    this.keys = keys;
    this.values = values;
  }

  /** Counts a step's `seq` positions into the window, then drops the oldest beyond maxLength. */
  advance(seq: number): void {
    this.length += seq;
    if (this.maxLength > 0 && this.length > this.maxLength) {
      this.start += this.length - this.maxLength;
      this.length = this.maxLength;
    }
  }

  /** Row i becomes old row indices[i] (beam search). */
  reorder(indices: Int32Array): void {
    const [keys, values] = tf.tidy(() => {
      const t = tf.tensor1d(indices, "int32");
      return [this.keys.map((k) => tf.gather(k, t) as tf.Tensor4D), this.values.map((v) => tf.gather(v, t) as tf.Tensor4D)];
    });
    this.replace(keys, values);
  }

  dispose(): void {
    this.replace([], []);
    this.start = 0;
    this.length = 0;
  }
}
