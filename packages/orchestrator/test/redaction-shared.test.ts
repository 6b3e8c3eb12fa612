import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CIRCULAR_MARKER, createRedactor } from "../src/redaction.js";

const SECRETS = [
  "AKIAIOSFODNN7EXAMPLE",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "password=hunter2!x9",
  "Authorization: Bearer abcdef0123456789ABCDEF",
  "https://user:pa55word@example.com/x",
  "corp_token123",
];

// JSON-shaped values with secrets planted in some strings, and field names that configured paths match.
const text = fc.oneof(fc.string(), fc.constantFrom(...SECRETS), fc.constantFrom("analysis", "details", "plain text of some length"));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("kind", "type", "details", "log", "analysis")), tie("value"), { maxKeys: 5 }),
})).value;

describe("redactShared (copy-on-write redaction)", () => {
  const redactors = [createRedactor({ env: {} }), createRedactor({ env: {}, prefixes: ["corp_"], fields: ["analysis.details", "log"] })];

  it("gives exactly what redact gives, and never mutates its input", () => {
    for (const r of redactors) {
      fc.assert(
        fc.property(json, (value) => {
          const before = JSON.stringify(value);
          const shared = r.redactShared!(value);
          expect(shared).toStrictEqual(r.redact(value));
          expect(JSON.stringify(value)).toBe(before);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("returns a value without secrets as itself, and copies only the path to a replaced string", () => {
    const r = createRedactor({ env: {} });
    const clean = { type: "TaskSubmitted", task: { id: "t1", payload: { files: ["a.ts", "b.ts"] } } };
    expect(r.redactShared!(clean)).toBe(clean);
    const dirty = { a: { keep: { x: 1 } }, b: { note: "key AKIAIOSFODNN7EXAMPLE" } };
    const out = r.redactShared!(dirty);
    expect(out).not.toBe(dirty);
    expect(out.a).toBe(dirty.a);
    expect(out.b.note).toBe("key [REDACTED:aws-access-key-id]");
    expect(dirty.b.note).toBe("key AKIAIOSFODNN7EXAMPLE");
  });

  it("replaces cycles and deep-copies anything that is not a plain object or array", () => {
    const r = createRedactor({ env: {} });
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(r.redactShared!(cyclic)).toStrictEqual({ name: "loop", self: CIRCULAR_MARKER });
    // A URL serialises through its inherited toJSON; it must go through the deep-copying path like before.
    const url = new URL("https://user:pa55word@example.com/");
    const wrapped = { link: url };
    const link = r.redactShared!(wrapped).link;
    expect(link === url).toBe(false);
    expect(Object.getPrototypeOf(link) === URL.prototype).toBe(true);
    expect(JSON.stringify(r.redactShared!({ when: new Date(0) }))).toBe(JSON.stringify(r.redact({ when: new Date(0) })));
  });

  it("keeps array holes and remembers only clean texts", () => {
    const r = createRedactor({ env: {} });
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , "AKIAIOSFODNN7EXAMPLE"];
    const out = r.redactShared!(holes) as unknown[];
    expect(1 in out).toBe(false);
    expect(out[2]).toBe("[REDACTED:aws-access-key-id]");
    // The same secret twice is redacted twice (a memo of clean texts cannot let it through).
    expect(r.redactText("AKIAIOSFODNN7EXAMPLE")).toBe("[REDACTED:aws-access-key-id]");
    expect(r.redactText("AKIAIOSFODNN7EXAMPLE")).toBe("[REDACTED:aws-access-key-id]");
    expect(r.redactText("TaskSubmitted")).toBe("TaskSubmitted");
    expect(r.redactText("TaskSubmitted")).toBe("TaskSubmitted");
  });
});
