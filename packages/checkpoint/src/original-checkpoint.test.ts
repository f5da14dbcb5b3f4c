// The original GLM's training-checkpoint layout (GLM.md §2.1b): written by glmjs, read back by
// glmjs, and — where Debian's python3-torch is installed — read by torch and by the original code.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GlmjsError } from "@glmjs/common";
import { fixtureDir, repoRoot, sharedPath } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitModelParallel } from "./model-parallel.js";
import { openCheckpointPath, openOriginalCheckpoint, readCheckpoint, writeOriginalCheckpoint } from "./node-fs.js";
import { readAllTensors } from "./open-checkpoint.js";
import { parseTrackerFile, planOriginalCheckpoint, rankFiles } from "./original-checkpoint.js";
import { readPytorchBin } from "./pytorch-bin.js";
import { readSafetensors } from "./safetensors.js";
import type { TensorMap } from "./types.js";

const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
const python = "/usr/bin/python3";
const hasTorch = existsSync(python) && spawnSync(python, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
if (!hasTorch)
  console.warn("[glmjs tests] SKIPPING torch checks of the original layout: /usr/bin/python3 cannot import torch and numpy (apt-get install python3-torch)");

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "glmjs-original-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const values = (m: TensorMap, name: string) => Array.from(m.get(name)!.data as Float32Array);
function expectIdentical(actual: TensorMap, expected: TensorMap): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    expect(actual.get(name)!.shape, name).toEqual(t.shape);
    expect(values(actual, name), name).toEqual(values(expected, name));
  }
}

describe("tracker and rank names", () => {
  it("parses the tracker as the original does and orders ranks by number", () => {
    expect(parseTrackerFile("1200\n", "t")).toBe("1200");
    expect(parseTrackerFile("release", "t")).toBe("release");
    expect(() => parseTrackerFile("latest-ish", "latest")).toThrow(/latest: names iteration "latest-ish"/);
    expect(rankFiles(["mp_rank_10_model_states.pt", "x.pt", ...Array.from({ length: 10 }, (_, i) => `mp_rank_0${i}_model_states.pt`)], "it")).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `mp_rank_0${i}_model_states.pt`),
      "mp_rank_10_model_states.pt",
    ]);
    expect(() => rankFiles(["mp_rank_00_model_states.pt", "mp_rank_02_model_states.pt"], "it/5")).toThrow(/it\/5: model-parallel rank 1 is missing/);
    expect(() => rankFiles(["zero_pp_rank_0_mp_rank_00_optim_states.pt"], "it/5")).toThrow(/holds no mp_rank_XX_model_states\.pt/);
    for (const options of [{ modelParallel: 100 }, { modelParallel: 0 }, { iteration: -1 }]) {
      const err = (() => {
        try {
          planOriginalCheckpoint(new Map(), options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(GlmjsError.is(err, "OPTION_INVALID"), JSON.stringify(options)).toBe(true);
    }
  });
});

describe.skipIf(!fixture)("writeOriginalCheckpoint / openOriginalCheckpoint on the fixture model", () => {
  const model = () => readSafetensors(new Uint8Array(readFileSync(join(fixture!, "model.safetensors"))), "model.safetensors").tensors;

  for (const n of [1, 2, 4]) {
    it(`mp ${n}: the layout the original's --load reads, each rank its slice, read back identical`, async () => {
      const dir = join(root, `mp${n}`);
      const written = await writeOriginalCheckpoint(dir, model(), { modelParallel: n, iteration: 1200 });
      const ranks = Array.from({ length: n }, (_, r) => join(dir, "1200", `mp_rank_${String(r).padStart(2, "0")}_model_states.pt`));
      expect(written).toEqual([...ranks, join(dir, "latest_checkpointed_iteration.txt"), join(dir, "latest")]);
      expect(readFileSync(join(dir, "latest_checkpointed_iteration.txt"), "utf8")).toBe("1200");
      expect(readFileSync(join(dir, "latest"), "utf8")).toBe("1200");
      expect(readdirSync(join(dir, "1200")).sort()).toEqual(ranks.map((p) => p.slice(join(dir, "1200").length + 1)));
      // Each rank file is a training checkpoint whose module is exactly that rank's part.
      const parts = splitModelParallel(model(), n);
      for (const [r, file] of ranks.entries()) expectIdentical(readPytorchBin(new Uint8Array(readFileSync(file)), file), parts[r]!);
      // Read back: merged tensor by tensor, from the run folder, the iteration folder, or via openCheckpointPath.
      const opened = await openOriginalCheckpoint(dir);
      expect(opened).toMatchObject({ iteration: "1200", modelParallel: n, files: ranks });
      expectIdentical((await readAllTensors(opened.checkpoint)).tensors, model());
      expectIdentical((await readAllTensors((await openOriginalCheckpoint(join(dir, "1200"))).checkpoint)).tensors, model());
      expectIdentical((await readCheckpoint(dir)).tensors, model());
      expect([...(await openCheckpointPath(dir)).tensors.values()].map((t) => t.shape)).toEqual([...model().values()].map((t) => t.shape));
    });
  }

  it("refuses a folder whose tracker names a missing iteration, and ranks of different models", async () => {
    const dir = join(root, "broken");
    await writeOriginalCheckpoint(dir, model(), { modelParallel: 2, iteration: 3 });
    rmSync(join(dir, "3", "mp_rank_01_model_states.pt"));
    await expect(openOriginalCheckpoint(dir)).rejects.toThrow(/mp_rank_00_model_states\.pt: was saved with mp_world_size 2, but .*3 holds 1 rank file;/);
    rmSync(join(dir, "3"), { recursive: true });
    await expect(openOriginalCheckpoint(dir)).rejects.toThrow(/broken\/3: does not exist, but latest_checkpointed_iteration\.txt names iteration 3/);
    const other = new Map([...model()].slice(0, 3));
    const mixed = join(root, "mixed");
    await writeOriginalCheckpoint(mixed, model(), { modelParallel: 2, iteration: 1 });
    await writeOriginalCheckpoint(join(root, "mixed-b"), other, { modelParallel: 2, iteration: 1 });
    const { copyFileSync } = await import("node:fs");
    copyFileSync(join(root, "mixed-b", "1", "mp_rank_01_model_states.pt"), join(mixed, "1", "mp_rank_01_model_states.pt"));
    await expect(openOriginalCheckpoint(mixed)).rejects.toThrow(/mp_rank_01_model_states\.pt: holds different tensors than .*mp_rank_00_model_states\.pt/);
  });

  it.skipIf(!hasTorch)(
    "torch.load (weights_only) reads every rank file: keys, shapes, values and the bookkeeping entries",
    async () => {
      const dir = join(root, "torch-mp2");
      await writeOriginalCheckpoint(dir, model(), { modelParallel: 2, iteration: 40 });
      const script = `
import json, sys, torch
out = []
for f in sys.argv[1:]:
    d = torch.load(f, map_location="cpu", weights_only=True)
    m = d["module"]
    out.append({"entries": {k: v for k, v in d.items() if k != "module"},
                "shapes": {k: list(v.shape) for k, v in m.items()},
                "sums": {k: float(v.double().sum()) for k, v in m.items()}})
print(json.dumps(out))`;
      const files = ["00", "01"].map((r) => join(dir, "40", `mp_rank_${r}_model_states.pt`));
      const result = JSON.parse(execFileSync(python, ["-c", script, ...files], { encoding: "utf8" })) as {
        entries: Record<string, number>;
        shapes: Record<string, number[]>;
        sums: Record<string, number>;
      }[];
      const parts = splitModelParallel(model(), 2);
      for (const [r, got] of result.entries()) {
        expect(got.entries).toEqual({ iteration: 40, global_steps: 40, skipped_steps: 0, mp_world_size: 2, dp_world_size: 1 });
        expect(got.shapes).toEqual(Object.fromEntries([...parts[r]!].map(([k, t]) => [k, t.shape])));
        for (const [k, t] of parts[r]!)
          expect(got.sums[k], k).toBeCloseTo(
            Array.from(t.data as Float32Array).reduce((a, b) => a + b, 0),
            4,
          );
      }
    },
    120_000,
  );

  it.skipIf(!hasTorch)(
    "reads the module of a checkpoint torch wrote the way DeepSpeed does (optimizer, numpy RNG, argparse, sets), running nothing",
    async () => {
      const file = join(root, "ds", "mp_rank_00_model_states.pt");
      const marker = join(root, "pwned");
      const script = `
import argparse, collections, os, random, sys, numpy as np, torch
torch.manual_seed(0)
sd = collections.OrderedDict((n, torch.randn(*s)) for n, s in [("word_embeddings.weight", (8, 4)), ("transformer.final_layernorm.weight", (4,))])
sd["half"] = torch.randn(3, 2).half()
sd["view"] = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[2],))
ckpt = {"module": sd, "iteration": 9, "args": argparse.Namespace(lr=1e-4, fp16=True), "np_rng_state": np.random.get_state(),
        "random_rng_state": random.getstate(), "csr_tensor_module_names": set(), "ds_version": "0.5.8",
        "optimizer": {"state": {0: {"exp_avg": torch.ones(8, 4)}}, "param_groups": [{"lr": 1e-4, "params": [0]}]},
        "buffer_names": [], "param_shapes": [collections.OrderedDict(w=torch.Size([8, 4]))], "evil": Evil()}
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
torch.save(ckpt, sys.argv[1])
print(",".join(f"{float(v.double().sum()):.9g}" for v in sd.values()))`;
      const sums = execFileSync(python, ["-c", script, file, marker], { encoding: "utf8" }).trim().split(",").map(Number);
      const tensors = readPytorchBin(new Uint8Array(readFileSync(file)), file);
      expect([...tensors.keys()]).toEqual(["word_embeddings.weight", "transformer.final_layernorm.weight", "half", "view"]);
      expect(tensors.get("view")!.shape).toEqual([4, 3]);
      expect(values(tensors, "view")).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
      [...tensors.values()].forEach((t, i) => expect(Array.from(t.data as Float32Array).reduce((a, b) => a + b, 0)).toBeCloseTo(sums[i]!, 4));
      const lazy = await openOriginalCheckpoint(join(root, "ds"));
      expectIdentical((await readAllTensors(lazy.checkpoint)).tensors, tensors);
      expect(existsSync(marker)).toBe(false);
      // A plain state dict with such an entry is still refused outright.
      const plain = join(root, "evil.bin");
      execFileSync(python, [
        "-c",
        script.replace("torch.save(ckpt, sys.argv[1])", "torch.save(collections.OrderedDict(w=torch.ones(1), evil=Evil()), sys.argv[1])"),
        plain,
        marker,
      ]);
      expect(() => readPytorchBin(new Uint8Array(readFileSync(plain)), plain)).toThrow(/refusing global "(posix|os)\.system"/);
      expect(existsSync(marker)).toBe(false);
    },
    120_000,
  );
});

/** A checkout of the original THUDM/GLM: GLMJS_GLM_SRC, or extracted from a `fetch` mirror beside the repository. */
function originalSource(): string | undefined {
  if (process.env.GLMJS_GLM_SRC) return resolve(process.env.GLMJS_GLM_SRC);
  const mirror = resolve(repoRoot(), "..", ".mirror", "THUDM+GLM", "repo");
  if (!existsSync(mirror)) return undefined;
  const out = mkdtempSync(join(tmpdir(), "glm-src-"));
  const archive = spawnSync("git", ["--git-dir", mirror, "archive", "HEAD"], { maxBuffer: 1 << 28 });
  if (archive.status !== 0) return undefined;
  spawnSync("tar", ["-x", "-C", out], { input: archive.stdout });
  return existsSync(join(out, "change_mp.py")) ? out : undefined;
}

describe.skipIf(!fixture || !hasTorch)("the original GLM code reads glmjs's export (verify_original_export.py)", () => {
  const verifier = sharedPath("reference", "original", "verify_original_export.py");
  const source = verifier ? originalSource() : undefined;
  if (verifier && !source) console.warn("[glmjs tests] SKIPPING verify_original_export.py: set GLMJS_GLM_SRC to a checkout of THUDM/GLM");
  const model = () => readSafetensors(new Uint8Array(readFileSync(join(fixture!, "model.safetensors"))), "model.safetensors").tensors;

  it.skipIf(!verifier || !source)(
    "mp 1 reproduces the fixture's logits in the original GLMModel; mp 2 and 4 equal change_mp.py's split",
    async () => {
      const dirs: Record<number, string> = {};
      for (const n of [1, 2, 4]) {
        dirs[n] = join(root, `verify-mp${n}`);
        await writeOriginalCheckpoint(dirs[n], model(), { modelParallel: n, iteration: 5 });
      }
      for (const n of [1, 2, 4]) {
        const args = [verifier!, "--glm-src", source!, "--fixture", fixture!, "--export", dirs[n]!, "--mp", String(n), ...(n > 1 ? ["--mp1", dirs[1]!] : [])];
        const run = spawnSync(python, args, { encoding: "utf8" });
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
        expect(run.stdout).toMatch(
          n === 1 ? /original GLM loaded the mp-1 export; logits max diff/ : new RegExp(`mp-${n} export equals the original change_mp\\.py split, ${n} files`),
        );
      }
    },
    120_000,
  );
});
