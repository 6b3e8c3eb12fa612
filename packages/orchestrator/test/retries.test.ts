import { describe, expect, it } from "vitest";
import { AgentFailure, backoffDelay, defaultRetryPolicy, ManualClock, Orchestrator, SeededRandom } from "../src/index.js";
import { agent, flush, task, tempDir, until } from "./helpers.js";

describe("retries", () => {
  it("retries only retryable errors, with seeded exponential backoff, without blocking a worker", async () => {
    const clock = new ManualClock(1_000);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock, concurrency: 1, seed: 7, retry: { baseMs: 100, maxDelayMs: 10_000, maxAttempts: 3 } });
    let calls = 0;
    orch.register(agent("flaky", async (_t, ctx) => {
      calls++;
      if (ctx.attempt < 3) throw Object.assign(new Error(`transient ${ctx.attempt}`), { retryable: true });
      return { payload: {} };
    }));
    orch.register(agent("other", async () => ({ payload: {} })));
    const run = await orch.startRun();
    const flaky = run.submit(task("f", { agent: "flaky" }));
    await flush();
    expect(calls).toBe(1);
    // While f waits for its backoff, the single worker is free for other work.
    expect(await run.submit(task("o", { agent: "other" }))).toMatchObject({ type: "AgentResult" });
    clock.advance(10_000);
    await flush();
    clock.advance(10_000);
    expect(await flaky).toMatchObject({ type: "AgentResult" });
    expect(calls).toBe(3);
    const retried = (await run.finish(), await orch.readJournal(run.runId)).filter((e) => e.type === "TaskRetried");
    expect(retried.map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
    const delays = retried.map((e) => (e as { delayMs: number }).delayMs);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    await orch.close();
  });

  it("exhausts maxAttempts into an AgentError and a dead-letter record", async () => {
    const clock = new ManualClock(0);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock });
    orch.register(agent("down", async () => { throw new AgentFailure("ExecutionError", "still down", { retryable: true, details: { host: "x" } }); }));
    const p = orch.submit(task("d", { agent: "down", constraints: { maxAttempts: 2 } }));
    await until(() => orch.metrics().retried === 1);
    clock.advance(60_000);
    const r = await p;
    expect(r).toMatchObject({ type: "AgentError", error: { code: "ExecutionError", message: "still down", retryable: true, details: { host: "x" } } });
    expect(orch.metrics()).toMatchObject({ retried: 1, failed: 1, deadLettered: 1 });
    expect(orch.deadLetters()[0]).toEqual(r);
    await orch.close();
  });

  it("does not retry a non-retryable AgentFailure and keeps its code and partial artifacts", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    let calls = 0;
    orch.register(agent("tests", async () => {
      calls++;
      throw new AgentFailure("TestFailure", "2 tests failed", { partial: { artifacts: [{ kind: "text", title: "log", content: "x" }] } });
    }));
    const r = await orch.submit(task("t", { agent: "tests" }));
    expect(r).toMatchObject({ error: { code: "TestFailure", retryable: false }, partial: { artifacts: [{ kind: "text", title: "log" }] } });
    expect(calls).toBe(1);
    await orch.close();
  });

  it("the backoff is base·2^(n-1), capped, jittered deterministically by the seed", () => {
    const p = { ...defaultRetryPolicy, baseMs: 100, maxDelayMs: 1_000 };
    const a = [1, 2, 3, 4, 5].map((n) => backoffDelay(p, n, new SeededRandom(3)));
    const b = [1, 2, 3, 4, 5].map((n) => backoffDelay(p, n, new SeededRandom(3)));
    expect(a).toEqual(b);
    [100, 200, 400, 800, 1000].forEach((step, i) => {
      expect(a[i]).toBeGreaterThanOrEqual(step / 2);
      expect(a[i]).toBeLessThanOrEqual(step);
    });
  });
});

describe("timeouts", () => {
  it("aborts the handler through its signal and yields Timeout, never retried, even if the handler ignores the signal", async () => {
    const clock = new ManualClock(0);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock });
    let sawAbort: unknown;
    let calls = 0;
    orch.register(agent("stuck", async (_t, ctx) => {
      calls++;
      ctx.signal.addEventListener("abort", () => (sawAbort = ctx.signal.reason));
      return new Promise(() => undefined); // ignores the signal
    }));
    const p = orch.submit(task("s", { agent: "stuck", constraints: { timeoutMs: 500, maxAttempts: 5 } }));
    await until(() => calls === 1);
    clock.advance(499);
    await flush();
    expect(orch.metrics().running).toBe(1);
    clock.advance(1);
    const r = await p;
    expect(r).toMatchObject({ error: { code: "Timeout", retryable: false, details: { timeoutMs: 500 } } });
    expect((sawAbort as Error).message).toMatch(/timed out after 500 ms/);
    expect(calls).toBe(1);
    expect(orch.metrics().running).toBe(0);
    await orch.close();
  });

  it("close() stops a handler that never read its signal, and a signal read afterwards is already aborted", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    let ctxSeen: { signal: AbortSignal } | undefined;
    orch.register(agent("deaf", async (_t, ctx) => {
      ctxSeen = ctx; // the signal is not read while the handler runs
      return new Promise(() => undefined);
    }));
    const p = orch.submit(task("d", { agent: "deaf" }));
    await until(() => ctxSeen !== undefined);
    await orch.close();
    expect(await p).toMatchObject({ error: { code: "Cancelled" } });
    expect(ctxSeen!.signal.aborted).toBe(true);
    expect((ctxSeen!.signal.reason as Error).message).toMatch(/cancelled: the orchestrator was closed/);
  });

  it("close() cancels queued and running tasks with journaled TaskCancelled", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 1 });
    orch.register(agent("hang", async (_t, ctx) => new Promise((_, rej) => ctx.signal.addEventListener("abort", () => rej(ctx.signal.reason)))));
    const run = await orch.startRun({ runId: "cancel-me" });
    const a = run.submit(task("a", { agent: "hang" }));
    const b = run.submit(task("b", { agent: "hang" }));
    await flush();
    await orch.close();
    expect(await a).toMatchObject({ error: { code: "Cancelled" } });
    expect(await b).toMatchObject({ error: { code: "Cancelled" } });
    const ev = await new Orchestrator({ dir: orch.dir }).readJournal("cancel-me");
    expect(ev.filter((e) => e.type === "TaskCancelled").map((e) => e.taskId).sort()).toEqual(["a", "b"]);
    expect(ev.at(-1)).toMatchObject({ type: "RunFinished", status: "cancelled" });
  });
});
