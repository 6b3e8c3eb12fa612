import { describe, expect, it } from "vitest";
import { createTextRedactor, findSecrets } from "../src/index.js";
import { SAMPLES } from "./fixtures/secret-samples.js";

/** Characters a secret can sit next to: separators, quotes, brackets, word characters, non-ASCII. */
const NEIGHBOURS = ["", " ", "\n", "\t", "_", "-", ".", "/", ":", "=", '"', "'", "`", "(", ")", ",", ";", "@", "#", "&", "x", "Q", "7", "é"];
const ALNUM = /^[A-Za-z0-9]$/;

const redactor = createTextRedactor({ env: {} });

/** Formats whose prefix is an ordinary word ending (`task-`, `risk_live_`): a letter or digit right before them is part of a word. */
const needsNonAlnumBefore = (secret: string) => /^(?:sk-(?!ant-|proj-|svcacct-|admin-)|[rs]k_(?:live|test)_)/.test(secret);

describe("every supported format in every adjacency", () => {
  it.each(SAMPLES.map((s, i) => [`${s.kind} #${i}`, s] as const))("%s: redacted with any neighbour on either side", (_label, sample) => {
    const leaks: string[] = [];
    for (const before of NEIGHBOURS) {
      for (const after of NEIGHBOURS) {
        const texts = [`${before}${sample.text}${after}`];
        if (sample.standalone) texts.push(`${before}${sample.secret}${after}`, `creds${before}${sample.secret}${after}old.json`);
        for (const text of texts) {
          const exempt = needsNonAlnumBefore(sample.secret) && text.includes(sample.secret) && ALNUM.test(text[text.indexOf(sample.secret) - 1] ?? "");
          const out = redactor.redactText(text);
          if (exempt) continue;
          if (out.includes(sample.secret)) leaks.push(JSON.stringify(text));
          else if (sample.kept !== undefined && text === `${before}${sample.text}${after}` && !out.includes(sample.kept)) leaks.push(`lost context in ${JSON.stringify(text)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it("keeps the documented exception: bare sk- and sk_live_ keys need a non-alphanumeric character before them", () => {
    const openai = SAMPLES.find((s) => s.kind === "openai-api-key" && s.secret.startsWith("sk-4"))!.secret;
    const stripe = SAMPLES.find((s) => s.kind === "stripe-key")!.secret;
    expect(redactor.redactText(`task${openai}`)).toBe(`task${openai}`);
    expect(redactor.redactText(`risk${stripe}`)).toBe(`risk${stripe}`);
    expect(redactor.redactText(`my_${openai}_old`)).toBe("my_[REDACTED:openai-api-key]");
    expect(redactor.redactText(`my_${stripe}_old`)).toBe("my_[REDACTED:stripe-key]_old");
  });

  it.each(SAMPLES.map((s, i) => [`${s.kind} #${i}`, s] as const))("%s: redacted inside JSON-escaped text, once and twice", (_label, sample) => {
    const once = JSON.stringify({ log: sample.text });
    for (const text of [once, JSON.stringify({ line: once }), JSON.stringify(JSON.stringify({ line: once }))]) {
      const out = redactor.redactText(text);
      expect(out, text).not.toContain(sample.secret);
    }
  });

  it("keeps escaped JSON parseable after redaction", () => {
    const text = JSON.stringify({ line: JSON.stringify({ password: "hunter2!Xy", authorization: "Bearer 8f3kQ2mZpL0vX9sT4wR7yB1nC6" }) });
    const out = redactor.redactText(text);
    expect(JSON.parse(JSON.parse(out).line)).toEqual({ password: "[REDACTED:secret-assignment]", authorization: "Bearer [REDACTED:bearer-token]" });
  });

  it("redacts URL credentials with an empty user and keeps the rest of the URL", () => {
    expect(redactor.redactText("redis://:pw123456@cache:6379")).toBe("redis://:[REDACTED:url-password]@cache:6379");
    expect(redactor.redactText("amqp://guest:guest@localhost")).toBe("amqp://guest:[REDACTED:url-password]@localhost");
    expect(redactor.redactText("http://host:8080/path/@me")).toBe("http://host:8080/path/@me");
  });

  it("keeps the line count of a multi-line secret", () => {
    for (const sample of SAMPLES) {
      const out = redactor.redactText(sample.text);
      expect(out.split("\n").length, sample.kind).toBe(sample.text.split("\n").length);
    }
  });
});

describe("createTextRedactor", () => {
  it("adds configured prefixes, also after an underscore", () => {
    const r = createTextRedactor({ prefixes: ["corp_"], env: { VLTAIR_REDACT_PREFIXES: "tok-" } });
    expect(r.redactText("creds_corp_a1b2c3 and tok-xyz9 but scorp_abc")).toBe("creds_[REDACTED:prefix] and [REDACTED:prefix] but scorp_abc");
    expect(() => createTextRedactor({ prefixes: [" "], env: {} })).toThrow(/prefix must not be empty/);
  });

  it("replaces exactly the ranges findSecrets reports", () => {
    for (const sample of SAMPLES) {
      let expected = "";
      let at = 0;
      for (const m of findSecrets(sample.text)) {
        const secret = sample.text.slice(m.index, m.index + m.length);
        expected += `${sample.text.slice(at, m.index)}[REDACTED:${m.kind}]${"\n".repeat(secret.split("\n").length - 1)}`;
        at = m.index + m.length;
      }
      expect(redactor.redactText(sample.text), sample.kind).toBe(expected + sample.text.slice(at));
    }
  });
});
