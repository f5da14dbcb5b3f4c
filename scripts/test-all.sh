#!/usr/bin/env bash
# The workspace's full check: build, typecheck, lint, the changeset check, the API reference, every package's tests (Node and real
# Chromium), then one summed closing line "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1
rm -f packages/*/.vitest/report.json tests/*/.vitest/report.json examples/*/.vitest/report.json
pnpm exec turbo run build typecheck --output-logs=errors-only || exit 1
pnpm run lint || exit 1
# The API reference from the TSDoc comments (typedoc, warnings are errors; output in docs/api/, not committed).
pnpm run docs:api || exit 1
# Every published package that changed has a changeset (CONTRIBUTING.md, "Changesets").
node --test --test-reporter=dot scripts/check-changesets.test.mjs || exit 1
node scripts/check-changesets.mjs || exit 1
# One package at a time: the suites are CPU-bound and the machine has 2 cores.
pnpm exec turbo run test --concurrency=1 --continue
status=$?
node scripts/test-summary.mjs
summary=$?
exit $(( status != 0 ? status : summary ))
