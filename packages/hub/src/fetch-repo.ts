// Model files over plain fetch: hub repositories in browsers (the resolve URLs the hub serves with
// CORS) and web folders anywhere. In browsers the responses go into the Cache API, so a second
// page load reads them from there without a request (as transformers.js does), and files a
// repository lacks are remembered too.
import { HubError } from "./errors.js";
import { hubEndpoint, isHubOffline, tokenFromEnvironment, type HubOptions } from "./options.js";
import type { FileRequest, ModelRepo } from "./repo.js";
import type { ModelSource } from "./source.js";

/** The part of the Cache API used here (an injected stand-in works too). */
export interface ResponseCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
}

export interface FetchRepoOptions extends HubOptions {
  /**
   * Where responses are kept: a Cache (default: `caches.open("glmjs-hub")` where the Cache API
   * exists, i.e. in browsers), or false for none.
   */
  responseCache?: ResponseCache | false;
}

/** The Cache API name glmjs stores hub files under. */
export const BROWSER_CACHE_NAME = "glmjs-hub";
const MISSING_HEADER = "x-glmjs-missing";

async function defaultCache(): Promise<ResponseCache | undefined> {
  const storage = (globalThis as { caches?: { open(name: string): Promise<ResponseCache> } }).caches;
  if (!storage) return undefined;
  try {
    return await storage.open(BROWSER_CACHE_NAME);
  } catch {
    return undefined; // e.g. an opaque origin, or storage disabled
  }
}

export async function openFetchRepo(source: Exclude<ModelSource, { kind: "path" }>, options: FetchRepoOptions = {}): Promise<ModelRepo> {
  const cache = options.responseCache === false ? undefined : (options.responseCache ?? (await defaultCache()));
  if (source.kind === "url") {
    const base = source.url.endsWith("/") ? source.url : `${source.url}/`;
    return new FetchRepo(source.url, "", base, cache, options);
  }
  const revision = source.revision ?? options.revision ?? "main";
  const base = `${hubEndpoint(options)}/${source.repo}/resolve/${encodeURIComponent(revision)}/`;
  return new FetchRepo(source.repo, revision, base, cache, options);
}

class FetchRepo implements ModelRepo {
  readonly commit: string | undefined = undefined;
  constructor(
    readonly id: string,
    readonly revision: string,
    private readonly base: string,
    private readonly cache: ResponseCache | undefined,
    private readonly options: FetchRepoOptions,
  ) {}

  async text(name: string, request: FileRequest = {}): Promise<string | undefined> {
    const b = await this.bytes(name, request);
    return b === undefined ? undefined : new TextDecoder().decode(b);
  }

  async bytes(name: string, request: FileRequest = {}): Promise<Uint8Array | undefined> {
    const url = this.base + name.split("/").map(encodeURIComponent).join("/");
    const cached = await this.cache?.match(url);
    if (cached) {
      if (cached.headers.get(MISSING_HEADER)) return this.absent(name, request);
      return new Uint8Array(await cached.arrayBuffer());
    }
    if (isHubOffline(this.options)) {
      if (request.optional) return undefined;
      throw new HubError("HUB_OFFLINE", this.id, name, "not in the browser cache and the hub is offline");
    }
    const token = tokenFromEnvironment(this.options);
    const sameOrigin = new URL(url).origin === new URL(hubEndpoint(this.options)).origin;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, token && sameOrigin ? { headers: { Authorization: `Bearer ${token}` } } : {});
    } catch (err) {
      throw new HubError("HUB_REQUEST_FAILED", this.id, name, `the request failed (${(err as Error).message})`, { cause: err });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      const code = response.headers.get("x-error-code");
      if (code === "RepoNotFound" || code === "RevisionNotFound") {
        throw new HubError(
          "HUB_NOT_FOUND",
          this.id,
          name,
          code === "RepoNotFound" ? "no such repository (or it is private: pass { token })" : `no revision "${this.revision}"`,
          { status: 404 },
        );
      }
      await this.cache?.put(url, new Response(null, { status: 200, headers: { [MISSING_HEADER]: "1" } }));
      return this.absent(name, request);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const gated = response.headers.get("x-error-code") === "GatedRepo";
      throw new HubError(
        "HUB_UNAUTHORIZED",
        this.id,
        name,
        `${gated ? "the repository is gated: accept its conditions on the hub, then pass" : "access refused: pass"} { token } of an account that has access`,
        { status: response.status },
      );
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new HubError("HUB_REQUEST_FAILED", this.id, name, `the server answered ${response.status}`, { status: response.status });
    }
    const bytes = await this.readBody(name, response);
    await this.cache?.put(
      url,
      new Response(bytes, { status: 200, headers: { "content-type": "application/octet-stream", "content-length": String(bytes.byteLength) } }),
    );
    return bytes;
  }

  private absent(name: string, request: FileRequest): undefined {
    if (request.optional) return undefined;
    throw new HubError("HUB_NOT_FOUND", this.id, name, this.revision ? `the repository has no such file at revision "${this.revision}"` : "no such file (404)");
  }

  /** The body into one array, reporting progress; the length comes from Content-Length when the server sends it. */
  private async readBody(name: string, response: Response): Promise<Uint8Array<ArrayBuffer>> {
    const total = Number(response.headers.get("content-length") ?? NaN);
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      this.options.onProgress?.({ repo: this.id, file: name, loaded, total: Number.isFinite(total) ? total : loaded });
    }
    if (Number.isFinite(total) && loaded !== total) {
      throw new HubError("HUB_REQUEST_FAILED", this.id, name, `the download ended after ${loaded} of ${total} bytes`);
    }
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
}
