import type { ModelRequest, ModelResponse } from "@vltair/orchestrator";
import { ModelError } from "./model-errors.js";
import type { ModelProvider } from "./model-provider.js";

/** One scripted answer: plain content, or content with usage / finish reason, optionally only for matching prompts. */
export interface MockStep {
  /** Only answer requests whose prompt (all message contents joined by newlines) matches. */
  when?: RegExp | ((prompt: string, request: ModelRequest) => boolean);
  content: string;
  finishReason?: string;
  usage?: { promptTokens: number; completionTokens: number };
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * A scripted model for tests and demos. Steps without `when` answer in order; steps with `when` answer
 * the first matching request (each step once, unless `repeat`). Running out of steps is an error, so a
 * test notices an unexpected extra call.
 */
export class MockModel implements ModelProvider {
  readonly id: string;
  /** Every request received, in order. */
  readonly requests: ModelRequest[] = [];
  private readonly steps: (MockStep & { used: boolean })[];
  private readonly repeat: boolean;

  constructor(script: readonly (MockStep | string)[], options: { id?: string; repeat?: boolean } = {}) {
    this.id = options.id ?? "mock-model";
    this.repeat = options.repeat === true;
    this.steps = script.map((s) => ({ ...(typeof s === "string" ? { content: s } : s), used: false }));
  }

  /** Steps not used yet. */
  get remaining(): number {
    return this.steps.filter((s) => !s.used).length;
  }

  chat(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const prompt = request.messages.map((m) => m.content).join("\n");
    const matches = (s: MockStep) => s.when === undefined || (s.when instanceof RegExp ? s.when.test(prompt) : s.when(prompt, request));
    const step =
      this.steps.find((s) => !s.used && s.when !== undefined && matches(s)) ??
      this.steps.find((s) => !s.used && s.when === undefined) ??
      (this.repeat ? this.steps.find((s) => matches(s)) : undefined);
    if (step === undefined) {
      return Promise.reject(new ModelError("ScriptExhausted", `MockModel "${this.id}": no scripted answer left for call ${this.requests.length} (prompt starts ${JSON.stringify(prompt.slice(0, 60))})`));
    }
    if (!this.repeat) step.used = true;
    const response: ModelResponse = {
      content: step.content,
      model: this.id,
      usage: step.usage ?? { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(step.content) },
    };
    response.finishReason = step.finishReason ?? "stop";
    return Promise.resolve(response);
  }
}
