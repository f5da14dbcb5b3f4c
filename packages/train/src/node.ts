// Node-only additions to @glmjs/train ("@glmjs/train/node"): file-system storage for run folders.
export { NodeStorage } from "./storage/node-storage.js";
export { cleanStaleTemps, isStaleTempName } from "./storage/stale-temps.js";
