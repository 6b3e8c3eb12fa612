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

  it("redacts PEM blocks in every shape — escaped, on one line, encrypted — and keeps what follows a truncated one", () => {
    const body = ["MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun", "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK"];
    const pem = ["-----BEGIN RSA PRIVATE KEY-----", ...body, "-----END RSA PRIVATE KEY-----"].join("\n");
    const encrypted = ["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,3F17F5316E2BAC89", "", ...body, "-----END RSA PRIVATE KEY-----"].join("\n");
    const shapes = [
      pem, pem.replaceAll("\n", "\r\n"), encrypted, JSON.stringify({ key: pem }), JSON.stringify(JSON.stringify({ key: pem })), `KEY="${pem.replaceAll("\n", " ")}"`,
      encrypted.split("-----END")[0]!, // truncated after the body
    ];
    for (const text of shapes) {
      const out = redactor.redactText(`before ${text} (after)`);
      for (const line of body) expect(out, text).not.toContain(line.slice(0, 20));
      expect(out, text).toContain("[REDACTED:private-key]");
      expect(out, text).toMatch(/ \(after\)$/);
    }
    // A truncated key followed by code: the key goes, the code stays.
    const truncated = `const key = \`-----BEGIN PRIVATE KEY-----\n${body[0]}\n${body[1]!.slice(0, 30)}\`;\nexport function keep(x) {\n  return x;\n}\n`;
    expect(redactor.redactText(truncated)).toBe("const key = `[REDACTED:private-key]\n\n`;\nexport function keep(x) {\n  return x;\n}\n");
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
