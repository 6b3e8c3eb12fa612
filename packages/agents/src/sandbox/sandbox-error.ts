/** Stable codes of {@link SandboxError}. */
export type SandboxErrorCode = "InvalidSpec" | "WorkspaceMissing" | "SpawnFailed";

/** Thrown by the sandbox for a bad spec or a command that cannot be started (never for the child's own failure). */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SandboxError";
    this.code = code;
  }
}
