import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentTask } from "@vltair/envelopes";
import { Orchestrator } from "@vltair/orchestrator";
import { bin, tempDir, vltair, vltairInProcess } from "./cli-helpers.js";

/** A project directory whose `vltair.config.json` loads two tiny plugin agents (`slow` can hang on demand). */
function pluginProject(): { cwd: string; state: string; task: (name: string, task: Record<string, unknown>) => string } {
  const cwd = tempDir("vltair-runs-");
  writeFileSync(
    path.join(cwd, "agents.mjs"),
    `export const slow = {
  name: "slow",
  capabilities: [],
  async run(task) {
    if (task.payload.hang && process.env.VLTAIR_TEST_HANG === "1") {
      setInterval(() => {}, 1000); // keeps the process alive, as a real long task would
      process.stderr.write("hanging\\n");
      return new Promise(() => {});
    }
    return { payload: { artifacts: [{ kind: "text", title: "done", content: "slow " + JSON.stringify(task.payload) }] } };
  },
};
export const other = { name: "other", capabilities: [], async run() { return { payload: {} }; } };
`,
  );
  writeFileSync(path.join(cwd, "vltair.config.json"), JSON.stringify({ plugins: ["./agents.mjs"] }));
  const task = (name: string, body: Record<string, unknown>) => {
    const file = path.join(cwd, `${name}.json`);
    writeFileSync(file, JSON.stringify({ type: "AgentTask", id: name, payload: {}, ...body }));
    return file;
  };
  return { cwd, state: path.join(cwd, ".vltair"), task };
}

/** Starts `vltair run` on a task whose agent hangs; resolves once it hangs, with the child. */
function hangingRun(cwd: string, state: string, file: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--dir", state, "run", "--file", file], { cwd, env: { PATH: process.env.PATH ?? "", VLTAIR_TEST_HANG: "1" } });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("hanging")) {
        resolve({
          pid: child.pid!,
          kill: () => new Promise<void>((done) => {
            child.on("exit", () => done());
            child.kill("SIGKILL");
          }),
        });
      }
    });
    child.on("exit", (code) => reject(new Error(`vltair run exited ${code} before hanging: ${err}`)));
  });
}

/** Records finished runs (one per task list) with the library, as another process using the orchestrator would. */
async function recordRuns(state: string, ...runs: Partial<AgentTask>[][]): Promise<void> {
  const orch = new Orchestrator({ dir: state, durability: "flush" });
  orch.register({ name: "slow", capabilities: [], run: async (t) => ({ payload: { artifacts: [{ kind: "text", title: "done", content: JSON.stringify(t.payload) }] } }) });
  for (const tasks of runs) {
    const run = await orch.startRun();
    await run.submitAll(tasks.map((t) => ({ type: "AgentTask", agent: "slow", payload: {}, ...t }) as AgentTask));
    await run.finish();
  }
  await orch.close();
}

const runsOf = async (state: string, ...flags: string[]) => (await vltairInProcess(["--dir", state, "runs", ...flags])).last.runs as { runId: string; status: string; owner?: { pid: number }; damage?: { file: string; offset?: number; message: string } }[];

describe("runs that crashed: listed as interrupted, resumed by vltair resume", () => {
  it("shows a run as running while its owner lives, as interrupted once it is killed, and resumes it to the end", async () => {
    const { cwd, state, task } = pluginProject();
    const hang = await hangingRun(cwd, state, task("stuck", { agent: "slow", payload: { hang: true }, constraints: { deterministic: true } }));
    const [runId] = readdirSync(path.join(state, "runs"));
    expect(await runsOf(state, "--unfinished")).toMatchObject([{ runId, status: "running", owner: { pid: hang.pid }, tasks: { running: 1 } }]);
    expect((await vltairInProcess(["--dir", state, "queue"])).last).toMatchObject({ ok: true, running: 1, runs: [runId], interrupted: [] });

    await hang.kill();
    expect(await runsOf(state, "--unfinished")).toMatchObject([{ runId, status: "interrupted", owner: { pid: hang.pid } }]);
    // Not queued or running forever: the queue counts only live runs and names the interrupted one.
    expect((await vltairInProcess(["--dir", state, "queue"])).last).toMatchObject({ ok: true, queued: 0, running: 0, stopped: true, runs: [], interrupted: [runId] });
    const status = await vltairInProcess(["--dir", state, "status"], { tty: true });
    expect(status.stdout).toMatch(new RegExp(`${runId}\\s+interrupted.*owner pid ${hang.pid} is gone; vltair resume ${runId}`));

    const resumed = await vltair(["--dir", state, "resume", runId!], { cwd });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.last).toMatchObject({ ok: true, runId, status: "succeeded", resumed: { rerun: ["stuck"], interrupted: [], finished: [] } });
    expect(await runsOf(state, "--unfinished")).toEqual([]);
    expect(await runsOf(state)).toMatchObject([{ runId, status: "succeeded", tasks: { succeeded: 1 } }]);
    const again = await vltairInProcess(["--dir", state, "resume", runId!]);
    expect(again.last).toMatchObject({ ok: false, error: { code: "RunFinished" } });
    expect((await vltairInProcess(["--dir", state, "resume", "no-such-run"])).last).toMatchObject({ ok: false, error: { code: "NotFound" } });
  }, 60_000);

  it("refuses a reused idempotency key across agents or payloads, also in a later invocation", async () => {
    const { state, task } = pluginProject();
    // The key's first use, recorded by another process (a library user): bound to agent slow, payload {n:1}.
    await recordRuns(state, [{ id: "a", agent: "slow", payload: { n: 1 }, constraints: { idempotencyKey: "deploy-42" } }]);
    const same = await vltairInProcess(["--dir", state, "run", "--file", task("a2", { agent: "slow", payload: { n: 1 }, constraints: { idempotencyKey: "deploy-42" } })]);
    expect(same.last).toMatchObject({ ok: true, result: { parentId: "a" } });
    for (const [name, body] of [["b", { agent: "testexec", payload: { n: 1 } }], ["c", { agent: "slow", payload: { n: 2 } }]] as const) {
      const reused = await vltairInProcess(["--dir", state, "run", "--file", task(name, { ...body, constraints: { idempotencyKey: "deploy-42" } })]);
      expect(reused.code).toBe(1);
      expect(reused.last).toMatchObject({ ok: false, error: { code: "IdempotencyConflict", message: expect.stringContaining('idempotencyKey "deploy-42"') } });
    }
  });
});

describe("damaged runs never hide the others", () => {
  it("lists a flipped byte, an empty or headless journal and stray entries under runs/ as damaged, with file and offset", async () => {
    const { state } = pluginProject();
    await recordRuns(state, [{ id: "one" }], [{ id: "two" }], [{ id: "three" }], [{ id: "four" }]);
    const runsDir = path.join(state, "runs");
    const [good, flipped, empty, headless] = readdirSync(runsDir).sort();
    const journal = (id: string) => path.join(runsDir, id, "journal.log");
    const bytes = readFileSync(journal(flipped!));
    bytes.writeUInt8(bytes.readUInt8(20) ^ 0xff, 20); // inside the first frame, with valid frames after it
    writeFileSync(journal(flipped!), bytes);
    truncateSync(journal(empty!), 0);
    writeFileSync(journal(headless!), "VLT");
    mkdirSync(path.join(runsDir, "stray-dir"));
    writeFileSync(path.join(runsDir, "stray-file.txt"), "not a run");

    const runs = await runsOf(state);
    expect(runs.map((r) => [r.runId, r.status])).toEqual([
      [good, "succeeded"], [flipped, "damaged"], [empty, "damaged"], [headless, "damaged"], ["stray-dir", "damaged"],
    ]);
    expect(runs[1]!.damage).toMatchObject({ file: journal(flipped!), offset: 8, message: expect.stringContaining("corrupt at byte offset 8") });
    expect(runs[2]!.damage).toMatchObject({ file: journal(empty!), offset: 0 });
    expect(runs[3]!.damage).toMatchObject({ file: journal(headless!), offset: 0 });
    expect(runs[4]!.damage).toMatchObject({ file: journal("stray-dir"), message: "no journal in this run directory" });

    const status = await vltairInProcess(["--dir", state, "status"]);
    expect(status.code).toBe(0);
    expect((status.last.runs as unknown[]).length).toBe(5);
    const queue = await vltairInProcess(["--dir", state, "queue"]);
    expect(queue.code).toBe(0);
    expect(queue.last).toMatchObject({ ok: true, queued: 0, running: 0, damaged: [{ runId: flipped, offset: 8 }, { runId: empty }, { runId: headless }, { runId: "stray-dir" }] });
    expect((await vltairInProcess(["--dir", state, "queue"], { tty: true })).stdout).toContain(`damaged run ${flipped}: ${journal(flipped!)} at byte 8`);
    const resume = await vltairInProcess(["--dir", state, "resume", flipped!]);
    expect(resume.last).toMatchObject({ ok: false, error: { code: "Damaged", message: expect.stringContaining("at byte 8") } });
  }, 60_000);
});

describe("a closed stdout", () => {
  it("is handled quietly: no EPIPE, no stack trace, the command still completes", async () => {
    const { state } = pluginProject();
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, "--dir", state, "status"], { env: { PATH: process.env.PATH ?? "" } });
      child.stdout.destroy(); // the reader is gone before the first byte (`vltair status | true`)
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(result.code).toBe(0);
  }, 30_000);
});
