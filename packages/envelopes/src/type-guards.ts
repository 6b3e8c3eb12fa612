// Boolean forms of the validators, for branching on values of unknown shape.
import {
  validateAgentError,
  validateAgentResult,
  validateAgentTask,
  validateArtifact,
  validateRunEvent,
} from "./generated/validators.js";
import type { AgentError, AgentResult, AgentTask, Artifact, RunEvent } from "./generated/types.js";

/** Whether `value` is a valid `AgentTask` (same rules as `validateTask`, including the protocol version). */
export function isAgentTask(value: unknown): value is AgentTask {
  return validateAgentTask(value);
}

/** Whether `value` is a valid `AgentResult`. */
export function isAgentResult(value: unknown): value is AgentResult {
  return validateAgentResult(value);
}

/** Whether `value` is a valid `AgentError`, e.g. to tell a task's failure from its result. */
export function isAgentError(value: unknown): value is AgentError {
  return validateAgentError(value);
}

/** Whether `value` is a valid `Artifact`. */
export function isArtifact(value: unknown): value is Artifact {
  return validateArtifact(value);
}

/** Whether `value` is a valid `RunEvent`. */
export function isRunEvent(value: unknown): value is RunEvent {
  return validateRunEvent(value);
}
