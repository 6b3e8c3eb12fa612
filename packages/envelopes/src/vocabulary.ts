// The closed vocabularies of the protocol, read from the schemas at build time (src/generated/vocabulary.ts).
import {
  ARTIFACT_KIND_VALUES,
  BUILTIN_AGENT_KIND_VALUES,
  ERROR_CODE_VALUES,
  RUN_EVENT_TYPE_VALUES,
} from "./generated/vocabulary.js";
import type { Artifact, ErrorCode, RunEvent } from "./generated/types.js";

/** Every `ErrorCode`, in schema order. */
export const ERROR_CODES: readonly ErrorCode[] = ERROR_CODE_VALUES;

/** Every artifact `kind`. */
export const ARTIFACT_KINDS: readonly Artifact["kind"][] = ARTIFACT_KIND_VALUES;

/** Every run event `type`. */
export const RUN_EVENT_TYPES: readonly RunEvent["type"][] = RUN_EVENT_TYPE_VALUES;

/** Names of the built-in agents, each with its own closed payload schema (`schemas/<kind>-payload.schema.json`). */
export type BuiltinAgentKind = "codegen" | "testgen" | "testexec" | "static-analysis" | "debug" | "planning";

/** Every `BuiltinAgentKind` (the assignment fails to compile if a payload schema is added without its kind). */
export const BUILTIN_AGENT_KINDS: readonly BuiltinAgentKind[] = BUILTIN_AGENT_KIND_VALUES;

/** Whether `value` is one of the `ERROR_CODES`. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** Whether `value` names a built-in agent. */
export function isBuiltinAgentKind(value: unknown): value is BuiltinAgentKind {
  return typeof value === "string" && (BUILTIN_AGENT_KINDS as readonly string[]).includes(value);
}
