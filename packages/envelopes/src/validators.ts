// The public validators: a protocol-version check, then the ajv standalone validator generated at build
// time from the schemas (no schema compilation at run time). They never mutate their input: defaults
// such as protocolVersion 1 or priority 0 are documented, not written into the value.
import type { CompiledValidator } from "./generated/validators.js";
import {
  validateAgentError,
  validateAgentResult,
  validateAgentTask,
  validateArtifact as validateArtifactSchema,
  validateCodeGenPayload,
  validateDebugPayload,
  validatePlanningPayload,
  validateRunEvent,
  validateStaticAnalysisPayload,
  validateTestExecPayload,
  validateTestGenPayload,
} from "./generated/validators.js";
import type {
  AgentError,
  AgentResult,
  AgentTask,
  Artifact,
  CodeGenPayload,
  DebugPayload,
  PlanningPayload,
  RunEvent,
  StaticAnalysisPayload,
  TestExecPayload,
  TestGenPayload,
} from "./generated/types.js";
import { issuesFromAjv } from "./ajv-issues.js";
import { checkProtocolVersion } from "./protocol-version.js";
import { EnvelopeValidationError } from "./validation-error.js";
import type { BuiltinAgentKind } from "./vocabulary.js";

/** The payload type of each built-in agent. */
export interface PayloadByAgentKind {
  codegen: CodeGenPayload;
  testgen: TestGenPayload;
  testexec: TestExecPayload;
  "static-analysis": StaticAnalysisPayload;
  debug: DebugPayload;
  planning: PlanningPayload;
}

const payloadValidators: Readonly<Record<BuiltinAgentKind, { subject: string; validate: CompiledValidator }>> = {
  codegen: { subject: "CodeGenPayload", validate: validateCodeGenPayload },
  testgen: { subject: "TestGenPayload", validate: validateTestGenPayload },
  testexec: { subject: "TestExecPayload", validate: validateTestExecPayload },
  "static-analysis": { subject: "StaticAnalysisPayload", validate: validateStaticAnalysisPayload },
  debug: { subject: "DebugPayload", validate: validateDebugPayload },
  planning: { subject: "PlanningPayload", validate: validatePlanningPayload },
};

function check<T>(subject: string, validate: CompiledValidator, value: unknown): T {
  if (validate(value)) return value as T;
  throw new EnvelopeValidationError(subject, issuesFromAjv(validate.errors ?? []));
}

/** Returns `value` typed as an `AgentTask`, or throws `EnvelopeValidationError` listing every problem. */
export function validateTask(value: unknown): AgentTask {
  checkProtocolVersion("AgentTask", value);
  return check("AgentTask", validateAgentTask, value);
}

/** Returns `value` typed as an `AgentResult`, or throws `EnvelopeValidationError` listing every problem. */
export function validateResult(value: unknown): AgentResult {
  checkProtocolVersion("AgentResult", value);
  return check("AgentResult", validateAgentResult, value);
}

/** Returns `value` typed as an `AgentError`, or throws `EnvelopeValidationError` listing every problem. */
export function validateError(value: unknown): AgentError {
  checkProtocolVersion("AgentError", value);
  return check("AgentError", validateAgentError, value);
}

/** Returns `value` typed as a `RunEvent`, or throws `EnvelopeValidationError` listing every problem. */
export function validateEvent(value: unknown): RunEvent {
  return check("RunEvent", validateRunEvent, value);
}

/** Returns `value` typed as an `Artifact`, or throws `EnvelopeValidationError` listing every problem. */
export function validateArtifact(value: unknown): Artifact {
  return check("Artifact", validateArtifactSchema, value);
}

/**
 * Validates the payload of a task for the built-in agent `agentKind` against that agent's closed
 * payload schema; throws `EnvelopeValidationError` (also for an unknown `agentKind`).
 */
export function validatePayload<K extends BuiltinAgentKind>(agentKind: K, payload: unknown): PayloadByAgentKind[K] {
  const entry = Object.hasOwn(payloadValidators, agentKind) ? payloadValidators[agentKind] : undefined;
  if (entry === undefined) {
    throw new EnvelopeValidationError("payload", [
      {
        pointer: "",
        message: `no payload schema for agent kind ${JSON.stringify(agentKind)} (built-in kinds: ${Object.keys(payloadValidators).join(", ")})`,
      },
    ]);
  }
  return check(entry.subject, entry.validate, payload);
}
