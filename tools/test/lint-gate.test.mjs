// Proves that `npm test` fails on a new import cycle, a layer violation or a lint error: the checks the
// packages' Nx `lint` targets run are run here on fixtures that break them, and the wiring (every package
// has a `lint` target, `test` depends on it) is checked too. Run by the root `npm test` (node --test).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(import.meta.dirname, "fixtures");

/** Runs a command; resolves with its exit code and output instead of throwing on failure. */
async function exec(file, args, cwd) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, encoding: "utf8" });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    return { code: error.code, out: `${error.stdout}${error.stderr}` };
  }
}

test("the import check fails on a cycle, type-only edges included, and names its modules", async () => {
  const { code, out } = await exec(process.execPath, [path.join(repo, "tools/check-imports.mjs"), path.join(fixtures, "cycle")], repo);
  assert.equal(code, 1, out);
  const cycle = /import cycle: (.*)/.exec(out)?.[1]?.split(" → ") ?? [];
  assert.deepEqual([...new Set(cycle)].sort(), ["src/a.ts", "src/b.ts", "src/c.ts"], out);
});

test("the import check fails on a relative import it cannot resolve (an edge it would otherwise drop)", async () => {
  const { code, out } = await exec(process.execPath, [path.join(repo, "tools/check-imports.mjs"), path.join(fixtures, "unresolved")], repo);
  assert.equal(code, 1, out);
  assert.match(out, /unresolved import: src\/a\.ts → \.\/missing\.js/);
});

test("the import check fails when a package imports one on a higher layer", async () => {
  const { code, out } = await exec(process.execPath, [path.join(repo, "tools/check-imports.mjs"), path.join(fixtures, "layer")], repo);
  assert.equal(code, 1, out);
  assert.match(out, /src\/index\.ts imports @vltair\/agents, which is not below @vltair\/context-store/);
  assert.doesNotMatch(out, /@vltair\/vesper-native, which/); // the engine is below: allowed
});

test("the repository's lint config fails on a floating promise and on unsafe any", async () => {
  const eslint = path.join(repo, "node_modules/eslint/bin/eslint.js");
  const { code, out } = await exec(process.execPath, [eslint, "--no-ignore", "--no-warn-ignored", path.join(fixtures, "lint/src/floating.ts")], repo);
  assert.equal(code, 1, out);
  assert.match(out, /@typescript-eslint\/no-floating-promises/);
  assert.match(out, /@typescript-eslint\/no-unsafe-member-access/);
  assert.match(out, /@typescript-eslint\/no-explicit-any/);
});

test("every package runs both checks in its lint target, and test depends on lint", () => {
  const nx = JSON.parse(readFileSync(path.join(repo, "nx.json"), "utf8"));
  assert.ok(nx.targetDefaults.test.dependsOn.includes("lint"), "nx.json: test must depend on lint");
  const root = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
  for (const ws of root.workspaces) {
    const pkg = JSON.parse(readFileSync(path.join(repo, ws, "package.json"), "utf8"));
    assert.match(pkg.scripts?.lint ?? "", /eslint .*&& node \.\.\/\.\.\/tools\/check-imports\.mjs/, `${ws}: scripts.lint`);
  }
});
