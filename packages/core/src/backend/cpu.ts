import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, type BackendProvider } from "./contract.js";

/** tfjs's plain-JS cpu backend: always available, the reference for every other backend. */
export const cpuBackend: BackendProvider = {
  contractVersion: BACKEND_CONTRACT_VERSION,
  name: "cpu",
  tfjsBackend: "cpu",
  environments: ["node", "browser", "worker"],
  rank: AUTO_ORDER.cpu,
  async probe() {
    return { available: true, detail: "plain JavaScript (slow; the reference implementation)" };
  },
  async activate() {
    const ok = await tf.setBackend("cpu");
    if (!ok || tf.getBackend() !== "cpu") throw new GlmjsError("BACKEND_FAILED", "tfjs failed to initialise its cpu backend");
  },
};
