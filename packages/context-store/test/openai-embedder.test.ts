import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashingEmbedder, OpenAIEmbedder, openContextStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

interface Seen { auth: string | undefined; body: { model: string; input: string[]; dimensions?: number } }

// A real OpenAI-compatible server on 127.0.0.1: embeds with the hashing embedder, and can be told to
// fail the next requests with a given status or answer with bad vectors.
let server: http.Server;
let baseUrl: string;
let seen: Seen[];
let failures: { status: number; body: string }[];
let answer: ((input: string[]) => unknown) | undefined;
const hashing = new HashingEmbedder({ dim: 16 });

beforeEach(async () => {
  seen = [];
  failures = [];
  answer = undefined;
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.url !== "/v1/embeddings" || req.method !== "POST") {
        res.writeHead(404).end("no route");
        return;
      }
      const body = JSON.parse(raw) as Seen["body"];
      seen.push({ auth: req.headers.authorization, body });
      const fail = failures.shift();
      if (fail) {
        res.writeHead(fail.status, { "content-type": "application/json" }).end(fail.body);
        return;
      }
      const data = answer ? answer(body.input) : body.input.map((t, index) => ({ object: "embedding", index, embedding: Array.from(hashing.embedOne(t)) })).reverse();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, model: body.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const noSleep = async () => {};

describe("OpenAIEmbedder", () => {
  it("embeds in batches, in input order, with the bearer key", async () => {
    const e = new OpenAIEmbedder({ baseUrl: `${baseUrl}/v1/`, model: "test-model", apiKey: "sk-test", dim: 16, batchSize: 2, requestDimensions: true });
    const texts = ["alpha", "beta", "gamma", "delta", "epsilon"];
    const vectors = await e.embed(texts);
    expect(seen.map((s) => s.body.input)).toEqual([["alpha", "beta"], ["gamma", "delta"], ["epsilon"]]);
    expect(seen[0]).toMatchObject({ auth: "Bearer sk-test", body: { model: "test-model", dimensions: 16 } });
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(hashing.embedOne(t))));
    expect(e.name).toBe("openai:test-model");
  });

  it("retries 429 and 5xx with backoff, then succeeds", async () => {
    failures = [{ status: 429, body: "slow down" }, { status: 503, body: "busy" }];
    const delays: number[] = [];
    const e = new OpenAIEmbedder({ baseUrl, model: "m", dim: 16, backoffMs: 10, sleep: async (ms) => { delays.push(ms); } });
    expect((await e.embed(["x"])).length).toBe(1);
    expect(seen.length).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it("fails clearly: status and body excerpt, no retry on 4xx, retries exhausted, bad vectors", async () => {
    failures = [{ status: 401, body: '{"error":"invalid api key"}' }];
    const e = new OpenAIEmbedder({ baseUrl, model: "m", dim: 16, sleep: noSleep });
    await expect(e.embed(["x"])).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining('HTTP 401: {"error":"invalid api key"}') });
    expect(seen.length).toBe(1);

    failures = Array.from({ length: 3 }, () => ({ status: 500, body: "boom" }));
    seen = [];
    const e3 = new OpenAIEmbedder({ baseUrl, model: "m", dim: 16, maxAttempts: 3, sleep: noSleep });
    await expect(e3.embed(["x"])).rejects.toMatchObject({ message: expect.stringContaining("HTTP 500: boom") });
    expect(seen.length).toBe(3);

    answer = (input) => input.map((_, index) => ({ index, embedding: [1, 2, 3] }));
    await expect(e.embed(["x"])).rejects.toMatchObject({ message: expect.stringContaining("has dim 3; expected 16") });
    answer = () => [];
    await expect(e.embed(["x"])).rejects.toMatchObject({ message: expect.stringContaining("expected 1 embeddings") });
    answer = (input) => input.map(() => ({ index: 0, embedding: Array(16).fill(0.1) }));
    await expect(e.embed(["x", "y"])).rejects.toMatchObject({ message: expect.stringContaining("out of range or repeated") });
    answer = (input) => input.map((_, index) => ({ index, embedding: Array(16).fill("a") }));
    await expect(e.embed(["x"])).rejects.toMatchObject({ message: expect.stringContaining("not an array of finite numbers") });

    const unreachable = new OpenAIEmbedder({ baseUrl: "http://127.0.0.1:1", model: "m", dim: 16, maxAttempts: 2, sleep: noSleep });
    await expect(unreachable.embed(["x"])).rejects.toMatchObject({ code: "EmbedderFailure", message: expect.stringContaining("request failed") });
  });

  it("reports a non-JSON answer and validates its options", async () => {
    const textFetch = async () => ({ ok: true, status: 200, text: async () => "<html>" });
    await expect(new OpenAIEmbedder({ baseUrl, model: "m", dim: 16, fetch: textFetch }).embed(["x"])).rejects.toMatchObject({ message: expect.stringContaining("not JSON") });
    expect(() => new OpenAIEmbedder({ baseUrl: "ftp://x", model: "m", dim: 16 })).toThrow(/baseUrl/);
    expect(() => new OpenAIEmbedder({ baseUrl, model: "", dim: 16 })).toThrow(/model/);
    expect(() => new OpenAIEmbedder({ baseUrl, model: "m", dim: 0 })).toThrow(/dim/);
    expect(() => new OpenAIEmbedder({ baseUrl, model: "m", dim: 4, batchSize: 0 })).toThrow(/batchSize/);
  });

  it("backs a context store end to end", async () => {
    const dir = await tempDir();
    const store = await openContextStore(dir, { embedder: new OpenAIEmbedder({ baseUrl, model: "m", dim: 16 }), durability: "none" });
    await store.put({ kind: "text", key: "a", content: "vector databases" }, { scope: "global" });
    await store.put({ kind: "text", key: "b", content: "cooking recipes" }, { scope: "global" });
    const hits = await store.search("vector databases", { scopes: ["global"], k: 1, mode: "dense" });
    expect(hits[0]?.doc.key).toBe("a");
    await store.close();
    await expect(openContextStore(dir, { embedder: new OpenAIEmbedder({ baseUrl, model: "other", dim: 16 }) })).rejects.toMatchObject({ code: "EmbedderMismatch" });
  });
});
