// Parity of the model against the original GLM's golden outputs (model-fixture.ts). The checks
// run on whatever tfjs backend is active, so backend packages and browser tests call them too.
import { GlmjsError } from "@glmjs/common";
import { readCheckpointBytes } from "@glmjs/checkpoint";
import type { GLMConfig } from "../config/glm-config.js";
import { sepMask } from "../model/attention.js";
import type { GLMModel } from "../model/glm-model.js";
import { tf } from "../tfjs.js";
import { MODEL_FIXTURE_FILES, type FixtureDecode, type FixtureGenerate, type ModelFixture, fixtureBatch, loadFixtureModel } from "./model-fixture.js";

/** One compared quantity. */
export interface ParityCheck {
  name: string;
  ok: boolean;
  /** Largest |ours − reference|. */
  maxAbsError: number;
  tolerance: string;
  detail?: string;
}

export interface ParityOptions {
  /** Which weight file to load. Default "safetensors". */
  weights?: "safetensors" | "pytorch";
  /** Default 1e-4 (logits, hidden states, embeddings, decode logits). */
  hiddenTolerance?: number;
  /** Default 1e-5. */
  lossTolerance?: number;
  /** Default abs 1e-5 + rel 1e-3. */
  gradAbsTolerance?: number;
  gradRelTolerance?: number;
}

type Floats = ArrayLike<number>;

/**
 * Runs every check the fixture allows on the active backend: forward (embeddings, each layer
 * output, final hidden, logits, the sep mask), per-token and mean loss, every parameter
 * gradient, cached decoding (decode.json) and the per-step logits/argmax of generate.json.
 */
export async function runModelParity(fixture: ModelFixture, options: ParityOptions = {}): Promise<ParityCheck[]> {
  const hiddenTol = options.hiddenTolerance ?? 1e-4;
  const lossTol = options.lossTolerance ?? 1e-5;
  const gradAbs = options.gradAbsTolerance ?? 1e-5;
  const gradRel = options.gradRelTolerance ?? 1e-3;
  const checks: ParityCheck[] = [];
  const model = loadFixtureModel(fixture, options.weights ?? "safetensors");
  try {
    const config = model.config;
    const ref = readCheckpointBytes(fixture.outputs, MODEL_FIXTURE_FILES.outputs).tensors;
    const refData = (name: string, file: string = MODEL_FIXTURE_FILES.outputs, map = ref): Floats => {
      const t = map.get(name);
      if (!t) throw new GlmjsError("FIXTURE_INVALID", `model fixture: ${file} has no tensor "${name}"`);
      return t.data as Float32Array;
    };
    const close = async (name: string, ours: tf.Tensor, reference: Floats, tol: number) => {
      checks.push(compare(name, await ours.data(), reference, tol, 0));
    };

    // Forward.
    const inputs = fixture.inputs;
    const fwd = model.forward(
      { inputIds: inputs.input_ids, positionIds: inputs.position_ids, sep: inputs.attention_mask },
      { returnHidden: true, returnLayerOutputs: true },
    );
    try {
      const layers = fwd.layerOutputs as tf.Tensor[];
      await close("embeddings", layers[0], refData("embeddings"), hiddenTol);
      for (let i = 0; i < config.num_layers; i++) await close(`layer_${i}_output`, layers[i + 1], refData(`layer_${i}_output`), hiddenTol);
      await close("final_hidden", fwd.hidden as tf.Tensor, refData("final_hidden"), hiddenTol);
      await close("logits", fwd.logits, refData("logits"), hiddenTol);
    } finally {
      tf.dispose([fwd.logits, fwd.hidden as tf.Tensor, ...(fwd.layerOutputs ?? [])]);
    }
    if (ref.has("attention_mask_matrix")) {
      const seq = inputs.input_ids[0].length;
      const mask = tf.tidy(() => sepMask(tf.tensor1d(inputs.attention_mask, "int32"), seq));
      checks.push(compare("attention_mask_matrix (exact)", await mask.data(), refData("attention_mask_matrix"), 0, 0));
      mask.dispose();
    }

    // Loss.
    const batch = fixtureBatch(inputs);
    const perToken = model.perTokenLoss(batch);
    await close("per_token_loss", perToken, refData("per_token_loss"), lossTol);
    perToken.dispose();
    const vars = model.namedVariables();
    if (fixture.grads) {
      const refGrads = readCheckpointBytes(fixture.grads, MODEL_FIXTURE_FILES.grads).tensors;
      const { value, grads } = tf.variableGrads(() => model.loss(batch));
      await close("loss", value, refData("loss"), lossTol);
      for (const [name, v] of vars) {
        const g = grads[v.name];
        const refG = refData(name, MODEL_FIXTURE_FILES.grads, refGrads);
        checks.push(
          g
            ? compare(`grad ${name}`, await g.data(), refG, gradAbs, gradRel)
            : { name: `grad ${name}`, ok: false, maxAbsError: Infinity, tolerance: "-", detail: "no gradient" },
        );
      }
      tf.dispose([value, ...Object.values(grads)]);
    } else {
      const loss = model.loss(batch);
      await close("loss", loss, refData("loss"), lossTol);
      loss.dispose();
    }

    if (fixture.decode && fixture.decodeTensors) checks.push(...(await decodeChecks(model, fixture.decode, fixture.decodeTensors, hiddenTol)));
    if (fixture.generate && fixture.generateTensors) checks.push(...(await generateChecks(model, fixture.generate, fixture.generateTensors, hiddenTol)));
  } finally {
    model.dispose();
  }
  return checks;
}

async function decodeChecks(model: GLMModel, d: FixtureDecode, bytes: Uint8Array, tol: number): Promise<ParityCheck[]> {
  const config: GLMConfig = model.config;
  const V = config.vocab_size;
  const ref = readCheckpointBytes(bytes, MODEL_FIXTURE_FILES.decodeTensors).tensors;
  const get = (n: string) => ref.get(n)?.data as Float32Array;
  const checks: ParityCheck[] = [];
  const decoder = model.createDecoder({ maxMemoryLength: d.max_memory_length ?? 0 });
  try {
    const ctx = decoder.step(
      { inputIds: [d.context_ids], positionIds: [d.context_position_ids[0]], blockPositionIds: [d.context_position_ids[1]], sep: d.context_attention_mask },
      { logits: "all" },
    );
    checks.push(compare("decode context_logits", await (ctx.logits as tf.Tensor).data(), get("context_logits"), tol, 0));
    tf.dispose(ctx.logits);
    const stepRef = get("step_logits");
    for (let k = 0; k < d.forced_tokens.length; k++) {
      const [p, b] = d.step_position_ids[k];
      const s = decoder.step({ inputIds: [[d.forced_tokens[k]]], positionIds: [[p]], blockPositionIds: [[b]], sep: d.step_attention_mask });
      checks.push(compare(`decode step_logits[${k}] (cached)`, await (s.logits as tf.Tensor).data(), stepRef.subarray(k * V, (k + 1) * V), tol, 0));
      tf.dispose(s.logits);
    }
  } finally {
    decoder.dispose();
  }
  // The non-cached forward over context + forced tokens, and the memories (layer inputs).
  for (const [which, ids, pos, sep] of [
    ["context", d.context_ids, d.context_position_ids, d.context_attention_mask],
    ["final", d.full_ids, d.full_position_ids, d.full_attention_mask],
  ] as const) {
    const r = model.forward({ inputIds: [ids], positionIds: [pos[0]], blockPositionIds: [pos[1]], sep }, { returnLayerOutputs: true });
    if (which === "final") checks.push(compare("decode full_logits (uncached)", await r.logits.data(), get("full_logits"), tol, 0));
    for (let i = 0; i <= config.num_layers; i++) {
      const mem = get(`${which}_mems.${i}`);
      if (mem) checks.push(compare(`decode ${which}_mems.${i}`, await (r.layerOutputs as tf.Tensor[])[i].data(), mem, tol, 0));
    }
    tf.dispose([r.logits, ...(r.layerOutputs ?? [])]);
  }
  return checks;
}

/** Replays generate.json's calls through the cache: per-step logits and the greedy argmax. */
async function generateChecks(model: GLMModel, g: FixtureGenerate, bytes: Uint8Array, tol: number): Promise<ParityCheck[]> {
  const V = model.config.vocab_size;
  const ref = readCheckpointBytes(bytes, MODEL_FIXTURE_FILES.generateTensors).tensors;
  const checks: ParityCheck[] = [];
  for (const [pi, prompt] of g.prompts.entries()) {
    const decoder = model.createDecoder({ maxMemoryLength: g.settings.max_memory_length ?? 0 });
    try {
      const pos = prompt.context_position_ids[0];
      const ctx = decoder.step(
        { inputIds: [prompt.context], positionIds: [pos[0]], blockPositionIds: [pos[1]], sep: prompt.context_attention_mask },
        { logits: "none" },
      );
      tf.dispose(ctx.logits);
      for (const [si, span] of prompt.spans.entries()) {
        const refLogits = ref.get(`prompt${pi}.span${si}.step_logits`)?.data as Float32Array;
        let worst = 0;
        const problems: string[] = [];
        for (const [k, step] of span.steps.entries()) {
          if (decoder.memoryLength !== step.mem_length) problems.push(`step ${k}: memory ${decoder.memoryLength}, reference ${step.mem_length}`);
          const s = decoder.step({
            inputIds: step.input_ids,
            positionIds: [step.position_ids[0][0]],
            blockPositionIds: [step.position_ids[0][1]],
            sep: step.attention_mask,
          });
          const logits = await (s.logits as tf.Tensor).data();
          tf.dispose(s.logits);
          const c = compare("", logits, refLogits.subarray(k * V, (k + 1) * V), tol, 0);
          worst = Math.max(worst, c.maxAbsError);
          if (!c.ok) problems.push(`step ${k}: logits off by ${c.maxAbsError}`);
          const top = argmax(logits);
          if (top !== span.step_argmax[k]) problems.push(`step ${k}: argmax ${top}, reference ${span.step_argmax[k]}`);
        }
        checks.push({
          name: `generate prompt${pi}.span${si} (${span.steps.length} cached steps, logits + argmax)`,
          ok: problems.length === 0,
          maxAbsError: worst,
          tolerance: `abs ${tol}, argmax exact`,
          detail: problems.join("; ") || undefined,
        });
      }
    } finally {
      decoder.dispose();
    }
  }
  return checks;
}

function argmax(a: Floats): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function compare(name: string, ours: Floats, reference: Floats, abs: number, rel: number): ParityCheck {
  const tolerance = rel > 0 ? `abs ${abs} + rel ${rel}` : abs === 0 ? "exact" : `abs ${abs}`;
  if (ours.length !== reference.length) {
    return { name, ok: false, maxAbsError: Infinity, tolerance, detail: `${ours.length} values, reference has ${reference.length}` };
  }
  let maxAbsError = 0;
  let ok = true;
  let firstBad = -1;
  for (let i = 0; i < ours.length; i++) {
    const err = Math.abs(ours[i] - reference[i]);
    if (!(err <= abs + rel * Math.abs(reference[i]))) {
      ok = false;
      if (firstBad < 0) firstBad = i;
    }
    if (!(err <= maxAbsError)) maxAbsError = err;
  }
  return { name, ok, maxAbsError, tolerance, detail: ok ? undefined : `first mismatch at flat index ${firstBad}: ${ours[firstBad]} vs ${reference[firstBad]}` };
}
