// Finds the system graphics libraries Dawn loads at run time (it dlopens them, so a missing one
// shows up only as "no adapter"). Node only; imported lazily so browser bundles never load node:fs.
import { importNode } from "@glmjs/common";
import type { SystemGraphicsLibraries } from "./diagnose.js";

const LIBRARY_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib"];

export async function findGraphicsLibraries(): Promise<SystemGraphicsLibraries> {
  const fs = await importNode("node:fs", "findGraphicsLibraries()");
  const path = await importNode("node:path", "findGraphicsLibraries()");
  let ldCache = "";
  try {
    // The dynamic linker's cache lists every library it can resolve by name (binary; latin1 keeps bytes).
    ldCache = fs.readFileSync("/etc/ld.so.cache", "latin1");
  } catch {
    // No cache (musl, macOS): fall back to the directory scan below.
  }
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LIBRARY_DIRS];
  // The cache can be stale (a library removed since ldconfig last ran): trust only paths that exist.
  const inCache = (file: string) => [...ldCache.matchAll(new RegExp(`(/[^\\0]*/${file.replace(/[.+]/g, "\\$&")})\\0`, "g"))].some((m) => fs.existsSync(m[1]!));
  const has = (file: string) => dirs.some((d) => fs.existsSync(path.join(d, file))) || inCache(file);
  const mesaDri = dirs.some((d) => fs.existsSync(path.join(d, "dri", "swrast_dri.so")) || fs.existsSync(path.join(d, "dri", "kms_swrast_dri.so")));
  return { egl: has("libEGL.so"), eglMesa: has("libEGL_mesa.so.0"), mesaDri, vulkan: has("libvulkan.so.1") };
}
