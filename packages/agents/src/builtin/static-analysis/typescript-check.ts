/**
 * TypeScript compiler diagnostics for StaticAnalysis: a Program over the project's tsconfig when it
 * has one, else over its TypeScript files with strict defaults; JavaScript files outside the program
 * are syntax-checked.
 */
import { join, resolve } from "node:path";
import ts from "typescript";
import {
  compareDiagnostics,
  isScriptFile,
  isTypeScriptFile,
  parseDiagnostics,
  projectConfigPath,
  toSourceDiagnostic,
  type SourceDiagnostic,
} from "../../typescript/compile-check.js";
import type { Finding, FindingSeverity } from "./finding.js";

/** Compiler options for projects without a tsconfig: what a modern strict ESM project uses. */
export const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
};

// Hints for the most common compiler errors; other codes get the generic pointer below.
const HINTS: Readonly<Record<number, string>> = {
  2304: "Declare or import the name, or fix its spelling.",
  2305: "Check the exported names of the imported module.",
  2307: "Install the module (and its types) or fix the import path; relative ESM imports need the file extension.",
  2322: "Change the value or widen the declared type so the two agree.",
  2339: "Add the property to the type, or check the spelling and narrowing.",
  2345: "Pass an argument of the parameter's type, or convert the value first.",
  2554: "Pass the number of arguments the function declares.",
  2531: "Handle the null case (a guard, `?.`, or `??`) before using the value.",
  2532: "Handle the undefined case (a guard, `?.`, or `??`) before using the value.",
  6133: "Remove the unused declaration, or prefix it with `_` if it must stay.",
  7006: "Annotate the parameter's type.",
  18048: "Handle the undefined case (a guard, `?.`, or `??`) before using the value.",
};

function severityOf(category: SourceDiagnostic["category"]): FindingSeverity {
  return category === "error" ? "error" : category === "warning" ? "warn" : "info";
}

/** A compiler diagnostic as a finding with rule `ts<code>` and a suggestion. */
export function diagnosticToFinding(d: SourceDiagnostic): Finding {
  const hint = HINTS[d.code];
  const suggestions = hint === undefined ? [] : [hint];
  suggestions.push(`See the TypeScript error reference for TS${d.code}.`);
  return { file: d.file, line: d.line, column: d.column, rule: `ts${d.code}`, severity: severityOf(d.category), message: d.message, suggestions };
}

/**
 * Compiler diagnostics for the given script files of a workspace.
 *
 * @param root - Absolute workspace root.
 * @param allFiles - Every workspace file (relative), used as the program when there is no tsconfig.
 * @param scope - The files to report on (relative); diagnostics elsewhere are dropped.
 * @param read - Reads a workspace file's text.
 */
export function typeScriptDiagnostics(
  root: string,
  allFiles: readonly string[],
  scope: readonly string[],
  read: (path: string) => string | undefined,
): SourceDiagnostic[] {
  const inScope = new Set(scope.filter(isScriptFile));
  const configPath = projectConfigPath(root);
  let options = DEFAULT_COMPILER_OPTIONS;
  let rootNames = allFiles.filter(isTypeScriptFile).map((f) => join(root, f));
  const out: SourceDiagnostic[] = [];
  if (configPath !== undefined) {
    const configErrors: ts.Diagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
    });
    for (const d of [...configErrors, ...(parsed?.errors ?? [])]) out.push(toSourceDiagnostic(d, root, "tsconfig.json"));
    if (parsed !== undefined) {
      options = { ...parsed.options, noEmit: true };
      rootNames = parsed.fileNames;
    }
  }
  // Files asked for but outside the tsconfig still get checked, with the project's options.
  for (const file of inScope) if (isTypeScriptFile(file)) rootNames.push(join(root, file));
  const program = ts.createProgram({ rootNames: [...new Set(rootNames.map((n) => resolve(n)))].sort(), options });
  const checked = new Set<string>();
  for (const file of [...inScope].sort()) {
    const sourceFile = program.getSourceFile(resolve(root, file));
    if (sourceFile === undefined) continue;
    checked.add(file);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const d of diagnostics) out.push(toSourceDiagnostic(d, root, file));
  }
  // JavaScript outside the program (no allowJs): at least its syntax.
  for (const file of inScope) {
    if (checked.has(file)) continue;
    const content = read(file);
    if (content !== undefined) out.push(...parseDiagnostics({ path: file, content }));
  }
  return out.sort(compareDiagnostics);
}
