import { ErrorCode, VesperError } from "./errors.js";
import { native, type NativeHandle } from "./native.js";
import type {
  Analyzer,
  CollectionOptions,
  CollectionStats,
  DocId,
  Document,
  Filter,
  HybridQuery,
  HybridSearchConfig,
  JsonValue,
  SearchHit,
  SnapshotInfo,
  StoredDocument,
  TextSearchOptions,
  VectorSearchOptions,
} from "./types.js";

/** Filters cross into the engine as text: JSON, or the `key=value` shorthand as given. */
function filterText(filter: Filter | undefined): string | undefined {
  if (filter === undefined) return undefined;
  return typeof filter === "string" ? filter : JSON.stringify(filter);
}

/** Binary payloads pass as bytes; anything else is stored as its JSON text. */
function encodeDocuments(docs: readonly Document[]): unknown[] {
  if (!Array.isArray(docs)) {
    throw new VesperError("documents: expected an array of documents", ErrorCode.INVALID_ARGUMENT, "INVALID_ARGUMENT", "binding");
  }
  return (docs as readonly Document[]).map((doc) => {
    if (doc === null || typeof doc !== "object" || doc.payload === undefined || doc.payload instanceof Uint8Array) return doc;
    return { ...doc, payload: JSON.stringify(doc.payload) };
  });
}

/**
 * An open Vesper collection. Every method runs off the JS thread; reads run concurrently, writes are
 * serialised. Rejections are {@link VesperError}s; a rejected write changes nothing.
 */
export class Collection {
  readonly #handle: NativeHandle;
  /** Calls not yet settled: close() lets them finish first. */
  readonly #pending = new Set<Promise<unknown>>();
  /** The directory the collection lives in. */
  readonly dir: string;

  /** Use {@link openCollection}; the handle is the addon's own.
   * @hidden
   */
  constructor(handle: NativeHandle, dir: string) {
    this.#handle = handle;
    this.dir = dir;
  }

  /** Inserts or replaces documents, atomically: the whole batch is validated before anything changes. */
  async upsert(docs: readonly Document[]): Promise<{ upserted: number }> {
    return this.#track(() => this.#handle.upsert(encodeDocuments(docs)));
  }

  /** Removes documents by id or key; resolves to how many existed. */
  async remove(ids: readonly (DocId | string)[] | DocId | string): Promise<number> {
    return this.#track(() => this.#handle.remove(Array.isArray(ids) ? [...(ids as readonly (DocId | string)[])] : [ids]));
  }

  /** The stored document with this id (number/bigint) or key (string), or `undefined`. */
  async get(id: DocId | string): Promise<StoredDocument | undefined> {
    const doc = await this.#track(() => this.#handle.get(id));
    if (doc === undefined) return undefined;
    const { payloadJson, ...rest } = doc as Record<string, unknown> & { payloadJson?: string };
    return (payloadJson === undefined ? rest : { ...rest, payload: JSON.parse(payloadJson) as JsonValue }) as unknown as StoredDocument;
  }

  /** Number of live documents. */
  async count(): Promise<number> {
    return this.#track(() => this.#handle.count());
  }

  /** Hybrid search: dense and BM25 candidates fused (RRF by default), ordered by score then id. */
  async search(query: HybridQuery, config: HybridSearchConfig = {}): Promise<SearchHit[]> {
    const q = query ?? {};
    return (await this.#track(() => this.#handle.search({ ...q, filter: filterText(q.filter) }, config))) as SearchHit[];
  }

  /** Dense top-k by similarity (exact below the flat threshold or for selective filters, else HNSW). */
  async searchVector(vector: Float32Array | number[], options: VectorSearchOptions = {}): Promise<SearchHit[]> {
    return (await this.#track(() => this.#handle.searchVector(vector, { ...options, filter: filterText(options.filter) }))) as SearchHit[];
  }

  /** BM25 top-k over the documents' text. */
  async searchText(text: string, options: TextSearchOptions = {}): Promise<SearchHit[]> {
    return (await this.#track(() => this.#handle.searchText(text, { ...options, filter: filterText(options.filter) }))) as SearchHit[];
  }

  /** Counters and memory use. */
  async stats(): Promise<CollectionStats> {
    return (await this.#track(() => this.#handle.stats())) as unknown as CollectionStats;
  }

  /** An empty round trip through the thread pool (measures binding overhead). */
  async ping(): Promise<void> {
    return this.#handle.ping();
  }

  /** Makes every write so far durable now (an fsync), whatever the durability mode. */
  async flush(): Promise<void> {
    return this.#track(() => this.#handle.flush());
  }

  /** Writes a checkpoint and drops the WAL it covers, so reopening is fast; resolves to its LSN. */
  async checkpoint(): Promise<number> {
    return this.#track(() => this.#handle.checkpoint());
  }

  /** Saves the current state under `label` (1–64 of `A–Z a–z 0–9 . _ -`) for {@link restore}. */
  async snapshot(label: string): Promise<void> {
    return this.#track(() => this.#handle.snapshot(label));
  }

  /** The saved snapshots, by label. */
  async listSnapshots(): Promise<SnapshotInfo[]> {
    return this.#track(() => this.#handle.listSnapshots());
  }

  /** Rolls the collection back to a snapshot, durably. */
  async restore(label: string): Promise<void> {
    return this.#track(() => this.#handle.restore(label));
  }

  /** Rebuilds the indexes from the live documents, dropping tombstones (also automatic past a ratio). */
  async compact(): Promise<void> {
    return this.#track(() => this.#handle.compact());
  }

  /**
   * Lets calls already made settle, then flushes, checkpoints if anything changed and releases the
   * directory. Later calls reject with `CLOSED`.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    return this.#handle.close();
  }

  #track<T>(call: () => Promise<T>): Promise<T> {
    const promise = call();
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

/**
 * Opens (creating if needed) the collection stored in `dir`.
 *
 * @example
 * const col = await openCollection("./memory", { dim: 384 });
 * await col.upsert([{ id: 1, text: "parse the config file", vector, metadata: { lang: "ts" } }]);
 * const hits = await col.search({ text: "config parser", vector, filter: { lang: "ts" } }, { k: 5 });
 */
export async function openCollection(dir: string, options: CollectionOptions): Promise<Collection> {
  const handle = await native().openCollection(dir, options);
  return new Collection(handle, dir);
}

/**
 * The terms the engine indexes for `text` under `analyzer` (default `default`): what BM25 matches on.
 * An empty result means the text has no searchable words (empty, punctuation only, stop words only).
 *
 * @example
 * analyze("Café B. F. Skinner"); // ["cafe", "b", "f", "skinner"]
 * analyze("parseHTTPResponse", "code"); // ["parse", "http", "response", "parsehttpresponse"]
 */
export function analyze(text: string, analyzer: Analyzer = "default"): string[] {
  return native().analyze(text, analyzer);
}
