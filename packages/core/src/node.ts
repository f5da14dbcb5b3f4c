// Node-only surface of @glmjs/core ("@glmjs/core/node"): everything of the root entry plus the
// checkpoint file helpers. loadModel(path) and model.save(dir) work from the root entry too.
export * from "./index.js";
export {
  CHECKPOINT_FILE_NAMES,
  fileRangeSource,
  findCheckpointFile,
  isOriginalCheckpointDir,
  openCheckpointFile,
  openCheckpointPath,
  openOriginalCheckpoint,
  openShardedCheckpointFile,
  readCheckpoint,
  readCheckpointFile,
  readFileBytes,
  readShardedCheckpoint,
  writeFileAtomic,
  writeOriginalCheckpoint,
  writePytorchBinFile,
  writeSafetensorsFile,
  writeShardedSafetensors,
  type OriginalCheckpoint,
  type ShardedWriteOptions,
} from "@glmjs/checkpoint/node";
