// Finds the CUDA libraries TensorFlow dlopens (missing ones only show up as log lines and a
// silent CPU fallback), by the dynamic linker's cache and the usual folders.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CudaLibraries } from "./classify.js";

const DIRS = ["/usr/local/cuda/lib64", "/usr/local/cuda-11.2/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib"];

export function findCudaLibraries(): CudaLibraries {
  let ldCache = "";
  try {
    ldCache = readFileSync("/etc/ld.so.cache", "latin1");
  } catch {
    // no cache: the folder scan below decides
  }
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...DIRS];
  // The cache can be stale (a library removed since ldconfig last ran): trust only paths that exist.
  const inCache = (file: string) => [...ldCache.matchAll(new RegExp(`(/[^\\0]*/${file.replace(/[.+]/g, "\\$&")})\\0`, "g"))].some((m) => existsSync(m[1]!));
  const has = (file: string) => dirs.some((d) => existsSync(join(d, file))) || inCache(file);
  return { driver: has("libcuda.so.1"), cudart: has("libcudart.so.11.0"), cublas: has("libcublas.so.11"), cudnn: has("libcudnn.so.8") };
}
