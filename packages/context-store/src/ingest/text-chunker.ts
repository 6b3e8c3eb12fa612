import { MAX_TEXT_CHUNK_CHARS, type Chunk } from "./chunk.js";

/**
 * Splits text into blank-line-separated blocks, joining small neighbours and splitting big blocks by
 * lines so no chunk exceeds `maxChars` (a single longer line stays whole). Blank-only text gives none.
 */
export function chunkText(text: string, maxChars = MAX_TEXT_CHUNK_CHARS): Chunk[] {
  const lines = text.split("\n");
  const chunks: Chunk[] = [];
  let start = -1;
  let size = 0;
  const flush = (end: number) => {
    if (start >= 0) {
      const content = lines.slice(start, end + 1).join("\n");
      if (content.trim().length > 0) chunks.push({ content, startLine: start + 1, endLine: end + 1 });
    }
    start = -1;
    size = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const blank = line.trim().length === 0;
    if (blank) {
      // A block ends here; keep joining only while the chunk is small.
      if (start >= 0 && size >= maxChars / 2) flush(i - 1);
      continue;
    }
    if (start >= 0 && size + line.length + 1 > maxChars) flush(i - 1);
    if (start < 0) start = i;
    size += line.length + 1;
  }
  // Trailing blank lines are not part of the last chunk.
  let end = lines.length - 1;
  while (end > start && lines[end]!.trim().length === 0) end--;
  flush(end);
  return chunks;
}
