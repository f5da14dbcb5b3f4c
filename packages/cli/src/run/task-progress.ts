// Progress of an evaluation on stderr (stdout carries the results): a bar when stderr is a
// terminal, else a line at every tenth of the work.
import { Presets, SingleBar } from "cli-progress";

export interface TaskProgress {
  update(done: number, total: number): void;
  stop(): void;
}

export function taskProgress(label: string, enabled = true): TaskProgress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} {bar} {value}/{total} ETA {eta_formatted}`, hideCursor: true, stream: process.stderr, etaBuffer: 50 },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastTenth = -1;
  const t0 = performance.now();
  return {
    update: (done, total) => {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      process.stderr.write(`${label}: ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    },
    stop: () => {},
  };
}
