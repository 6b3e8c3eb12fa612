import { randomBytes } from "node:crypto";
import { CliError } from "./cli-error.js";

/** Where one CLI invocation writes, and whether a person is watching. */
export interface Io {
  /** Standard output: results. */
  out(text: string): void;
  /** Standard error: progress and diagnostics (never parsed). */
  err(text: string): void;
  /** True when stdout is a terminal: readable text instead of JSON, and progress on stderr. */
  isTty: boolean;
}

/** A progress indicator for long work: a spinner line on a terminal, silent otherwise. */
export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Formats everything a command prints: JSON (one document, `ok` first) when piped or with `--json`,
 * readable text on a terminal; errors always as the JSON error envelope so scripts can rely on it.
 *
 * A command's answer (`result` or `failure`) is held until the command has finished — including closing
 * the project — and printed by `flush`, so an invocation prints exactly one answer: the result, or the
 * error that came after it (e.g. a full disk while closing), never both.
 */
export class Output {
  /** Identifies this invocation in errors and logs. */
  readonly traceId = randomBytes(8).toString("hex");
  #answer: (() => void) | undefined;
  readonly #warnings: string[] = [];

  constructor(
    private readonly io: Io,
    /** JSON output (piped, or `--json`). */
    readonly json: boolean,
  ) {}

  /** Sets a command's result, `{ ok: true, ...value }` as JSON or `text()` for a person, printed by {@link Output.flush}. */
  result(value: Record<string, unknown>, text: () => string): void {
    this.#answer = () => {
      const warnings = this.#warnings.length > 0 ? { warnings: [...this.#warnings] } : {};
      this.io.out(this.json ? JSON.stringify({ ok: true, ...value, ...warnings }, null, 2) : text());
    };
  }

  /** Sets a command's result as one JSON line (after streamed lines such as workflow steps) or `text()`, printed by {@link Output.flush}. */
  resultLine(value: Record<string, unknown>, text: () => string): void {
    this.#answer = () => this.io.out(this.json ? JSON.stringify(value) : text());
  }

  /**
   * Reports something that went wrong without changing the answer (a skipped file, a checkpoint that
   * could not be written after a read-only command): at once on stderr, and in the JSON answer's `warnings`.
   */
  warn(message: string): void {
    this.#warnings.push(message);
    this.io.err(`warning: ${message}\n`);
  }

  /** Prints the held answer, once. */
  flush(): void {
    const answer = this.#answer;
    this.#answer = undefined;
    answer?.();
  }

  /** Prints text as is (help, version). */
  raw(text: string): void {
    this.io.out(text);
  }

  /** Prints a single JSON line (used for streaming records such as workflow steps). */
  line(value: Record<string, unknown>): void {
    this.io.out(JSON.stringify(value));
  }

  /** The stable code an error is reported under. */
  codeOf(error: unknown): string {
    return error instanceof CliError ? error.code : errorCode(error);
  }

  /** Prints the error envelope (instead of any held answer) and returns the exit code. */
  error(error: unknown): number {
    this.#answer = undefined;
    const cliError = error instanceof CliError ? error : undefined;
    const code = this.codeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    this.io.out(JSON.stringify({ ok: false, traceId: this.traceId, error: { code, message } }));
    return cliError?.exitCode ?? 1;
  }

  /**
   * Prints a failure the command itself found (an `AgentError` result, a divergent replay) as the error
   * envelope plus details, and returns exit code 1.
   */
  failure(code: string, message: string, details: Record<string, unknown>): number {
    this.#answer = () => this.io.out(JSON.stringify({ ok: false, traceId: this.traceId, error: { code, message }, ...details }, null, this.json ? 2 : 0));
    return 1;
  }

  /** Starts a progress indicator on stderr (terminal only). */
  progress(label: string): Progress {
    if (!this.io.isTty || this.json) return { update() {}, done() {} };
    let frame = 0;
    let text = label;
    const draw = () => this.io.err(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
    const timer = setInterval(draw, 80);
    timer.unref();
    draw();
    return {
      update: (next) => {
        text = `${label}: ${next}`;
      },
      done: (final) => {
        clearInterval(timer);
        this.io.err(`\r\x1b[2K${final ? `✔ ${final}\n` : ""}`);
      },
    };
  }
}

/** The stable code of a library error (`code`, `codeName` of engine errors, or the class name). */
function errorCode(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; codeName?: unknown; name?: unknown };
    if (typeof e.codeName === "string") return e.codeName;
    if (typeof e.code === "string" && /^[A-Z][A-Za-z]+$/.test(e.code)) return e.code;
    if (typeof e.name === "string" && e.name !== "Error") return e.name;
  }
  return "Internal";
}
