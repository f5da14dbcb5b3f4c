// Runs the PyTorch baseline (../shared/bench/glm_torch.py) beside a glmjs measurement.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const TORCH_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "shared", "bench", "glm_torch.py");
export const PYTHON = "/usr/bin/python3";
/** glm_torch.py's model and decode loop at any batch (glm_torch.py's decode mode runs batch 1). */
export const TORCH_BATCH_DECODE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "torch_decode_batch.py");

/** Whether Debian's python3 with torch and the baseline script are both here. */
export function torchAvailable() {
  return existsSync(TORCH_SCRIPT) && spawnSync(PYTHON, ["-c", "import torch"]).status === 0;
}

/**
 * One glm_torch.py run; returns its JSON line, or undefined (with the reason printed). OpenBLAS's
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides, set on these machines for old OpenBLAS builds, halve
 * a current OpenBLAS's speed: they are removed for the baseline, as ../shared/bench/README.md measured it.
 */
export function runTorchBaseline(args, label = args.join(" "), script = TORCH_SCRIPT) {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(PYTHON, [script, ...args], { encoding: "utf8", env });
  const line = (r.stdout ?? "").trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    console.log(`torch ${label} failed: ${(r.stderr ?? "").slice(-300)}`);
    return undefined;
  }
}
