// Runs with `node --test` from this directory; `@vltair/agents` resolves through the monorepo's node_modules.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MockModel } from "@vltair/agents";
import helloAgent, { helloAgent as named } from "../index.mjs";

function fakeContext(payload) {
  const calls = [];
  return {
    calls,
    task: { type: "AgentTask", id: "t1", agent: "hello", payload },
    signal: new AbortController().signal,
    effect: (_tool, _input, run) => run(),
    callModel: (request, invoke) => {
      calls.push(request);
      return invoke(request);
    },
  };
}

test("exports one agent as default and named export", () => {
  assert.equal(helloAgent, named);
  assert.equal(helloAgent.name, "hello");
  assert.deepEqual([...helloAgent.capabilities], ["greet"]);
});

test("greets offline without a model", async () => {
  const ctx = fakeContext({ name: "Ada" });
  const out = await helloAgent.run(ctx.task, ctx);
  assert.deepEqual(out.payload.artifacts, [{ kind: "text", title: "greeting", content: "Hello, Ada!" }]);
});

test("uses the model through ctx.callModel when one is configured", async () => {
  const agent = helloAgent.withModel(new MockModel([{ when: /Ada/, content: "Good day, Ada." }]));
  const ctx = fakeContext({ name: "Ada" });
  const out = await agent.run(ctx.task, ctx);
  assert.equal(out.payload.artifacts[0].content, "Good day, Ada.");
  assert.equal(ctx.calls.length, 1);
  assert.equal(ctx.calls[0].temperature, 0);
});

test("rejects a payload without a name, saying where", () => {
  assert.throws(() => helloAgent.validatePayload({}), /invalid payload: \/name must have required property 'name'/);
});
