// The compatibility test: every fixture of every released protocol version keeps its verdict.
import { describe, expect, it } from "vitest";
import { EnvelopeValidationError } from "../src/index.js";
import { invalidFixtures, validatorFor, validFixtures } from "./fixture-files.js";

function issuesOf(run: () => unknown): EnvelopeValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeValidationError) return error;
    throw error;
  }
  throw new Error("expected an EnvelopeValidationError, but the value was accepted");
}

describe("fixtures/v1", () => {
  const valid = validFixtures();
  const invalid = invalidFixtures();

  it("has fixtures for every subject", () => {
    const subjects = ["artifact", "error", "event", "result", "task"].concat(
      ["codegen", "debug", "planning", "static-analysis", "testexec", "testgen"].map((k) => `payload-${k}`),
    );
    for (const subject of subjects) {
      expect(valid.some((f) => f.subject === subject), `valid ${subject}`).toBe(true);
      expect(invalid.some((f) => f.subject === subject), `invalid ${subject}`).toBe(true);
    }
  });

  it.each(valid.map((f) => [`${f.subject}/${f.name}`, f] as const))("accepts valid/%s", (_, fixture) => {
    expect(validatorFor(fixture.subject)(fixture.value)).toBe(fixture.value);
  });

  it.each(invalid.map((f) => [`${f.subject}/${f.name}`, f] as const))("rejects invalid/%s", (_, fixture) => {
    const error = issuesOf(() => validatorFor(fixture.subject)(fixture.value));
    const pointers = [...new Set(error.issues.map((i) => i.pointer))].sort();
    expect(pointers, fixture.description).toEqual([...new Set(fixture.expectedPointers)].sort());
  });
});
