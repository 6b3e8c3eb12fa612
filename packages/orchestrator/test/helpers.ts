import { mkdtempSync, rmSync } from "node:fs";
import { afterAll } from "vitest";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AgentTask } from "@vltair/envelopes";
import type { Agent, AgentContext, AgentOutput } from "../src/index.js";

const created: string[] = [];
// Each test file removes the directories it made.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vltair-orch-test-"));
  created.push(dir);
  return dir;
}

/** A task with defaults. */
export function task(id: string, init: Partial<AgentTask> = {}): AgentTask {
  return { type: "AgentTask", id, agent: "echo", payload: {}, ...init };
}

/** An agent from a handler. */
export function agent(name: string, run: (t: AgentTask, ctx: AgentContext) => Promise<AgentOutput>, capabilities: string[] = []): Agent {
  return { name, capabilities, run };
}

/** An agent returning a text artifact naming the task. */
export function echoAgent(name = "echo", capabilities: string[] = []): Agent {
  return agent(name, async (t) => ({ payload: { artifacts: [{ kind: "text", title: t.id, content: JSON.stringify(t.payload) }] } }), capabilities);
}

/** Lets pending promise callbacks and I/O run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Yields to the event loop until `cond()` holds (bounded by rounds, not by time). */
export async function until(cond: () => boolean, rounds = 20_000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("condition not reached");
}
