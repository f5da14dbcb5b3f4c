// Scaffolds packages/<name> with the workspace conventions (used once per package; kept for the next one).
//   node scripts/new-package.mjs <name> "<description>" [private]
// A public package also gets the LICENSE, a place in the fixed version group of .changeset/config.json
// and in the API reference (typedoc.json); CONTRIBUTING.md says what else to do.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
const [name, description, privateFlag] = process.argv.slice(2);
const dir = `packages/${name}`;
if (existsSync(dir)) throw new Error(`${dir} exists`);
mkdirSync(`${dir}/src`, { recursive: true });
const isPrivate = privateFlag === "private";
const pkg = {
  name: `@glmjs/${name}`,
  version: "0.0.0",
  description,
  ...(isPrivate ? { private: true } : {}),
  license: "MIT",
  type: "module",
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" },
  files: ["dist", "!dist/**/*.test.*", "README.md", ...(isPrivate ? [] : ["LICENSE"])],
  sideEffects: false,
  engines: { node: ">=20.19" },
  scripts: {
    build: "tsc -p tsconfig.json",
    typecheck: "tsc -p tsconfig.json --noEmit",
    test: "vitest run --reporter=default --reporter=json --outputFile.json=.vitest/report.json",
  },
  ...(isPrivate ? {} : { publishConfig: { access: "public" } }),
  repository: { type: "git", url: "git+https://example.invalid/glmjs.git", directory: dir },
  dependencies: {},
  devDependencies: {},
};
writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
// As `pnpm run format` (prettier) writes it, so a new package passes `pnpm run format:check`.
writeFileSync(
  `${dir}/tsconfig.json`,
  `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "outDir": "dist",
    "rootDir": "src",
    "types": ["node"]
  },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
`,
);
writeFileSync(`${dir}/src/index.ts`, `// Public surface of @glmjs/${name}.\nexport {};\n`);
writeFileSync(`${dir}/README.md`, `# @glmjs/${name}\n\n${description}\n`);
if (!isPrivate) {
  copyFileSync("LICENSE", `${dir}/LICENSE`);
  // Every public package moves with the others (CONTRIBUTING.md, "Releases").
  const config = JSON.parse(readFileSync(".changeset/config.json", "utf8"));
  config.fixed[0].push(`@glmjs/${name}`);
  writeFileSync(".changeset/config.json", JSON.stringify(config, null, 2) + "\n");
  const typedoc = JSON.parse(readFileSync("typedoc.json", "utf8"));
  typedoc.entryPoints.push(dir);
  writeFileSync("typedoc.json", JSON.stringify(typedoc, null, 2) + "\n");
}
console.log(`created ${dir}; next: pnpm install, write src/ and README.md, add a changeset (pnpm changeset)`);
