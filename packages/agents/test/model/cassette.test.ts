import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRequest } from "@vltair/orchestrator";
import { Cassette, CassetteMiss, OpenAICompatibleProvider, requestKey } from "../../src/index.js";
import { completion, startChatServer } from "./chat-server.js";

const dir = mkdtempSync(path.join(tmpdir(), "vltair-cassette-"));
const ask = (content: string) => ({ model: "test-model", messages: [{ role: "user" as const, content }], temperature: 0, seed: 42 });

describe("Cassette", () => {
  it("records against a real server, then replays with the server closed (zero network)", async () => {
    const server = await startChatServer((req) => {
      const messages = req.body.messages as { content: string }[];
      return { body: completion(`echo: ${messages[0]?.content ?? ""}`, { prompt_tokens: 3, completion_tokens: 4 }) };
    });
    const file = path.join(dir, "nested", "calls.json");
    const recorder = Cassette.record(file, new OpenAICompatibleProvider({ baseUrl: server.baseUrl, model: "test-model" }));
    expect(recorder.id).toBe("test-model");
    expect(recorder.defaults?.seed).toBe(42);
    const first = await recorder.chat(ask("one"));
    await recorder.chat(ask("two"));
    expect(first.content).toBe("echo: one");
    expect(server.requests).toHaveLength(2);
    await server.close();

    const replay = Cassette.replay(file);
    expect(replay.size).toBe(2);
    expect(replay.id).toBe("test-model");
    // The fetch would fail now: only the cassette can answer.
    expect(await replay.chat(ask("two"))).toEqual({ content: "echo: two", model: "test-model", finishReason: "stop", usage: { promptTokens: 3, completionTokens: 4 } });
    expect((await replay.chat(ask("one"))).content).toBe("echo: one");
    const miss = await replay.chat(ask("three")).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(CassetteMiss);
    expect((miss as CassetteMiss).key).toBe(requestKey(ask("three")));
  });

  it("writes a stable file: entries sorted by a key that ignores property order and pricing", async () => {
    const fake = { id: "m", chat: async () => ({ content: "x", model: "m", usage: { promptTokens: 1, completionTokens: 1 } }) };
    const a = path.join(dir, "a.json");
    const b = path.join(dir, "b.json");
    const ra = Cassette.record(a, fake);
    await ra.chat(ask("p"));
    await ra.chat(ask("q"));
    const rb = Cassette.record(b, fake);
    await rb.chat(ask("q"));
    await rb.chat({ seed: 42, temperature: 0, messages: [{ role: "user", content: "p" }], model: "test-model", pricing: { inputPerMTokUsd: 1, outputPerMTokUsd: 2 } });
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    const keys = (JSON.parse(readFileSync(a, "utf8")) as { entries: { key: string }[] }).entries.map((e) => e.key);
    expect(keys).toEqual([...keys].sort());
    expect(requestKey(ask("p"))).not.toBe(requestKey({ ...ask("p"), seed: 7 }));
  });

  it("saves exchanges redacted, and still finds them by the key of the request as sent", async () => {
    const token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    const echo = { id: "m", chat: async (r: ModelRequest) => ({ content: `you said ${r.messages[0]!.content} and DB_PASSWORD=hunter2!Xy`, model: "m", usage: { promptTokens: 1, completionTokens: 1 } }) };
    const file = path.join(dir, "secret.json");
    const live = await Cassette.record(file, echo).chat(ask(`token ${token}`));
    expect(live.content).toContain(token); // the caller gets the real answer
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(token);
    expect(text).not.toContain("hunter2!Xy");
    expect(text).toContain("[REDACTED:github-token]");
    const replayed = await Cassette.replay(file).chat(ask(`token ${token}`));
    expect(replayed.content).toBe("you said token [REDACTED:github-token] and DB_PASSWORD=[REDACTED:secret-assignment]");
  });

  it("rejects a missing or malformed cassette with the file named", () => {
    expect(() => Cassette.replay(path.join(dir, "none.json"))).toThrow(/does not exist/);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "{");
    expect(() => Cassette.replay(bad)).toThrow(/bad\.json: not valid JSON/);
    writeFileSync(bad, JSON.stringify({ version: 2, entries: [] }));
    expect(() => Cassette.replay(bad)).toThrow(/expected \{ version: 1/);
    writeFileSync(bad, JSON.stringify({ version: 1, entries: [{ key: 1 }] }));
    expect(() => Cassette.replay(bad)).toThrow(/entries\[0\] lacks a key/);
  });
});
