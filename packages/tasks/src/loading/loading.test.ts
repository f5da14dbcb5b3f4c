// Loading a model folder with its tokenizer (Node path and in-memory files).
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GLMModel, tf } from "@glmjs/core";
import { type GLMTokenizer, trainTokenizer } from "@glmjs/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fill } from "../generation/fill.js";
import { loadGLMFromFiles } from "./from-files.js";
import { loadGLM } from "./node.js";

const CORPUS = ["The cat sat on the mat.", "A dog ran in the park and the cat slept.", "Blank infilling fills the blanks of a text."];

describe("loadGLM / loadGLMFromFiles", () => {
  let root: string;
  let tok: GLMTokenizer;
  let model: GLMModel;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "glmjs-tasks-load-"));
    tok = await trainTokenizer(CORPUS, { type: "wordpiece", vocabSize: 30 });
    model = GLMModel.fromConfig(
      { num_layers: 1, hidden_size: 16, num_attention_heads: 2, max_sequence_length: 32, vocab_size: tok.paddedVocabSize },
      { seed: 7 },
    );
    // As `glm pretrain --out run/` lays it out: run/tokenizer.json and run/model/.
    await model.save(join(root, "run", "model"));
    await tok.save(join(root, "run"));
    // A self-contained folder, and one with a tokenizer of another size.
    await model.save(join(root, "alone"));
    await tok.save(join(root, "alone"));
    await model.save(join(root, "orphan", "model"));
    const bigger = GLMModel.fromConfig({
      num_layers: 1,
      hidden_size: 16,
      num_attention_heads: 2,
      max_sequence_length: 32,
      vocab_size: tok.paddedVocabSize + 128,
    });
    await bigger.save(join(root, "mismatch"));
    bigger.dispose();
    await tok.save(join(root, "mismatch"));
  });
  afterAll(async () => {
    model?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it("loads a model folder with the tokenizer beside it or in its parent; it fills as the original model", async () => {
    const expected = await fill(model, tok, "The cat [MASK] on the mat.", { maxNewTokens: 3 });
    for (const dir of [join(root, "run", "model"), join(root, "alone")]) {
      const loaded = await loadGLM(dir);
      try {
        expect(loaded.tokenizer.vocabSize).toBe(tok.vocabSize);
        expect(loaded.specialIds.sop).toBe(tok.special.sop);
        expect(await fill(loaded.model, loaded.tokenizer, "The cat [MASK] on the mat.", { maxNewTokens: 3 })).toEqual(expected);
      } finally {
        loaded.dispose();
      }
    }
  });

  it("explains a missing tokenizer, a vocabulary mismatch and a missing folder", async () => {
    const before = tf.memory().numTensors;
    await expect(loadGLM(join(root, "orphan", "model"))).rejects.toThrow(/no tokenizer in .* or its parent/);
    await expect(loadGLM(join(root, "mismatch"))).rejects.toThrow(
      `padded to ${tok.paddedVocabSize}) but the model's vocab_size is ${tok.paddedVocabSize + 128}`,
    );
    await expect(loadGLM(join(root, "nowhere"))).rejects.toThrow(/does not exist/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("loads from in-memory files (what a browser passes), paths reduced to base names", async () => {
    const dir = join(root, "alone");
    const files: Record<string, Uint8Array | string> = {};
    for (const name of await readdir(dir))
      files[`picked/${name}`] = name.endsWith(".json") ? await readFile(join(dir, name), "utf8") : new Uint8Array(await readFile(join(dir, name)));
    const loaded = await loadGLMFromFiles(files);
    try {
      const a = await fill(loaded.model, loaded.tokenizer, "A [MASK] ran.", { maxNewTokens: 3 });
      expect(a).toEqual(await fill(model, tok, "A [MASK] ran.", { maxNewTokens: 3 }));
    } finally {
      loaded.dispose();
    }
    const { "picked/tokenizer.json": _t, ...noTokenizer } = files;
    await expect(loadGLMFromFiles(noTokenizer)).rejects.toThrow(/no tokenizer among the files/);
    const { "picked/model.safetensors": _w, ...noWeights } = files;
    await expect(loadGLMFromFiles(noWeights)).rejects.toThrow(/no weights/);
  });
});
