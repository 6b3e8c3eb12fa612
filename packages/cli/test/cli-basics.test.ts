import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir, vltair, vltairInProcess } from "./cli-helpers.js";

describe("vltair: usage and errors", () => {
  it("prints its version and help", async () => {
    const version = await vltair(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await vltair(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["run", "status", "queue", "runs", "resume", "register", "update", "query", "ingest", "workflow", "replay", "trace", "init", "demo"]) {
      expect(help.stdout).toContain(command);
    }
  });

  it("answers usage errors with the JSON error envelope and exit code 2", async () => {
    for (const args of [[], ["frobnicate"], ["query"], ["query", "--text", "x", "--k", "zero"], ["update", "--agent", "a", "--load", "7"], ["workflow", "nope", "."], ["status", "--bogus"]]) {
      const r = await vltairInProcess(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.last).toMatchObject({ ok: false, error: { code: "Usage" } });
      expect(typeof r.last.traceId).toBe("string");
    }
  });

  it("reports bad task files with what and where, exit code 1", async () => {
    const dir = tempDir("vltair-run-");
    const state = path.join(dir, "state");
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    const r1 = await vltairInProcess(["--dir", state, "run", "--file", broken]);
    expect(r1.code).toBe(1);
    expect(r1.last).toMatchObject({ ok: false, error: { code: "InvalidTask" } });
    const invalid = path.join(dir, "invalid.json");
    writeFileSync(invalid, JSON.stringify({ type: "AgentTask", id: "t1", agent: "testexec", payload: {}, constraints: { timeoutMs: "soon" } }));
    const r2 = await vltairInProcess(["--dir", state, "run", "--file", invalid]);
    expect(r2.code).toBe(1);
    expect(r2.last).toMatchObject({ ok: false, error: { code: "ValidationFailure" } });
    expect((r2.last.error as { message: string }).message).toContain("/constraints/timeoutMs");
    const missing = await vltairInProcess(["--dir", state, "run", "--file", path.join(dir, "nope.json")]);
    expect(missing.last).toMatchObject({ ok: false, error: { code: "NotFound" } });
  });

  it("logs a failure under its traceId in the project, redacted", async () => {
    const state = path.join(tempDir("vltair-log-"), ".vltair");
    expect((await vltairInProcess(["--dir", state, "init"])).code).toBe(0);
    const secret = "ghp_" + "a".repeat(36);
    const r = await vltairInProcess(["--dir", state, "run", "--file", `/nonexistent/${secret}.json`]);
    expect(r.code).toBe(1);
    const log = readFileSync(path.join(state, "cli-errors.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ level: "error", traceId: r.last.traceId, code: "NotFound" });
    expect(JSON.stringify(log[0])).not.toContain(secret);
  });

  it("redacts with --redact-prefix and --redact-fields before anything is journaled", async () => {
    const dir = tempDir("vltair-redact-");
    const state = path.join(dir, "state");
    const task = path.join(dir, "task.json");
    const token = "corp_" + "9f8e7d6c5b4a";
    writeFileSync(task, JSON.stringify({ type: "AgentTask", id: "plan-r", agent: "planning", payload: { goal: `fix the failing login test; deploy key ${token}` } }));
    const r = await vltairInProcess(["--dir", state, "--redact-prefix", "corp_", "--redact-fields", "text.content", "run", "--file", task]);
    expect(r.code, r.stdout).toBe(0);
    const runs = readdirSync(path.join(state, "runs"));
    const journal = readFileSync(path.join(state, "runs", runs[0]!, "journal.log")).toString("utf8");
    expect(journal).not.toContain(token);
    expect(journal).toContain("[REDACTED:");
    expect(journal).toContain('"content":"[REDACTED:field]"');
  });

  it("fails a task for an unknown agent with AgentUnavailable", async () => {
    const dir = tempDir("vltair-run-");
    const task = path.join(dir, "task.json");
    writeFileSync(task, JSON.stringify({ type: "AgentTask", id: "t-unknown", agent: "no-such-agent", payload: {} }));
    const r = await vltairInProcess(["--dir", path.join(dir, "state"), "run", "--file", task]);
    expect(r.code).toBe(1);
    expect(r.last).toMatchObject({ ok: false, error: { code: "AgentUnavailable" } });
  });

  it("runs a task file through a built-in agent and prints the validated result", async () => {
    const dir = tempDir("vltair-run-");
    const task = path.join(dir, "task.json");
    writeFileSync(task, JSON.stringify({ type: "AgentTask", id: "analyse-1", agent: "static-analysis", payload: { workspace: path.join(repoRoot, "examples/sample-repo") } }));
    const r = await vltairInProcess(["--dir", path.join(dir, "state"), "run", "--file", task]);
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; result: { type: string; parentId: string; agent: string; payload: { artifacts: { kind: string }[] } } };
    expect(out.ok).toBe(true);
    expect(out.result).toMatchObject({ type: "AgentResult", parentId: "analyse-1", agent: "static-analysis" });
    expect(out.result.payload.artifacts.some((a) => a.kind === "text")).toBe(true);
    // The run is journaled in the project: status lists it.
    const status = JSON.parse((await vltairInProcess(["--dir", path.join(dir, "state"), "status"])).stdout) as { runs: { status: string }[] };
    expect(status.runs).toHaveLength(1);
  });
});

describe("vltair: project state", () => {
  it("keeps registered agents across invocations (register, update, status)", async () => {
    const state = path.join(tempDir("vltair-state-"), ".vltair");
    expect((await vltairInProcess(["--dir", state, "init"])).code).toBe(0);
    expect((await vltairInProcess(["--dir", state, "init"])).last).toMatchObject({ ok: false, error: { code: "AlreadyExists" } });
    const reg = await vltairInProcess(["--dir", state, "register", "--agent", "remote-linter", "--cap", "code.analyze,lint"]);
    expect(reg.code, reg.stdout).toBe(0);
    const upd = await vltairInProcess(["--dir", state, "update", "--agent", "remote-linter", "--status", "draining", "--load", "0.25"]);
    expect(upd.code, upd.stdout).toBe(0);
    const status = await vltairInProcess(["--dir", state, "status"]);
    expect(status.code, status.stdout).toBe(0);
    const body = JSON.parse(status.stdout) as { agents: { name: string; status: string; load: number; capabilities: string[] }[] };
    const remote = body.agents.find((a) => a.name === "remote-linter");
    expect(remote).toMatchObject({ status: "draining", load: 0.25, capabilities: ["code.analyze", "lint"] });
    expect(body.agents.map((a) => a.name)).toEqual(expect.arrayContaining(["codegen", "debug", "testexec", "static-analysis", "testgen", "planning"]));
    const unknown = await vltairInProcess(["--dir", state, "update", "--agent", "ghost", "--status", "healthy"]);
    expect(unknown.code).toBe(1);
    expect(unknown.last).toMatchObject({ ok: false });
    const queue = await vltairInProcess(["--dir", state, "queue"]);
    expect(JSON.parse(queue.stdout)).toMatchObject({ ok: true, queued: 0, running: 0, workers: 2, stopped: true });
  });

  it("prints the exact query in test mode without opening anything", async () => {
    const state = path.join(tempDir("vltair-q-"), "never-created");
    const r = await vltairInProcess(
      ["--dir", state, "query", "--text", "rate limiter", "--k", "5", "--mode", "hybrid", "--rrf-k", "30", "--dense-weight", "0.7", "--sparse-weight", "0.3", "--rerank-factor", "4", "--filter-kv", "language=ts"],
      { env: { VLTAIR_TEST_MODE: "1" } },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      testMode: true,
      query: { text: "rate limiter", options: { k: 5, mode: "hybrid", scopes: ["global"], filters: "language=ts", rrfK: 30, denseWeight: 0.7, sparseWeight: 0.3, rerankFactor: 4 } },
    });
    const json = await vltairInProcess(["--dir", state, "query", "--text", "x", "--filter-json", "{bad"], { env: { VLTAIR_TEST_MODE: "1" } });
    expect(json.code).toBe(2);
  });

  it("ingests a repository and answers queries from it", async () => {
    const state = path.join(tempDir("vltair-ingest-"), ".vltair");
    const ingest = await vltairInProcess(["--dir", state, "ingest", path.join(repoRoot, "examples/sample-repo")]);
    expect(ingest.code, ingest.stdout).toBe(0);
    const report = JSON.parse(ingest.stdout) as { filesIndexed: number; chunks: number };
    expect(report.filesIndexed).toBeGreaterThanOrEqual(5);
    const again = JSON.parse((await vltairInProcess(["--dir", state, "ingest", path.join(repoRoot, "examples/sample-repo")])).stdout) as { filesIndexed: number };
    expect(again.filesIndexed).toBe(0);
    const q = await vltairInProcess(["--dir", state, "query", "--text", "limit requests per second", "--k", "3"]);
    expect(q.code, q.stdout).toBe(0);
    const hits = (JSON.parse(q.stdout) as { hits: { path: string }[] }).hits;
    expect(hits[0]?.path).toBe("src/rate-limiter.ts");
    const filtered = JSON.parse((await vltairInProcess(["--dir", state, "query", "--text", "limit requests", "--filter-kv", "language=markdown"])).stdout) as { hits: { path: string }[] };
    expect(filtered.hits.every((h) => h.path.endsWith(".md"))).toBe(true);
  });
});
