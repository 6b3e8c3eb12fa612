import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Orchestrator, readRunOwner } from "../src/index.js";
import { agent, task, tempDir } from "./helpers.js";

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "crash-run.mjs");

/** Runs the fixture until it prints "ready", then SIGKILLs it. */
function crashRun(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe("resume after a crash", () => {
  it("keeps finished tasks, re-runs in-flight idempotent ones, fails the others with a reason, runs queued ones", async () => {
    const dir = tempDir();
    await crashRun(dir);
    const orch = new Orchestrator({ dir, durability: "commit", seed: 11 });
    const ran: string[] = [];
    orch.register(agent("work", async (t) => { ran.push(t.id); return { payload: { artifacts: [{ kind: "text", title: t.id, content: "second process" }] } }; }));
    // The killed owner left its lock: the run is unfinished and its owner gone, i.e. interrupted.
    const owner = await readRunOwner(path.join(dir, "runs", "crashy"));
    expect(owner).toMatchObject({ alive: false });
    expect(owner!.pid).toBeGreaterThan(0);
    const report = await orch.resume("crashy");
    expect(await readRunOwner(path.join(dir, "runs", "crashy"))).toEqual({ pid: process.pid, alive: true });
    // A driver may submit the recorded tasks again: same id, agent and payload join the recorded task.
    const rejoined = await report.run.submit(task("done1", { agent: "work" }));
    expect(rejoined).toMatchObject({ type: "AgentResult", payload: { artifacts: [{ content: "first process" }] } });
    await expect(report.run.submit(task("done1", { agent: "work", payload: { other: true } }))).rejects.toMatchObject({ code: "DuplicateTask" });
    expect(report.finished.sort()).toEqual(["done1", "done2"]);
    expect(report.rerun).toEqual(["idem"]);
    expect(report.interrupted).toEqual(["plain"]);
    expect(report.queued).toEqual(["after"]);
    const summary = await report.run.finish();
    expect(summary).toMatchObject({ runId: "crashy", status: "failed", failedRoots: 1 });
    expect(ran.sort()).toEqual(["after", "idem"]);
    const ev = await orch.readJournal("crashy");
    const startedCount = (id: string) => ev.filter((e) => e.type === "TaskStarted" && e.taskId === id).length;
    expect(startedCount("done1")).toBe(1);
    expect(startedCount("idem")).toBe(2);
    expect(ev.find((e) => e.type === "TaskFailed" && e.taskId === "plain")).toMatchObject({
      error: { error: { code: "Internal", message: expect.stringMatching(/interrupted by a crash; not idempotent/) } },
    });
    expect(ev.at(-1)).toMatchObject({ type: "RunFinished", status: "failed" });
    ev.forEach((e, i) => expect(e.seq).toBe(i));
    // The idempotent task's key is now complete: submitting it again reuses the result.
    const again = await orch.submit(task("idem-again", { agent: "work", payload: { hang: true }, constraints: { idempotencyKey: "idem-key" } }));
    expect(again).toMatchObject({ parentId: "idem", payload: { artifacts: [{ content: "second process" }] } });
    await expect(orch.resume("crashy")).rejects.toMatchObject({ code: "RunFinished" });
    await expect(orch.resume("nope")).rejects.toMatchObject({ code: "UnknownRun" });
    await orch.close();
  });
});
