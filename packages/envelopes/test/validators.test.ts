import { describe, expect, it } from "vitest";
import {
  EnvelopeValidationError,
  formatIssue,
  validateArtifact,
  validateEvent,
  validatePayload,
  validateResult,
  validateTask,
  type BuiltinAgentKind,
  type ValidationIssue,
} from "../src/index.js";
import { validatorFor, validFixtures } from "./fixture-files.js";
import { editAt, rootSchemaOf, walk, wrongValueFor } from "./schema-walk.js";

function rejection(run: () => unknown): EnvelopeValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeValidationError) return error;
    throw error;
  }
  throw new Error("the value was accepted");
}

const has = (issues: readonly ValidationIssue[], pointer: string, message?: string): boolean =>
  issues.some((i) => i.pointer === pointer && (message === undefined || i.message === message));

const task = { type: "AgentTask", id: "t1", agent: "codegen", payload: { workspace: "w" } };

describe("schema-derived cases over every valid fixture", () => {
  const cases = validFixtures().flatMap((fixture) => {
    const { schema, base } = rootSchemaOf(fixture.subject);
    return [...walk(fixture.value, schema, base)].map((node) => ({ fixture, node }));
  });

  it("covers many nodes", () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it("reports every missing required property where it is missing", () => {
    let checked = 0;
    for (const { fixture, node } of cases) {
      const required = (node.schema["required"] ?? []) as string[];
      for (const key of required) {
        const broken = editAt(fixture.value, node.pointer, (o) => delete o[key]);
        const { issues } = rejection(() => validatorFor(fixture.subject)(broken));
        const label = `${fixture.subject}/${fixture.name} ${node.pointer} without ${key}`;
        // A oneOf shape reports its closest branch, which may name a different missing property.
        if (node.schema["oneOf"] === undefined && !isBranchOfOneOf(node.pointer, fixture.subject)) {
          expect(has(issues, node.pointer, `missing required property "${key}"`), label).toBe(true);
        } else {
          expect(issues.some((i) => i.pointer === node.pointer), label).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it("rejects a wrongly typed value at its own pointer", () => {
    let checked = 0;
    for (const { fixture, node } of cases) {
      if (node.pointer === "") continue;
      const wrong = wrongValueFor(node.schema);
      if (wrong === undefined) continue; // `input`/`output` of ToolCalled accept any JSON
      const parent = node.pointer.slice(0, node.pointer.lastIndexOf("/"));
      const key = node.pointer.slice(node.pointer.lastIndexOf("/") + 1);
      const broken = editAt(fixture.value, parent, (o) => (o[key] = wrong));
      const { issues } = rejection(() => validatorFor(fixture.subject)(broken));
      expect(has(issues, node.pointer), `${fixture.subject}/${fixture.name} ${node.pointer} = ${JSON.stringify(wrong)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("rejects an unknown property on every closed object and accepts it on open ones", () => {
    let closed = 0;
    let open = 0;
    for (const { fixture, node } of cases) {
      if (node.value === null || typeof node.value !== "object" || Array.isArray(node.value)) continue;
      const extended = editAt(fixture.value, node.pointer, (o) => (o["x-unknown"] = "v"));
      const label = `${fixture.subject}/${fixture.name} ${node.pointer}`;
      if (node.schema["additionalProperties"] === false) {
        const { issues } = rejection(() => validatorFor(fixture.subject)(extended));
        expect(has(issues, node.pointer, 'unknown property "x-unknown"'), label).toBe(true);
        closed++;
      } else {
        expect(validatorFor(fixture.subject)(extended), label).toBe(extended);
        open++;
      }
    }
    expect(closed).toBeGreaterThan(100);
    expect(open).toBeGreaterThan(10);
  });
});

/** FileChange objects are branches of a oneOf: their issues are reduced to the closest branch. */
function isBranchOfOneOf(pointer: string, subject: string): boolean {
  return subject === "payload-codegen" && /^\/changes\/\d+$/.test(pointer);
}

describe("issues", () => {
  it("point at the offending value with readable messages", () => {
    const { issues, message, subject } = rejection(() =>
      validateTask({ type: "AgentTask", id: "", payload: {}, constraints: { timeout: 1, timeoutMs: 1.5 } }),
    );
    expect(subject).toBe("AgentTask");
    expect(issues).toEqual([
      { pointer: "", message: 'missing required property "agent"' },
      { pointer: "/id", message: "must not be empty" },
      { pointer: "/constraints", message: 'unknown property "timeout"' },
      { pointer: "/constraints/timeoutMs", message: "must be integer" },
    ]);
    expect(message).toBe(
      'invalid AgentTask: /: missing required property "agent"; /id: must not be empty; /constraints: unknown property "timeout"; /constraints/timeoutMs: must be integer',
    );
  });

  it("list enumerations, constants, limits and discriminators", () => {
    const bad = rejection(() =>
      validateResult({
        type: "AgentResult",
        id: "r".repeat(300),
        parentId: "t",
        agent: "a",
        payload: { artifacts: [{ kind: "test_result", test_name: "x", status: "ok" }, { kind: "image" }, { title: "no kind" }] },
        protocolVersion: "1",
      }),
    );
    expect(bad.issues).toEqual([
      { pointer: "/id", message: "must have at most 256 characters" },
      { pointer: "/payload/artifacts/0/status", message: 'must be one of "pass", "fail", "error", "skipped", "timeout"' },
      { pointer: "/payload/artifacts/1/kind", message: 'must be one of "text", "test_result", "analysis", "diff_summary", "coverage_hint", "patch"' },
      { pointer: "/payload/artifacts/2", message: 'missing required property "kind"' },
      { pointer: "/protocolVersion", message: "must be 1" },
    ]);
  });

  it("reduce a failed oneOf to its closest branch", () => {
    const { issues } = rejection(() =>
      validatePayload("codegen", { workspace: "w", changes: [{ path: "a", diff: "d", variables: {} }] }),
    );
    expect(issues).toEqual([
      { pointer: "/changes/0", message: 'unknown property "variables"' },
      { pointer: "/changes/0", message: "must match exactly one of FileContentChange | FileDiffChange | FileTemplateChange" },
    ]);
  });

  it("name the event type values", () => {
    const { issues } = rejection(() => validateEvent({ type: "Nope", runId: "r", seq: 0, time: 0 }));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('"RunStarted", "RunFinished"');
  });

  it("are all kept while the message shows the first five", () => {
    const error = rejection(() => validateTask({ type: 1, id: 2, agent: 3, payload: 4, priority: "5", scope: 6, parentId: 7 }));
    expect(error.issues.length).toBeGreaterThan(5);
    expect(error.message).toContain(`(and ${error.issues.length - 5} more)`);
    expect(error.message.split("; ")).toHaveLength(5);
  });

  it("render the root pointer as /", () => {
    expect(formatIssue({ pointer: "", message: "m" })).toBe("/: m");
    expect(formatIssue({ pointer: "/a/0", message: "m" })).toBe("/a/0: m");
  });

  it("are reported for non-object input", () => {
    for (const value of [null, 1, "task", [], true, undefined]) {
      expect(rejection(() => validateTask(value)).issues).toEqual([{ pointer: "", message: "must be object" }]);
      expect(rejection(() => validateArtifact(value)).issues).toEqual([{ pointer: "", message: "must be object" }]);
    }
  });
});

describe("protocol versions", () => {
  it("rejects an unsupported version before looking at the schema", () => {
    for (const validate of [validateTask, validateResult, validatorFor("error")]) {
      const error = rejection(() => validate({ protocolVersion: 2, whatever: true }));
      expect(error.issues).toEqual([{ pointer: "/protocolVersion", message: "protocolVersion 2 is not supported (supported: 1)" }]);
      expect(error.message).toContain("protocolVersion 2 is not supported (supported: 1)");
    }
    expect(rejection(() => validateTask({ ...task, protocolVersion: 0 })).issues[0]?.message).toBe(
      "protocolVersion 0 is not supported (supported: 1)",
    );
  });

  it("accepts an absent version (meaning 1) and 1, without writing a default", () => {
    const value = { ...task };
    expect(validateTask(value)).toBe(value);
    expect("protocolVersion" in value).toBe(false);
    expect(validateTask({ ...task, protocolVersion: 1 }).protocolVersion).toBe(1);
  });

  it("checks nested envelopes against v1 as well", () => {
    const { issues } = rejection(() =>
      validateResult({ type: "AgentResult", id: "r", parentId: "t", agent: "a", payload: { newTasks: [{ ...task, protocolVersion: 2 }] } }),
    );
    expect(issues).toEqual([{ pointer: "/payload/newTasks/0/protocolVersion", message: "must be 1" }]);
  });
});

describe("validators", () => {
  it("return their input unchanged (same object, not mutated)", () => {
    const input = structuredClone(validFixtures().find((f) => f.subject === "result" && f.name === "three-artifacts")!.value);
    const frozen = deepFreeze(structuredClone(input));
    expect(validateResult(frozen)).toBe(frozen);
    expect(frozen).toEqual(input);
    const invalid = deepFreeze({ ...task, priority: 0.5 });
    rejection(() => validateTask(invalid));
    expect(invalid).toEqual({ ...task, priority: 0.5 });
  });

  it("validatePayload rejects unknown agent kinds clearly", () => {
    for (const kind of ["nope", "__proto__", "toString"]) {
      const error = rejection(() => validatePayload(kind as BuiltinAgentKind, { workspace: "w" }));
      expect(error.issues[0]?.message).toMatch(new RegExp(`no payload schema for agent kind "${kind}" \\(built-in kinds: codegen`));
    }
  });

  it("validatePayload closes each built-in payload", () => {
    expect(validatePayload("testexec", { workspace: "w", command: ["npm", "test"] }).command).toEqual(["npm", "test"]);
    const { issues, subject } = rejection(() => validatePayload("planning", { goal: "g", steps: [] }));
    expect(subject).toBe("PlanningPayload");
    expect(issues).toEqual([{ pointer: "", message: 'unknown property "steps"' }]);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
