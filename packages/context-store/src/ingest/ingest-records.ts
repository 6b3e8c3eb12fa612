import type { DocKind } from "../document.js";
import { tupleHash } from "../doc-id.js";

/**
 * The internal records ingest keeps in the collection (no vector or text, so searches never see them):
 * per scope an index of the ingested roots, and per (scope, root) a manifest of the root's files. Each
 * root keeps its own documents, so ingesting a second repository into a scope leaves the first one's.
 */

/** One ingested file: its content hash and the (kind, key) of each chunk it produced. */
export interface ManifestEntry {
  hash: string;
  chunks: [DocKind, string][];
}

/** What the store remembers of one ingested root: its files by (redacted) relative path. */
export interface IngestManifest {
  files: Record<string, ManifestEntry>;
}

/** The roots ingested into a scope: root id → the root as recorded (redacted absolute path). */
export interface RootIndex {
  roots: Record<string, string>;
}

/** The id of an ingested root: a hash of its real absolute path (the path itself may hold a secret). */
export function rootId(absoluteRoot: string): string {
  return tupleHash("vltair.context.ingest-root.v1", [absoluteRoot]);
}

/** Key of the roots index of a scope. */
export const rootIndexKey = (scope: string): string => `ingest-roots|${scope}`;
/** Key of the manifest of one root in a scope. */
export const manifestKey = (scope: string, root: string): string => `ingest|${scope}|${root}`;
/** Key of the single manifest of a scope written before roots were kept apart (removed on the next ingest). */
export const legacyManifestKey = (scope: string): string => `ingest|${scope}`;

/** Every ingest record key of a scope, given its roots index (for dropping the scope). */
export function ingestRecordKeys(scope: string, index: RootIndex | undefined): string[] {
  return [rootIndexKey(scope), legacyManifestKey(scope), ...Object.keys(index?.roots ?? {}).map((id) => manifestKey(scope, id))];
}
