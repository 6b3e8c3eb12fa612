// A minimal stand-in for the orchestrator's AgentContext with the same contract for `effect` and
// `callModel`: it journals every call, answers from the journal when replaying, and enforces a token budget.
import { createHash } from "node:crypto";
import type { AgentContext, ModelRequest, ModelResponse } from "@vltair/orchestrator";

export interface JournalEntry {
  kind: "tool" | "model";
  name: string;
  input: unknown;
  output: unknown;
}

export interface JournalingContext extends AgentContext {
  journal: JournalEntry[];
  tokensUsed: number;
}

export function journalingContext(options: { payload?: unknown; replayFrom?: JournalEntry[]; tokenBudget?: number } = {}): JournalingContext {
  const journal: JournalEntry[] = [];
  const replay = options.replayFrom === undefined ? undefined : [...options.replayFrom];
  const next = (kind: JournalEntry["kind"], name: string, input: unknown) => {
    const entry = replay?.shift();
    if (entry === undefined || entry.kind !== kind || entry.name !== name || JSON.stringify(entry.input) !== JSON.stringify(input)) {
      throw new Error(`replay divergence at ${kind} ${name}`);
    }
    return entry.output;
  };
  const controller = new AbortController();
  const ctx = {
    task: { type: "AgentTask", id: "t1", agent: "test", payload: options.payload ?? {} },
    runId: "run-1",
    attempt: 1,
    signal: controller.signal,
    logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return ctx.logger; } },
    clock: { now: () => 0 },
    random: { next: () => 0.5 },
    replaying: replay !== undefined,
    trace: { traceId: "0".repeat(32), spanId: "0".repeat(16) },
    dependencies: new Map(),
    budget: { remaining: () => (options.tokenBudget === undefined ? {} : { tokens: options.tokenBudget - ctx.tokensUsed }) },
    journal,
    tokensUsed: 0,
    async effect<T>(tool: string, input: unknown, run: () => Promise<T>): Promise<T> {
      if (replay !== undefined) return next("tool", tool, input) as T;
      const output = await run();
      journal.push({ kind: "tool", name: tool, input: JSON.parse(JSON.stringify(input)), output: JSON.parse(JSON.stringify(output ?? null)) });
      return output;
    },
    digest: (text: string) => createHash("sha256").update(text).digest("hex"),
    async callModel(request: ModelRequest, invoke: (r: ModelRequest) => Promise<ModelResponse>): Promise<ModelResponse> {
      if (replay !== undefined) return next("model", request.model, request) as ModelResponse;
      const reserve = Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4) + (request.maxTokens ?? 0);
      if (options.tokenBudget !== undefined && ctx.tokensUsed + reserve > options.tokenBudget) {
        throw Object.assign(new Error("budget exhausted"), { code: "BudgetExhausted" });
      }
      const response = await invoke(request);
      ctx.tokensUsed += response.usage.promptTokens + response.usage.completionTokens;
      journal.push({ kind: "model", name: request.model, input: JSON.parse(JSON.stringify(request)), output: response });
      return response;
    },
  };
  return ctx as unknown as JournalingContext;
}
