import type { AgentContext, ModelRequest } from "@vltair/orchestrator";
import type { ChatMessage, ChatOptions, ModelClient, ModelProvider } from "./model-provider.js";

/** A model request that also names the prompt file it came from (journaled with the call's params). */
export type JournaledModelRequest = ModelRequest & { promptId?: string };

/**
 * The {@link ModelClient} agents use: each `chat` becomes `ctx.callModel(request, provider.chat)`, so the
 * orchestrator reserves and charges the budget, journals `ModelCalled`, and in replay answers from the journal.
 * Defaults: temperature 0 and seed 42 unless the provider or the call says otherwise.
 */
export function createModelClient(provider: ModelProvider, ctx: Pick<AgentContext, "callModel" | "signal">): ModelClient {
  return {
    modelId: provider.id,
    chat(messages: readonly ChatMessage[] | string, options: ChatOptions = {}) {
      const list: ChatMessage[] = typeof messages === "string" ? [{ role: "user", content: messages }] : messages.map((m) => ({ role: m.role, content: m.content }));
      const request: JournaledModelRequest = {
        model: provider.id,
        messages: list,
        temperature: options.temperature ?? provider.defaults?.temperature ?? 0,
        seed: options.seed ?? provider.defaults?.seed ?? 42,
      };
      const maxTokens = options.maxTokens ?? provider.defaults?.maxTokens;
      if (maxTokens !== undefined) request.maxTokens = maxTokens;
      if (provider.defaults?.pricing !== undefined) request.pricing = provider.defaults.pricing;
      if (options.promptId !== undefined) request.promptId = options.promptId;
      return ctx.callModel(request, (r) => provider.chat(r, ctx.signal));
    },
  };
}
