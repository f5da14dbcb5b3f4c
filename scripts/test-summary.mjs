// Sums every vitest JSON report (packages/*/.vitest/report.json, examples/*/...) and prints
// the plain closing line the CI harness recognises:  "tests: N passed, N failed, N skipped"
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
let passed = 0,
  failed = 0,
  skipped = 0,
  reports = 0;
for (const top of ["packages", "examples", "tests"]) {
  if (!existsSync(top)) continue;
  for (const dir of readdirSync(top)) {
    const f = join(top, dir, ".vitest", "report.json");
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, "utf8"));
    reports++;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    if (!r.success && r.numFailedTests === 0) failed++; // e.g. a suite that failed to import
  }
}
console.log(`vitest reports: ${reports}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(reports > 0 && passed > 0 && failed === 0 ? 0 : 1);
