// The run folder remembers what defines a run, so that a resumed run repeats it: the options
// that decide data, model and randomness (run.json), and the learning-rate schedule
// (schedule.json; kept on resume so that more steps do not make the rate jump).
import { GlmjsError } from "@glmjs/common";
import type { ScheduleOptions } from "../optimizer/schedule.js";
import type { TrainStorage } from "../storage/train-storage.js";
import { CHECKPOINT_DIR } from "../checkpoint/training-checkpoint.js";

export const RUN_RECORD = "run.json";
export const SCHEDULE_RECORD = "schedule.json";

/**
 * First run: writes `defining`. Resume: compares with the recorded values and throws naming every
 * option that differs (`flag` turns a key into its command-line spelling). `recordedBefore` gives
 * the value a key had in runs recorded before that option existed.
 */
export async function checkRunRecord(
  storage: TrainStorage,
  defining: Record<string, unknown>,
  resume: boolean,
  flag: (key: string) => string = (k) => k,
  recordedBefore: Record<string, unknown> = {},
): Promise<void> {
  const norm = (v: unknown) => JSON.stringify(v ?? null);
  if (resume && (await storage.exists(RUN_RECORD))) {
    let saved: Record<string, unknown>;
    try {
      saved = JSON.parse(await storage.readText(RUN_RECORD)) as Record<string, unknown>;
    } catch (e) {
      throw new GlmjsError("RUN_RECORD_INVALID", `${RUN_RECORD} in the run folder is not valid JSON (${(e as Error).message}); fix or delete it`);
    }
    for (const [k, v] of Object.entries(recordedBefore)) if (!(k in saved)) saved[k] = v;
    const differ = Object.keys(defining).filter((k) => norm(saved[k]) !== norm(defining[k]));
    if (differ.length) {
      const list = differ.map((k) => `${flag(k)} (first run: ${norm(saved[k])}, now: ${norm(defining[k])})`).join("; ");
      throw new GlmjsError("RESUME_OPTIONS_DIFFER", `a resumed run must repeat the options of the first run; these differ: ${list}`);
    }
    return;
  }
  await storage.writeTextAtomic(RUN_RECORD, JSON.stringify(defining, null, 2) + "\n");
}

/** The recorded schedule when resuming (unless `override`), else `fresh`, which is then recorded. */
export async function scheduleForRun(storage: TrainStorage, fresh: ScheduleOptions, resume: boolean, override = false): Promise<ScheduleOptions> {
  if (resume && !override && (await storage.exists(SCHEDULE_RECORD))) {
    return JSON.parse(await storage.readText(SCHEDULE_RECORD)) as ScheduleOptions;
  }
  await storage.writeTextAtomic(SCHEDULE_RECORD, JSON.stringify(fresh, null, 2) + "\n");
  return fresh;
}

/** Files an earlier attempt leaves that a fresh run must not inherit. */
const FRESH_START_REMOVES = [RUN_RECORD, SCHEDULE_RECORD, "metrics.jsonl", "loss.svg", "summary.json", `${CHECKPOINT_DIR}/best.json`];

/** The `code` of the error openRun throws when a folder holds a run that was not asked to resume. */
export const RUN_EXISTS = "RUN_EXISTS";

export interface OpenRunOptions {
  /** The options that define the run (recorded in run.json, compared on resume). */
  defining: Record<string, unknown>;
  /** Continue the run in the folder (when it has a checkpoint). */
  resume: boolean;
  /** Spells a key of `defining` for messages (a CLI gives its flag). */
  flag?: (key: string) => string;
  /** Values keys had in runs recorded before those options existed. */
  recordedBefore?: Record<string, unknown>;
}

export interface OpenedRun {
  /** "resume": the folder's checkpoint is continued; "fresh": the run starts at step 0. */
  mode: "fresh" | "resume";
  /** Set when a fresh run replaced what an earlier attempt without a checkpoint left. */
  replaced?: string[];
}

/**
 * Opens a run folder. With a checkpoint: refuses unless `resume` (error code RUN_EXISTS), then
 * checks run.json against `defining` (checkRunRecord). Without one the run starts fresh — also
 * when `resume` is asked, as after a run that failed before its first checkpoint — and what
 * such an attempt left (run.json, schedule.json, metrics, plot, summary) is removed first.
 */
export async function openRun(storage: TrainStorage, options: OpenRunOptions): Promise<OpenedRun> {
  const latest = `${CHECKPOINT_DIR}/latest.json`;
  if (await storage.exists(latest)) {
    if (!options.resume) {
      throw new GlmjsError(RUN_EXISTS, `the run folder already holds a run (${latest}); resume it, or start the new run in another folder`);
    }
    await checkRunRecord(storage, options.defining, true, options.flag, options.recordedBefore);
    return { mode: "resume" };
  }
  const replaced: string[] = [];
  for (const file of FRESH_START_REMOVES) {
    if (await storage.exists(file)) {
      await storage.remove(file);
      replaced.push(file);
    }
  }
  await checkRunRecord(storage, options.defining, false);
  return replaced.length > 0 ? { mode: "fresh", replaced } : { mode: "fresh" };
}
