// The two glmjs BackendProviders over TensorFlow's C library: tfjs-node (CPU) and tfjs-node-gpu (CUDA).
import { GlmjsError } from "@glmjs/common";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, tf, type BackendProvider, type ProbeResult } from "@glmjs/core";
import type { TfjsNodePackage } from "./classify.js";
import { loadTfjsNode, TENSORFLOW_BACKEND } from "./load.js";

function nodeProvider(name: "tfjs-node" | "tfjs-node-gpu", pkg: TfjsNodePackage, rank: number): BackendProvider {
  return {
    contractVersion: BACKEND_CONTRACT_VERSION,
    name,
    tfjsBackend: TENSORFLOW_BACKEND,
    environments: ["node"],
    rank,
    async probe(): Promise<ProbeResult> {
      const r = await loadTfjsNode(pkg);
      if (!r.ok) return { available: false, reason: r.reason, fix: r.fix };
      const device = r.gpu ? "CUDA GPU" : "CPU";
      return { available: true, detail: `${pkg}, TensorFlow ${r.tensorflowVersion ?? "(version unknown)"} on the ${device}` };
    },
    async activate(): Promise<void> {
      const r = await loadTfjsNode(pkg);
      if (!r.ok) throw new GlmjsError("BACKEND_UNAVAILABLE", `${r.reason}. Fix: ${r.fix}`);
      const ok = await tf.setBackend(TENSORFLOW_BACKEND);
      if (!ok) throw new GlmjsError("BACKEND_FAILED", `tfjs could not initialise the "${TENSORFLOW_BACKEND}" backend of ${pkg}`);
    },
  };
}

export const tfjsNodeBackend = nodeProvider("tfjs-node", "@tensorflow/tfjs-node", AUTO_ORDER["tfjs-node"]);
export const tfjsNodeGpuBackend = nodeProvider("tfjs-node-gpu", "@tensorflow/tfjs-node-gpu", AUTO_ORDER["tfjs-node-gpu"]);
