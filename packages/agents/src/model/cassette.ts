import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRedactor, type ModelRequest, type ModelResponse, type Redactor } from "@vltair/orchestrator";
import { CassetteMiss, ModelError } from "./model-errors.js";
import type { ModelDefaults, ModelProvider } from "./model-provider.js";
import { requestKey } from "./request-key.js";

/** One recorded exchange. */
export interface CassetteEntry {
  key: string;
  request: { model: string; messages: ModelRequest["messages"]; temperature: number; seed?: number; maxTokens?: number };
  response: ModelResponse;
}

/** The cassette file: entries sorted by key, so re-recording the same calls gives the same bytes. */
export interface CassetteFile {
  version: 1;
  entries: CassetteEntry[];
}

function readCassette(file: string): Map<string, CassetteEntry> {
  const entries = new Map<string, CassetteEntry>();
  if (!existsSync(file)) return entries;
  let parsed: CassetteFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as CassetteFile;
  } catch (cause) {
    throw new ModelError("CassetteInvalid", `cassette ${file}: not valid JSON`, { cause });
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.entries)) throw new ModelError("CassetteInvalid", `cassette ${file}: expected { version: 1, entries: [...] }`);
  for (const [i, e] of parsed.entries.entries()) {
    if (typeof e?.key !== "string" || typeof e.response?.content !== "string") throw new ModelError("CassetteInvalid", `cassette ${file}: entries[${i}] lacks a key or a response.content`);
    entries.set(e.key, e);
  }
  return entries;
}

function writeCassette(file: string, entries: Map<string, CassetteEntry>): void {
  const sorted = [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const body: CassetteFile = { version: 1, entries: sorted };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(tmp, file); // atomic: a crash never leaves half a cassette
}

/** Options of {@link Cassette.record}. */
export interface CassetteRecordOptions {
  /**
   * Applied to the messages and the response before they are saved (default: `createRedactor()`, the
   * built-in secret formats plus `VLTAIR_REDACT_PREFIXES` / `VLTAIR_REDACT_FIELDS`). The key is the hash
   * of the request as sent, so replay still finds each exchange; a replayed answer is the redacted one.
   */
  redactor?: Redactor;
}

/**
 * Record/replay of model calls in a JSON file keyed by a stable hash of each request. `Cassette.record`
 * wraps a real provider and saves every exchange, redacted; `Cassette.replay` answers only from the file
 * and throws {@link CassetteMiss} for anything else — it never touches the network.
 */
export class Cassette implements ModelProvider {
  readonly id: string;
  readonly defaults?: ModelDefaults;
  readonly file: string;
  readonly mode: "record" | "replay";
  private readonly entries: Map<string, CassetteEntry>;
  private readonly inner: ModelProvider | undefined;
  private readonly redactor: Redactor | undefined;

  private constructor(file: string, mode: "record" | "replay", id: string, inner: ModelProvider | undefined, defaults: ModelDefaults | undefined, redactor?: Redactor) {
    this.file = path.resolve(file);
    this.redactor = redactor;
    this.mode = mode;
    this.id = id;
    this.inner = inner;
    if (defaults !== undefined) this.defaults = defaults;
    this.entries = readCassette(this.file);
  }

  /** Wraps `provider`: calls go to it and each exchange is added to `file`, redacted (existing entries are kept). */
  static record(file: string, provider: ModelProvider, options: CassetteRecordOptions = {}): Cassette {
    return new Cassette(file, "record", provider.id, provider, provider.defaults, options.redactor ?? createRedactor());
  }

  /** Serves the recordings in `file` (which must exist); `id` defaults to the model of the first entry. */
  static replay(file: string, options: { id?: string; defaults?: ModelDefaults } = {}): Cassette {
    if (!existsSync(file)) throw new ModelError("CassetteInvalid", `cassette ${path.resolve(file)} does not exist (record it first)`);
    const probe = readCassette(path.resolve(file));
    const id = options.id ?? [...probe.values()][0]?.request.model ?? "cassette";
    return new Cassette(file, "replay", id, undefined, options.defaults);
  }

  /** Number of recorded exchanges. */
  get size(): number {
    return this.entries.size;
  }

  async chat(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    const key = requestKey(request);
    const hit = this.entries.get(key);
    if (this.mode === "replay" || this.inner === undefined) {
      if (hit === undefined) throw new CassetteMiss(key, this.file);
      return structuredClone(hit.response);
    }
    const response = await this.inner.chat(request, signal);
    const saved: CassetteEntry["request"] = { model: request.model, messages: request.messages.map((m) => ({ role: m.role, content: m.content })), temperature: request.temperature };
    if (request.seed !== undefined) saved.seed = request.seed;
    if (request.maxTokens !== undefined) saved.maxTokens = request.maxTokens;
    const redactor = this.redactor ?? createRedactor();
    this.entries.set(key, { key, request: redactor.redact(saved), response: redactor.redact(structuredClone(response)) });
    writeCassette(this.file, this.entries);
    return response;
  }
}
