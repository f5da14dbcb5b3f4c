// Node-only surface of @glmjs/checkpoint ("@glmjs/checkpoint/node"): everything of the root entry
// plus reading and writing checkpoint files and folders.
export * from "./index.js";
export { writeFileAtomic } from "@glmjs/common/node";
export {
  CHECKPOINT_FILE_NAMES,
  findCheckpointFile,
  readCheckpoint,
  readCheckpointFile,
  readFileBytes,
  readShardedCheckpoint,
  writeSafetensorsFile,
  writeShardedSafetensors,
} from "./node-fs.js";
export type { ShardedWriteOptions } from "./node-fs.js";
