// Property tests: whatever JSON (or JavaScript value) arrives, a validator returns it unchanged or throws
// an EnvelopeValidationError whose issues are non-empty and point at places that exist in the input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EnvelopeValidationError,
  validateArtifact,
  validateError,
  validateEvent,
  validatePayload,
  validateResult,
  validateTask,
} from "../src/index.js";
import { validFixtures } from "./fixture-files.js";

const validators: Record<string, (value: unknown) => unknown> = {
  task: validateTask,
  result: validateResult,
  error: validateError,
  event: validateEvent,
  artifact: validateArtifact,
  codegen: (v) => validatePayload("codegen", v),
  debug: (v) => validatePayload("debug", v),
  planning: (v) => validatePayload("planning", v),
};

/** Whether an RFC 6901 pointer names a place that exists in `value`. */
function resolves(value: unknown, pointer: string): boolean {
  if (pointer === "") return true;
  let node = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function checkOutcome(validate: (value: unknown) => unknown, value: unknown): void {
  const before = JSON.stringify(value);
  try {
    expect(validate(value)).toBe(value);
  } catch (error) {
    if (!(error instanceof EnvelopeValidationError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(typeof issue.message).toBe("string");
      expect(resolves(value, issue.pointer), `${issue.pointer} in ${before}`).toBe(true);
    }
  }
  expect(JSON.stringify(value)).toBe(before);
}

const validatorName = fc.constantFrom(...Object.keys(validators));

/** A valid fixture with one place replaced by arbitrary JSON: near-miss envelopes, the interesting input. */
const mutatedFixture = fc
  .tuple(fc.constantFrom(...validFixtures()), fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.string())
  .map(([fixture, pick, replacement, extraKey]) => {
    const copy = structuredClone(fixture.value);
    const places: [Record<string, unknown>, string][] = [];
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      for (const [k, child] of Object.entries(node)) {
        places.push([node as Record<string, unknown>, k]);
        collect(child);
      }
      places.push([node as Record<string, unknown>, extraKey]);
    };
    collect(copy);
    const [container, key] = places[pick % places.length]!;
    container[key] = replacement;
    return { subject: fixture.subject, value: copy };
  });

describe("fuzzing", () => {
  it("arbitrary JSON gives a value or an EnvelopeValidationError", () => {
    fc.assert(
      fc.property(validatorName, fc.jsonValue({ maxDepth: 6 }), (name, value) => checkOutcome(validators[name]!, value)),
      { numRuns: 2000, seed: 20240605 },
    );
  });

  it("arbitrary JavaScript values (prototypes, symbols, sparse arrays) never crash a validator", () => {
    fc.assert(
      fc.property(validatorName, fc.anything({ withObjectString: true, withNullPrototype: true, withSparseArray: true, withBigInt: true }), (name, value) => {
        try {
          validators[name]!(value);
        } catch (error) {
          expect(error).toBeInstanceOf(EnvelopeValidationError);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("near-miss envelopes are judged with pointers into the input", () => {
    const bySubject: Record<string, (value: unknown) => unknown> = {
      task: validateTask,
      result: validateResult,
      error: validateError,
      event: validateEvent,
      artifact: validateArtifact,
    };
    fc.assert(
      fc.property(mutatedFixture, ({ subject, value }) => {
        const validate = bySubject[subject] ?? ((v: unknown) => validatePayload(subject.slice("payload-".length) as "codegen", v));
        checkOutcome(validate, value);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("deeply nested input does not overflow the validator", () => {
    let nested: unknown = { kind: "text", title: "t", content: "c" };
    for (let i = 0; i < 10_000; i++) nested = { deeper: nested };
    const deepTask = { type: "AgentTask", id: "t", agent: "a", payload: nested };
    expect(validateTask(deepTask)).toBe(deepTask);
    for (const validate of Object.values(validators)) {
      expect(() => validate(nested)).toThrow(EnvelopeValidationError);
    }
  });
});
