import { inspect } from "node:util";
import path from "node:path";
import { analyze, openCollection, type Collection, type Document, type DurabilityMode, type HybridSearchConfig, type SnapshotInfo } from "@vltair/vesper-native";
import type {
  ContextStore, DropScopeReport, KeyOptions, MergeOptions, MergeResult, PutOptions, PutResult, ScopeInput, SearchHit, SearchOptions,
} from "./context-store.js";
import { documentId, tupleHash } from "./doc-id.js";
import { DEFAULT_MAX_CONTENT_BYTES, DOC_KINDS, validateDocument, type ContextDocument, type DocKind, type JsonValue, type StoredDocument } from "./document.js";
import type { Embedder } from "./embedder.js";
import { ContextStoreError } from "./errors.js";
import { HashingEmbedder } from "./hashing-embedder.js";
import { ingestRepository, type IngestSink } from "./ingest/ingest.js";
import type { IngestOptions, IngestReport } from "./ingest/ingest-options.js";
import { ingestRecordKeys, rootIndexKey, type RootIndex } from "./ingest/ingest-records.js";
import { redactDocument } from "./redaction/redact-document.js";
import { createTextRedactor, type TextRedactor } from "./redaction/text-redactor.js";
import { formatScope, parseScope, ScopeError } from "./scope.js";
import { buildSearchFilter } from "./search-filter.js";
import { checkAnalyzers, ensureStoreMeta, recordAnalyzers, type StoreAnalyzers } from "./store-meta.js";
import { threeWayMerge } from "./three-way-merge.js";
import { RecordCache } from "./record-cache.js";
import { WriteQueue } from "./write-queue.js";

/** Options of {@link openContextStore}. */
export interface ContextStoreOptions {
  /** Default: a {@link HashingEmbedder} of dim 384 (offline, deterministic, lexical). */
  embedder?: Embedder;
  /** Vesper durability: `commit` (default, fsynced), `flush` or `none`. */
  durability?: DurabilityMode;
  /** Clock for `writtenAt` (ms); inject one for reproducible runs. Default: the system clock. */
  clock?: () => number;
  /** Largest document content in UTF-8 bytes (default 1 MiB). */
  maxContentBytes?: number;
  /** Stored records kept in memory for reads and search hits (default 4096; 0 turns the cache off). */
  cacheSize?: number;
  /**
   * Redaction applied to every text the store writes — document keys, contents, paths, symbols,
   * metadata values, `data`, and everything ingest records (root, file paths, file contents) — and to the
   * keys of lookups, so a key holding a secret finds its (redacted) document. Default:
   * `createTextRedactor()` (the built-in secret formats plus `VLTAIR_REDACT_PREFIXES`), so a store never
   * writes a known secret format, whoever opens it. Pass the orchestrator's `Redactor` to add configured
   * prefixes; passing a redactor that returns its input unchanged turns redaction off.
   */
  redactor?: TextRedactor;
  /**
   * BM25 analyzers by document kind (default `{ text: "english", code: "code" }`: prose is stemmed,
   * identifiers are split). Recorded with the store: opening it with others is an `AnalyzerMismatch`.
   */
  analyzers?: Partial<StoreAnalyzers>;
  /** Re-analyse the stored texts when `analyzers` differ from the recorded ones (once, on open). */
  reindexText?: boolean;
  /** Receives what opening did that the user should know (e.g. a one-time re-analysis of an older
   * store). Default: `process.emitWarning`. */
  onNotice?: (message: string) => void;
}

/** The analyzers of a store opened without `analyzers`. */
export const DEFAULT_ANALYZERS: Readonly<StoreAnalyzers> = Object.freeze({ text: "english", code: "code" });

/** How the store lays its records out in the collection (internal records have no vector or text, so
 * searches never see them). */
const versionKey = (id: string, version: number) => `${id}@${version}`;
const catalogKey = (scope: string, shard: string) => `cat|${scope}|${shard}`;
const kindsKey = (scope: string, key: string) => `kinds|${tupleHash("vltair.context.kinds.v1", [scope, key])}`;
const idemKey = (scope: string, key: string) => `idem|${tupleHash("vltair.context.idem.v1", [scope, key])}`;
const SHARDS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** What a head and each version record hold. */
interface StoredRecord {
  doc: ContextDocument;
  id: string;
  scope: string;
  version: number;
  writtenAt: number;
  contentHash: string;
}

/** A catalog shard: the logical documents of a scope whose id starts with the shard's two hex digits
 * (so dropScope can enumerate them and a new document rewrites only a small record). */
interface CatalogShard {
  entries: Record<string, [DocKind, string]>;
}

interface WriteRequest {
  doc: ContextDocument;
  expectedVersion?: number;
  idempotencyKey?: string;
  /** What the idempotency key is bound to: the hash of the document the caller asked to write. */
  binding?: string;
}

/** What an idempotency record holds: the write it made, and the request it is bound to. */
interface IdempotencyRecord {
  id: string;
  version: number;
  /** Hash of the requested document (absent in records written before keys were bound). */
  binding?: string;
}

function toScope(input: ScopeInput, where: string): string {
  try {
    return typeof input === "string" ? formatScope(parseScope(input)) : formatScope(parseScope(formatScope(input)));
  } catch (error) {
    const message = error instanceof ScopeError ? error.message : `expected a scope, got ${JSON.stringify(input)}`;
    throw new ContextStoreError("InvalidScope", `${where}: ${message}`, { scope: input });
  }
}

function contentHash(doc: ContextDocument): string {
  return tupleHash("vltair.context.content.v1", [JSON.stringify(doc)]);
}

/** The text that is embedded and BM25-indexed: location words help code chunks match. */
function searchableText(doc: ContextDocument): string {
  return [doc.path, doc.symbol, doc.content].filter((part) => part !== undefined && part !== "").join("\n");
}

function toStored(record: StoredRecord): StoredDocument {
  return { ...record.doc, id: record.id, scope: record.scope, version: record.version, writtenAt: record.writtenAt };
}

/**
 * The context store on the embedded Vesper engine: one collection per directory (in `<dir>/vesper`),
 * plus `context-store.json` recording the embedder. Writes are serialised; reads run concurrently.
 */
export class VesperContextStore implements ContextStore {
  readonly #collection: Collection;
  readonly #embedder: Embedder;
  readonly #clock: () => number;
  readonly #maxContentBytes: number;
  readonly #analyzers: StoreAnalyzers;
  readonly #writes = new WriteQueue();
  readonly #cache: RecordCache<StoredRecord>;
  readonly #redactor: TextRedactor;
  #closed = false;
  /** The directory the store lives in. */
  readonly dir: string;

  /** Use {@link openContextStore}.
   * @hidden
   */
  constructor(dir: string, collection: Collection, embedder: Embedder, clock: () => number, maxContentBytes: number, cacheSize = 4096, redactor: TextRedactor = createTextRedactor(), analyzers: StoreAnalyzers = DEFAULT_ANALYZERS) {
    this.#cache = new RecordCache(cacheSize);
    this.#redactor = redactor;
    this.#analyzers = analyzers;
    this.dir = dir;
    this.#collection = collection;
    this.#embedder = embedder;
    this.#clock = clock;
    this.#maxContentBytes = maxContentBytes;
  }

  /** The embedder the store was built with. */
  get embedder(): Embedder {
    return this.#embedder;
  }

  /** The underlying Vesper collection (for benchmarks and diagnostics; write through the store). */
  get collection(): Collection {
    return this.#collection;
  }

  /**
   * Writes a new version of a document (redacted first). A stale `expectedVersion` is a `Conflict`; a
   * repeated write is a no-op reported as `applied: false`; an idempotency key reused for another document
   * is a `Conflict`; bad input is rejected before anything is written.
   */
  async put(doc: ContextDocument, options: PutOptions): Promise<PutResult> {
    this.#checkOpen();
    const scope = toScope(options?.scope, "put options.scope");
    const valid = validateDocument(redactDocument(doc, this.#redactor), this.#maxContentBytes);
    checkVersion(options.expectedVersion, "put options.expectedVersion", 0);
    if (options.idempotencyKey !== undefined && (typeof options.idempotencyKey !== "string" || options.idempotencyKey.length === 0)) {
      throw new ContextStoreError("InvalidDocument", "put options.idempotencyKey: must be a non-empty string");
    }
    const request: WriteRequest = { doc: valid };
    if (options.expectedVersion !== undefined) request.expectedVersion = options.expectedVersion;
    if (options.idempotencyKey !== undefined) {
      request.idempotencyKey = options.idempotencyKey;
      request.binding = contentHash(valid);
    }
    const [result] = await this.#writes.run(() => this.#write(scope, [request]));
    return result!;
  }

  /** The latest version of a document, or `undefined`. */
  async get(key: string, options: KeyOptions): Promise<StoredDocument | undefined> {
    this.#checkOpen();
    const scope = toScope(options?.scope, "get options.scope");
    const id = await this.#resolveId(this.#lookupKey(key), scope, options.kind, "get");
    if (id === undefined) return undefined;
    const record = await this.#record(id);
    return record === undefined ? undefined : toStored(record);
  }

  /** Every version of a document, oldest first (empty when it does not exist). */
  async history(key: string, options: KeyOptions): Promise<StoredDocument[]> {
    this.#checkOpen();
    const scope = toScope(options?.scope, "history options.scope");
    const id = await this.#resolveId(this.#lookupKey(key), scope, options.kind, "history");
    if (id === undefined) return [];
    const head = await this.#record(id);
    if (head === undefined) return [];
    // eslint-disable-next-line @typescript-eslint/await-thenable -- #record answers from the cache synchronously or from the engine with a promise; Promise.all takes both
    const versions = await Promise.all(Array.from({ length: head.version }, (_, i) => this.#record(versionKey(id, i + 1))));
    return versions.filter((r): r is StoredRecord => r !== undefined).map(toStored);
  }

  /** Deletes a document and its history; resolves to whether it existed. */
  async delete(key: string, options: KeyOptions): Promise<boolean> {
    this.#checkOpen();
    const scope = toScope(options?.scope, "delete options.scope");
    return this.#writes.run(async () => {
      const id = await this.#resolveId(this.#lookupKey(key), scope, options.kind, "delete");
      if (id === undefined) return false;
      const head = await this.#record(id);
      if (head === undefined) return false;
      await this.#remove(scope, [{ id, kind: head.doc.kind, key: head.doc.key }]);
      return true;
    });
  }

  /**
   * Searches the named scopes: `dense` (vectors), `sparse` (BM25) or `hybrid` (both, fused by RRF, or by
   * weighted sum when weights are given). Hits carry the stored document; ties are ordered by id.
   */
  async search(text: string, options: SearchOptions): Promise<SearchHit[]> {
    this.#checkOpen();
    if (typeof text !== "string") throw new ContextStoreError("InvalidQuery", "search text: must be a string");
    const scopesIn = options?.scopes;
    if (!Array.isArray(scopesIn) || scopesIn.length === 0) {
      throw new ContextStoreError("InvalidQuery", "search options.scopes: name at least one scope the search may see (e.g. ['global'])");
    }
    const scopes = [...new Set((scopesIn as readonly ScopeInput[]).map((s, i) => toScope(s, `search options.scopes[${i}]`)))];
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw new ContextStoreError("InvalidQuery", `search options.k: must be an integer in [1, 1000], got ${String(k)}`);
    const mode = options.mode ?? "hybrid";
    if (mode !== "dense" && mode !== "sparse" && mode !== "hybrid") {
      throw new ContextStoreError("InvalidQuery", `search options.mode: expected dense, sparse or hybrid, got ${JSON.stringify(mode)}`);
    }
    if (options.kinds !== undefined) {
      for (const kind of options.kinds) {
        if (!DOC_KINDS.includes(kind)) throw new ContextStoreError("InvalidQuery", `search options.kinds: unknown kind ${JSON.stringify(kind)}`);
      }
    }
    const filter = buildSearchFilter(scopes, options.kinds, options.filters);
    const config: HybridSearchConfig = { k, includeMetadata: false };
    if (options.rrfK !== undefined) config.rrfK = options.rrfK;
    if (options.rerankFactor !== undefined) config.rerankFactor = options.rerankFactor;
    if (options.denseWeight !== undefined || options.sparseWeight !== undefined) {
      config.fusion = "WEIGHTED_SUM";
      config.denseWeight = options.denseWeight ?? 0.5;
      config.sparseWeight = options.sparseWeight ?? 0.5;
    }
    // A query without words (empty, punctuation, stop words only) finds nothing, in every mode: its
    // embedding would rank arbitrary documents.
    if (analyze(text, this.#analyzers.text).length === 0 && analyze(text, this.#analyzers.code).length === 0) return [];
    const vector = mode === "sparse" ? undefined : (await this.#embed([text]))[0];
    const query = mode === "dense" ? { vector: vector!, filter } : mode === "sparse" ? { text, filter } : { text, vector: vector!, filter };
    const raw = await this.#wrapEngine(() => this.#collection.search(query, config), "search");
    // eslint-disable-next-line @typescript-eslint/await-thenable -- #record answers from the cache synchronously or from the engine with a promise; Promise.all takes both
    const records = await Promise.all(raw.map((hit) => (hit.key === undefined ? undefined : this.#record(hit.key))));
    const hits: SearchHit[] = [];
    raw.forEach((hit, i) => {
      const record = records[i];
      if (record === undefined) return; // deleted between search and read
      const out: SearchHit = { id: record.id, score: hit.score, doc: toStored(record) };
      if (hit.denseScore !== undefined) out.denseScore = hit.denseScore;
      if (hit.sparseScore !== undefined) out.sparseScore = hit.sparseScore;
      hits.push(out);
    });
    return hits;
  }

  /**
   * Merges an edit made from `baseVersion` into the latest version (line-based diff3). Written when it
   * merges cleanly; otherwise nothing is written and the conflicts are returned.
   */
  async merge(doc: ContextDocument, options: MergeOptions): Promise<MergeResult> {
    this.#checkOpen();
    const scope = toScope(options?.scope, "merge options.scope");
    const valid = validateDocument(redactDocument(doc, this.#redactor), this.#maxContentBytes);
    checkVersion(options.baseVersion, "merge options.baseVersion", 1);
    return this.#writes.run(async () => {
      const id = documentId(valid.kind, scope, valid.key);
      const head = await this.#record(id);
      if (head === undefined) throw new ContextStoreError("NotFound", `merge: no ${valid.kind} document '${valid.key}' in scope ${scope}`, { id });
      if (options.baseVersion > head.version) {
        throw new ContextStoreError("Conflict", `merge: base version ${options.baseVersion} of '${valid.key}' is newer than the latest (${head.version})`, { id, baseVersion: options.baseVersion, currentVersion: head.version });
      }
      const base = await this.#record(versionKey(id, options.baseVersion));
      if (base === undefined) throw new ContextStoreError("NotFound", `merge: version ${options.baseVersion} of '${valid.key}' is missing`, { id });
      const result = threeWayMerge(base.doc.content, head.doc.content, valid.content);
      if (!result.ok) return { merged: false, id, currentVersion: head.version, baseVersion: options.baseVersion, conflicts: result.conflicts };
      const request: WriteRequest = { doc: { ...valid, content: result.content }, expectedVersion: head.version };
      if (options.idempotencyKey !== undefined) {
        request.idempotencyKey = options.idempotencyKey;
        request.binding = contentHash(valid); // the edit asked for, not its merge with whatever is current
      }
      const [written] = await this.#write(scope, [request]);
      return { merged: true, id, version: written!.version, content: result.content, applied: written!.applied };
    });
  }

  /**
   * Indexes a repository incrementally into a scope (default `global`), redacting paths and contents;
   * each root keeps its own documents unless `replace` is set. See {@link IngestOptions}.
   */
  async ingest(dir: string, options: IngestOptions = {}): Promise<IngestReport> {
    this.#checkOpen();
    const scope = toScope(options.scope ?? "global", "ingest options.scope");
    return this.#writes.run(() => ingestRepository(dir, scope, options, this.#ingestSink()));
  }

  /** Removes every document of a session or task scope. `global` cannot be dropped. */
  async dropScope(scopeInput: ScopeInput): Promise<DropScopeReport> {
    this.#checkOpen();
    const scope = toScope(scopeInput, "dropScope scope");
    if (scope === "global") throw new ContextStoreError("InvalidScope", "dropScope: the global scope cannot be dropped; delete its documents one by one");
    return this.#writes.run(async () => {
      const shards = await Promise.all(SHARDS.map((s) => this.#payload<CatalogShard>(catalogKey(scope, s))));
      const docs: { id: string; kind: DocKind; key: string }[] = [];
      for (const shard of shards) {
        for (const [id, [kind, key]] of Object.entries(shard?.entries ?? {})) docs.push({ id, kind, key });
      }
      docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await this.#remove(scope, docs);
      const roots = await this.#payload<RootIndex>(rootIndexKey(scope));
      await this.#wrapEngine(() => this.#collection.remove(ingestRecordKeys(scope, roots)), "dropScope");
      return { scope, documents: docs.length };
    });
  }

  /** Saves the whole store under `label` (Vesper snapshot). */
  async snapshot(label: string): Promise<void> {
    this.#checkOpen();
    await this.#writes.run(() => this.#wrapEngine(() => this.#collection.snapshot(label), "snapshot"));
  }

  /** Rolls the whole store back to a snapshot. */
  async restore(label: string): Promise<void> {
    this.#checkOpen();
    await this.#writes.run(async () => {
      this.#cache.clear();
      try {
        await this.#wrapEngine(() => this.#collection.restore(label), "restore");
      } finally {
        this.#cache.clear();
      }
    });
  }

  /** The saved snapshots. */
  async listSnapshots(): Promise<SnapshotInfo[]> {
    this.#checkOpen();
    return this.#wrapEngine(() => this.#collection.listSnapshots(), "listSnapshots");
  }

  /** Lets pending writes finish, then closes the collection. Later calls fail with `Closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.drain();
    await this.#collection.close();
  }

  /** A key as the store records it (redacted), for lookups; anything else is left for validation. */
  #lookupKey(key: unknown): string {
    return typeof key === "string" ? this.#redactor.redactText(key) : (key as string);
  }

  #checkOpen(): void {
    if (this.#closed) throw new ContextStoreError("Closed", `context store at ${this.dir} is closed`);
  }

  async #wrapEngine<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ContextStoreError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const code = message.includes("filter") ? "InvalidQuery" : "Corrupt";
      throw new ContextStoreError(code, `${what}: engine error: ${message}`, {}, { cause: error });
    }
  }

  async #payload<T>(key: string): Promise<T | undefined> {
    const doc = await this.#wrapEngine(() => this.#collection.get(key), "read");
    return doc?.payload as T | undefined;
  }

  /** A head or version record, from the cache when it holds it. Records are deep-frozen: shared
   * between callers and the cache, so nobody can change what the store holds. */
  #record(key: string): StoredRecord | undefined | Promise<StoredRecord | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const generation = this.#cache.generation;
    return this.#payload<StoredRecord>(key).then((record) => {
      if (record === undefined) return undefined;
      deepFreeze(record);
      this.#cache.fill(key, record, generation);
      return record;
    });
  }

  async #resolveId(key: string, scope: string, kind: DocKind | undefined, what: string): Promise<string | undefined> {
    if (typeof key !== "string" || key.length === 0) throw new ContextStoreError("InvalidDocument", `${what}: key must be a non-empty string`);
    if (kind !== undefined) {
      if (!DOC_KINDS.includes(kind)) throw new ContextStoreError("InvalidDocument", `${what}: unknown kind ${JSON.stringify(kind)}; expected one of ${DOC_KINDS.join(", ")}`);
      return documentId(kind, scope, key);
    }
    const kinds = (await this.#payload<{ kinds: DocKind[] }>(kindsKey(scope, key)))?.kinds ?? [];
    if (kinds.length === 0) return undefined;
    if (kinds.length > 1) {
      throw new ContextStoreError("InvalidQuery", `${what}: key '${key}' in scope ${scope} exists as ${kinds.join(", ")}; pass options.kind`, { kinds });
    }
    return documentId(kinds[0]!, scope, key);
  }

  async #embed(texts: string[]): Promise<Float32Array[]> {
    let vectors: Float32Array[];
    try {
      vectors = await this.#embedder.embed(texts);
    } catch (error) {
      if (error instanceof ContextStoreError) throw error;
      throw new ContextStoreError("EmbedderFailure", `embedder ${this.#embedder.name}: ${(error as Error).message}`, {}, { cause: error });
    }
    if (vectors.length !== texts.length) {
      throw new ContextStoreError("EmbedderFailure", `embedder ${this.#embedder.name} returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    vectors.forEach((v, i) => {
      if (v.length !== this.#embedder.dim) {
        throw new ContextStoreError("EmbedderFailure", `embedder ${this.#embedder.name} returned a vector of dim ${v.length} (index ${i}); the store expects ${this.#embedder.dim}`);
      }
    });
    return vectors;
  }

  /** Applies writes to one scope in a single atomic engine batch (runs inside the write queue). */
  async #write(scope: string, requests: readonly WriteRequest[]): Promise<PutResult[]> {
    const results: PutResult[] = [];
    const pending = new Map<string, StoredRecord>(); // heads written earlier in this batch
    const toApply: StoredRecord[] = [];
    const idemRecords: Document[] = [];
    const newDocs: StoredRecord[] = [];
    const now = this.#clock();
    for (const request of requests) {
      const { doc } = request;
      const id = documentId(doc.kind, scope, doc.key);
      const head = pending.get(id) ?? (await this.#record(id));
      const hash = contentHash(doc);
      if (request.idempotencyKey !== undefined) {
        const seen = await this.#payload<IdempotencyRecord>(idemKey(scope, request.idempotencyKey));
        if (seen !== undefined && (pending.has(seen.id) || (await this.#record(seen.id)) !== undefined)) {
          if (seen.id !== id || (seen.binding !== undefined && request.binding !== undefined && seen.binding !== request.binding)) {
            throw new ContextStoreError(
              "Conflict",
              `put: idempotency key ${JSON.stringify(request.idempotencyKey)} in scope ${scope} was used for another write (document ${seen.id.slice(0, 12)}…, version ${seen.version}); a retry must repeat the same document — use a new key for a new write`,
              { idempotencyKey: request.idempotencyKey, id: seen.id, version: seen.version, requestedId: id },
            );
          }
          results.push({ id: seen.id, version: seen.version, applied: false });
          continue;
        }
      } else if (head !== undefined && head.contentHash === hash) {
        results.push({ id, version: head.version, applied: false });
        continue;
      }
      const current = head?.version ?? 0;
      if (request.expectedVersion !== undefined && request.expectedVersion !== current) {
        throw new ContextStoreError(
          "Conflict",
          `put: ${doc.kind} '${doc.key}' in scope ${scope} is at version ${current}, not the expected ${request.expectedVersion}`,
          { id, expectedVersion: request.expectedVersion, currentVersion: current },
        );
      }
      const record: StoredRecord = { doc, id, scope, version: current + 1, writtenAt: now, contentHash: hash };
      pending.set(id, record);
      toApply.push(record);
      if (head === undefined) newDocs.push(record);
      if (request.idempotencyKey !== undefined) {
        const idem: IdempotencyRecord = { id, version: record.version };
        if (request.binding !== undefined) idem.binding = request.binding;
        idemRecords.push({ key: idemKey(scope, request.idempotencyKey), payload: idem as unknown as JsonValue });
      }
      results.push({ id, version: record.version, applied: true });
    }
    if (toApply.length === 0) return results;
    // A document written twice in one batch keeps only its last head; each version keeps its record.
    const heads = new Map(toApply.map((r) => [r.id, r]));
    const vectors = await this.#embed([...heads.values()].map((r) => searchableText(r.doc)));
    const batch: Document[] = [];
    [...heads.values()].forEach((record, i) => {
      batch.push({ key: record.id, vector: vectors[i]!, text: searchableText(record.doc), metadata: headMetadata(record), payload: record as unknown as JsonValue });
    });
    for (const record of toApply) batch.push({ key: versionKey(record.id, record.version), payload: record as unknown as JsonValue });
    batch.push(...idemRecords);
    batch.push(...(await this.#indexUpdates(scope, newDocs, [])));
    const touched = batch.map((d) => d.key!);
    this.#cache.invalidate(touched);
    try {
      await this.#wrapEngine(() => this.#collection.upsert(batch), "write");
    } finally {
      this.#cache.invalidate(touched);
    }
    return results;
  }

  /**
   * The catalog-shard and key-index records that change when documents are added or removed. Reads the
   * current records (we are inside the write queue) and returns the new ones; an emptied record is
   * returned without payload fields so the caller can remove it.
   */
  async #indexUpdates(scope: string, added: readonly StoredRecord[], removed: readonly { id: string; kind: DocKind; key: string }[]): Promise<Document[]> {
    const shards = new Map<string, CatalogShard>();
    const kinds = new Map<string, { key: string; kinds: DocKind[] }>();
    const shardOf = async (id: string) => {
      const key = catalogKey(scope, id.slice(0, 2));
      let shard = shards.get(key);
      if (shard === undefined) {
        shard = (await this.#payload<CatalogShard>(key)) ?? { entries: {} };
        shards.set(key, shard);
      }
      return shard;
    };
    const kindsOf = async (key: string) => {
      const recordKey = kindsKey(scope, key);
      let entry = kinds.get(recordKey);
      if (entry === undefined) {
        entry = { key, kinds: (await this.#payload<{ kinds: DocKind[] }>(recordKey))?.kinds ?? [] };
        kinds.set(recordKey, entry);
      }
      return entry;
    };
    for (const r of added) {
      (await shardOf(r.id)).entries[r.id] = [r.doc.kind, r.doc.key];
      const entry = await kindsOf(r.doc.key);
      if (!entry.kinds.includes(r.doc.kind)) entry.kinds = [...entry.kinds, r.doc.kind].sort();
    }
    for (const r of removed) {
      delete (await shardOf(r.id)).entries[r.id];
      const entry = await kindsOf(r.key);
      entry.kinds = entry.kinds.filter((k) => k !== r.kind);
    }
    const out: Document[] = [];
    for (const [key, shard] of shards) out.push(Object.keys(shard.entries).length === 0 ? { key } : { key, payload: shard as unknown as JsonValue });
    for (const [key, entry] of kinds) out.push(entry.kinds.length === 0 ? { key } : { key, payload: { kinds: entry.kinds } });
    return out;
  }

  /** Removes documents with their history, then their catalog entries (so a crash in between leaves
   * catalog entries without documents, which dropScope tolerates, never unlisted documents). */
  async #remove(scope: string, docs: readonly { id: string; kind: DocKind; key: string }[]): Promise<void> {
    if (docs.length === 0) return;
    // eslint-disable-next-line @typescript-eslint/await-thenable -- #record answers from the cache synchronously or from the engine with a promise; Promise.all takes both
    const heads = await Promise.all(docs.map((d) => this.#record(d.id)));
    const keys: string[] = [];
    docs.forEach((d, i) => {
      keys.push(d.id);
      for (let v = 1; v <= (heads[i]?.version ?? 0); v++) keys.push(versionKey(d.id, v));
    });
    this.#cache.invalidate(keys);
    try {
      await this.#wrapEngine(() => this.#collection.remove(keys), "remove");
    } finally {
      this.#cache.invalidate(keys);
    }
    const updates = await this.#indexUpdates(scope, [], docs);
    const emptied = updates.filter((u) => u.payload === undefined).map((u) => u.key!);
    const kept = updates.filter((u) => u.payload !== undefined);
    if (kept.length > 0) await this.#wrapEngine(() => this.#collection.upsert(kept), "remove");
    if (emptied.length > 0) await this.#wrapEngine(() => this.#collection.remove(emptied), "remove");
  }

  #ingestSink(): IngestSink {
    return {
      redactText: (text) => this.#redactor.redactText(text),
      validate: (doc, where) => validateDocument(doc, this.#maxContentBytes, where),
      readRecord: (key) => this.#payload(key),
      writeRecord: async (key, payload) => {
        await this.#wrapEngine(() => this.#collection.upsert([{ key, payload }]), "ingest");
      },
      removeRecords: async (keys) => {
        await this.#wrapEngine(() => this.#collection.remove(keys), "ingest");
      },
      writeChunks: async (scope, docs) => {
        await this.#write(scope, docs.map((doc) => ({ doc })));
      },
      removeChunks: async (scope, refs) => {
        await this.#remove(scope, refs.map(([kind, key]) => ({ id: documentId(kind, scope, key), kind, key })));
      },
    };
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

function checkVersion(value: unknown, where: string, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < min)) {
    throw new ContextStoreError("InvalidDocument", `${where}: must be an integer >= ${min}, got ${inspect(value)}`);
  }
}

function headMetadata(record: StoredRecord): Record<string, string | number | boolean | string[]> {
  const { doc } = record;
  const meta: Record<string, string | number | boolean | string[]> = { ...(doc.metadata ?? {}), scope: record.scope, kind: doc.kind, key: doc.key, version: record.version };
  if (doc.path !== undefined) meta.path = doc.path;
  if (doc.language !== undefined) meta.language = doc.language;
  if (doc.symbol !== undefined) meta.symbol = doc.symbol;
  if (doc.startLine !== undefined) meta.startLine = doc.startLine;
  if (doc.endLine !== undefined) meta.endLine = doc.endLine;
  return meta;
}

/**
 * Opens (creating if needed) the context store in `dir`, on the embedded Vesper engine. Fails with
 * `EmbedderMismatch` when the store was built with another embedder (name, version or dim).
 *
 * @example
 * const store = await openContextStore("./.vltair/context");
 * await store.put({ kind: "text", key: "notes", content: "parse the config first" }, { scope: "session:1" });
 * const hits = await store.search("config", { scopes: ["session:1", "global"], k: 5 });
 */
export async function openContextStore(dir: string, options: ContextStoreOptions = {}): Promise<VesperContextStore> {
  if (typeof dir !== "string" || dir.length === 0) throw new ContextStoreError("InvalidOptions", "openContextStore: dir must be a non-empty path");
  const embedder = options.embedder ?? new HashingEmbedder();
  const maxContentBytes = options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES;
  if (!Number.isInteger(maxContentBytes) || maxContentBytes < 1) throw new ContextStoreError("InvalidOptions", `openContextStore: maxContentBytes must be a positive integer, got ${maxContentBytes}`);
  const cacheSize = options.cacheSize ?? 4096;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new ContextStoreError("InvalidOptions", `openContextStore: cacheSize must be an integer >= 0, got ${cacheSize}`);
  const redactor = options.redactor ?? createTextRedactor();
  if (typeof redactor?.redactText !== "function") throw new ContextStoreError("InvalidOptions", "openContextStore: redactor must have a redactText(text) method");
  const root = path.resolve(dir);
  const analyzers: StoreAnalyzers = { ...DEFAULT_ANALYZERS, ...options.analyzers };
  for (const [kind, name] of Object.entries(analyzers)) {
    if (name !== "default" && name !== "code" && name !== "english") {
      throw new ContextStoreError("InvalidOptions", `openContextStore: analyzers.${kind} must be "default", "code" or "english", got ${JSON.stringify(name)}`);
    }
  }
  const meta = await ensureStoreMeta(root, embedder, analyzers);
  const check = checkAnalyzers(root, meta, analyzers, options.reindexText === true, meta.created === true);
  let collection: Collection;
  try {
    collection = await openCollection(path.join(root, "vesper"), {
      dim: embedder.dim,
      metric: "cosine",
      // Analyzer by document kind: the head records carry `kind` as metadata.
      bm25: { analyzer: analyzers.text, analyzerField: "kind", analyzerValues: { code: analyzers.code }, reindex: check.reindex },
      durability: { mode: options.durability ?? "commit" },
    });
  } catch (error) {
    // Say why: another process holding the store and a failing disk are not corruption.
    const engineCode = (error as { codeName?: unknown }).codeName;
    const code = engineCode === "LOCKED" ? "Locked" : engineCode === "IO" ? "Io" : "Corrupt";
    throw new ContextStoreError(code, `openContextStore: cannot open the collection in ${root}: ${(error as Error).message}`, { dir: root }, { cause: error });
  }
  if (check.notice !== undefined) (options.onNotice ?? ((m: string) => process.emitWarning(m, { code: "VLTAIR_CONTEXT_REINDEX" })))(check.notice);
  await recordAnalyzers(root, meta, analyzers);
  return new VesperContextStore(root, collection, embedder, options.clock ?? (() => Date.now()), maxContentBytes, cacheSize, redactor, analyzers);
}

