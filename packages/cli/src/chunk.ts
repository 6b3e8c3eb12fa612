/** A piece of a file that is indexed on its own. */
export interface Chunk {
  /** `path#L<start>-<end>` (1-based, inclusive). */
  key: string;
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * Splits a file into blocks separated by blank lines, merging small neighbours up to `maxLines`, so a
 * chunk is usually one declaration or one paragraph.
 */
export function chunkFile(path: string, content: string, maxLines = 40): Chunk[] {
  const lines = content.split("\n");
  const blocks: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    const blank = i === lines.length || lines[i]!.trim() === "";
    if (!blank && start < 0) start = i;
    if (blank && start >= 0) {
      blocks.push({ start, end: i - 1 });
      start = -1;
    }
  }
  const merged: { start: number; end: number }[] = [];
  for (const b of blocks) {
    const last = merged.at(-1);
    if (last && b.end - last.start + 1 <= maxLines && b.start - last.end <= 2 && last.end - last.start < 3) last.end = b.end;
    else merged.push({ ...b });
  }
  return merged.map(({ start: s, end: e }) => ({
    key: `${path}#L${s + 1}-${e + 1}`,
    path,
    startLine: s + 1,
    endLine: e + 1,
    text: lines.slice(s, e + 1).join("\n"),
  }));
}
