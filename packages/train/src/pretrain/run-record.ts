// The run folder remembers what defines a run, so that a resumed run repeats it: the options
// that decide data, model and randomness (run.json), and the learning-rate schedule
// (schedule.json; kept on resume so that more steps do not make the rate jump).
import type { ScheduleOptions } from "../optimizer/schedule.js";
import type { TrainStorage } from "../storage/storage.js";

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
      throw new Error(`${RUN_RECORD} in the run folder is not valid JSON (${(e as Error).message}); fix or delete it`);
    }
    for (const [k, v] of Object.entries(recordedBefore)) if (!(k in saved)) saved[k] = v;
    const differ = Object.keys(defining).filter((k) => norm(saved[k]) !== norm(defining[k]));
    if (differ.length) {
      const list = differ.map((k) => `${flag(k)} (first run: ${norm(saved[k])}, now: ${norm(defining[k])})`).join("; ");
      throw new Error(`a resumed run must repeat the options of the first run; these differ: ${list}`);
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
