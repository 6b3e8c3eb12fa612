import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir, vltair, vltairInProcess } from "./cli-helpers.js";

const dirtyStore = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "dirty-store.mjs");

/** A 3 MiB tmpfs we can fill (root only; elsewhere the test says why it is skipped). */
function mountTinyDisk(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mnt = tempDir("vltair-full-");
  const done = spawnSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt]);
  return done.status === 0 ? mnt : undefined;
}

/** Fills the file system of `dir` to the last byte. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(path.join(dir, `fill-${i}`), chunk);
    } catch {
      break;
    }
  }
  for (let i = 0; ; i++) {
    try {
      writeFileSync(path.join(dir, `fill-small-${i}`), Buffer.alloc(512));
    } catch {
      return;
    }
  }
}

/** Every `"ok":` in the output: one answer means exactly one. */
const answers = (stdout: string) => stdout.match(/"ok":/g)?.length ?? 0;

let mnt: string | undefined;
beforeAll(() => {
  mnt = mountTinyDisk();
});
afterAll(() => {
  if (mnt !== undefined) spawnSync("umount", [mnt]);
});

describe("on a full disk", () => {
  it("prints one answer per command: read-only commands answer with a warning, a write fails", async (context) => {
    if (mnt === undefined) {
      context.skip("needs root and mount -t tmpfs to make a disk that can fill up");
      return;
    }
    const state = path.join(mnt, ".vltair");
    expect((await vltairInProcess(["--dir", state, "ingest", path.join(repoRoot, "examples/sample-repo")])).code).toBe(0);
    execFileSync(process.execPath, [dirtyStore, state], { cwd: repoRoot });
    const filler = path.join(mnt, "filler");
    mkdirSync(filler);
    fill(filler);

    // Both open the store, whose WAL holds writes no checkpoint has: closing wants to write one, and cannot.
    for (const args of [["query", "--text", "slugify", "--k", "2"], ["status"]]) {
      const r = await vltair(["--dir", state, ...args]);
      expect(answers(r.stdout), `${args[0]}: ${r.stdout}`).toBe(1);
      expect(() => JSON.parse(r.stdout), args[0]).not.toThrow();
      expect(r.last, args[0]).toMatchObject({ ok: true, warnings: [expect.stringMatching(/closing the project .* failed .*No space left on device/)] });
      expect(r.stderr, args[0]).toMatch(/^warning: closing the project/m);
      expect(r.code, args[0]).toBe(0);
      if (args[0] === "query") expect((r.last.hits as unknown[]).length).toBeGreaterThan(0);
    }

    const write = await vltair(["--dir", state, "ingest", path.join(repoRoot, "examples/fix-me")]);
    expect(answers(write.stdout), write.stdout).toBe(1);
    expect(write.last).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No space left on device|ENOSPC/) } });
    expect(write.code).toBe(1);

    // With space again, everything written before is there and the store closes cleanly.
    rmSync(filler, { recursive: true, force: true });
    const after = await vltairInProcess(["--dir", state, "query", "--text", "uncheckpointed note", "--mode", "sparse"]);
    expect(after.last).toMatchObject({ ok: true });
    expect(after.last.warnings).toBeUndefined();
    expect((after.last.hits as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);
});
