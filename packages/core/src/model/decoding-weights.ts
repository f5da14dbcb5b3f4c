// The weights a decoder reads, kept by the model between decoders: the Linear kernels and the
// tied output projection transposed once (copies: ~2× the linear weights' memory) instead of for
// every decoder. Each decoder call (infill, a CLI fill, a stream) used to transpose them again,
// and the wasm backend then re-packed them for XNNPACK, keyed by the new tensors. A snapshot is
// fresh while every variable keeps the data it had (tf.Variable.assign gives a variable new data)
// on the same backend; decoders hold a reference, so a stale snapshot lives until the last
// decoder using it is disposed.
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { type ModelWeights, derivedTensors, weightViews } from "./parameters.js";

interface Snapshot {
  weights: ModelWeights;
  /** The variables' data objects when the snapshot was made, in `names` order. */
  dataIds: object[];
  backend: string;
  users: number;
  retired: boolean;
}

export class DecodingWeights {
  private current: Snapshot | undefined;
  private readonly names: string[];

  constructor(
    private readonly config: GLMConfig,
    private readonly variables: ReadonlyMap<string, tf.Variable>,
  ) {
    this.names = [...variables.keys()];
  }

  /** The fresh snapshot (made if needed) and the function that hands it back. */
  acquire(): { weights: ModelWeights; release: () => void } {
    let s = this.current;
    if (!s || !this.isFresh(s)) {
      this.retire();
      s = this.make();
      this.current = s;
    }
    s.users++;
    const snapshot = s;
    let released = false;
    return {
      weights: s.weights,
      release: () => {
        if (released) return;
        released = true;
        snapshot.users--;
        if (snapshot.retired && snapshot.users === 0) tf.dispose(derivedTensors(snapshot.weights));
      },
    };
  }

  /** Stops sharing the current snapshot; frees it now if no decoder uses it. */
  retire(): void {
    const s = this.current;
    if (!s) return;
    this.current = undefined;
    s.retired = true;
    if (s.users === 0) tf.dispose(derivedTensors(s.weights));
  }

  /** Retires the current snapshot if the variables changed since it was made. */
  dropIfStale(): void {
    if (this.current && !this.isFresh(this.current)) this.retire();
  }

  /** Whether a snapshot is kept (for tests). */
  get held(): boolean {
    return this.current !== undefined;
  }

  private isFresh(s: Snapshot): boolean {
    if (s.backend !== tf.getBackend()) return false;
    for (let i = 0; i < this.names.length; i++) if (this.variables.get(this.names[i]!)!.dataId !== s.dataIds[i]) return false;
    return true;
  }

  private make(): Snapshot {
    const get = (name: string): tf.Tensor => {
      const v = this.variables.get(name);
      if (!v) throw new GlmjsError("PARAMETER_UNKNOWN", `GLMModel: no parameter "${name}"`);
      return v;
    };
    const weights = weightViews(this.config, get, { pretransposed: true });
    // Kept out of any tf.tidy the caller may be in: the snapshot outlives it.
    for (const t of derivedTensors(weights)) tf.keep(t);
    return { weights, dataIds: this.names.map((n) => this.variables.get(n)!.dataId), backend: tf.getBackend(), users: 0, retired: false };
  }
}
