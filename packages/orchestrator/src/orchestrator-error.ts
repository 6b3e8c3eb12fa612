/** Stable codes of the errors the orchestrator's own API throws (not task outcomes). */
export type OrchestratorErrorCode =
  | "QueueFull"
  | "Closed"
  | "InvalidTask"
  | "DuplicateTask"
  | "UnknownDependency"
  | "DependencyCycle"
  | "InvalidAgent"
  | "UnknownRun"
  | "RunFinished"
  | "InvalidRegistry"
  | "InvalidOption"
  | "IdempotencyConflict";

/** An API misuse or refused request, with a stable code and a message saying what and where. */
export class OrchestratorError extends Error {
  readonly code: OrchestratorErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: OrchestratorErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "OrchestratorError";
    this.code = code;
    this.details = details;
  }
}
