import type { FileCoverage } from "../../sandbox/v8-coverage.js";

/**
 * Lines (1-based) of `source` that ran at least once according to V8 block coverage. Ranges are
 * nested (a function inside the script, a block inside a function), so painting them outer-first
 * leaves each character with its innermost count; a line ran when one of its code characters has a
 * count above zero. Lines holding no code ({@link executableLines}) are never reported.
 */
export function coveredLines(source: string, coverage: readonly FileCoverage[]): Set<number> {
  const counts = new Int32Array(source.length);
  // Several processes (or several loads) give several entries for a file: paint each separately and
  // union the result, so one process's zero never hides another's hit.
  const byEntry = coverage.map((file) =>
    file.functions.flatMap((fn) => fn.ranges).sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset),
  );
  const hit = new Uint8Array(source.length);
  for (const entryRanges of byEntry) {
    counts.fill(-1);
    for (const range of entryRanges) counts.fill(range.count, Math.max(0, range.startOffset), Math.min(source.length, range.endOffset));
    for (let i = 0; i < counts.length; i++) if ((counts[i] ?? 0) > 0) hit[i] = 1;
  }
  const code = executableLines(source);
  const covered = new Set<number>();
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i <= source.length; i++) {
    if (i === source.length || source.charCodeAt(i) === 10) {
      if (code.has(line)) {
        for (let j = lineStart; j < i; j++) {
          if (hit[j] === 1 && !/\s/.test(source[j] ?? " ")) {
            covered.add(line);
            break;
          }
        }
      }
      line++;
      lineStart = i + 1;
    }
  }
  return covered;
}

/**
 * Lines that hold code: not blank, not only comments, not only braces/brackets/parentheses and
 * separators. A lexical approximation (no parse), good enough to keep comments and closing braces
 * out of fault rankings and line rates.
 */
export function executableLines(source: string): Set<number> {
  const lines = new Set<number>();
  let inBlockComment = false;
  source.split("\n").forEach((raw, index) => {
    let text = raw;
    if (inBlockComment) {
      const end = text.indexOf("*/");
      if (end === -1) return;
      text = text.slice(end + 2);
      inBlockComment = false;
    }
    text = text.replace(/\/\*.*?\*\//g, "");
    const open = text.indexOf("/*");
    if (open !== -1) {
      text = text.slice(0, open);
      inBlockComment = true;
    }
    text = text.replace(/(^|\s)\/\/.*$/, "$1").trim();
    if (text === "" || /^[{}()[\];,\s]*$/.test(text)) return;
    lines.add(index + 1);
  });
  return lines;
}
