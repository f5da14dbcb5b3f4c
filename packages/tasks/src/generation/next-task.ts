// Resuming in a new task of the host's event loop (not a microtask). On the wasm and cpu backends
// a decoding step's promises resolve at once, so a loop of them would hold the thread until the
// whole run is done: a page could neither draw the streamed tokens nor see the key that aborts.

type Resume = () => void;
let channel: { port: MessagePort; waiting: Resume[] } | undefined;

/** Resolves in a later task: setImmediate in Node, a message to itself in browsers and workers (not clamped like chained setTimeouts). */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === "function") {
    if (!channel) {
      const c = new MessageChannel();
      const waiting: Resume[] = [];
      c.port1.onmessage = () => waiting.shift()?.();
      channel = { port: c.port2, waiting };
    }
    const { port, waiting } = channel;
    return new Promise((resolve) => {
      waiting.push(resolve);
      port.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
