// `glm export`: one command between every checkpoint form glmjs reads and writes: a hub id, a
// folder (Hugging Face, glmjs, the original GLM's training checkpoint), a weights file or a URL in;
// the original GLM's training layout (for its --load / --load-pretrained on a DeepSpeed cluster),
// a Hugging Face folder, or glmjs's safetensors folder out. Tokenizer files go along, and for the
// original layout the flags its scripts must be given are printed.
import { copyFile, readdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { loadModel, type GLMConfig, type SaveDType, type SaveFormat } from "@glmjs/core";
import { openModelRepo, resolveModelSource } from "@glmjs/hub";
import { loadTokenizer, tokenizerFilesFromRepo, type GLMTokenizer, type TokenizerFiles } from "@glmjs/tokenizer";
import { InvalidArgumentError, Option, type Command } from "commander";
import { intFlag } from "../flags.js";
import { downloadProgress } from "../terminal/download-progress.js";
import { quietTfjs } from "../terminal/quiet.js";
import { printLine } from "../terminal/stdout.js";

interface ExportOptions {
  model: string;
  format: "original" | "huggingface" | "safetensors";
  out: string;
  modelParallel?: number;
  iteration?: number;
  dtype: SaveDType;
  numAttentionHeads?: number;
  revision?: string;
  token?: string;
  tokenizer: boolean;
  verbose?: boolean;
}

const FORMATS: Record<ExportOptions["format"], SaveFormat> = { original: "original", huggingface: "huggingface", safetensors: "glmjs" };

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("convert a model between a hub id / folder / file and the original GLM's training checkpoint, a Hugging Face folder or safetensors")
    .requiredOption(
      "-m, --model <source>",
      "hub id (THUDM/glm-large[@revision]), URL, folder (Hugging Face, glmjs, or the original's --save folder), or weights file",
    )
    .addOption(new Option("-f, --format <format>", "what to write").choices(Object.keys(FORMATS)).makeOptionMandatory())
    .requiredOption("-o, --out <dir>", "output folder")
    .option("--model-parallel <n>", "original format: number of model-parallel ranks (--model-parallel-size of the run)", intFlag(1, 99))
    .option("--iteration <n>", "original format: the iteration to record (folder name and latest_checkpointed_iteration.txt)", intFlag(0))
    .addOption(new Option("--dtype <type>", "element type of the written weights").choices(["float32", "float16", "bfloat16"]).default("float32"))
    .option("--num-attention-heads <n>", "for a checkpoint without config.json (the original's own): its number of attention heads", intFlag(1))
    .option("--revision <rev>", "hub revision (branch, tag or commit); same as id@rev")
    .option("--token <token>", "hub access token for gated or private repositories (default: HF_TOKEN)")
    .option("--no-tokenizer", "do not copy the tokenizer files beside the weights")
    .option("--verbose", "show tfjs's own notices")
    .action(async (opts: ExportOptions) => {
      if (opts.format !== "original" && (opts.modelParallel !== undefined || opts.iteration !== undefined)) {
        throw new InvalidArgumentError(`--model-parallel and --iteration apply to --format original only`);
      }
      quietTfjs(opts.verbose);
      await runExport(opts);
    });
}

async function runExport(o: ExportOptions): Promise<void> {
  const progress = downloadProgress();
  const hub = { revision: o.revision, token: o.token, onProgress: progress.onProgress };
  let model;
  try {
    model = await loadModel(o.model, { ...hub, config: o.numAttentionHeads === undefined ? undefined : { num_attention_heads: o.numAttentionHeads } });
  } finally {
    progress.stop();
  }
  try {
    const out = resolve(o.out);
    await model.save(out, { format: FORMATS[o.format], modelParallel: o.modelParallel, iteration: o.iteration, dtype: o.dtype });
    const tokenizer = o.tokenizer ? await copyTokenizer(o.model, out, hub) : undefined;
    printLine(`glm: wrote ${describe(o, model.config)} to ${out}${tokenizer ? ` with its tokenizer (${tokenizer.family})` : ""}`);
    if (o.format === "original") {
      printLine(`glm: the original GLM code loads it with: ${originalFlags(model.config, o.modelParallel ?? 1, tokenizer).join(" ")}`);
      printLine(
        `glm:   pretraining: --load ${out} --no-deepspeed-load --no-load-optim --no-load-rng --no-load-lr-scheduler; fine-tuning: --load-pretrained ${out}`,
      );
    }
  } finally {
    model.dispose();
  }
}

function describe(o: ExportOptions, c: GLMConfig): string {
  const what = `${c.num_layers} layers × ${c.hidden_size} (${o.dtype})`;
  if (o.format === "original")
    return `the original GLM's training checkpoint (${what}, iteration ${o.iteration ?? 0}, ${o.modelParallel ?? 1} model-parallel rank${(o.modelParallel ?? 1) > 1 ? "s" : ""})`;
  return o.format === "huggingface" ? `a Hugging Face GLM folder (${what})` : `a safetensors folder (${what})`;
}

const TOKENIZER_FILE = /^(tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|added_tokens\.json|.*vocab\.(txt|json)|.*merges\.txt|.*\.model)$/;

/**
 * Copies the tokenizer of the source beside the written weights: from the hub repository, or
 * from the source folder (or its parent, where `glm pretrain` keeps tokenizer.json). Returns it,
 * or undefined when the source has none.
 */
async function copyTokenizer(source: string, out: string, hub: { revision?: string; token?: string }): Promise<GLMTokenizer | undefined> {
  const where = await resolveModelSource(source);
  if (where.kind !== "path") {
    const repo = await openModelRepo(where, hub);
    let files: TokenizerFiles;
    try {
      files = await tokenizerFilesFromRepo(repo);
    } catch {
      return undefined;
    }
    for (const [name, content] of Object.entries(files)) if (name !== "config.json") await writeFile(join(out, name), content);
    return loadTokenizer(out);
  }
  const isDir = (await stat(source)).isDirectory();
  for (const folder of isDir ? [source, dirname(resolve(source))] : [dirname(resolve(source))]) {
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => TOKENIZER_FILE.test(n));
    if (names.length === 0) continue;
    if (resolve(folder) !== out) for (const n of names) await copyFile(join(folder, n), join(out, n));
    return loadTokenizer(out).catch(() => undefined);
  }
  return undefined;
}

/** The command-line flags of the original code that must match the exported model (GLM.md §2.3, §3). */
export function originalFlags(c: GLMConfig, modelParallel: number, tokenizer: GLMTokenizer | undefined): string[] {
  const flags = [
    "--block-lm",
    `--num-layers ${c.num_layers}`,
    `--hidden-size ${c.hidden_size}`,
    `--num-attention-heads ${c.num_attention_heads}`,
    `--max-position-embeddings ${c.max_sequence_length}`,
    `--model-parallel-size ${modelParallel}`,
  ];
  if (!tokenizer) return [...flags, "(and the --tokenizer-type the model was trained with)"];
  switch (tokenizer.family) {
    case "bert":
      flags.push("--tokenizer-type BertWordPieceTokenizer", "--tokenizer-model-type bert-large-uncased");
      break;
    case "roberta":
      flags.push("--tokenizer-type GPT2BPETokenizer", "--tokenizer-model-type roberta");
      break;
    // The released GPT-2- and SentencePiece-vocabulary models were pretrained with [gMASK]/[sMASK]
    // (--task-mask); the BERT and RoBERTa ones were not (docs/scaling.md says when to add it).
    case "gpt2":
      flags.push("--tokenizer-type GPT2BPETokenizer", "--task-mask");
      break;
    case "chinese-sp":
      flags.push("--tokenizer-type ChineseSPTokenizer", "--task-mask");
      if (tokenizer.special.gMask !== tokenizer.special.eop) flags.push("--fix-command-token");
      break;
  }
  return flags;
}
