// Opening a run folder for a training command: a fresh start, or --resume of its checkpoint with
// the defining options checked against run.json (differences named by flag).
import { GlmjsError } from "@glmjs/common";
import { RUN_EXISTS, openRun, type OpenedRun, type TrainStorage } from "@glmjs/train";

export interface RunFolderOptions {
  /** The options that define the run (recorded in run.json, compared on --resume). */
  defining: Record<string, unknown>;
  resume: boolean;
  /** A key of `defining` as the user typed it. */
  flag: (key: string) => string;
  recordedBefore?: Record<string, unknown>;
}

export async function openRunFolder(storage: TrainStorage, out: string, o: RunFolderOptions, log: (l: string) => void): Promise<OpenedRun> {
  const opened = await openRun(storage, {
    defining: o.defining,
    resume: o.resume,
    flag: o.flag,
    ...(o.recordedBefore ? { recordedBefore: o.recordedBefore } : {}),
  }).catch((e: unknown) => {
    throw GlmjsError.is(e, RUN_EXISTS)
      ? new GlmjsError(RUN_EXISTS, `${out} already holds a run (checkpoints/latest.json); pass --resume to continue it, or choose another --out`, { cause: e })
      : e;
  });
  if (opened.mode === "fresh" && o.resume) {
    log(
      `--resume: ${out} has no checkpoint, so this is a fresh start${opened.replaced ? ` (replacing ${opened.replaced.join(", ")} of the earlier attempt)` : ""}`,
    );
  }
  return opened;
}

/** A camelCase option key as its flag (`evalEvery` → `--eval-every`), unless `flags` names it. */
export function flagOf(flags: Readonly<Record<string, string>>): (key: string) => string {
  return (k) => flags[k] ?? `--${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`;
}
