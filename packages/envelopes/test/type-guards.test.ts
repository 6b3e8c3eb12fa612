import { describe, expect, it } from "vitest";
import {
  ARTIFACT_KINDS,
  BUILTIN_AGENT_KINDS,
  ERROR_CODES,
  isAgentError,
  isAgentResult,
  isAgentTask,
  isArtifact,
  isBuiltinAgentKind,
  isErrorCode,
  isRunEvent,
  PROTOCOL_VERSION,
  RUN_EVENT_TYPES,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AgentError,
  type AgentResult,
} from "../src/index.js";
import { validFixtures } from "./fixture-files.js";

const result: AgentResult = { type: "AgentResult", id: "r", parentId: "t", agent: "a", payload: {} };
const error: AgentError = {
  type: "AgentError",
  id: "e",
  parentId: "t",
  agent: "a",
  error: { code: "Timeout", message: "timed out", retryable: false },
};

describe("type guards", () => {
  it("tell a result from an error", () => {
    const outcomes: unknown[] = [result, error];
    expect(outcomes.map(isAgentError)).toEqual([false, true]);
    expect(outcomes.map(isAgentResult)).toEqual([true, false]);
  });

  it("agree with the fixtures", () => {
    const guards = { task: isAgentTask, result: isAgentResult, error: isAgentError, artifact: isArtifact, event: isRunEvent };
    for (const fixture of validFixtures()) {
      const guard = guards[fixture.subject as keyof typeof guards];
      if (!guard) continue;
      expect(guard(fixture.value), `${fixture.subject}/${fixture.name}`).toBe(true);
      for (const [subject, other] of Object.entries(guards)) {
        if (subject !== fixture.subject) expect(other(fixture.value), `${subject} guard on ${fixture.name}`).toBe(false);
      }
    }
  });

  it("reject newer protocol versions and junk", () => {
    expect(isAgentTask({ type: "AgentTask", id: "t", agent: "a", payload: {}, protocolVersion: 2 })).toBe(false);
    for (const junk of [null, undefined, 0, "AgentTask", [], {}]) {
      expect(isAgentTask(junk) || isAgentResult(junk) || isAgentError(junk) || isArtifact(junk) || isRunEvent(junk)).toBe(false);
    }
  });
});

describe("vocabulary", () => {
  it("lists the contract's error codes", () => {
    expect(ERROR_CODES).toEqual([
      "ValidationFailure",
      "Timeout",
      "BudgetExhausted",
      "ExecutionError",
      "TestFailure",
      "UnexpectedOutput",
      "AgentUnavailable",
      "Cancelled",
      "Internal",
      "Conflict",
      "DependencyFailed",
    ]);
    expect(isErrorCode("Conflict")).toBe(true);
    expect(isErrorCode("conflict")).toBe(false);
    expect(isErrorCode(3)).toBe(false);
  });

  it("lists artifact kinds, event types and built-in agents", () => {
    expect(ARTIFACT_KINDS).toEqual(["text", "test_result", "analysis", "diff_summary", "coverage_hint", "patch"]);
    expect(RUN_EVENT_TYPES).toContain("TaskDeadLettered");
    expect(RUN_EVENT_TYPES).toHaveLength(13);
    expect([...BUILTIN_AGENT_KINDS].sort()).toEqual(["codegen", "debug", "planning", "static-analysis", "testexec", "testgen"]);
    expect(isBuiltinAgentKind("static-analysis")).toBe(true);
    expect(isBuiltinAgentKind("linter")).toBe(false);
    expect(isBuiltinAgentKind(null)).toBe(false);
  });

  it("states the protocol version", () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual([1]);
  });
});
