import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { readCheckpointBytes } from "./read-bytes.js";
import { readPytorchBin } from "./pytorch-bin.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

describe.skipIf(!dir)("model fixture weight files", () => {
  const read = (name: string) => new Uint8Array(readFileSync(join(dir!, name)));
  const manifest = () => JSON.parse(readFileSync(join(dir!, "manifest.json"), "utf8")) as { files: Record<string, Record<string, number[]> | string> };

  it("model.safetensors holds the tensors the manifest lists, with their shapes", () => {
    const { tensors } = readSafetensors(read("model.safetensors"), "model.safetensors");
    const expected = manifest().files["model.safetensors"] as Record<string, number[]>;
    expect([...tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, shape] of Object.entries(expected)) {
      const t = tensors.get(name)!;
      expect(t.shape, name).toEqual(shape);
      expect(t.dtype).toBe("F32");
      expect(t.data.length).toBe(shape.reduce((a, b) => a * b, 1));
    }
  });

  it("model.safetensors metadata holds the config as a JSON string equal to config.json", () => {
    const { metadata } = readSafetensors(read("model.safetensors"), "model.safetensors");
    const config = JSON.parse(readFileSync(join(dir!, "config.json"), "utf8")) as Record<string, unknown>;
    expect(JSON.parse(metadata["glm_config"]!)).toEqual(config);
    expect(typeof metadata["format"]).toBe("string");
  });

  it("pytorch_model.bin and model.safetensors hold the same tensors, bit for bit", () => {
    const st = readSafetensors(read("model.safetensors"), "model.safetensors").tensors;
    const pt = readPytorchBin(read("pytorch_model.bin"), "pytorch_model.bin");
    expect([...pt.keys()].sort()).toEqual([...st.keys()].sort());
    for (const [name, a] of st) {
      const b = pt.get(name)!;
      expect(b.shape, name).toEqual(a.shape);
      expect(b.dtype, name).toBe(a.dtype);
      const bits = (d: Float32Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
      expect(bits(b.data as Float32Array).equals(bits(a.data as Float32Array)), name).toBe(true);
      // not all zeros: a reader returning the wrong region would still have to match by chance
      expect(
        (a.data as Float32Array).some((v) => v !== 0),
        name,
      ).toBe(true);
    }
  });

  it("pytorch_model.bin keeps the pickle's key order", () => {
    const pt = readPytorchBin(read("pytorch_model.bin"), "pytorch_model.bin");
    const listed = Object.keys(manifest().files["model.safetensors"] as Record<string, number[]>);
    expect(pt.size).toBe(listed.length);
    expect([...pt.keys()][0]).toBe("word_embeddings.weight"); // state_dict order: module registration order
  });

  it("readCheckpointBytes recognises both formats", () => {
    expect(readCheckpointBytes(read("model.safetensors"), "model.safetensors").format).toBe("safetensors");
    expect(readCheckpointBytes(read("pytorch_model.bin"), "pytorch_model.bin").format).toBe("pytorch");
  });

  it("re-writing the fixture's tensors and metadata reproduces model.safetensors byte for byte", () => {
    const original = read("model.safetensors");
    const { tensors, metadata } = readSafetensors(original, "model.safetensors");
    const rewritten = writeSafetensors(tensors, metadata);
    expect(rewritten.byteLength).toBe(original.byteLength);
    expect(Buffer.from(rewritten).equals(Buffer.from(original))).toBe(true);
  });

  it("every other safetensors file of the fixture parses with the shapes the manifest lists", () => {
    for (const [file, listed] of Object.entries(manifest().files)) {
      if (!file.endsWith(".safetensors") || typeof listed !== "object") continue;
      const { tensors } = readSafetensors(read(file), file);
      for (const [name, shape] of Object.entries(listed)) expect(tensors.get(name)?.shape, `${file} ${name}`).toEqual(shape);
    }
  });
});
