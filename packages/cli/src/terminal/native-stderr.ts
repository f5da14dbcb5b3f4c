// Native libraries print to file descriptor 2 directly, past JavaScript: Dawn (WebGPU in Node)
// warns that Vulkan is missing and that it lowered limits, Mesa that XDG_RUNTIME_DIR is unset.
// None of that means anything is wrong, and Node cannot redirect fd 2 of its own process. So the
// commands that load native backends run in a child process whose fd 2 is a pipe read here:
// known native noise is dropped (shown with --verbose, which skips all this), anything else is
// passed on as it comes, and everything captured is shown if the child crashes. The child's
// JavaScript stderr (messages, the progress bar) goes straight to this process's stderr through
// fd 3, so it stays a terminal when it is one.
import { spawn } from "node:child_process";
import { writeSync } from "node:fs";
import { isatty, WriteStream } from "node:tty";
import { Writable } from "node:stream";

/** Set in the child: the fd its JavaScript stderr writes to. */
const JS_STDERR_FD = "GLMJS_JS_STDERR_FD";
/** Set in the child: the parent's pid, to stop when the parent is gone. */
const PARENT_PID = "GLMJS_PARENT_PID";

/** Commands that load backend packages with native parts. */
const NATIVE_COMMANDS = new Set(["backends", "pretrain", "quickstart", "fill", "generate", "finetune", "eval"]);

/** Lines native libraries print when nothing is wrong (Dawn's warnings and their source lines, Mesa's). */
const NOISE = [
  /^Warning: /,
  /^\s+at \S+ \(.*\.(?:cpp|cc|h):\d+\)\s*$/,
  // Dawn's context lines under a warning, e.g. " - While initializing adapter (backend=BackendType::Vulkan)".
  /^\s+- While [a-z]+ing\b/,
  /^error: XDG_RUNTIME_DIR is invalid or not set in the environment\.?\s*$/,
  /^(?:libEGL|MESA|MESA-LOADER|glx|libGL)(?: warning| error)?: /,
  /^\s*$/,
];

export function isNativeNoise(line: string): boolean {
  return NOISE.some((re) => re.test(line));
}

/** Whether this invocation should run in a child with native stderr filtered. */
export function wantsNativeFilter(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[JS_STDERR_FD] !== undefined || process.platform === "win32") return false;
  const args = argv.slice(2);
  const command = args.find((a) => !a.startsWith("-"));
  return command !== undefined && NATIVE_COMMANDS.has(command) && !args.includes("--verbose") && !args.includes("--help") && !args.includes("-h");
}

/**
 * Runs this same script in a child (argv unchanged) with its fd 2 filtered; resolves to the exit
 * status to leave with. Signals sent to this process (Ctrl-C, kill) are passed on: the child is in
 * its own process group, so a terminal's Ctrl-C reaches it once, through here.
 */
export function runWithNativeFilter(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      // stdin passes through (`… | glm fill`); a command reads it only when it is not a terminal,
      // so the detached child never reads from the terminal it left.
      stdio: ["inherit", "inherit", "pipe", 2],
      detached: true,
      env: { ...process.env, [JS_STDERR_FD]: "3", [PARENT_PID]: String(process.pid) },
    });
    const captured: string[] = [];
    let partial = "";
    const pass = (line: string) => {
      captured.push(line);
      if (!isNativeNoise(line)) process.stderr.write(line + "\n");
    };
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) pass(line);
    });
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = (["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    child.on("error", (e) => {
      process.stderr.write(`glm: could not start a child process: ${e.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      if (partial) pass(partial);
      if (signal) {
        // A crash: everything the native side said may explain it.
        const noise = captured.filter(isNativeNoise).filter((l) => l.trim() !== "");
        if (noise.length) process.stderr.write(`glm: the command died of ${signal}; native output:\n${noise.join("\n")}\n`);
        resolve(128 + signalNumber(signal));
      } else resolve(code ?? 1);
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGILL: 4,
    SIGABRT: 6,
    SIGBUS: 7,
    SIGFPE: 8,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGPIPE: 13,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 0;
}

/**
 * In the child: makes process.stderr (and so console.error/warn and the progress bar) write to
 * the fd the parent passed, and stops like on Ctrl-C if the parent goes away. No-op elsewhere.
 */
export function adoptJsStderr(): void {
  const fdText = process.env[JS_STDERR_FD];
  if (fdText === undefined) return;
  const fd = Number(fdText);
  const stream: NodeJS.WriteStream = isatty(fd) ? new WriteStream(fd) : (syncWriter(fd) as unknown as NodeJS.WriteStream);
  Object.defineProperty(process, "stderr", { value: stream, configurable: true, writable: true, enumerable: true });
  delete process.env[JS_STDERR_FD];
  const parent = Number(process.env[PARENT_PID]);
  delete process.env[PARENT_PID];
  if (Number.isInteger(parent) && parent > 0) {
    // Detached from the terminal's process group: if the parent is killed outright, stop as on Ctrl-C.
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      process.kill(process.pid, "SIGINT");
    }, 1000);
    watch.unref();
  }
}

/** Synchronous writes (as Node's own stderr to a file or pipe), so nothing is lost at process.exit(). */
function syncWriter(fd: number): Writable {
  const writer = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        let offset = 0;
        while (offset < chunk.length) {
          try {
            offset += writeSync(fd, chunk, offset);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          }
        }
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
  return Object.assign(writer, { isTTY: false, fd });
}
