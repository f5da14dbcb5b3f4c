// What every hub request may be told, and how the defaults follow the environment variables of
// Hugging Face's own libraries (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE, HF_HUB_CACHE, HF_HOME), so
// one setting serves Python and glmjs alike.

/** Progress of one file's download. */
export interface HubProgress {
  /** The repository ("org/name") or base URL. */
  repo: string;
  file: string;
  /** Bytes of the file on disk so far (a resumed download starts above 0). */
  loaded: number;
  /** The file's size. */
  total: number;
}

export interface HubOptions {
  /** Branch, tag or commit. Default "main" (or the `@revision` of the id). */
  revision?: string;
  /** Access token for gated and private repositories. Default HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file `huggingface-cli login` writes. */
  token?: string;
  /** The hub's address. Default HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Only the local cache, no network. Default HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) set to 1/true/yes/on. */
  offline?: boolean;
  /** The hub cache folder (Node). Default HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub. */
  cacheDir?: string;
  /** Called as a file's bytes arrive (not for files found in the cache). */
  onProgress?: (progress: HubProgress) => void;
  /** The fetch to use (default globalThis.fetch), e.g. behind a proxy. */
  fetch?: typeof fetch;
}

export const DEFAULT_ENDPOINT = "https://huggingface.co";

/** An environment variable where the runtime has them (Node, Deno, Bun); undefined in browsers. */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Python's huggingface_hub reads these switches as true. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ["1", "ON", "YES", "TRUE"].includes(value.trim().toUpperCase());
}

export function hubEndpoint(options: HubOptions = {}): string {
  return (options.endpoint ?? envVar("HF_ENDPOINT") ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
}

export function isHubOffline(options: HubOptions = {}): boolean {
  return options.offline ?? (isTrue(envVar("HF_HUB_OFFLINE")) || isTrue(envVar("TRANSFORMERS_OFFLINE")));
}

/** The token from the options or the environment variables (the token file is read by the Node side). */
export function tokenFromEnvironment(options: HubOptions = {}): string | undefined {
  return options.token ?? envVar("HF_TOKEN") ?? envVar("HUGGING_FACE_HUB_TOKEN");
}

/** Whether this runtime is Node (or one that provides its file system API). */
export function isNodeRuntime(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}
