// `glm finetune cloze|seq2seq`: fine-tune a GLM (a model folder, or a pretraining run) on a
// classification task posed as a cloze question, or on source → target generation; resumable,
// with a progress bar, metrics.jsonl, loss.svg, checkpoints and a complete model folder.
import type { Command } from "commander";
import { clozePlan } from "../finetune/cloze-plan.js";
import { type ClozeFinetuneFlags, type Seq2seqFinetuneFlags, defineClozeFinetune, defineSeq2seqFinetune } from "../finetune/finetune-options.js";
import { runFinetune } from "../finetune/run-finetune.js";
import { seq2seqPlan } from "../finetune/seq2seq-plan.js";

export function registerFinetune(program: Command): void {
  const finetune = program.command("finetune").description("fine-tune a GLM: cloze (classification by filling a blank) or seq2seq (source → target)");
  defineClozeFinetune(finetune.command("cloze")).action(async (f: ClozeFinetuneFlags) => {
    process.exitCode = await runFinetune(f, clozePlan(f));
  });
  defineSeq2seqFinetune(finetune.command("seq2seq")).action(async (f: Seq2seqFinetuneFlags) => {
    process.exitCode = await runFinetune(f, seq2seqPlan(f));
  });
}
