// End-to-end tests of the browser examples: a static file server on 127.0.0.1 (a secure context,
// so WebGPU is offered) and Debian's headless Chromium driven by playwright-core, with the flags
// of shared/browser.md and tests/browser/vitest.config.ts.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { chromium, type Browser } from "playwright-core";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticServer {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  url: string;
  /** Paths requested so far (to check what a page fetched). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves folders under URL prefixes, e.g. `{ "/": "dist", "/model/": "/tmp/model" }` (longest
 * prefix wins; "/" serves index.html for a folder). Nothing outside a folder is served.
 */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      requests.push(path);
      const mount = entries.find(([prefix]) => path.startsWith(prefix));
      if (!mount) return notFound();
      const root = normalize(mount[1]);
      let file = normalize(join(root, path.slice(mount[0].length)));
      if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound();
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, "index.html");
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile()) return notFound();
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": info.size, "cache-control": "no-store" });
      createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
    function notFound() {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Flags that make WebGPU available in headless Chromium on a GPU-less Linux machine (SwiftShader). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--enable-unsafe-webgpu",
  "--enable-unsafe-swiftshader",
];

/** Debian's Chromium ($GLMJS_CHROMIUM or /usr/bin/chromium), headless, with a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.GLMJS_CHROMIUM ?? "/usr/bin/chromium";
  const exists = await stat(executablePath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) throw new Error(`no Chromium at ${executablePath}: apt-get install chromium (Debian), or set GLMJS_CHROMIUM to a Chromium binary`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
