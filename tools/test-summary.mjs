#!/usr/bin/env node
// Reads a test log (vitest and ctest output) from stdin and prints one closing line for CI:
// "tests: N passed, N failed". Exit code 1 when the log shows failures or no test at all.
import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

const log = stripVTControlCharacters(readFileSync(0, "utf8"));
let passed = 0;
let failed = 0;
for (const m of log.matchAll(/^\s*Tests\s+(?:(\d+) failed\s*\|\s*)?(\d+) passed/gm)) {
  failed += Number(m[1] ?? 0);
  passed += Number(m[2]);
}
for (const m of log.matchAll(/^\s*Tests\s+(\d+) failed \((\d+)\)$/gm)) failed += Number(m[1]);
for (const m of log.matchAll(/tests passed, (\d+) tests failed out of (\d+)/g)) {
  failed += Number(m[1]);
  passed += Number(m[2]) - Number(m[1]);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
