import type { AnalysisArtifact, CoverageHintArtifact } from "@vltair/envelopes";
import { lineRate, type SuspiciousLine } from "../../testing/coverage/ochiai.js";
import type { Spectrum } from "../../testing/coverage/spectrum.js";

/** Code around a suspicious line, and where it came from. */
export interface CodeSnippet {
  file: string;
  startLine: number;
  text: string;
  source: "context-store" | "workspace";
}

/** The `coverage_hint` artifact: source files the tests loaded, line rate, top suspicious lines. */
export function coverageHintArtifact(spectrum: Spectrum, ranked: readonly SuspiciousLine[], top = 10): CoverageHintArtifact {
  return {
    kind: "coverage_hint",
    files: Object.keys(spectrum.executableLineCount).sort(),
    line_rate: lineRate(spectrum),
    suspicious: ranked.slice(0, top).map(({ file, line, score }) => ({ file, line, score })),
  };
}

/** One `analysis` artifact per top suspicious line, with the counts behind its score and its code. */
export function suspiciousLineArtifacts(
  spectrum: Spectrum,
  ranked: readonly SuspiciousLine[],
  snippets: ReadonlyMap<string, CodeSnippet>,
  top = 5,
): AnalysisArtifact[] {
  const failing = spectrum.tests.filter((t) => t.status === "fail" || t.status === "error" || t.status === "timeout").length;
  const passing = spectrum.tests.filter((t) => t.status === "pass").length;
  return ranked.slice(0, top).map((entry, index) => {
    const snippet = snippets.get(`${entry.file}:${entry.line}`);
    const code = snippet === undefined ? "" : `\n${snippet.text}`;
    return {
      kind: "analysis",
      target: entry.file,
      details:
        `suspicious line #${index + 1} (Ochiai ${entry.score.toFixed(3)}): executed by ${entry.failedCovering} of ${failing} failing ` +
        `and ${entry.passedCovering} of ${passing} passing tests${code}`,
      severity: index === 0 ? "warn" : "info",
      rule: "fault-localisation/ochiai",
      location: { file: entry.file, line: entry.line },
    };
  });
}

/** Lines `line - radius … line + radius` of `source`, numbered, the suspicious one marked with `>`. */
export function numberedExcerpt(source: string, line: number, radius = 3): { startLine: number; text: string } {
  const lines = source.split("\n");
  const start = Math.max(1, line - radius);
  const end = Math.min(lines.length, line + radius);
  const out: string[] = [];
  for (let n = start; n <= end; n++) out.push(`${n === line ? ">" : " "}${String(n).padStart(4)} | ${lines[n - 1] ?? ""}`);
  return { startLine: start, text: out.join("\n") };
}
