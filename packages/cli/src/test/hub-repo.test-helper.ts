// A released-style hub repository made from the glm-tiny-a fixture (the original code's own tiny
// model) for the CLI's hub tests: its weights under the `glm.` prefix in pytorch_model.bin, the
// word embeddings' rows repeated up to the BERT vocabulary, and the hub's BERT tokenizer files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, writePytorchBin, type CheckpointTensor, type TensorMap } from "@glmjs/core";
import { fixtureDir, sharedPath } from "@glmjs/test-utils";

export const hubFixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
export const bertVocab = sharedPath("vocab", "bert-base-uncased-vocab.txt");
const BERT_PADDED_VOCAB = 30592;

/** The repository's files, and its weights under bare GLM names. Needs `hubFixture` and `bertVocab`. */
export function fixtureHubRepo(): { files: Record<string, string | Uint8Array>; tensors: TensorMap } {
  const { tensors } = readSafetensors(new Uint8Array(readFileSync(join(hubFixture!, "model.safetensors"))), "model.safetensors");
  const config = JSON.parse(readFileSync(join(hubFixture!, "config.json"), "utf8")) as Record<string, unknown>;
  const word = tensors.get("word_embeddings.weight")!;
  const [rows, hidden] = word.shape as [number, number];
  const tiled = new Float32Array(BERT_PADDED_VOCAB * hidden);
  for (let r = 0; r < BERT_PADDED_VOCAB; r++) tiled.set((word.data as Float32Array).subarray((r % rows) * hidden, ((r % rows) + 1) * hidden), r * hidden);
  const bare = new Map<string, CheckpointTensor>(
    [...tensors].map(([k, t]) => [k, k === "word_embeddings.weight" ? { dtype: "F32", shape: [BERT_PADDED_VOCAB, hidden], data: tiled } : t]),
  );
  return {
    tensors: bare,
    files: {
      "config.json": JSON.stringify({ ...config, vocab_size: BERT_PADDED_VOCAB }),
      "pytorch_model.bin": writePytorchBin(new Map([...bare].map(([k, t]) => [`glm.${k}`, t]))),
      "tokenizer_config.json": JSON.stringify({ tokenizer_class: "GLMBertTokenizer" }),
      "vocab.txt": readFileSync(bertVocab!, "utf8"),
    },
  };
}
