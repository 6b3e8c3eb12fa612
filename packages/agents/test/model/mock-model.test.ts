import { describe, expect, it } from "vitest";
import { createModelClient, MockModel, ModelError } from "../../src/index.js";
import { journalingContext } from "../sdk/journaling-context.js";

const req = (content: string) => ({ model: "mock-model", messages: [{ role: "user" as const, content }], temperature: 0 });

describe("MockModel", () => {
  it("answers in order, estimates usage and errors when the script is exhausted", async () => {
    const m = new MockModel(["first", { content: "second", usage: { promptTokens: 10, completionTokens: 20 }, finishReason: "length" }]);
    expect(await m.chat(req("abcdefgh"))).toEqual({ content: "first", model: "mock-model", finishReason: "stop", usage: { promptTokens: 2, completionTokens: 2 } });
    expect(await m.chat(req("x"))).toMatchObject({ content: "second", finishReason: "length", usage: { promptTokens: 10, completionTokens: 20 } });
    expect(m.remaining).toBe(0);
    await expect(m.chat(req("again"))).rejects.toMatchObject({ code: "ScriptExhausted", message: expect.stringMatching(/call 3.*again/) });
    await expect(m.chat(req("again"))).rejects.toBeInstanceOf(ModelError);
    expect(m.requests).toHaveLength(4);
  });

  it("prefers steps whose predicate matches the prompt", async () => {
    const m = new MockModel([{ content: "generic" }, { when: /fix the bug/, content: "patch" }, { when: (p) => p.includes("plan"), content: "plan!" }], { id: "scripted" });
    expect((await m.chat(req("please plan this"))).content).toBe("plan!");
    expect((await m.chat(req("other"))).content).toBe("generic");
    expect((await m.chat(req("now fix the bug"))).content).toBe("patch");
    expect((await m.chat(req("now fix the bug")).catch((e: Error) => e.message))).toMatch(/no scripted answer/);
  });

  it("repeats its steps when asked to", async () => {
    const m = new MockModel([{ when: /a/, content: "A" }, "default"], { repeat: true });
    expect((await m.chat(req("a"))).content).toBe("A");
    expect((await m.chat(req("a"))).content).toBe("A");
    expect((await m.chat(req("b"))).content).toBe("default");
  });
});

describe("createModelClient", () => {
  it("routes chat through ctx.callModel with deterministic defaults and the prompt id", async () => {
    const ctx = journalingContext();
    const model = new MockModel(["done"]);
    const client = createModelClient(model, ctx);
    expect(client.modelId).toBe("mock-model");
    const r = await client.chat([{ role: "system", content: "be brief" }, { role: "user", content: "go" }], { promptId: "codegen@v1", maxTokens: 50 });
    expect(r.content).toBe("done");
    expect(ctx.journal).toEqual([
      {
        kind: "model",
        name: "mock-model",
        input: { model: "mock-model", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "go" }], temperature: 0, seed: 42, maxTokens: 50, promptId: "codegen@v1" },
        output: r,
      },
    ]);
  });

  it("applies provider defaults (pricing, seed) and lets the budget refuse a call before the model runs", async () => {
    const model = Object.assign(new MockModel(["x"]), { defaults: { seed: 7, temperature: 0.2, maxTokens: 1000, pricing: { inputPerMTokUsd: 1, outputPerMTokUsd: 2 } } });
    const ctx = journalingContext({ tokenBudget: 100 });
    await expect(createModelClient(model, ctx).chat("hello")).rejects.toMatchObject({ code: "BudgetExhausted" });
    expect(model.requests).toHaveLength(0);
    const ok = journalingContext();
    await createModelClient(model, ok).chat("hello");
    expect(ok.journal[0]?.input).toMatchObject({ seed: 7, temperature: 0.2, maxTokens: 1000, pricing: { inputPerMTokUsd: 1, outputPerMTokUsd: 2 } });
  });

  it("replays from the journal without calling the model", async () => {
    const first = journalingContext();
    await createModelClient(new MockModel(["recorded"]), first).chat("q");
    const exhausted = new MockModel([]);
    const again = journalingContext({ replayFrom: first.journal });
    expect((await createModelClient(exhausted, again).chat("q")).content).toBe("recorded");
    expect(exhausted.requests).toHaveLength(0);
  });
});
