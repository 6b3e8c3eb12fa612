import { describe, expect, it } from "vitest";
import type { AgentTask } from "@vltair/envelopes";
import { AgentFailure, ManualClock, Orchestrator, type ModelRequest, type ModelResponse } from "../src/index.js";
import { agent, task, tempDir } from "./helpers.js";

const req = (content: string, maxTokens = 10): ModelRequest => ({ model: "m-1", messages: [{ role: "user", content }], temperature: 0, maxTokens });
const fakeModel = (completion: number) => async (r: ModelRequest): Promise<ModelResponse> => ({
  content: `answer to ${r.messages[0]!.content}`,
  model: r.model,
  usage: { promptTokens: Math.ceil(r.messages[0]!.content.length / 4), completionTokens: completion },
});

describe("budgets", () => {
  it("reserves before each model call, charges actual usage, and refuses a call that does not fit", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    let invoked = 0;
    orch.register(agent("llm", async (_t, ctx) => {
      const model = async (r: ModelRequest) => { invoked++; return fakeModel(10)(r); };
      await ctx.callModel(req("x".repeat(40)), model); // estimate 20, actual 20
      expect(ctx.budget.remaining().tokens).toBe(30);
      await ctx.callModel(req("y".repeat(40)), model);
      await ctx.callModel(req("z".repeat(40)), model); // estimate 20 > 10 left
      return { payload: {} };
    }));
    const r = await orch.submit(task("t", { agent: "llm", constraints: { budget: { tokens: 50 } } }));
    expect(invoked).toBe(2);
    expect(r).toMatchObject({ error: { code: "BudgetExhausted", retryable: false, details: { budget: "tokens", limit: 50, used: 40 } } });
    const ev = await orch.readJournal((await orch.listRuns())[0]!);
    expect(ev.filter((e) => e.type === "ModelCalled")).toHaveLength(2);
    expect(ev.find((e) => e.type === "BudgetExhausted")).toMatchObject({ taskId: "t", budget: "tokens", limit: 50, used: 40 });
    await orch.close();
  });

  it("aggregates over a task tree: children's usage counts against the parent's and the run's budget", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", concurrency: 1 });
    orch.register(agent("parent", async () => ({
      payload: { newTasks: [1, 2, 3].map((n): AgentTask => ({ type: "AgentTask", id: `c${n}`, agent: "child", payload: {} })) },
    })));
    orch.register(agent("child", async (t, ctx) => {
      await ctx.callModel({ ...req("q".repeat(40), 0), pricing: { inputPerMTokUsd: 1_000_000, outputPerMTokUsd: 0 } }, fakeModel(0));
      return { payload: { artifacts: [{ kind: "text", title: t.id, content: "done" }] } };
    }));
    const run = await orch.startRun({ budget: { costUsd: 35 } });
    const r = await run.submit(task("p", { agent: "parent", constraints: { budget: { tokens: 25 } } }));
    // c1 uses 10 tokens, c2 another 10; c3 would need 10 more than the parent's 25.
    expect(r).toMatchObject({ type: "AgentError", error: { code: "BudgetExhausted", details: { failedChildren: ["c3"] } } });
    expect((r as { partial: { artifacts: { title: string }[] } }).partial.artifacts.map((a) => a.title)).toEqual(["c1", "c2"]);
    // Each call costs 10 tokens × $1/token; the run budget saw c1 and c2 already.
    const second = await run.submit(task("solo", { agent: "child", constraints: { budget: { costUsd: 1000 } } }));
    expect(second).toMatchObject({ type: "AgentResult", metrics: { tokensUsed: 10, costUsd: 10 } });
    // $30 used of the run's $35: the next $10 call is refused.
    const third = await run.submit(task("solo2", { agent: "child" }));
    expect(third).toMatchObject({ error: { code: "BudgetExhausted", message: expect.stringMatching(/costUsd budget of run/) } });
    await orch.close();
  });

  it("stops a handler that outlives its wall budget (injected clock) and journals why", async () => {
    const clock = new ManualClock(0);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock });
    let finished = false;
    orch.register(agent("slow", async () => {
      clock.advance(1_000); // the 500 ms wall budget runs out in here; timers fire on advance
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
      return { payload: {} };
    }));
    const r = await orch.submit(task("w", { agent: "slow", constraints: { budget: { wallMs: 500 } } }));
    expect(r).toMatchObject({ error: { code: "BudgetExhausted", retryable: false, message: expect.stringMatching(/the task's wall budget ran out \(limit 500 ms/), details: { budget: "wallMs", limit: 500 } } });
    expect(finished).toBe(false);
    const ev = await orch.readJournal((await orch.listRuns())[0]!);
    expect(ev.find((e) => e.type === "BudgetExhausted")).toMatchObject({ taskId: "w", budget: "wallMs", limit: 500 });
    await orch.close();
  });

  it("does not start a task once the run's wall budget is spent", async () => {
    const clock = new ManualClock(0);
    const orch = new Orchestrator({ dir: tempDir(), durability: "none", clock });
    let ran = 0;
    orch.register(agent("step", async () => {
      ran++;
      return { payload: {} };
    }));
    const run = await orch.startRun({ budget: { wallMs: 1_000 } });
    expect((await run.submit(task("first", { agent: "step" }))).type).toBe("AgentResult");
    clock.advance(2_000);
    const late = await run.submit(task("second", { agent: "step" }));
    expect(late).toMatchObject({ error: { code: "BudgetExhausted", message: expect.stringMatching(/the run's wall budget ran out/) } });
    expect(ran).toBe(1);
    await run.finish();
    await orch.close();
  });

  it("lets an agent return partial results when a model call does not fit", async () => {
    const orch = new Orchestrator({ dir: tempDir(), durability: "none" });
    orch.register(agent("drafter", async (_t, ctx) => {
      try {
        await ctx.callModel(req("x".repeat(80)), fakeModel(1)); // estimate 30 > 10
      } catch (e) {
        throw new AgentFailure("BudgetExhausted", (e as Error).message, { partial: { artifacts: [{ kind: "text", title: "draft", content: "half" }] } });
      }
      return { payload: {} };
    }));
    const r = await orch.submit(task("d", { agent: "drafter", constraints: { budget: { tokens: 10 } } }));
    expect(r).toMatchObject({ error: { code: "BudgetExhausted", message: expect.stringMatching(/tokens budget/) }, partial: { artifacts: [{ title: "draft" }] } });
    await orch.close();
  });
});
