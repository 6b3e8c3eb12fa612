import { diff3Merge } from "node-diff3";

/** One region both sides changed differently, with 0-based line offsets into each text. */
export interface MergeConflict {
  /** Lines of the base version. */
  base: string[];
  baseLine: number;
  /** Lines of the stored (latest) version. */
  theirs: string[];
  theirsLine: number;
  /** Lines of the document being merged in. */
  ours: string[];
  oursLine: number;
}

/** The merged text, or the conflicts that prevent it. */
export type ThreeWayResult = { ok: true; content: string } | { ok: false; conflicts: MergeConflict[] };

/**
 * Line-based three-way merge (diff3): changes made on one side only are combined; a region changed
 * differently on both sides is a conflict. Identical changes on both sides are not conflicts.
 */
export function threeWayMerge(base: string, theirs: string, ours: string): ThreeWayResult {
  const regions = diff3Merge(theirs.split("\n"), base.split("\n"), ours.split("\n"), { excludeFalseConflicts: true });
  const lines: string[] = [];
  const conflicts: MergeConflict[] = [];
  for (const region of regions) {
    if (region.ok) lines.push(...(region.ok));
    else if (region.conflict) {
      const c = region.conflict;
      conflicts.push({ base: c.o, baseLine: c.oIndex, theirs: c.a, theirsLine: c.aIndex, ours: c.b, oursLine: c.bIndex });
    }
  }
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, content: lines.join("\n") };
}
