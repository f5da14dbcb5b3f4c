// Public surface of @glmjs/checkpoint: checkpoint bytes in and out, in any JavaScript runtime.
// File access (Node) is in "@glmjs/checkpoint/node".
export { CheckpointError, numElements } from "./types.js";
export { CHECKPOINT_ERROR, type CheckpointErrorCode } from "./error-codes.js";
export type { CheckpointContents, CheckpointScalar, CheckpointTensor, DType, LazyCheckpoint, TensorData, TensorInfo, TensorInput, TensorMap } from "./types.js";
export { DTYPE_SIZE, bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./dtypes.js";
export { MAX_SAFETENSORS_HEADER_BYTES, openSafetensors, parseSafetensorsHeader, readSafetensors, safetensorsParts, writeSafetensors } from "./safetensors.js";
export type { HeaderEntry, SafetensorsContents } from "./safetensors.js";
export { TORCH_STORAGE_DTYPES, openPytorchCheckpoint, readPytorchBin } from "./pytorch-bin.js";
export { pytorchBinParts, writePytorchBin, type CheckpointEntryValue, type PytorchBinWriteOptions } from "./pytorch-bin-writer.js";
export { isPickleOpaque, unpickle } from "./pickle.js";
export type { PickleCallable, PickleGlobal, PickleMarker, PickleOpaque, UnpickleOptions } from "./pickle.js";
export { readZipDirectory, readZipDirectoryFrom } from "./zip.js";
export type { ZipCentralEntry, ZipEntry } from "./zip.js";
export { storedZipParts, writeStoredZip } from "./zip-writer.js";
export type { ZipWriterEntry, ZipWriterOptions } from "./zip-writer.js";
export { blobRangeSource, bytesRangeSource } from "./range-source.js";
export type { RangeSource } from "./range-source.js";
export { lazyFromContents, openCheckpoint, openShardedCheckpoint, readAllTensors } from "./open-checkpoint.js";
export { mergeModelParallel, mergeTensorParts, partitionOf, splitModelParallel } from "./model-parallel.js";
export type { PartitionKind } from "./model-parallel.js";
export {
  DEEPSPEED_TRACKER_FILE,
  ORIGINAL_TRACKER_FILE,
  mergedRanks,
  parseTrackerFile,
  planOriginalCheckpoint,
  rankFileName,
  rankFiles,
  rankOfFileName,
} from "./original-checkpoint.js";
export type { OriginalCheckpointOptions, PlannedFile } from "./original-checkpoint.js";
export { readCheckpointBytes, sniffCheckpointFormat } from "./read-bytes.js";
export type { CheckpointFormat } from "./read-bytes.js";
export { assertTensorKeys, canonicalKeyMap, checkTensorKeys, normalizeCheckpointKey, normalizeTensorKeys } from "./keys.js";
export type { KeyCheck } from "./keys.js";
export { formatShardIndex, parseShardIndex, planSafetensorsShards, readShardedCheckpointWith, shardFiles, tensorByteSize } from "./sharded.js";
export type { ShardIndex, ShardPlan } from "./sharded.js";
