/** A piece of a file: its text, 1-based inclusive line range and, for declarations, the symbol. */
export interface Chunk {
  content: string;
  startLine: number;
  endLine: number;
  symbol?: string;
}

/** Largest chunk of plain text, in characters; larger blocks are split by lines. */
export const MAX_TEXT_CHUNK_CHARS = 2000;
