/**
 * The wire contract between the orchestrator, agents, plugins and remote callers: JSON Schemas
 * (`schemas/*.schema.json`, draft 2020-12, the single source of truth), the TypeScript types generated
 * from them, and validators compiled from them at build time.
 *
 * @packageDocumentation
 */
export type {
  AgentError,
  AgentName,
  AgentResult,
  AgentTask,
  AnalysisArtifact,
  Artifact,
  Budget,
  BudgetExhaustedEvent,
  CodeGenPayload,
  ContextWrittenEvent,
  CoverageHintArtifact,
  DebugPayload,
  Delta,
  DiffStats,
  DiffSummaryArtifact,
  ErrorCode,
  ErrorInfo,
  FileChange,
  FileContentChange,
  FileDiffChange,
  FileTemplateChange,
  Id,
  Metrics,
  ModelCalledEvent,
  ModelCallResponse,
  ModelMessage,
  ModelUsage,
  PartialResult,
  PatchArtifact,
  PlanningPayload,
  ProtocolVersion,
  ResultPayload,
  RunEvent,
  RunFinishedEvent,
  RunStartedEvent,
  Scope,
  Seq,
  Severity,
  SourceLocation,
  StaticAnalysisPayload,
  SuspiciousLine,
  TaskCancelledEvent,
  TaskConstraints,
  TaskDeadLetteredEvent,
  TaskFailedEvent,
  TaskRetriedEvent,
  TaskStartedEvent,
  TaskSubmittedEvent,
  TaskSucceededEvent,
  TestExecPayload,
  TestGenPayload,
  TestResultArtifact,
  TestStatus,
  TextArtifact,
  Time,
  ToolCalledEvent,
} from "./generated/types.js";
export { createTask } from "./create-task.js";
export type { CreateTaskOptions, IdSource, TaskInit } from "./create-task.js";
export { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "./protocol-version.js";
export { SCHEMA_IDS } from "./generated/vocabulary.js";
export { isAgentError, isAgentResult, isAgentTask, isArtifact, isRunEvent } from "./type-guards.js";
export { EnvelopeValidationError, formatIssue } from "./validation-error.js";
export type { ValidationIssue } from "./validation-error.js";
export {
  validateArtifact,
  validateError,
  validateEvent,
  validatePayload,
  validateResult,
  validateTask,
} from "./validators.js";
export type { PayloadByAgentKind } from "./validators.js";
export {
  ARTIFACT_KINDS,
  BUILTIN_AGENT_KINDS,
  ERROR_CODES,
  isBuiltinAgentKind,
  isErrorCode,
  RUN_EVENT_TYPES,
} from "./vocabulary.js";
export type { BuiltinAgentKind } from "./vocabulary.js";
