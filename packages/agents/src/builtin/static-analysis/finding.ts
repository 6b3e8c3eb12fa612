/**
 * A static-analysis finding, its stable order, and its `analysis` artifact form.
 */

/** Finding severity, as in the `analysis` artifact. */
export type FindingSeverity = "info" | "warn" | "error";

/** One problem found in one file. */
export interface Finding {
  /** Workspace-relative path, forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Rule id, e.g. `ts2322`, `eqeqeq`, `secret`. */
  readonly rule: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly suggestions: readonly string[];
}

/** The `analysis` artifact of contract §1, as StaticAnalysis emits it. */
export interface AnalysisArtifactShape {
  kind: "analysis";
  target: string;
  details: string;
  severity: FindingSeverity;
  rule: string;
  location: { file: string; line: number; column: number };
  suggestions: string[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders findings by file, line, column, rule, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message)
  );
}

// Artifact limits (contract §1): at most 10 suggestions of at most 256 characters.
const MAX_SUGGESTIONS = 10;
const MAX_SUGGESTION_LENGTH = 256;

/** The finding as an `analysis` artifact, with suggestions clipped to the artifact's limits. */
export function findingToArtifact(finding: Finding): AnalysisArtifactShape {
  return {
    kind: "analysis",
    target: finding.file,
    details: finding.message,
    severity: finding.severity,
    rule: finding.rule,
    location: { file: finding.file, line: finding.line, column: finding.column },
    suggestions: finding.suggestions
      .slice(0, MAX_SUGGESTIONS)
      .map((s) => (s.length > MAX_SUGGESTION_LENGTH ? `${s.slice(0, MAX_SUGGESTION_LENGTH - 1)}…` : s)),
  };
}

/** Counts per severity, e.g. `2 errors, 1 warning, 0 info in 3 files`, plus one line per rule. */
export function summariseFindings(findings: readonly Finding[], filesAnalysed: number): string {
  const count = (severity: FindingSeverity) => findings.filter((f) => f.severity === severity).length;
  const errors = count("error");
  const warnings = count("warn");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [
    `${plural(errors, "error")}, ${plural(warnings, "warning")}, ${count("info")} info in ${plural(filesAnalysed, "file")} analysed`,
  ];
  const perRule = new Map<string, number>();
  for (const f of findings) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  for (const [rule, n] of [...perRule.entries()].sort((a, b) => compareText(a[0], b[0]))) lines.push(`${rule}: ${n}`);
  return lines.join("\n");
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
