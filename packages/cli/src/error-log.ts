import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { createJsonLogger, type Redactor } from "@vltair/orchestrator";

/** The file, in the project directory, where failed invocations are logged under their trace id. */
export const ERROR_LOG_FILE = "cli-errors.jsonl";

/**
 * Logs a failed invocation — trace id, arguments, code, message and stack, redacted — to
 * `<dir>/cli-errors.jsonl`, so the `traceId` of an error envelope leads to the details. Only into an
 * existing project directory: a mistyped `--dir` must not create one.
 */
export function logFailure(dir: string, redactor: Redactor, record: { traceId: string; argv: readonly string[]; code: string; error: unknown }): void {
  const root = path.resolve(dir);
  if (!existsSync(root)) return;
  const logger = createJsonLogger({ redactor, sink: (line) => appendFileSync(path.join(root, ERROR_LOG_FILE), `${line}\n`) });
  logger.error(record.error instanceof Error ? record.error.message : String(record.error), {
    traceId: record.traceId,
    argv: [...record.argv],
    code: record.code,
    error: record.error,
  });
}
