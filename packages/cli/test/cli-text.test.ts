import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExample, repoRoot, tempDir, vltairInProcess } from "./cli-helpers.js";

const tty = { tty: true };

describe("vltair on a terminal: readable text", () => {
  it("prints project state as text", async () => {
    const state = path.join(tempDir("vltair-text-"), ".vltair");
    expect((await vltairInProcess(["--dir", state, "init"], tty)).stdout).toMatch(/^Initialised .*\n {2}config: .*config\.json/);
    expect((await vltairInProcess(["--dir", state, "register", "--agent", "lint-bot", "--cap", "code.analyze"], tty)).stdout).toContain("Registered lint-bot (code.analyze)");
    expect((await vltairInProcess(["--dir", state, "update", "--agent", "lint-bot", "--load", "0.5"], tty)).stdout).toContain('Updated lint-bot: {"load":0.5}');
    const status = (await vltairInProcess(["--dir", state, "status"], tty)).stdout;
    expect(status).toMatch(/lint-bot\s+healthy\s+load 0\.50\s+remote\s+code\.analyze/);
    expect(status).toMatch(/debug\s+healthy\s+load 0\.00\s+local\s+code\.debug/);
    expect(status).toContain("Runs (0):");
    expect((await vltairInProcess(["--dir", state, "queue"], tty)).stdout).toBe("0 queued, 0 running, 2 workers (no running run)\n");
    const dry = await vltairInProcess(["--dir", state, "query", "--text", "money"], { ...tty, env: { VLTAIR_TEST_MODE: "1" } });
    expect(dry.stdout).toMatch(/^would run: \{/);
  });

  it("indexes and searches with readable hits", async () => {
    const state = path.join(tempDir("vltair-text-"), ".vltair");
    const ingest = await vltairInProcess(["--dir", state, "ingest", path.join(repoRoot, "examples/fix-me")], tty);
    expect(ingest.stdout).toMatch(/files scanned, \d+ indexed/);
    const q = await vltairInProcess(["--dir", state, "query", "--text", "bulk discount percent", "--k", "5"], tty);
    expect(q.stdout).toMatch(/^ 1\. \d\.\d{4} {2}\S+:\d+-\d+/);
    expect(q.stdout).toMatch(/^ \d\. \d\.\d{4} {2}src\/discount\.js:\d+-\d+ {2}bulkDiscountPercent$/m);
    const none = await vltairInProcess(["--dir", state, "query", "--text", "bulk discount", "--filter-kv", "language=rust"], tty);
    expect(none.stdout).toBe("no hits\n");
  });

  it("shows a workflow's steps, outcome, patch, timeline and replay as text", async () => {
    const repo = copyExample("fix-me");
    const state = path.join(tempDir("vltair-text-"), ".vltair");
    const run = await vltairInProcess(["--dir", state, "workflow", "fix-failing-test", repo, "--no-ingest"], tty);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✘ testexec\s+\S+\/testexec {2}TestFailure: 2 of 20 tests failed/);
    expect(run.stdout).toMatch(/✔ debug\s+\S+\/debug-1 {2}patched src\/discount\.js/);
    expect(run.stdout).toContain("✔ fix-failing-test succeeded: all tests pass after 1 repair round");
    expect(run.stdout).toMatch(/^\+ {2}if \(quantity >= 10\) return 5;$/m);
    const runId = /run (run-[0-9a-f]+) \(vltair trace/.exec(run.stdout)![1]!;
    const trace = await vltairInProcess(["--dir", state, "trace", runId], tty);
    expect(trace.stdout).toMatch(new RegExp(`^Run ${runId}: succeeded \\(fix-failing-test\\), \\d+ events`));
    expect(trace.stdout).toMatch(/#0 +RunStarted +workflow fix-failing-test/);
    expect(trace.stdout).toMatch(/RunFinished +succeeded/);
    const replay = await vltairInProcess(["--dir", state, "replay", runId], tty);
    expect(replay.stdout).toMatch(/reproduces all \d+ recorded events/);
    const missing = await vltairInProcess(["--dir", state, "trace", "run-nope"], tty);
    expect(missing.code).toBe(1);
    expect(missing.last).toMatchObject({ ok: false, error: { code: "NotFound" } });
  });
});
