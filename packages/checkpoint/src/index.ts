// Public surface of @glmjs/checkpoint: checkpoint bytes in and out, in any JavaScript runtime.
// File access (Node) is in "@glmjs/checkpoint/node".
export { CheckpointError, numElements } from "./types.js";
export type { CheckpointContents, CheckpointTensor, DType, TensorData, TensorInput, TensorMap } from "./types.js";
export { DTYPE_SIZE, bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./dtypes.js";
export { MAX_SAFETENSORS_HEADER_BYTES, parseSafetensorsHeader, readSafetensors, writeSafetensors } from "./safetensors.js";
export type { HeaderEntry, SafetensorsContents } from "./safetensors.js";
export { TORCH_STORAGE_DTYPES, readPytorchBin } from "./pytorch-bin.js";
export { writePytorchBin, type PytorchBinWriteOptions } from "./pytorch-bin-writer.js";
export { unpickle } from "./pickle.js";
export type { PickleCallable, PickleGlobal, PickleMarker, UnpickleOptions } from "./pickle.js";
export { readZipDirectory } from "./zip.js";
export type { ZipEntry } from "./zip.js";
export { readCheckpointBytes, sniffCheckpointFormat } from "./read-bytes.js";
export type { CheckpointFormat } from "./read-bytes.js";
export { assertTensorKeys, canonicalKeyMap, checkTensorKeys, normalizeCheckpointKey, normalizeTensorKeys } from "./keys.js";
export type { KeyCheck } from "./keys.js";
export { formatShardIndex, parseShardIndex, planSafetensorsShards, readShardedCheckpointWith, shardFiles, tensorByteSize } from "./sharded.js";
export type { ShardIndex, ShardPlan } from "./sharded.js";
