/**
 * Structured logging: one JSON object per line, every record passed through the redactor first.
 */
import { createRedactor, type Redactor } from "./redaction.js";

/** Severity of a record, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A structured logger. `fields` are merged into the record; later keys win over `child` fields. */
export interface Logger {
  /** Detail useful when debugging. */
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Normal operation. */
  info(msg: string, fields?: Record<string, unknown>): void;
  /** Something unexpected that the system handled. */
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** A failure. */
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every record. */
  child(fields: Record<string, unknown>): Logger;
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** Receives each line (without newline); default: write to stderr. */
  sink?: (line: string) => void;
  /** Records below this level are dropped; default `info`. */
  level?: LogLevel;
  /** Applied to every record; default `createRedactor()` (built-ins plus the environment's settings). */
  redactor?: Redactor;
  /** Source of `time`; default the system clock. */
  clock?: { now(): number };
  /** Fields of every record. */
  base?: Record<string, unknown>;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Keys the logger owns; fields cannot overwrite them. */
const RESERVED = new Set(["time", "level", "msg"]);

/**
 * A logger writing one JSON line per record: `{"time":"<ISO>","level":…,"msg":…,…fields}`. Error values
 * anywhere in the fields are written as `{ name, message, stack, code?, cause? }`.
 */
export function createJsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const level = opts.level ?? "info";
  if (!(level in LEVEL_RANK)) throw new TypeError(`createJsonLogger: unknown level ${JSON.stringify(level)} (debug, info, warn or error)`);
  const config: LoggerConfig = {
    sink: opts.sink ?? ((line) => process.stderr.write(`${line}\n`)),
    minRank: LEVEL_RANK[level],
    redactor: opts.redactor ?? createRedactor(),
    clock: opts.clock ?? { now: () => Date.now() },
  };
  return new JsonLogger(config, opts.base ?? {});
}

interface LoggerConfig {
  readonly sink: (line: string) => void;
  readonly minRank: number;
  readonly redactor: Redactor;
  readonly clock: { now(): number };
}

class JsonLogger implements Logger {
  readonly #config: LoggerConfig;
  readonly #base: Record<string, unknown>;

  constructor(config: LoggerConfig, base: Record<string, unknown>) {
    this.#config = config;
    this.#base = base;
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.#log("debug", msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.#log("info", msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.#log("warn", msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.#log("error", msg, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.#config, { ...this.#base, ...fields });
  }

  #log(level: LogLevel, msg: string, fields: Record<string, unknown> | undefined): void {
    if (LEVEL_RANK[level] < this.#config.minRank) return;
    const record: Record<string, unknown> = { time: new Date(this.#config.clock.now()).toISOString(), level, msg };
    for (const source of [this.#base, fields ?? {}]) {
      for (const [key, value] of Object.entries(source)) if (!RESERVED.has(key)) record[key] = value;
    }
    let line: string;
    try {
      line = JSON.stringify(this.#config.redactor.redact(record), jsonReplacer);
    } catch (err) {
      // A field whose toJSON throws must not take the caller down; report what happened instead.
      line = JSON.stringify({
        time: record.time,
        level,
        msg: this.#config.redactor.redactText(msg),
        logError: `fields could not be serialised: ${this.#config.redactor.redactText(String(err))}`,
      });
    }
    this.#config.sink(line);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = value.cause;
    for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = v;
    return out;
  }
  return value;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
