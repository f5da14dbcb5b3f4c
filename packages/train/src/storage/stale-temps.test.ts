// A kill during a checkpoint write leaves the temporary file of the atomic write behind; a resumed
// run removes such files and loads the checkpoint as usual.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GLMModel } from "@glmjs/core";
import { GLM_ADAMW } from "../optimizer/adamw.js";
import { Trainer } from "../loop/trainer.js";
import { DEFAULT_TRAINER_OPTIONS, type TrainerOptions } from "../loop/trainer-options.js";
import { SyntheticSource, TINY } from "../loop/synthetic.test-helper.js";
import { NodeStorage } from "./node-storage.js";
import { cleanStaleTemps, isAtomicWriteTemp as isStaleTempName } from "@glmjs/common/node";

const root = mkdtempSync(join(tmpdir(), "glmjs-stale-temps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("stale temporary files", () => {
  it("recognises the temporaries of glmjs's atomic writers, and nothing else", () => {
    for (const name of [".a3f09c12be77.tmp", ".model.safetensors.4242.1767000000000.3.tmp", "tokenizer.json.4242.1767000000000.tmp"])
      expect(isStaleTempName(name), name).toBe(true);
    for (const name of ["step-0000002.safetensors", "latest.json", "notes.tmp.txt", "run.json", "my.tmp"]) expect(isStaleTempName(name), name).toBe(false);
  });

  it("cleanStaleTemps removes only those, and a missing folder has none", async () => {
    const dir = mkdtempSync(join(root, "clean-"));
    for (const name of [".0123456789ab.tmp", "keep.json", "tokenizer.json.1.2.tmp"]) writeFileSync(join(dir, name), "x");
    expect((await cleanStaleTemps(dir)).map((p) => p.slice(dir.length + 1)).sort()).toEqual([".0123456789ab.tmp", "tokenizer.json.1.2.tmp"]);
    expect(readdirSync(dir)).toEqual(["keep.json"]);
    expect(await cleanStaleTemps(join(dir, "absent"))).toEqual([]);
  });

  it("Trainer.resume() removes checkpoint temporaries left by a kill, then loads the checkpoint", async () => {
    const dir = mkdtempSync(join(root, "run-"));
    const options: TrainerOptions = {
      ...DEFAULT_TRAINER_OPTIONS,
      steps: 2,
      optimizer: GLM_ADAMW,
      schedule: { peakLr: 1e-3, decaySteps: 4, warmupFraction: 0, style: "cosine", decayRatio: 0.1 },
      evalEvery: 0,
      checkpointEvery: 0,
    };
    const first = GLMModel.fromConfig(TINY, { seed: 1 });
    const t1 = new Trainer(first, new SyntheticSource(1, 2), [], new NodeStorage(dir), options);
    await t1.run();
    t1.dispose();
    // What a SIGKILL between writing and renaming leaves: a half-written checkpoint and pointer.
    writeFileSync(join(dir, "checkpoints", ".9f3c2a71b0de.tmp"), new Uint8Array(1000));
    writeFileSync(join(dir, "checkpoints", ".00aa11bb22cc.tmp"), "{");
    writeFileSync(join(dir, ".5e5e5e5e5e5e.tmp"), "{");
    const messages: string[] = [];
    const second = GLMModel.fromConfig(TINY, { seed: 99 });
    const t2 = new Trainer(second, new SyntheticSource(1, 2), [], new NodeStorage(dir), { ...options, steps: 4 }, { onMessage: (m) => messages.push(m) });
    expect(await t2.resume()).toBe(2);
    expect(readdirSync(join(dir, "checkpoints")).sort()).toEqual(["latest.json", "step-0000002.safetensors"]);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(messages[0]).toBe(
      "removed 3 temporary files left by an interrupted write: checkpoints/.00aa11bb22cc.tmp, checkpoints/.9f3c2a71b0de.tmp, .5e5e5e5e5e5e.tmp",
    );
    // The weights are the checkpoint's, not the new initialisation's.
    const name = [...first.namedVariables().keys()][3]!;
    expect(Array.from(second.namedVariables().get(name)!.dataSync())).toEqual(Array.from(first.namedVariables().get(name)!.dataSync()));
    expect((await t2.run()).step).toBe(4);
    t2.dispose();
    first.dispose();
    second.dispose();
  });
});
