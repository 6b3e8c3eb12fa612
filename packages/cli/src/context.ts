/** What every command gets: the global options and the output (apart from `program.ts`, which registers the commands). */
import type { Output } from "./output.js";

/** Options every command accepts. */
export interface GlobalOptions {
  /** Project state directory (default `.vltair`). */
  dir: string;
  json: boolean;
  /** Extra redaction prefixes (comma-separated), like VLTAIR_REDACT_PREFIXES. */
  redactPrefix?: string;
  /** Redacted field paths (comma-separated), like VLTAIR_REDACT_FIELDS. */
  redactFields?: string;
}

/** What a command's action gets besides its own arguments. */
export interface CommandContext {
  output: Output;
  globals(): GlobalOptions;
  /** The process environment the command should honour (injected for tests). */
  env: Record<string, string | undefined>;
  /** Set by a command whose result is a failure it has already printed (e.g. an AgentError). */
  exitCode?: number;
}
