// Standard output that may be closed under us: `glm tokenize … | head -1` closes the pipe after
// one line, and the next write fails with EPIPE. Node ignores SIGPIPE, so without a handler that
// error is an unhandled 'error' event and the process dies with a stack trace. Here a closed
// stdout ends output quietly and tells the command, which stops (pretrain: with a checkpoint).

/** Exit status of a command stopped because its output was closed (128 + SIGPIPE, as shells report it). */
export const EXIT_STDOUT_CLOSED = 141;

let closed = false;
let guarded = false;
const listeners = new Set<() => void>();

const isClosedPipe = (e: NodeJS.ErrnoException) => e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED" || e.code === "ERR_STREAM_WRITE_AFTER_END";

function markClosed(): void {
  if (closed) return;
  closed = true;
  for (const f of listeners) f();
}

/** Installs the handler on process.stdout (once; the `glm` bin does it at start-up). */
export function guardStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (isClosedPipe(e)) markClosed();
    else {
      process.stderr.write(`glm: cannot write to standard output: ${e.message}\n`);
      process.exit(1);
    }
  });
}

/** Whether the reader of stdout has gone. */
export function stdoutClosed(): boolean {
  return closed;
}

/** Calls `f` once when stdout closes (at once if it already has); returns a function that unsubscribes. */
export function onStdoutClosed(f: () => void): () => void {
  if (closed) {
    f();
    return () => {};
  }
  const once = () => {
    listeners.delete(once);
    f();
  };
  listeners.add(once);
  return () => listeners.delete(once);
}

/** Writes to stdout unless it is closed; returns whether it wrote. */
export function writeOut(text: string): boolean {
  if (closed) return false;
  try {
    process.stdout.write(text);
    return true;
  } catch (e) {
    if (isClosedPipe(e as NodeJS.ErrnoException)) {
      markClosed();
      return false;
    }
    throw e;
  }
}

/** A line to stdout (dropped once it is closed). */
export function printLine(line: string): void {
  writeOut(line + "\n");
}
