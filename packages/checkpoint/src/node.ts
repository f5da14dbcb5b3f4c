// Node-only surface of @glmjs/checkpoint ("@glmjs/checkpoint/node"): everything of the root entry
// plus reading and writing checkpoint files and folders.
export * from "./index.js";
export { writeFileAtomic } from "@glmjs/common/node";
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
  writeOriginalCheckpoint,
  writePytorchBinFile,
  writeSafetensorsFile,
  writeShardedSafetensors,
} from "./node-fs.js";
export type { OriginalCheckpoint, ShardedWriteOptions } from "./node-fs.js";
