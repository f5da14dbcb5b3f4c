// The page: corpus and settings in, a worker that trains, the loss chart, pause/resume, a blank
// filled by the model as it is now, and the model folder as a zip.
import { lossCurveSvg, type EvalRow, type MetricsRow } from "@glmjs/train";
import { strToU8, zipSync } from "fflate";
import { MIN_DOCUMENTS, brownSample, splitDocuments } from "./corpus.js";
import type { FromWorker, ToWorker, TrainSettings } from "./protocol.js";
import { renderCandidates, renderFilled } from "./render.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>("train-status");
const chart = $<HTMLDivElement>("loss-chart");
const buttons = {
  start: $<HTMLButtonElement>("start"),
  pause: $<HTMLButtonElement>("pause"),
  stop: $<HTMLButtonElement>("stop"),
  download: $<HTMLButtonElement>("download"),
  fill: $<HTMLButtonElement>("fill-run"),
};

const worker = new Worker(new URL("./train.worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker) => worker.postMessage(m);
const rows: MetricsRow[] = [];
let unigramLoss: number | undefined;
let state: "idle" | "preparing" | "training" | "paused" | "done" | "error" = "idle";
let requests = 0;
const pending = new Map<number, (m: FromWorker) => void>();
const userFiles: string[] = [];

function setState(next: typeof state, message?: string): void {
  state = next;
  status.dataset.state = next;
  if (message !== undefined) status.textContent = message;
  status.classList.toggle("error", next === "error");
  buttons.start.disabled = next !== "idle";
  buttons.pause.disabled = next !== "training" && next !== "paused";
  buttons.pause.textContent = next === "paused" ? "Resume" : "Pause";
  buttons.stop.disabled = next !== "training" && next !== "paused";
  buttons.download.disabled = buttons.fill.disabled = next === "idle" || next === "preparing" || next === "error";
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case "backend": {
      const label = $("backend");
      label.textContent = m.detail ? `${m.name} — ${m.detail}` : m.name;
      label.dataset.backend = m.name;
      $("skipped").replaceChildren(...m.skipped.map((s) => Object.assign(document.createElement("li"), { textContent: `${s.name}: ${s.reason}` })));
      return;
    }
    case "status":
      status.textContent = m.message;
      return;
    case "prepared": {
      const i = m.info;
      unigramLoss = i.unigramLoss;
      $("data-info").textContent =
        `${i.trainDocuments} training documents (${i.trainTokens.toLocaleString("en")} tokens), ${i.heldOutDocuments} held out (${i.heldOutTokens.toLocaleString("en")} tokens); ` +
        `vocabulary ${i.vocabSize}; ${(i.parameters / 1e6).toFixed(2)} M parameters` +
        (i.notes.length ? `. Note: ${i.notes.join("; ")}.` : ".");
      return;
    }
    case "step": {
      rows.push(m.row);
      const r = m.row;
      status.dataset.step = String(r.step);
      status.textContent = `step ${r.step}: loss ${r.loss.toFixed(3)}, ${Math.round(r.tokens_per_s).toLocaleString("en")} tokens/s, ${r.elapsed_s.toFixed(0)} s${state === "paused" ? " (paused)" : ""}`;
      drawChart();
      return;
    }
    case "eval":
      rows.push(m.row);
      addEvalRow(m.row);
      drawChart();
      return;
    case "state":
      setState(m.state, m.state === "done" ? `done: ${m.message ?? ""}` : m.state === "paused" ? `paused at step ${status.dataset.step ?? 0}` : undefined);
      return;
    case "error":
      setState("error", m.message);
      return;
    case "fill-result":
    case "export-result":
      pending.get(m.id)?.(m);
      pending.delete(m.id);
      return;
  }
};

function request<T extends FromWorker>(message: ToWorker & { id: number }): Promise<T> {
  return new Promise((resolve) => {
    pending.set(message.id, resolve as (m: FromWorker) => void);
    send(message);
  });
}

let drawQueued = false;
/** Redraws the loss chart at most once a frame (@glmjs/train's SVG: train loss, held-out loss, unigram baseline). */
function drawChart(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    const baselines = unigramLoss === undefined ? [] : [{ label: "unigram (held out)", value: unigramLoss }];
    chart.innerHTML = lossCurveSvg(rows, { title: "loss (nats per blank token)", baselines, width: 900, height: 360 });
    chart.dataset.points = String(rows.filter((r) => !("split" in r)).length);
  });
}

function addEvalRow(r: EvalRow): void {
  const tr = document.createElement("tr");
  for (const v of [String(r.step), r.loss.toFixed(3), r.perplexity.toFixed(1), `${(100 * r.accuracy).toFixed(1)}%`, unigramLoss?.toFixed(3) ?? "–"]) {
    tr.append(Object.assign(document.createElement("td"), { textContent: v }));
  }
  $("eval-table").querySelector("tbody")!.append(tr);
}

function settings(): TrainSettings {
  const n = (id: string) => $<HTMLInputElement>(id).valueAsNumber;
  return {
    model: $<HTMLSelectElement>("model-size").value as TrainSettings["model"],
    vocabSize: n("vocab-size"),
    batchSize: n("batch-size"),
    seqLength: n("seq-length"),
    steps: n("steps"),
    peakLr: n("peak-lr"),
    evalEvery: n("eval-every"),
    backend: $<HTMLSelectElement>("backend-choice").value as TrainSettings["backend"],
    seed: 1234,
  };
}

async function corpus(): Promise<string[]> {
  const own = document.querySelector<HTMLInputElement>('input[name="corpus"]:checked')?.value === "own";
  if (!own) return brownSample();
  const docs = splitDocuments([...userFiles, $<HTMLTextAreaElement>("corpus-text").value]);
  if (docs.length < MIN_DOCUMENTS) {
    throw new Error(
      `your text has ${docs.length} document${docs.length === 1 ? "" : "s"}; give at least ${MIN_DOCUMENTS} (paragraphs separated by blank lines: every 10th is held out to measure learning)`,
    );
  }
  return docs;
}

async function addFiles(files: Iterable<File>): Promise<void> {
  for (const f of files) userFiles.push(await f.text());
  document.querySelector<HTMLInputElement>('input[name="corpus"][value="own"]')!.checked = true;
  const docs = splitDocuments([...userFiles, $<HTMLTextAreaElement>("corpus-text").value]);
  $("corpus-status").textContent =
    `${userFiles.length} file${userFiles.length === 1 ? "" : "s"}: ${docs.length} documents, ${docs.join(" ").split(/\s+/).length.toLocaleString("en")} words`;
}

buttons.start.addEventListener("click", () => {
  void (async () => {
    setState("preparing", "reading the corpus…");
    try {
      const documents = await corpus();
      send({ type: "start", documents, settings: settings() });
    } catch (e) {
      setState("idle", (e as Error).message);
      status.classList.add("error");
    }
  })();
});
buttons.pause.addEventListener("click", () => send({ type: state === "paused" ? "resume" : "pause" }));
buttons.stop.addEventListener("click", () => send({ type: "stop" }));

buttons.fill.addEventListener("click", () => {
  void (async () => {
    const text = $<HTMLInputElement>("fill-input").value;
    const output = $("fill-output");
    output.dataset.state = "running";
    const r = await request<Extract<FromWorker, { type: "fill-result" }>>({ type: "fill", id: ++requests, text });
    if (r.error !== undefined) {
      output.textContent = r.error;
      output.dataset.state = "error";
      return;
    }
    renderFilled(output, text, r.fills ?? []);
    output.dataset.step = String(r.step);
    renderCandidates($("fill-candidates"), r.candidates ?? [], r.endId ?? -1);
    output.dataset.state = "done";
  })();
});

buttons.download.addEventListener("click", () => {
  void (async () => {
    const r = await request<Extract<FromWorker, { type: "export-result" }>>({ type: "export", id: ++requests });
    if (!r.files) {
      status.textContent = r.error ?? "export failed";
      return;
    }
    // A folder as glm fill --model, loadGLM and the infill example read it.
    const folder = `glmjs-browser-step-${r.step}`;
    const zip = zipSync(
      {
        [`${folder}/config.json`]: strToU8(r.files["config.json"]),
        [`${folder}/model.safetensors`]: r.files["model.safetensors"],
        [`${folder}/tokenizer.json`]: strToU8(r.files["tokenizer.json"]),
      },
      { level: 0 }, // float weights hardly compress
    );
    const a = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(new Blob([zip], { type: "application/zip" })),
      download: `${folder}.zip`,
    });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  })();
});

const drop = $("drop-zone");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  void addFiles(e.dataTransfer?.files ?? []);
});
$<HTMLInputElement>("corpus-files").addEventListener("change", (e) => void addFiles((e.target as HTMLInputElement).files ?? []));
$("corpus-text").addEventListener("input", () => {
  document.querySelector<HTMLInputElement>('input[name="corpus"][value="own"]')!.checked = true;
});

// ?steps=…&model=…&vocab=…&batch=…&seq=…&eval=…&lr=…&backend=… preset the form (handy for links and tests).
const params = new URLSearchParams(location.search);
for (const [key, id] of [
  ["steps", "steps"],
  ["model", "model-size"],
  ["vocab", "vocab-size"],
  ["batch", "batch-size"],
  ["seq", "seq-length"],
  ["eval", "eval-every"],
  ["lr", "peak-lr"],
  ["backend", "backend-choice"],
] as const) {
  const v = params.get(key);
  if (v !== null) $<HTMLInputElement>(id).value = v;
}
setState("idle");
