import { describe, expect, it } from "vitest";
import { createTask, EnvelopeValidationError, type IdSource } from "../src/index.js";

function counter(prefix = "task-"): IdSource {
  let n = 0;
  return () => `${prefix}${++n}`;
}

describe("createTask", () => {
  it("builds a validated task with ids from the injected source", () => {
    const idSource = counter();
    const first = createTask({ agent: "codegen", payload: { workspace: "w" } }, { idSource });
    const second = createTask({ agent: "", payload: {}, capabilities: ["node"], priority: 5 }, { idSource });
    expect(first).toEqual({ type: "AgentTask", id: "task-1", agent: "codegen", payload: { workspace: "w" } });
    expect(second).toEqual({ type: "AgentTask", id: "task-2", agent: "", payload: {}, capabilities: ["node"], priority: 5 });
  });

  it("keeps an explicit id and does not consume the id source", () => {
    const idSource = counter();
    expect(createTask({ id: "mine", agent: "a", payload: {} }, { idSource }).id).toBe("mine");
    expect(idSource()).toBe("task-1");
  });

  it("defaults to random UUIDs", () => {
    const a = createTask({ agent: "a", payload: {} });
    const b = createTask({ agent: "a", payload: {} });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
  });

  it("rejects an invalid task, naming the field", () => {
    const run = () => createTask({ agent: "a", payload: {}, constraints: { maxAttempts: 0 } }, { idSource: counter() });
    expect(run).toThrow(EnvelopeValidationError);
    expect(run).toThrow("/constraints/maxAttempts: must be >= 1");
  });

  it("rejects an id source that returns an empty id", () => {
    expect(() => createTask({ agent: "a", payload: {} }, { idSource: () => "" })).toThrow("/id: must not be empty");
  });

  it("does not mutate its input", () => {
    const init = Object.freeze({ agent: "a", payload: Object.freeze({ x: 1 }), dependsOn: Object.freeze(["b"]) as string[] });
    const created = createTask(init, { idSource: counter() });
    expect(init).toEqual({ agent: "a", payload: { x: 1 }, dependsOn: ["b"] });
    expect(created).not.toBe(init);
  });
});
