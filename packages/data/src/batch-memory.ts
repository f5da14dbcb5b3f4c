// Memory for batch arrays. A fresh ArrayBuffer of a few hundred KB costs about as much as
// building the whole batch (the allocator maps new pages and the first writes fault them in),
// so batches are carved out of larger slabs, and a consumer that is done with a batch can hand
// it back (`recycle`) so its memory is reused without any new pages. Batch arrays are views
// (mind `byteOffset` when touching `.buffer`; `compactBatch` gives a batch its own buffer).

const SLAB_BYTES = 8 * 1024 * 1024;
const POOL_LIMIT = 64;

export class BatchMemory {
  private slab: ArrayBuffer | null = null;
  private used = 0;
  private readonly pool: ArrayBuffer[] = [];
  private recycling = false;

  /** `bytes` of memory (not necessarily zeroed) starting at `offset` in `buffer`. */
  take(bytes: number): { buffer: ArrayBuffer; offset: number } {
    if (this.recycling) {
      for (let i = this.pool.length - 1; i >= 0; i--) {
        if (this.pool[i]!.byteLength >= bytes) {
          const [buffer] = this.pool.splice(i, 1);
          return { buffer: buffer!, offset: 0 };
        }
      }
      // Own buffers (rounded up so that similar batches fit) can be recycled one by one.
      return { buffer: new ArrayBuffer(Math.ceil((bytes * 1.1) / 65536) * 65536), offset: 0 };
    }
    if (bytes > SLAB_BYTES / 4) return { buffer: new ArrayBuffer(bytes), offset: 0 };
    if (!this.slab || this.used + bytes > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB_BYTES);
      this.used = 0;
    }
    const offset = this.used;
    this.used += (bytes + 7) & ~7;
    return { buffer: this.slab, offset };
  }

  /**
   * Returns a batch's memory for reuse. Only call it when neither the batch nor any view of its
   * arrays is used any more. Batches built before the first call live in shared slabs and are
   * left to the garbage collector.
   */
  recycle(arrays: { buffer: ArrayBufferLike; byteOffset: number }): void {
    this.recycling = true;
    const buffer = arrays.buffer;
    if (!(buffer instanceof ArrayBuffer) || arrays.byteOffset !== 0 || buffer === this.slab || buffer.byteLength > SLAB_BYTES / 4) return;
    if (this.pool.length < POOL_LIMIT && !this.pool.includes(buffer)) this.pool.push(buffer);
  }
}
