import type { Spectrum } from "./spectrum.js";

/** A source line with its suspiciousness and the counts behind it. */
export interface SuspiciousLine {
  file: string;
  line: number;
  /** Ochiai score in [0, 1]. */
  score: number;
  /** Failing tests that executed the line. */
  failedCovering: number;
  /** Passing tests that executed the line. */
  passedCovering: number;
}

/** Whether a test counts as failing for localisation (skipped tests count as neither). */
function isFailing(status: string): boolean {
  return status === "fail" || status === "error" || status === "timeout";
}

/**
 * Ranks the lines executed by at least one failing test by the Ochiai coefficient
 * `ef / sqrt((ef + nf) * (ef + ep))`, highest first; ties go by file, then line, so the same spectrum
 * always gives the same order.
 */
export function rankByOchiai(spectrum: Spectrum): SuspiciousLine[] {
  const failing = new Set<number>();
  const passing = new Set<number>();
  spectrum.tests.forEach((test, index) => {
    if (isFailing(test.status)) failing.add(index);
    else if (test.status === "pass") passing.add(index);
  });
  const totalFailed = failing.size;
  const ranked: SuspiciousLine[] = [];
  for (const [file, lines] of Object.entries(spectrum.coverage)) {
    for (const [lineKey, testIndices] of Object.entries(lines)) {
      let ef = 0;
      let ep = 0;
      for (const index of testIndices) {
        if (failing.has(index)) ef++;
        else if (passing.has(index)) ep++;
      }
      if (ef === 0) continue;
      const score = ef / Math.sqrt(totalFailed * (ef + ep));
      ranked.push({ file, line: Number(lineKey), score: Math.round(score * 1e6) / 1e6, failedCovering: ef, passedCovering: ep });
    }
  }
  ranked.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  return ranked;
}

/** Fraction of code lines (over the source files the tests loaded) that any test executed. */
export function lineRate(spectrum: Spectrum): number {
  let total = 0;
  let covered = 0;
  for (const [file, count] of Object.entries(spectrum.executableLineCount)) {
    total += count;
    covered += Object.keys(spectrum.coverage[file] ?? {}).length;
  }
  return total === 0 ? 0 : Math.round((covered / total) * 10_000) / 10_000;
}
