import type { ModelRequest, ModelResponse } from "@vltair/orchestrator";
import { ModelError } from "./model-errors.js";
import type { ModelDefaults, ModelProvider } from "./model-provider.js";

/** Options of {@link OpenAICompatibleProvider}. */
export interface OpenAICompatibleOptions {
  /** Server root, e.g. `https://api.openai.com`, `http://localhost:11434` (Ollama), `http://localhost:8000` (vLLM). A trailing `/v1` is accepted. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Default 0. */
  temperature?: number;
  /** Default 42. */
  seed?: number;
  maxTokens?: number;
  pricing?: { inputPerMTokUsd: number; outputPerMTokUsd: number };
  /** Injected `fetch` (default the global one). */
  fetch?: typeof fetch;
  /** Per attempt (default 120 000 ms). */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx, a timeout or a network error (default 2). */
  retries?: number;
  /** First retry delay; doubles per retry, `Retry-After` wins when larger (default 500 ms). */
  retryDelayMs?: number;
}

/** A response whose usage the server did not report and that was estimated (chars / 4). */
export type ProviderResponse = ModelResponse & { usageEstimated?: true };

interface ChatCompletion {
  model?: unknown;
  choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * A chat client for any server speaking OpenAI's `/v1/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp
 * server). Deterministic by default (temperature 0, seed 42); bounded by a per-attempt timeout; retries
 * 429/5xx/network errors with exponential backoff; errors carry the status and an excerpt of the body.
 */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly id: string;
  readonly defaults: ModelDefaults;
  readonly endpoint: string;
  // #private: never enumerable, so serialising the provider cannot leak the API key.
  readonly #options: OpenAICompatibleOptions;

  constructor(options: OpenAICompatibleOptions) {
    if (typeof options.baseUrl !== "string" || !/^https?:\/\//.test(options.baseUrl)) {
      throw new ModelError("InvalidConfig", `OpenAICompatibleProvider: baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    if (typeof options.model !== "string" || options.model === "") throw new ModelError("InvalidConfig", "OpenAICompatibleProvider: model must be a non-empty string");
    this.#options = options;
    this.id = options.model;
    const root = options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.endpoint = `${root}/v1/chat/completions`;
    this.defaults = { temperature: options.temperature ?? 0, seed: options.seed ?? 42 };
    if (options.maxTokens !== undefined) this.defaults.maxTokens = options.maxTokens;
    if (options.pricing !== undefined) this.defaults.pricing = options.pricing;
  }

  async chat(request: ModelRequest, signal?: AbortSignal): Promise<ProviderResponse> {
    const retries = this.#options.retries ?? 2;
    const baseDelay = this.#options.retryDelayMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(request, signal);
      } catch (e) {
        if (!(e instanceof ModelError) || !e.retryable || attempt >= retries || signal?.aborted === true) throw e;
        const retryAfter = (e as ModelError & { retryAfterMs?: number }).retryAfterMs ?? 0;
        await sleep(Math.max(baseDelay * 2 ** attempt, Math.min(retryAfter, 60_000)), signal);
      }
    }
  }

  private async once(request: ModelRequest, signal: AbortSignal | undefined): Promise<ProviderResponse> {
    const body: Record<string, unknown> = {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: request.temperature,
      stream: false,
    };
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.#options.apiKey !== undefined && this.#options.apiKey !== "") headers.authorization = `Bearer ${this.#options.apiKey}`;
    const timeoutMs = this.#options.timeoutMs ?? 120_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const doFetch = this.#options.fetch ?? fetch;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(this.endpoint, { method: "POST", headers, body: JSON.stringify(body), signal: combined });
      text = await res.text();
    } catch (cause) {
      if (signal?.aborted === true) throw cause;
      if (timeout.aborted) throw new ModelError("Timeout", `model ${request.model}: no answer from ${this.endpoint} within ${timeoutMs} ms`, { retryable: true, cause });
      throw new ModelError("NetworkError", `model ${request.model}: cannot reach ${this.endpoint}: ${(cause as Error).message}`, { retryable: true, cause });
    }
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      const err = new ModelError("HttpError", `model ${request.model}: ${this.endpoint} answered HTTP ${res.status}: ${excerpt(text)}`, { retryable, status: res.status });
      const after = Number(res.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) Object.assign(err, { retryAfterMs: after * 1000 });
      throw err;
    }
    let parsed: ChatCompletion;
    try {
      parsed = JSON.parse(text) as ChatCompletion;
    } catch (cause) {
      throw new ModelError("BadResponse", `model ${request.model}: ${this.endpoint} returned non-JSON: ${excerpt(text)}`, { cause });
    }
    const choice = parsed.choices?.[0];
    const content = choice?.message?.content;
    if (typeof content !== "string") {
      throw new ModelError("BadResponse", `model ${request.model}: ${this.endpoint} returned no choices[0].message.content: ${excerpt(text)}`);
    }
    const response: ProviderResponse = {
      content,
      model: typeof parsed.model === "string" ? parsed.model : request.model,
      usage: { promptTokens: 0, completionTokens: 0 },
    };
    if (typeof choice?.finish_reason === "string") response.finishReason = choice.finish_reason;
    const p = parsed.usage?.prompt_tokens;
    const c = parsed.usage?.completion_tokens;
    if (typeof p === "number" && typeof c === "number") {
      response.usage = { promptTokens: p, completionTokens: c };
    } else {
      // Some servers (older llama.cpp, proxies) omit usage: estimate so budgets still count, and say so.
      const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0);
      response.usage = { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(content.length / 4) };
      response.usageEstimated = true;
    }
    return response;
  }
}
