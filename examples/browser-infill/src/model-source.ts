// Where the model folder comes from: a URL of a folder (config.json, model.safetensors or
// pytorch_model.bin, tokenizer.json) or the files of a folder the user picked. `glm pretrain
// --out run/` writes run/model/ with run/tokenizer.json beside it: the tokenizer is also looked
// for one level up.
import { loadGLMFromFiles, type LoadedGLM } from "@glmjs/tasks";

const WEIGHTS = ["model.safetensors", "pytorch_model.bin"];
const TOKENIZER = "tokenizer.json";

export type Progress = (message: string) => void;

/** Loads the model folder at `url` (relative URLs resolve against the page). */
export async function loadFromUrl(url: string, progress: Progress): Promise<LoadedGLM> {
  const base = new URL(url.endsWith("/") ? url : url + "/", location.href);
  const get = async (name: string, from = base) => {
    const r = await fetch(new URL(name, from));
    return r.ok ? r : undefined;
  };
  progress(`reading ${new URL("config.json", base).href}`);
  const config = await get("config.json");
  if (!config) throw new Error(`no config.json at ${base.href}: give the URL of a model folder (config.json, model.safetensors, tokenizer.json)`);
  const tokenizer = (await get(TOKENIZER)) ?? (await get(TOKENIZER, new URL("../", base)));
  if (!tokenizer) throw new Error(`no tokenizer.json in ${base.href} or its parent folder`);
  let weights: { name: string; response: Response } | undefined;
  for (const name of WEIGHTS) {
    const response = await get(name);
    if (response) {
      weights = { name, response };
      break;
    }
  }
  if (!weights) throw new Error(`no weights at ${base.href}: expected ${WEIGHTS.join(" or ")}`);
  const bytes = await readWithProgress(weights.response, (done, total) =>
    progress(`downloading ${weights.name}: ${megabytes(done)}${total ? ` of ${megabytes(total)}` : ""}`),
  );
  progress("building the model");
  return loadGLMFromFiles({ "config.json": await config.text(), [TOKENIZER]: await tokenizer.text(), [weights.name]: bytes });
}

/**
 * Loads a picked folder (`<input webkitdirectory>` gives every file under it with its relative
 * path). The model is the folder that holds config.json and weights; the tokenizer is beside it
 * or in its parent.
 */
export async function loadFromFiles(files: readonly File[], progress: Progress): Promise<LoadedGLM> {
  const pathOf = (f: File) => f.webkitRelativePath || f.name;
  const dirOf = (p: string) => p.slice(0, p.lastIndexOf("/") + 1);
  const byPath = new Map(files.map((f) => [pathOf(f), f]));
  const modelDir = [...byPath.keys()]
    .filter((p) => p.endsWith("/config.json") || p === "config.json")
    .map(dirOf)
    .filter((d) => WEIGHTS.some((w) => byPath.has(d + w)))
    .sort((a, b) => a.length - b.length)[0];
  if (modelDir === undefined) throw new Error(`the picked folder has no config.json with ${WEIGHTS.join(" or ")} beside it`);
  const parent = dirOf(modelDir.slice(0, -1));
  const tokenizer = byPath.get(modelDir + TOKENIZER) ?? byPath.get(parent + TOKENIZER);
  if (!tokenizer) throw new Error(`no tokenizer.json in ${modelDir || "the picked folder"} or its parent`);
  const weightsName = WEIGHTS.find((w) => byPath.has(modelDir + w))!;
  progress(`reading ${modelDir}${weightsName}`);
  const weights = new Uint8Array(await byPath.get(modelDir + weightsName)!.arrayBuffer());
  progress("building the model");
  return loadGLMFromFiles({
    "config.json": await byPath.get(modelDir + "config.json")!.text(),
    [TOKENIZER]: await tokenizer.text(),
    [weightsName]: weights,
  });
}

async function readWithProgress(response: Response, report: (done: number, total: number) => void): Promise<Uint8Array> {
  const total = Number(response.headers.get("content-length") ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
    done += value.length;
    report(done, total);
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const megabytes = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
