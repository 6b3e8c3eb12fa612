/**
 * StaticAnalysis over a workspace on disk: compiler diagnostics, AST rules and secret detection,
 * merged into one deterministic list of findings.
 */
import { resolve } from "node:path";
import ts from "typescript";
import { normaliseWorkspacePath } from "../codegen/changes.js";
import { isScriptFile, scriptKindOf } from "../../typescript/compile-check.js";
import { AST_RULES, isTestFile } from "./rules.js";
import { scanForSecrets, SECRET_RULE, type SecretFinder } from "./secret-scan.js";
import { listWorkspaceFiles, readTextFile } from "../../workspace/source-files.js";
import { compareFindings, type Finding } from "./finding.js";
import { diagnosticToFinding, typeScriptDiagnostics } from "./typescript-check.js";

/** Rule id selecting every TypeScript compiler diagnostic. */
export const TYPESCRIPT_RULE = "typescript";

/** Every rule id a payload may select: `typescript`, the AST rules and `secret`. */
export const STATIC_ANALYSIS_RULES: readonly string[] = Object.freeze(
  [TYPESCRIPT_RULE, ...AST_RULES.map((r) => r.id), SECRET_RULE].sort(),
);

/** The payload asked for something that cannot be analysed (unknown rule, missing file). */
export class StaticAnalysisInputError extends Error {
  readonly code = "ValidationFailure";
  override readonly name = "StaticAnalysisInputError";
}

/** What to analyse. */
export interface StaticAnalysisOptions {
  /** Workspace-relative files to report on (default: every file). */
  readonly files?: readonly string[] | undefined;
  /** Rule ids to run (default: all of {@link STATIC_ANALYSIS_RULES}). */
  readonly rules?: readonly string[] | undefined;
  /** Secret finder (`findSecrets` from `@vltair/orchestrator`). */
  readonly findSecrets: SecretFinder;
}

/** Findings in stable order and how many files were looked at. */
export interface StaticAnalysisReport {
  readonly findings: Finding[];
  readonly filesAnalysed: number;
}

function selectRules(rules: readonly string[] | undefined): Set<string> {
  if (rules === undefined) return new Set(STATIC_ANALYSIS_RULES);
  const unknown = rules.filter((r) => !STATIC_ANALYSIS_RULES.includes(r));
  if (unknown.length > 0) {
    throw new StaticAnalysisInputError(
      `unknown rule${unknown.length === 1 ? "" : "s"} ${unknown.map((r) => `'${r}'`).join(", ")}; known rules: ${STATIC_ANALYSIS_RULES.join(", ")}`,
    );
  }
  return new Set(rules);
}

/**
 * Analyses a workspace.
 *
 * @param workspace - Path of the repository.
 * @throws {@link StaticAnalysisInputError} for unknown rules or files that do not exist.
 */
export async function analyzeWorkspace(workspace: string, options: StaticAnalysisOptions): Promise<StaticAnalysisReport> {
  const root = resolve(workspace);
  const rules = selectRules(options.rules);
  const allFiles = await listWorkspaceFiles(root).catch((error: unknown) => {
    throw new StaticAnalysisInputError(`cannot read workspace '${workspace}': ${(error as Error).message}`);
  });
  let scope = allFiles;
  if (options.files !== undefined) {
    scope = [...new Set(options.files.map(normaliseWorkspacePath))].sort();
    const missing = scope.filter((f) => !allFiles.includes(f));
    if (missing.length > 0) throw new StaticAnalysisInputError(`no such file in the workspace: ${missing.join(", ")}`);
  }
  const texts = new Map<string, string | undefined>();
  for (const file of scope) texts.set(file, await readTextFile(root, file));

  const findings: Finding[] = [];
  if (rules.has(TYPESCRIPT_RULE)) {
    const diagnostics = typeScriptDiagnostics(root, allFiles, scope, (f) => texts.get(f));
    findings.push(...diagnostics.map(diagnosticToFinding));
  }
  const astRules = AST_RULES.filter((r) => rules.has(r.id));
  for (const [file, text] of texts) {
    if (text === undefined) continue;
    if (astRules.length > 0 && isScriptFile(file)) {
      const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
      const input = { file, sourceFile, isTest: isTestFile(file) };
      for (const rule of astRules) findings.push(...rule.check(input));
    }
    if (rules.has(SECRET_RULE)) findings.push(...scanForSecrets(file, text, options.findSecrets));
  }
  return { findings: findings.sort(compareFindings), filesAnalysed: texts.size };
}
