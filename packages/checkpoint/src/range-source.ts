// Byte ranges of a file that is never read whole: a checkpoint over 2 GiB (or one that should not
// sit in memory twice) is read header first, then tensor by tensor. The interface is tiny so that a
// file handle (Node), a Blob / File (browsers) or bytes already in memory all provide it.

import { CheckpointError } from "./types.js";

/** Random access to the bytes of one file. */
export interface RangeSource {
  /** Names the file in error messages. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes starting at `offset` (a fresh array or a view; never retained by the caller). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A range source over bytes in memory (views, no copies). */
export function bytesRangeSource(bytes: Uint8Array, name: string): RangeSource {
  return {
    name,
    size: bytes.byteLength,
    read: (offset, length) => {
      checkRange(name, bytes.byteLength, offset, length);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** A range source over a Blob (a browser `File` from an input or a drop, a fetched blob). */
export function blobRangeSource(blob: Blob, name: string): RangeSource {
  return {
    name,
    size: blob.size,
    read: async (offset, length) => {
      checkRange(name, blob.size, offset, length);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** Throws a CheckpointError when [offset, offset + length) is not inside a file of `size` bytes. */
export function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new CheckpointError(name, `bytes [${offset}, ${offset + length}) lie beyond the end of the file (${size} bytes); the file is truncated or corrupt`);
  }
}
