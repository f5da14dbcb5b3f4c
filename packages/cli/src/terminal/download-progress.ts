// Progress of hub downloads on stderr: a bar per file on a terminal (cli-progress), one line when a
// file starts and one when it is done otherwise (logs, CI), so a long download is never silent.
import type { HubProgress } from "@glmjs/hub";
import { MultiBar, Presets, type SingleBar } from "cli-progress";

export interface DownloadProgress {
  onProgress: (p: HubProgress) => void;
  /** Ends the bars (call once the downloads are over, also on failure). */
  stop(): void;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function downloadProgress(stream: NodeJS.WriteStream = process.stderr): DownloadProgress {
  const seen = new Map<string, { bar?: SingleBar; done: boolean }>();
  const multi = stream.isTTY
    ? new MultiBar({ format: "{bar} {percentage}% {file} {size}", hideCursor: true, stream, clearOnComplete: false }, Presets.shades_classic)
    : undefined;
  return {
    onProgress(p) {
      const key = `${p.repo}/${p.file}`;
      let state = seen.get(key);
      if (!state) {
        state = { done: false, bar: multi?.create(p.total, p.loaded, { file: key, size: mb(p.total) }) };
        seen.set(key, state);
        if (!multi) stream.write(`glm: downloading ${key} (${mb(p.total)}${p.loaded > 0 ? `, resuming at ${mb(p.loaded)}` : ""})\n`);
      }
      state.bar?.update(p.loaded);
      if (!state.done && p.loaded >= p.total) {
        state.done = true;
        if (!multi) stream.write(`glm: downloaded ${key}\n`);
      }
    },
    stop() {
      multi?.stop();
    },
  };
}
