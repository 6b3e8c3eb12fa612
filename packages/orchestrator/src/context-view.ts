import type { ContextDocument, ContextStore, DocKind, SearchHit, StoredDocument } from "@vltair/context-store";
import type { Redactor } from "./redaction.js";

/** A document as an agent writes it (the context store's `ContextDocument`). */
export type ContextDocumentInput = ContextDocument;

/** Outcome of a write, as the context store reports it. */
export interface ContextWriteResult {
  id: string;
  version: number;
  applied: boolean;
}

/** The part of `@vltair/context-store`'s `ContextStore` the orchestrator uses. */
export type ContextStorePort = Pick<ContextStore, "put" | "get" | "search">;

/** The context store as one task sees it: limited to its scopes, redacted and journaled. */
export interface ContextView {
  /** Scopes this task may read and write: its own (`task.scope`, default `task:<id>`) and `global`. */
  readonly scopes: readonly string[];
  /** Writes a document (redacted first) into `scope` (default: the task's own). Journals `ContextWritten`. */
  put(doc: ContextDocumentInput, options?: { scope?: string; expectedVersion?: number }): Promise<ContextWriteResult>;
  /** Reads the latest version of `key` (journaled as a tool call so replay sees the same answer). */
  get(key: string, options?: { scope?: string; kind?: DocKind }): Promise<StoredDocument | undefined>;
  /** Searches the task's scopes (journaled as a tool call). */
  search(text: string, options?: { k?: number; kinds?: DocKind[]; mode?: "dense" | "sparse" | "hybrid"; scopes?: string[] }): Promise<SearchHit[]>;
}

/** What a context view needs from the running task. */
export interface ContextViewHost {
  taskId: string;
  scopes: readonly string[];
  store: ContextStorePort;
  redactor: Redactor;
  effect<T>(tool: string, input: unknown, run: () => Promise<T>): Promise<T>;
  recordWrite(event: { scope: string; key: string; kind: string; docId: string; version: number; applied: boolean }): Promise<void>;
}

/** Thrown when a task reaches outside its scopes. */
export class ContextScopeError extends Error {
  readonly code = "ValidationFailure";
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "ContextScopeError";
  }
}

/** Builds the scoped view a task gets as `ctx.context`. */
export function createContextView(host: ContextViewHost): ContextView {
  const check = (scope: string): string => {
    if (!host.scopes.includes(scope)) {
      throw new ContextScopeError(`task ${host.taskId} may use scopes ${host.scopes.join(", ")}, not ${JSON.stringify(scope)}`);
    }
    return scope;
  };
  const own = host.scopes[0]!;
  return {
    scopes: host.scopes,
    async put(doc, options = {}) {
      const scope = check(options.scope ?? own);
      const clean = host.redactor.redact(doc);
      const opts: { scope: string; expectedVersion?: number } = { scope };
      if (options.expectedVersion !== undefined) opts.expectedVersion = options.expectedVersion;
      const res = await host.effect("context.put", { scope, key: clean.key, kind: clean.kind, expectedVersion: options.expectedVersion ?? null }, () =>
        host.store.put(clean, opts),
      );
      await host.recordWrite({ scope, key: clean.key, kind: clean.kind, docId: res.id, version: res.version, applied: res.applied });
      return res;
    },
    async get(key, options = {}) {
      const scope = check(options.scope ?? own);
      const opts: { scope: string; kind?: DocKind } = { scope };
      if (options.kind !== undefined) opts.kind = options.kind;
      const found = await host.effect("context.get", { key, ...opts }, async () => (await host.store.get(key, opts)) ?? null);
      return found ?? undefined;
    },
    async search(text, options = {}) {
      const scopes = (options.scopes ?? host.scopes).map(check);
      const opts: { scopes: string[]; k?: number; kinds?: DocKind[]; mode?: "dense" | "sparse" | "hybrid" } = { scopes: [...scopes] };
      if (options.k !== undefined) opts.k = options.k;
      if (options.kinds !== undefined) opts.kinds = options.kinds;
      if (options.mode !== undefined) opts.mode = options.mode;
      return host.effect("context.search", { text, ...opts }, () => host.store.search(text, opts));
    },
  };
}
