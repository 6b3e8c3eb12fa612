import { inspect } from "node:util";
import { AgentFailure, type AgentContext, type ModelRequest, type ModelResponse } from "./agent.js";
import type { AttemptControl } from "./attempt-control.js";
import { isBreach, type BudgetLedger } from "./budget.js";
import type { EventBody, EventLog } from "./event-log.js";
import { modelParams } from "./model-params.js";
import type { ReplaySource, ToolCallError } from "./replay-source.js";

/** What one attempt's side-effect gateway is built from. */
export interface SideEffectGatewayInit {
  taskId: string;
  /** The run's event log: every call is journaled before the agent sees its answer. */
  log: EventLog;
  /** Budgets: a model call reserves its estimate first and settles the measured usage after. */
  ledger: BudgetLedger;
  /** Set while replaying: answers come from the recording, never from the tool or model. */
  replay: ReplaySource | undefined;
  /** The attempt's cancellation: an attempt already stopped records nothing more. */
  control: AttemptControl;
  /** The task's call counter (kept across attempts, so call indexes never repeat within a task). */
  calls: { callIndex: number };
}

/** The journaled operations of one attempt's context. */
export interface SideEffectGateway {
  effect: AgentContext["effect"];
  callModel: (request: ModelRequest, invoke: (request: ModelRequest) => Promise<ModelResponse>) => Promise<ModelResponse>;
}

/**
 * The one door through which an attempt reaches the outside world: `ctx.effect` (tools, files,
 * processes) and `ctx.callModel`. Each call is journaled (`ToolCalled`, `ModelCalled`), answered from the
 * recording while replaying, and — for models — held against the budgets before it is made.
 */
export function createSideEffectGateway(deps: SideEffectGatewayInit): SideEffectGateway {
  const effect = async <T>(tool: string, input: unknown, fn: () => Promise<T>): Promise<T> => {
    const callIndex = deps.calls.callIndex++;
    let output: T;
    if (deps.replay) {
      const recorded = deps.replay.nextTool(deps.taskId, tool, input);
      if (!recorded.ok) {
        await deps.log.append({ type: "ToolCalled", taskId: deps.taskId, callIndex, tool, input: jsonSafe(input), output: null });
        throw new AgentFailure("Internal", recorded.message);
      }
      if (recorded.error !== undefined) {
        // The recorded call failed: fail the same way, so the agent takes the path it took.
        await deps.log.append({ type: "ToolCalled", taskId: deps.taskId, callIndex, tool, input: jsonSafe(input), error: recorded.error });
        throw recordedToolError(recorded.error);
      }
      output = recorded.output as T;
    } else {
      try {
        output = await fn();
      } catch (e) {
        // A failing side effect is part of the run: journaled, so replay reproduces it.
        if (!deps.control.aborted) await deps.log.append({ type: "ToolCalled", taskId: deps.taskId, callIndex, tool, input: jsonSafe(input), error: toolCallError(e) });
        throw e;
      }
    }
    // An attempt already stopped (timeout, cancellation) records nothing more after its outcome.
    if (deps.control.aborted) throw deps.control.reason;
    await deps.log.append({ type: "ToolCalled", taskId: deps.taskId, callIndex, tool, input: jsonSafe(input), output: jsonSafe(output) });
    return output;
  };
  const callModel = async (req: ModelRequest, invoke: (r: ModelRequest) => Promise<ModelResponse>): Promise<ModelResponse> => {
    const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
    const promptEstimate = Math.ceil(promptChars / 4);
    const maxOut = req.maxTokens ?? 0;
    const costEstimate = req.pricing ? (promptEstimate * req.pricing.inputPerMTokUsd + maxOut * req.pricing.outputPerMTokUsd) / 1e6 : 0;
    const held = deps.ledger.reserve(deps.taskId, promptEstimate + maxOut, costEstimate);
    if (isBreach(held)) {
      await deps.log.append({ type: "BudgetExhausted", taskId: deps.taskId, budget: held.budget, limit: held.limit, used: held.used });
      throw new AgentFailure("BudgetExhausted", `${held.budget} budget of ${held.nodeId === deps.taskId ? "task" : held.nodeId.startsWith("run:") ? "run" : "ancestor task"} ${held.nodeId} exhausted: limit ${held.limit}, used ${held.used} (task ${deps.taskId})`, {
        details: { ...held },
      });
    }
    const callIndex = deps.calls.callIndex++;
    let res: ModelResponse;
    try {
      if (deps.replay) {
        const recorded = deps.replay.nextModel(deps.taskId, req);
        if (!recorded.ok) throw new AgentFailure("Internal", recorded.message);
        res = recorded.response;
      } else {
        res = await invoke(req);
      }
    } catch (e) {
      deps.ledger.settle(held, 0, 0);
      throw e;
    }
    const tokens = res.usage.promptTokens + res.usage.completionTokens;
    const cost = req.pricing ? (res.usage.promptTokens * req.pricing.inputPerMTokUsd + res.usage.completionTokens * req.pricing.outputPerMTokUsd) / 1e6 : undefined;
    deps.ledger.settle(held, tokens, cost ?? 0);
    const params = modelParams(req);
    const response: { content: string; finishReason?: string } = { content: res.content };
    if (res.finishReason !== undefined) response.finishReason = res.finishReason;
    const body: EventBody = {
      type: "ModelCalled",
      taskId: deps.taskId,
      callIndex,
      model: req.model,
      params,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      response,
      usage: { promptTokens: res.usage.promptTokens, completionTokens: res.usage.completionTokens },
    };
    if (cost !== undefined) body.costUsd = cost;
    await deps.log.append(body);
    return res;
  };
  return { effect, callModel };
}

/** JSON round-trip so the journal and replay see the same value (undefined → null). */
function jsonSafe(x: unknown): unknown {
  if (x === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(x)) as unknown;
  } catch {
    // Not JSON (a cycle, a bigint): journal a readable description instead of "[object Object]".
    return inspect(x, { depth: 4, breakLength: Infinity });
  }
}

/** How a side effect failed, as journaled: enough to fail the same way in replay. */
function toolCallError(e: unknown): ToolCallError {
  const err = e as { name?: unknown; message?: unknown; code?: unknown } | null;
  const out: ToolCallError = { message: typeof err?.message === "string" ? err.message : String(e) };
  if (typeof err?.name === "string") out.name = err.name;
  if (typeof err?.code === "string") out.code = err.code;
  return out;
}

/** The error a replayed failing side effect throws (same name, message and code; not the same class). */
function recordedToolError(recorded: ToolCallError): Error {
  const error = new Error(recorded.message) as Error & { code?: string };
  if (recorded.name !== undefined) error.name = recorded.name;
  if (recorded.code !== undefined) error.code = recorded.code;
  return error;
}
