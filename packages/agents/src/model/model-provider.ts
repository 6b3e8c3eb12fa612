import type { ModelRequest, ModelResponse } from "@vltair/orchestrator";

/** Per-provider defaults a {@link ModelClient} applies when a call does not set them. */
export interface ModelDefaults {
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  pricing?: { inputPerMTokUsd: number; outputPerMTokUsd: number };
}

/** Something that answers chat requests: a real endpoint, a cassette or a scripted mock. */
export interface ModelProvider {
  /** The model id, as journaled and sent as `model` (e.g. `gpt-4o-mini`, `llama3.1:8b`). */
  readonly id: string;
  readonly defaults?: ModelDefaults;
  chat(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse>;
}

/** One chat message. */
export type ChatMessage = ModelRequest["messages"][number];

/** Per-call options of {@link ModelClient.chat}. */
export interface ChatOptions {
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  /** Id of the prompt file the messages came from (`name@vN`), carried into the journaled request. */
  promptId?: string;
}

/** The model as an agent sees it: every call goes through the orchestrator (budgets, journal, replay). */
export interface ModelClient {
  /** The provider's model id. */
  readonly modelId: string;
  /** Sends `messages` (a string is one user message) and returns the model's answer. */
  chat(messages: readonly ChatMessage[] | string, options?: ChatOptions): Promise<ModelResponse>;
}
