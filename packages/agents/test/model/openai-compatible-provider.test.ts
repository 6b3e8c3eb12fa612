import { afterEach, describe, expect, it } from "vitest";
import { ModelError, modelFromEnv, OpenAICompatibleProvider } from "../../src/index.js";
import { completion, startChatServer } from "./chat-server.js";

const request = { model: "test-model", messages: [{ role: "user" as const, content: "Say hi" }], temperature: 0, seed: 42 };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("OpenAICompatibleProvider against a real HTTP server", () => {
  it("posts /v1/chat/completions with deterministic parameters and parses content and usage", async () => {
    const server = await startChatServer(() => ({ body: completion("hi!", { prompt_tokens: 7, completion_tokens: 2 }) }));
    close = server.close;
    const provider = new OpenAICompatibleProvider({ baseUrl: `${server.baseUrl}/v1/`, model: "test-model", apiKey: "sk-test", maxTokens: 64 });
    expect(provider.defaults).toEqual({ temperature: 0, seed: 42, maxTokens: 64 });
    expect(JSON.stringify(provider)).not.toContain("sk-test");
    const r = await provider.chat({ ...request, maxTokens: 64 });
    expect(r).toEqual({ content: "hi!", model: "test-model", finishReason: "stop", usage: { promptTokens: 7, completionTokens: 2 } });
    const sent = server.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    expect(sent?.body).toEqual({ model: "test-model", messages: [{ role: "user", content: "Say hi" }], temperature: 0, seed: 42, max_tokens: 64, stream: false });
  });

  it("estimates and flags usage when the server omits it", async () => {
    const server = await startChatServer(() => ({ body: completion("12345678") }));
    close = server.close;
    const r = await new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m" }).chat(request);
    expect(r.usage).toEqual({ promptTokens: 2, completionTokens: 2 });
    expect(r.usageEstimated).toBe(true);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("fails a 400 at once with the status and an excerpt of the body", async () => {
    const server = await startChatServer(() => ({ status: 400, body: { error: { message: "model 'nope' not found" } } }));
    close = server.close;
    const provider = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "nope", retryDelayMs: 1 });
    const err = await provider.chat(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: "HttpError", status: 400, retryable: false });
    expect((err as Error).message).toMatch(/HTTP 400.*model 'nope' not found/);
    expect(server.requests).toHaveLength(1);
  });

  it("retries 5xx and 429 (honouring Retry-After) and then succeeds", async () => {
    const server = await startChatServer((_, i) =>
      i === 0 ? { status: 503, body: "overloaded" } : i === 1 ? { status: 429, body: "slow down", headers: { "retry-after": "0.01" } } : { body: completion("ok", { prompt_tokens: 1, completion_tokens: 1 }) },
    );
    close = server.close;
    const r = await new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m", retryDelayMs: 5 }).chat(request);
    expect(r.content).toBe("ok");
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after the configured retries with the last error", async () => {
    const server = await startChatServer(() => ({ status: 500, body: "boom" }));
    close = server.close;
    const err = await new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m", retries: 1, retryDelayMs: 1 }).chat(request).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "HttpError", status: 500, retryable: true });
    expect(server.requests).toHaveLength(2);
  });

  it("times out a slow server per attempt", async () => {
    const server = await startChatServer(() => ({ body: completion("late"), delayMs: 2000 }));
    close = server.close;
    const err = await new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m", timeoutMs: 100, retries: 0 }).chat(request).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "Timeout", retryable: true });
  });

  it("stops when the caller aborts", async () => {
    const server = await startChatServer(() => ({ body: completion("late"), delayMs: 2000 }));
    close = server.close;
    const controller = new AbortController();
    const pending = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m" }).chat(request, controller.signal);
    controller.abort(new Error("cancelled by test"));
    await expect(pending).rejects.toThrow(/cancelled by test/);
  });

  it("reports an unreachable server and malformed answers clearly", async () => {
    const server = await startChatServer((_, i) => ({ body: i === 0 ? "not json" : { choices: [] } }));
    close = server.close;
    const provider = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m", retries: 0 });
    await expect(provider.chat(request)).rejects.toMatchObject({ code: "BadResponse", message: expect.stringMatching(/non-JSON: not json/) });
    await expect(provider.chat(request)).rejects.toMatchObject({ code: "BadResponse", message: expect.stringMatching(/no choices\[0\]/) });
    await server.close();
    close = undefined;
    await expect(new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "m", retries: 0 }).chat(request)).rejects.toMatchObject({ code: "NetworkError" });
  });

  it("rejects bad configuration", () => {
    expect(() => new OpenAICompatibleProvider({ baseUrl: "localhost:1234", model: "m" })).toThrow(/baseUrl must be an http\(s\) URL/);
    expect(() => new OpenAICompatibleProvider({ baseUrl: "http://x", model: "" })).toThrow(/model must be a non-empty string/);
  });
});

describe("modelFromEnv", () => {
  it("is undefined unless both base URL and model are set", () => {
    expect(modelFromEnv({})).toBeUndefined();
    expect(modelFromEnv({ VLTAIR_MODEL_BASE_URL: "http://localhost:11434" })).toBeUndefined();
    const p = modelFromEnv({ VLTAIR_MODEL_BASE_URL: "http://localhost:11434", VLTAIR_MODEL: "llama3.1", VLTAIR_MODEL_API_KEY: "k" });
    expect(p?.id).toBe("llama3.1");
    expect(p?.endpoint).toBe("http://localhost:11434/v1/chat/completions");
  });
});
