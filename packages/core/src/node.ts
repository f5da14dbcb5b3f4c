// Node-only surface of @glmjs/core ("@glmjs/core/node"): everything of the root entry plus the
// checkpoint file helpers. loadModel(path) and model.save(dir) work from the root entry too.
export * from "./index.js";
export {
  CHECKPOINT_FILE_NAMES,
  findCheckpointFile,
  readCheckpoint,
  readCheckpointFile,
  readFileBytes,
  readShardedCheckpoint,
  writeFileAtomic,
  writeSafetensorsFile,
  writeShardedSafetensors,
  type ShardedWriteOptions,
} from "@glmjs/checkpoint/node";
