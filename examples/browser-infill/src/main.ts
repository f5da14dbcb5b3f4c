// The page: pick a backend, load a model folder, and fill the blanks of the text as it is typed.
// Decoding runs on the page's thread: tfjs's WebGPU/WebGL kernels run on the GPU and WASM steps of
// a small model take milliseconds. fillStream lets the browser run between two tokens: the page
// draws each token, and a keystroke aborts the running fill (AbortSignal) and starts a new one
// after a short pause.
import { fillStream, topCandidates, wrapForGeneration, type LoadedGLM } from "@glmjs/tasks";
import { chooseBackend } from "./backend.js";
import { loadFromFiles, loadFromUrl } from "./model-source.js";
import { decodingOptions, showStrategyFields } from "./options.js";
import { renderCandidates, renderFilled } from "./render.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLTextAreaElement>("input");
const output = $<HTMLDivElement>("output");
const candidates = $<HTMLDivElement>("candidates");
const fillStatus = $<HTMLSpanElement>("fill-status");
const modelStatus = $<HTMLParagraphElement>("model-status");
const backendLabel = $<HTMLElement>("backend");
const backendSelect = $<HTMLSelectElement>("backend-select");

type Source = { kind: "url"; url: string } | { kind: "files"; files: File[] };

let backend = "";
let loaded: LoadedGLM | undefined;
let source: Source | undefined;
let running: { controller: AbortController; done: Promise<void> } | undefined;
let debounce: ReturnType<typeof setTimeout> | undefined;
const TYPING_PAUSE_MS = 300;

function status(el: HTMLElement, message: string, error = false): void {
  el.textContent = message;
  el.classList.toggle("error", error);
}

async function selectBackend(wanted: string): Promise<void> {
  backendLabel.textContent = "choosing…";
  const choice = await chooseBackend(wanted || undefined);
  backend = choice.name;
  const detail = document.createElement("span");
  detail.className = "detail";
  detail.textContent = choice.detail;
  backendLabel.replaceChildren(choice.detail ? `${choice.name} — ` : choice.name, ...(choice.detail ? [detail] : []));
  backendLabel.dataset.backend = choice.name;
  $("skipped").replaceChildren(
    ...choice.skipped.map((s) => {
      const li = document.createElement("li");
      li.dataset.backend = s.name;
      li.textContent = `${s.name}: ${s.reason}`;
      return li;
    }),
  );
}

async function stopFill(): Promise<void> {
  clearTimeout(debounce);
  const current = running;
  running = undefined;
  current?.controller.abort(new DOMException("superseded", "AbortError"));
  await current?.done;
}

async function load(next: Source): Promise<void> {
  await stopFill();
  loaded?.dispose();
  loaded = undefined;
  status(modelStatus, "loading…");
  try {
    const progress = (m: string) => status(modelStatus, m);
    loaded = next.kind === "url" ? await loadFromUrl(next.url, progress) : await loadFromFiles(next.files, progress);
    source = next;
    const c = loaded.model.config;
    const params = loaded.model.parameterCount();
    // A span's block positions run from 1 to its length: the model's positions bound it.
    $<HTMLInputElement>("max-new-tokens").max = String(c.max_sequence_length);
    status(
      modelStatus,
      `Loaded: ${c.num_layers} layers × ${c.hidden_size}, ${c.num_attention_heads} heads, vocabulary ${loaded.tokenizer.vocabSize}, ${(params / 1e6).toFixed(2)} M parameters, on ${backend}.`,
    );
    modelStatus.dataset.loaded = "true";
    scheduleFill(0);
  } catch (e) {
    modelStatus.dataset.loaded = "false";
    status(modelStatus, (e as Error).message, true);
  }
}

function scheduleFill(delay: number): void {
  clearTimeout(debounce);
  running?.controller.abort(new DOMException("superseded", "AbortError"));
  debounce = setTimeout(() => void startFill(), delay);
}

async function startFill(): Promise<void> {
  await stopFill();
  if (!loaded) {
    status(fillStatus, "Load a model first.");
    return;
  }
  const controller = new AbortController();
  const done = runFill(loaded, input.value, controller.signal).catch((e: unknown) => {
    if (controller.signal.aborted) {
      output.dataset.aborted = String(Number(output.dataset.aborted ?? 0) + 1);
      return;
    }
    output.dataset.state = "error";
    status(fillStatus, (e as Error).message, true);
  });
  running = { controller, done };
}

async function runFill({ model, tokenizer, specialIds }: LoadedGLM, text: string, signal: AbortSignal): Promise<void> {
  output.dataset.input = text;
  output.dataset.run = String(Number(output.dataset.run ?? 0) + 1);
  const { blanks } = wrapForGeneration(tokenizer, text);
  if (blanks.length === 0) {
    output.dataset.state = "idle";
    output.replaceChildren();
    candidates.replaceChildren();
    status(fillStatus, "Put [MASK], [sMASK] or [gMASK] where text should go.");
    return;
  }
  const options = decodingOptions();
  const fills: (string | undefined)[] = blanks.map(() => undefined);
  output.dataset.state = "running";
  renderFilled(output, text, blanks, fills);
  status(fillStatus, "filling…");
  const t0 = performance.now();
  let tokens = 0;
  const stream = fillStream(model, tokenizer, text, { ...options, signal });
  for await (const e of stream) {
    fills[e.blank] = e.text;
    if (e.type === "token") tokens += 1;
    renderFilled(output, text, blanks, fills);
    status(fillStatus, `blank ${e.blank + 1} of ${blanks.length}: ${tokens} tokens…`);
  }
  const result = await stream.result;
  renderFilled(
    output,
    text,
    blanks,
    result.blanks.map((b) => b.text),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rate = options.strategy === "beam" ? "" : `, ${(tokens / seconds).toFixed(1)} tokens/s`;
  status(fillStatus, `${blanks.length} blank${blanks.length > 1 ? "s" : ""} filled in ${seconds.toFixed(2)} s${rate} (${options.strategy}, ${backend}).`);
  // Each blank's best single tokens: one forward pass with a [sop] at every blank.
  const best = await topCandidates(model, tokenizer, text, 5);
  if (signal.aborted) return;
  renderCandidates(candidates, best, specialIds.eop);
  output.dataset.state = "done";
}

// Wiring.
input.addEventListener("input", () => {
  if ($<HTMLInputElement>("as-you-type").checked) scheduleFill(TYPING_PAUSE_MS);
});
$("run").addEventListener("click", () => scheduleFill(0));
for (const el of document.querySelectorAll<HTMLInputElement>("#options-panel input")) {
  el.addEventListener("change", () => {
    showStrategyFields();
    if (loaded) scheduleFill(0);
  });
}
$<HTMLFormElement>("url-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const url = $<HTMLInputElement>("model-url").value.trim();
  if (url) void load({ kind: "url", url });
});
$<HTMLInputElement>("model-folder").addEventListener("change", (e) => {
  const files = [...((e.target as HTMLInputElement).files ?? [])];
  if (files.length > 0) void load({ kind: "files", files });
});
backendSelect.addEventListener("change", () => {
  void (async () => {
    await stopFill();
    // Weights live on a backend: a model is rebuilt on the new one.
    loaded?.dispose();
    loaded = undefined;
    await selectBackend(backendSelect.value);
    if (source) await load(source);
  })();
});

// Start: ?backend=webgpu|webgl|wasm|cpu picks one, ?model=URL loads a folder at once.
showStrategyFields();
const params = new URLSearchParams(location.search);
backendSelect.value = params.get("backend") ?? "";
const modelUrl = params.get("model");
if (modelUrl) $<HTMLInputElement>("model-url").value = modelUrl;
void (async () => {
  try {
    await selectBackend(backendSelect.value);
  } catch (e) {
    status(backendLabel, (e as Error).message, true);
    return;
  }
  if (modelUrl) await load({ kind: "url", url: modelUrl });
})();
