/**
 * The agents' shared memory over Vesper. This first slice holds scopes and the embedder layer; the
 * store itself (typed documents, versioned writes, ingestion) builds on them.
 *
 * @packageDocumentation
 */
export { formatScope, parseScope, ScopeError, type Scope } from "./scope.js";
export type { Embedder } from "./embedder.js";
export { HashingEmbedder, type HashingEmbedderOptions } from "./hashing-embedder.js";
