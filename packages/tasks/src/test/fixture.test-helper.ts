// The glm-tiny-a fixture for the task tests: the folder from GLMJS_MODEL_FIXTURE (default
// ../shared/fixtures/glm-tiny-a), its tasks.json and its special ids as TaskSpecialIds.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import type { TaskSpecialIds } from "../special-ids.js";

export interface FixtureClozeInput {
  ids: number[];
  position_ids: [number[], number[]];
  sep: number;
  target_ids?: number[];
  logit_mask?: number[];
}

export interface FixtureCloze {
  context: number[];
  candidates: number[][];
  inputs: FixtureClozeInput[];
  scores_length_penalty: Record<string, number[]>;
  single_token: FixtureClozeInput & { candidate_ids: number[]; logits: number[]; log_softmax: number[] };
}

export interface TasksFixture {
  special_tokens: Record<string, number>;
  cloze: FixtureCloze[];
}

export const modelFixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

export function readTasksFixture(): TasksFixture | undefined {
  if (!modelFixture) return undefined;
  const file = join(modelFixture, "tasks.json");
  if (!existsSync(file)) {
    console.warn(`[glmjs tests] SKIPPING: ${file} is absent; the cloze fixture tests are skipped.`);
    return undefined;
  }
  return JSON.parse(readFileSync(file, "utf8")) as TasksFixture;
}

/** The fixture's command ids under the task names (its special_tokens use the original's names). */
export function fixtureSpecialIds(fixture: TasksFixture): TaskSpecialIds {
  const s = fixture.special_tokens;
  const get = (name: string): number => {
    const id = s[name];
    if (id === undefined) throw new Error(`tasks.json special_tokens has no "${name}"`);
    return id;
  };
  return { sop: get("sop"), eop: get("eop"), eos: get("eos"), pad: get("pad"), cls: get("ENC"), mask: get("MASK"), sMask: get("sMASK"), gMask: get("gMASK") };
}
