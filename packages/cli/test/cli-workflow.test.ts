import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readJournal } from "@vltair/orchestrator";
import { describe, expect, it } from "vitest";
import { copyExample, repoRoot, tempDir, vltair, vltairInProcess } from "./cli-helpers.js";

/** The repository's own test command, as its developer would run it. */
function ownTests(dir: string) {
  return spawnSync("npm", ["test", "--silent"], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
}

/** A run's journal without what legitimately differs between two runs: timestamps and measured durations. */
async function comparable(stateDir: string, runId: string): Promise<unknown[]> {
  const { events } = await readJournal(path.join(stateDir, "runs", runId));
  return JSON.parse(JSON.stringify(events, (key, value: unknown) => (["time", "clockStart", "durationMs", "timeMs"].includes(key) ? undefined : value))) as unknown[];
}

describe("vltair workflow fix-failing-test", () => {
  it("repairs the failing test of examples/fix-me offline, journaled, traceable and replayable", async () => {
    const repo = copyExample("fix-me");
    expect(ownTests(repo).status).not.toBe(0);
    const state = path.join(tempDir("vltair-wf-"), ".vltair");
    const run = await vltair(["--dir", state, "workflow", "fix-failing-test", repo]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.last).toMatchObject({ ok: true, workflow: "fix-failing-test", status: "succeeded" });
    const runId = run.last.runId as string;
    expect(runId).toBeTruthy();
    expect(run.last.patch).toMatch(/^--- a\//m);
    expect(ownTests(repo).status).toBe(0);

    const trace = await vltair(["--dir", state, "trace", runId]);
    const events = (JSON.parse(trace.stdout) as { timeline: { type: string }[] }).timeline.map((e) => e.type);
    expect(events[0]).toBe("RunStarted");
    expect(events.at(-1)).toBe("RunFinished");
    expect(events).toContain("ToolCalled");

    // Replay must not need the workspace, the sandbox or a model: remove the repository first.
    rmSync(repo, { recursive: true, force: true });
    const replay = await vltair(["--dir", state, "replay", runId]);
    expect(replay.code, replay.stdout).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ ok: true, report: { identical: true } });
  });

  it("produces the same journal twice on the same input (times aside)", async () => {
    const base = tempDir("vltair-det-");
    const repo = path.join(base, "repo");
    const journals: unknown[][] = [];
    for (const attempt of [1, 2]) {
      rmSync(repo, { recursive: true, force: true });
      cpSync(path.join(repoRoot, "examples/fix-me"), repo, { recursive: true });
      const state = path.join(base, `state-${attempt}`);
      const run = await vltairInProcess(["--dir", state, "workflow", "fix-failing-test", repo, "--no-ingest"]);
      expect(run.code, run.stdout).toBe(0);
      journals.push(await comparable(state, run.last.runId as string));
    }
    expect(journals[1]).toEqual(journals[0]);
  });

  it("stops the run when its wall budget runs out, and says so", async () => {
    const repo = copyExample("fix-me");
    const state = path.join(tempDir("vltair-budget-"), ".vltair");
    const run = await vltairInProcess(["--dir", state, "workflow", "fix-failing-test", repo, "--no-ingest", "--budget-wall-ms", "1500"]);
    expect(run.code).toBe(1);
    expect(run.last).toMatchObject({ ok: false, status: "failed", reason: expect.stringMatching(/wall budget ran out/) });
    const { events } = await readJournal(path.join(state, "runs", run.last.runId as string));
    expect(events.some((e) => e.type === "BudgetExhausted" && e.budget === "wallMs" && e.limit === 1500)).toBe(true);
  });

  it("repairs seeded bugs it has never seen (examples/bug-zoo)", async () => {
    const bugs = JSON.parse(readFileSync(path.join(repoRoot, "examples/bug-zoo/seeded-bugs.json"), "utf8")) as { file: string; original: string; mutated: string }[];
    const sample = [bugs[0]!, bugs[Math.floor(bugs.length / 2)]!, bugs[bugs.length - 1]!];
    let fixed = 0;
    for (const bug of sample) {
      const repo = copyExample("bug-zoo");
      const file = path.join(repo, bug.file);
      const source = readFileSync(file, "utf8");
      expect(source).toContain(bug.original);
      writeFileSync(file, source.replace(bug.original, bug.mutated));
      expect(ownTests(repo).status).not.toBe(0);
      const run = await vltairInProcess(["--dir", path.join(tempDir("vltair-zoo-state-"), ".vltair"), "workflow", "fix-failing-test", repo, "--no-ingest"]);
      if (run.code === 0 && ownTests(repo).status === 0) fixed++;
    }
    expect(fixed).toBeGreaterThanOrEqual(2);
  });
});

describe("vltair workflow feature-add", () => {
  it("adds a module, analyses it, generates tests from its @example blocks, and repairs the bug they expose", async () => {
    const repo = copyExample("bug-zoo");
    const state = path.join(tempDir("vltair-feature-"), ".vltair");
    const spec = path.join(repoRoot, "packages/cli/test/fixtures/feature-grade.json");
    const run = await vltairInProcess(["--dir", state, "workflow", "feature-add", repo, "--spec", spec, "--no-ingest"]);
    expect(run.code, run.stdout).toBe(0);
    const steps = run.stdout.trim().split("\n").slice(0, -1).map((l) => (JSON.parse(l) as { step: { agent: string; ok: boolean } }).step);
    expect(steps.map((s) => `${s.agent}:${s.ok}`)).toEqual([
      "codegen:true",
      "static-analysis:true",
      "testgen:true",
      "testexec:false", // the generated tests catch the new module's off-by-one at 90
      "debug:true",
      "codegen:true",
      "testexec:true",
    ]);
    expect(run.last).toMatchObject({ ok: true, workflow: "feature-add", status: "succeeded", iterations: 1 });
    expect(readFileSync(path.join(repo, "src/grade.js"), "utf8")).toContain('if (score >= 90) return "A";');
    expect(readFileSync(path.join(repo, "test/grade.generated.test.js"), "utf8")).toContain('assert.deepStrictEqual(await (grade(90)), "A");');
    expect(ownTests(repo).status).toBe(0);
    const replay = await vltairInProcess(["--dir", state, "replay", run.last.runId as string]);
    expect(JSON.parse(replay.stdout)).toMatchObject({ ok: true, report: { identical: true } });
  });

  it("refuses a feature-add without a spec, and a malformed spec", async () => {
    const state = path.join(tempDir("vltair-feature-"), ".vltair");
    const noSpec = await vltairInProcess(["--dir", state, "workflow", "feature-add", path.join(repoRoot, "examples/bug-zoo")]);
    expect(noSpec.code).toBe(2);
    const bad = path.join(tempDir("vltair-feature-"), "spec.json");
    writeFileSync(bad, JSON.stringify({ chnages: [] }));
    const wrong = await vltairInProcess(["--dir", state, "workflow", "feature-add", path.join(repoRoot, "examples/bug-zoo"), "--spec", bad]);
    expect(wrong.last).toMatchObject({ ok: false, error: { code: "InvalidSpec", message: expect.stringContaining("chnages") } });
  });
});

describe("vltair demo", () => {
  it("fixes the sample repository's failing test and shows the timeline and patch", async () => {
    const state = path.join(tempDir("vltair-demo-"), ".vltair");
    const r = await vltairInProcess(["--dir", state, "demo"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.last).toMatchObject({ ok: true, status: "succeeded" });
    expect((r.last.timeline as unknown[]).length).toBeGreaterThan(5);
    expect(r.last.patch).toMatch(/^@@ /m);
  });
});
