import type { ModelCalledEvent, RunEvent, ToolCalledEvent } from "@vltair/envelopes";
import { canonicalJson } from "./canonical-json.js";
import { modelParams } from "./model-params.js";

/** How a recorded tool call failed. */
export type ToolCallError = NonNullable<ToolCalledEvent["error"]>;
import type { ModelRequest, ModelResponse } from "./agent.js";

/** A recorded answer, or why the call does not match the recording. */
export type Recorded<T> = ({ ok: true } & T) | { ok: false; message: string };

/**
 * Recorded tool and model outputs of a run, served per task in call order. A call whose tool/input or
 * model/messages differ from the recording is refused (the replay then reports the divergence).
 */
export class ReplaySource {
  readonly #tools = new Map<string, ToolCalledEvent[]>();
  readonly #models = new Map<string, ModelCalledEvent[]>();

  readonly #normalize: (x: unknown) => unknown;

  /** `normalize` maps an input to its redacted JSON form; live and recorded inputs are compared after it. */
  constructor(events: readonly RunEvent[], normalize: (x: unknown) => unknown) {
    this.#normalize = normalize;
    for (const e of events) {
      if (e.type === "ToolCalled") push(this.#tools, e.taskId, e);
      else if (e.type === "ModelCalled") push(this.#models, e.taskId, e);
    }
  }

  nextTool(taskId: string, tool: string, input: unknown): Recorded<{ output: unknown; error?: ToolCallError }> {
    const next = this.#tools.get(taskId)?.shift();
    if (!next) return { ok: false, message: `replay: task ${taskId} made an unrecorded tool call ${tool}` };
    if (next.tool !== tool || !sameJson(this.#normalize(next.input), this.#normalize(input))) {
      return { ok: false, message: `replay: task ${taskId} called ${tool} with ${JSON.stringify(input)}; the recording has ${next.tool} with ${JSON.stringify(next.input)}` };
    }
    return next.error === undefined ? { ok: true, output: next.output } : { ok: true, output: null, error: next.error };
  }

  nextModel(taskId: string, req: ModelRequest): Recorded<{ response: ModelResponse }> {
    const next = this.#models.get(taskId)?.shift();
    if (!next) return { ok: false, message: `replay: task ${taskId} made an unrecorded model call to ${req.model}` };
    if (next.model !== req.model || !sameJson(this.#normalize(next.messages), this.#normalize(req.messages)) || !sameJson(this.#normalize(next.params), this.#normalize(modelParams(req)))) {
      return { ok: false, message: `replay: task ${taskId} sent a different prompt to ${req.model} than the recording (call ${next.callIndex})` };
    }
    const response: ModelResponse = { content: next.response.content, model: next.model, usage: { ...next.usage } };
    if (next.response.finishReason !== undefined) response.finishReason = next.response.finishReason;
    return { ok: true, response };
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Equal as JSON values: key order does not matter. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}
