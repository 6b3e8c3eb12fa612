import { describe, expect, it } from "vitest";
import { CIRCULAR_MARKER, createRedactor, REDACTED_FIELD } from "../src/redaction.js";
import { compileSecretMatcher, findSecrets, SECRET_PATTERNS } from "@vltair/context-store";
import { PEM_RSA, SAMPLES } from "../../context-store/test/fixtures/secret-samples.js";

const redactor = createRedactor({ env: {} });

describe("built-in secret formats", () => {
  it.each(SAMPLES.map((s) => [s.kind, s] as const))("redacts %s in text", (kind, sample) => {
    const out = redactor.redactText(sample.text);
    expect(out).not.toContain(sample.secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
    if (sample.kept !== undefined) expect(out).toContain(sample.kept);
  });

  it("redacts every sample planted in nested objects and arrays, without touching the input", () => {
    const input = {
      type: "ToolCalled",
      input: { argv: SAMPLES.map((s) => `run ${s.text}`), env: Object.fromEntries(SAMPLES.map((s, i) => [`VAR_${i}`, s.text])) },
      output: [{ deep: [{ deeper: SAMPLES.map((s) => ({ text: s.text })) }] }],
    };
    const before = JSON.stringify(input);
    const json = JSON.stringify(redactor.redact(input));
    for (const s of SAMPLES) expect(json, s.kind).not.toContain(s.secret);
    expect(JSON.stringify(input)).toBe(before);
  });

  it("covers every kind in SECRET_PATTERNS with a sample", () => {
    const sampled = new Set(SAMPLES.map((s) => s.kind));
    for (const p of SECRET_PATTERNS) expect(sampled, p.kind).toContain(p.kind);
    for (const p of SECRET_PATTERNS) expect(p.description.length).toBeGreaterThan(10);
  });

  it("keeps the text around a PEM block and redacts the block whole", () => {
    const out = redactor.redactText(`before\n${PEM_RSA}\nafter`);
    expect(out).toBe("before\n[REDACTED:private-key]\n\n\n\nafter"); // line breaks kept: "after" stays on line 6
  });

  it("is idempotent: redacted output is left as it is", () => {
    const once = SAMPLES.map((s) => redactor.redactText(s.text));
    expect(once.map((t) => redactor.redactText(t))).toEqual(once);
  });
});

describe("no false positives on ordinary content", () => {
  const ORDINARY = [
    "import { readFile } from 'node:fs/promises';\nexport async function load(path: string): Promise<string> { return readFile(path, 'utf8'); }",
    "const password = getPassword(); if (secret === undefined) throw new Error('missing secret');",
    "interface Login { password: string; token: Token; apiKey?: string }",
    "const maxTokens = 4096; tokensUsed: 1234, secretsFound: 0",
    "password = config.database.password",
    "id 550e8400-e29b-41d4-a716-446655440000, run 0f8fad5b-d9cb-469f-a165-70867728950e",
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 commit 3f786850e387550fdab836ed7e6dc881de23001b",
    `content ${Buffer.from("The quick brown fox jumps over the lazy dog, again and again.").toString("base64")}`,
    "the bearer of bad news arrived; scikit sk-learn-compatible-pipeline-step; task-runner-with-a-long-name",
    "https://example.com/path/to/page?query=value#anchor and mailto:user@example.com",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUB1\n-----END CERTIFICATE-----",
  ];
  it.each(ORDINARY.map((t) => [t.slice(0, 40), t] as const))("leaves %j alone", (_label, text) => {
    expect(redactor.redactText(text)).toBe(text);
    expect(findSecrets(text)).toEqual([]);
  });

  it("skips short strings and keeps non-string values", () => {
    expect(redactor.redact({ a: "short", n: 42, b: true, u: undefined, z: null })).toEqual({ a: "short", n: 42, b: true, u: undefined, z: null });
  });
});

describe("findSecrets", () => {
  it("reports kind, index and length of each secret, left to right", () => {
    const text = "a AKIAIOSFODNN7EXAMPLE b ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    expect(findSecrets(text)).toEqual([
      { kind: "aws-access-key-id", index: 2, length: 20 },
      { kind: "github-token", index: 25, length: 40 },
    ]);
  });

  it("exposes regexes whose match is the secret, without its context", () => {
    for (const sample of SAMPLES) {
      const pattern = SECRET_PATTERNS.find((p) => p.kind === sample.kind && p.regex.test(sample.text));
      const match = pattern?.regex.exec(sample.text)?.[0] ?? "";
      expect(match, sample.kind).toContain(sample.secret);
      if (sample.kept !== undefined) expect(match, sample.kind).not.toContain(sample.kept.trim());
      if (sample.kind !== "private-key") expect(match, sample.kind).toBe(sample.secret);
    }
  });

  it("refuses patterns with capture groups", () => {
    expect(() => compileSecretMatcher([{ kind: "bad", description: "bad", regex: /(a)b/ }], 1)).toThrow(/bad has 1 capture group/);
  });
});

describe("configured prefixes", () => {
  it("redacts tokens starting with a prefix from options or VLTAIR_REDACT_PREFIXES", () => {
    const r = createRedactor({ prefixes: ["corp_"], env: { VLTAIR_REDACT_PREFIXES: " tok-, int.key/ " } });
    expect(r.redactText("use corp_a1b2c3 and tok-xyz, int.key/9+9= end")).toBe(
      "use [REDACTED:prefix] and [REDACTED:prefix], [REDACTED:prefix] end",
    );
    expect(r.redactText("scorp_abc and mytok-abc stay")).toBe("scorp_abc and mytok-abc stay");
    expect(r.redactText("t tok-a")).toBe("t [REDACTED:prefix]"); // shorter than the built-in floor
  });

  it("reads process.env when no env is given", () => {
    const saved = process.env.VLTAIR_REDACT_PREFIXES;
    process.env.VLTAIR_REDACT_PREFIXES = "zz9_";
    try {
      expect(createRedactor().redactText("value zz9_plural_z_alpha")).toBe("value [REDACTED:prefix]");
    } finally {
      if (saved === undefined) delete process.env.VLTAIR_REDACT_PREFIXES;
      else process.env.VLTAIR_REDACT_PREFIXES = saved;
    }
  });

  it("rejects an empty prefix", () => {
    expect(() => createRedactor({ prefixes: [" "], env: {} })).toThrow(/prefix must not be empty/);
  });
});

describe("configured field paths", () => {
  const r = createRedactor({ env: { VLTAIR_REDACT_FIELDS: "analysis.details,test_result.log,payload.apiKey" }, fields: ["ModelCalled.messages", "token"] });

  it("matches by kind, by type and by parent property name, replacing the whole value", () => {
    const result = {
      type: "AgentResult",
      payload: {
        apiKey: { nested: "anything" },
        artifacts: [
          { kind: "analysis", target: "src/a.ts", details: "internal detail", severity: "warn" },
          { kind: "test_result", test_name: "t", status: "fail", log: ["line 1", "line 2"] },
          { kind: "text", title: "t", content: "details stay", details: "not an analysis" },
        ],
      },
    };
    expect(r.redact(result)).toEqual({
      type: "AgentResult",
      payload: {
        apiKey: REDACTED_FIELD,
        artifacts: [
          { kind: "analysis", target: "src/a.ts", details: REDACTED_FIELD, severity: "warn" },
          { kind: "test_result", test_name: "t", status: "fail", log: REDACTED_FIELD },
          { kind: "text", title: "t", content: "details stay", details: "not an analysis" },
        ],
      },
    });
    expect(r.redact({ type: "ModelCalled", messages: [{ role: "user", content: "hi" }], model: "m" })).toEqual({
      type: "ModelCalled",
      messages: REDACTED_FIELD,
      model: "m",
    });
  });

  it("follows paths through arrays under a named property and matches one-segment paths anywhere", () => {
    expect(r.redact({ analysis: [{ details: "a" }, { details: "b", other: 1 }], deep: { x: { token: 7 } } })).toEqual({
      analysis: [{ details: REDACTED_FIELD }, { details: REDACTED_FIELD, other: 1 }],
      deep: { x: { token: REDACTED_FIELD } },
    });
  });

  it("follows longer paths through property names", () => {
    const r3 = createRedactor({ env: {}, fields: ["ToolCalled.input.headers"] });
    expect(r3.redact({ type: "ToolCalled", input: { headers: { a: 1 }, body: "b" }, headers: "top" })).toEqual({
      type: "ToolCalled",
      input: { headers: REDACTED_FIELD, body: "b" },
      headers: "top",
    });
  });

  it("rejects malformed paths", () => {
    expect(() => createRedactor({ env: {}, fields: ["a..b"] })).toThrow(/malformed field path "a..b"/);
  });
});

describe("deep copy", () => {
  it("marks cycles, copies shared references, and keeps buffers, dates, maps and sets", () => {
    const shared = { note: "password=hunter2!Xy" };
    const node: Record<string, unknown> = { name: "root", a: shared, b: shared };
    node.self = node;
    const bytes = new Uint8Array([1, 2, 3]);
    const buf = Buffer.from("AKIAIOSFODNN7EXAMPLE");
    const when = new Date(0);
    const out = redactor.redact({ node, bytes, buf, when, map: new Map([["k", "DB_PASSWORD=hunter2!Xy"]]), set: new Set(["ok"]) });
    expect(out.node.self).toBe(CIRCULAR_MARKER);
    expect(out.node.a).toEqual({ note: "password=[REDACTED:secret-assignment]" });
    expect(out.node.b).toEqual(out.node.a);
    expect(out.node.a).not.toBe(shared);
    expect(out.bytes).toBe(bytes);
    expect(out.buf).toBe(buf);
    expect(out.when).toEqual(when);
    expect(out.when).not.toBe(when);
    expect(out.map.get("k")).toBe("DB_PASSWORD=[REDACTED:secret-assignment]");
    expect([...out.set]).toEqual(["ok"]);
    expect(node.self).toBe(node);
  });

  it("keeps Errors as Errors with redacted message, stack and cause", () => {
    const err = new TypeError("login failed for https://u:pa55word9@host", { cause: new Error("token ghp_16C7e42F292c6912E7710c838347Ae178B4a") });
    const out = redactor.redact({ err }).err;
    expect(out).toBeInstanceOf(TypeError);
    expect(out.message).toBe("login failed for https://u:[REDACTED:url-password]@host");
    expect(out.stack).not.toContain("pa55word9");
    expect(String((out.cause as Error).message)).toBe("token [REDACTED:github-token]");
    expect(err.message).toContain("pa55word9");
  });

  it("redacts a top-level string and passes primitives through", () => {
    expect(redactor.redact("key AKIAIOSFODNN7EXAMPLE")).toBe("key [REDACTED:aws-access-key-id]");
    expect(redactor.redact(5)).toBe(5);
    expect(redactor.redact(null)).toBe(null);
  });
});
