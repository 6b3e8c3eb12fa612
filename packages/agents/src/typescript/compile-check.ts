/**
 * TypeScript compiler API checks for generated code: parse diagnostics of every TS/JS file and a type
 * check of the changed TypeScript files inside the project's own tsconfig, on in-memory content.
 */
import { isAbsolute, join, resolve } from "node:path";
import ts from "typescript";
import { relativePosixPath } from "../workspace/paths.js";

/** One compiler diagnostic with a workspace-relative, 1-based location. */
export interface SourceDiagnostic {
  /** Workspace-relative path with forward slashes (`tsconfig.json` for configuration errors). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The TypeScript diagnostic code, e.g. 2322. */
  readonly code: number;
  readonly category: "error" | "warning" | "suggestion" | "message";
  readonly message: string;
}

/** A file with its proposed content. */
export interface FileContent {
  /** Workspace-relative path. */
  readonly path: string;
  readonly content: string;
}

const SCRIPT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;
const TYPESCRIPT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"] as const;

/** True for files the TypeScript parser understands (TS and JS, including module variants). */
export function isScriptFile(path: string): boolean {
  return SCRIPT_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** True for TypeScript sources (declaration files included). */
export function isTypeScriptFile(path: string): boolean {
  return TYPESCRIPT_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** The script kind TypeScript should parse a file as, from its extension. */
export function scriptKindOf(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (path.endsWith(".js") || path.endsWith(".mjs") || path.endsWith(".cjs")) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function categoryName(category: ts.DiagnosticCategory): SourceDiagnostic["category"] {
  switch (category) {
    case ts.DiagnosticCategory.Error:
      return "error";
    case ts.DiagnosticCategory.Warning:
      return "warning";
    case ts.DiagnosticCategory.Suggestion:
      return "suggestion";
    default:
      return "message";
  }
}

/**
 * Converts a compiler diagnostic to a {@link SourceDiagnostic} with a path relative to `root`.
 * Diagnostics without a file (configuration errors) are attributed to `fallbackFile` at 1:1.
 */
export function toSourceDiagnostic(diagnostic: ts.Diagnostic, root: string, fallbackFile: string): SourceDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const base = { code: diagnostic.code, category: categoryName(diagnostic.category), message };
  if (diagnostic.file === undefined || diagnostic.start === undefined) {
    return { file: fallbackFile, line: 1, column: 1, ...base };
  }
  const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const fileName = diagnostic.file.fileName;
  const file = isAbsolute(fileName) ? relativePosixPath(root, fileName) : fileName;
  return { file, line: position.line + 1, column: position.character + 1, ...base };
}


/** Orders diagnostics by file, line, column, then code and message, so reports are stable. */
export function compareDiagnostics(a: SourceDiagnostic, b: SourceDiagnostic): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.code - b.code ||
    compareText(a.message, b.message)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Syntax errors of one TS/JS file, as the parser reports them (`ts.createSourceFile`), plus the
 * JS-only checks the compiler makes while parsing (e.g. type annotations in a `.js` file).
 */
export function parseDiagnostics(file: FileContent): SourceDiagnostic[] {
  const sourceFile = ts.createSourceFile(
    file.path,
    file.content,
    ts.ScriptTarget.Latest,
    true,
    scriptKindOf(file.path),
  );
  // A one-file program over the parsed tree: the public way to read its syntactic diagnostics.
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === file.path ? sourceFile : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === file.path,
    readFile: (name) => (name === file.path ? file.content : undefined),
  };
  const program = ts.createProgram({
    rootNames: [file.path],
    options: { noLib: true, noResolve: true, allowJs: true, noEmit: true },
    host,
  });
  return program
    .getSyntacticDiagnostics(sourceFile)
    .map((d) => toSourceDiagnostic(d, "", file.path))
    .sort(compareDiagnostics);
}

/** Finds `<root>/tsconfig.json`; a project is type-checked only when it has one. */
export function projectConfigPath(root: string): string | undefined {
  const candidate = join(root, "tsconfig.json");
  return ts.sys.fileExists(candidate) ? candidate : undefined;
}

// TS18003 "No inputs were found": harmless here, the changed files are added as roots explicitly.
const IGNORED_CONFIG_CODES = new Set([18003]);

/**
 * Type-checks the changed TypeScript files inside the project's tsconfig, reading the changed files
 * from memory and everything else from disk. Only diagnostics located in changed files (and
 * configuration errors) are returned, so pre-existing errors elsewhere do not block a change.
 *
 * @param root - Absolute workspace root containing `tsconfig.json`.
 * @param changed - Proposed contents; non-TypeScript entries only serve as overlay for imports.
 * @returns Sorted diagnostics; empty when the project has no tsconfig or no TS file changed.
 */
export function typeCheckChangedFiles(root: string, changed: readonly FileContent[]): SourceDiagnostic[] {
  const configPath = projectConfigPath(root);
  const changedTs = changed.filter((f) => isTypeScriptFile(f.path));
  if (configPath === undefined || changedTs.length === 0) return [];
  const overlay = new Map(changed.map((f) => [resolve(root, f.path), f.content]));
  const readFile = (name: string): string | undefined => overlay.get(resolve(name)) ?? ts.sys.readFile(name);
  const fileExists = (name: string): boolean => overlay.has(resolve(name)) || ts.sys.fileExists(name);

  const configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    { noEmit: true },
    {
      ...ts.sys,
      readFile,
      fileExists,
      onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
    },
  );
  const fromConfig = [...configErrors, ...(parsed?.errors ?? [])]
    .filter((d) => !IGNORED_CONFIG_CODES.has(d.code))
    .map((d) => toSourceDiagnostic(d, root, "tsconfig.json"));
  if (parsed === undefined) return fromConfig.sort(compareDiagnostics);

  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options, true);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.readFile = readFile;
  host.fileExists = fileExists;
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const content = overlay.get(resolve(name));
    if (content === undefined) return baseGetSourceFile(name, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(name, content, languageVersion, true, scriptKindOf(name));
  };
  const changedAbsolute = changedTs.map((f) => resolve(root, f.path));
  const rootNames = [...new Set([...parsed.fileNames.map((n) => resolve(n)), ...changedAbsolute])].sort();
  const program = ts.createProgram({ rootNames, options, host, projectReferences: parsed.projectReferences });
  const diagnostics: SourceDiagnostic[] = [...fromConfig];
  for (const name of changedAbsolute) {
    const sourceFile = program.getSourceFile(name);
    /* v8 ignore next -- every changed file is a root name, so the program holds it */
    if (sourceFile === undefined) continue;
    for (const d of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
      diagnostics.push(toSourceDiagnostic(d, root, relativePosixPath(root, name)));
    }
  }
  return diagnostics.sort(compareDiagnostics);
}

/**
 * Everything CodeGen checks before writing: parse errors of each changed TS/JS file, then (when those
 * are clean and the project has a tsconfig) type errors of the changed TS files. Only `error`
 * diagnostics are returned.
 */
export function checkChangedSources(root: string, changed: readonly FileContent[]): SourceDiagnostic[] {
  const scripts = changed.filter((f) => isScriptFile(f.path));
  const syntax = scripts.flatMap((f) => parseDiagnostics(f));
  const errors = syntax.filter((d) => d.category === "error");
  if (errors.length > 0) return errors.sort(compareDiagnostics);
  return typeCheckChangedFiles(root, changed).filter((d) => d.category === "error");
}

/** `file:line:col - error TS1005: message`, one line per diagnostic. */
export function formatDiagnostic(d: SourceDiagnostic): string {
  return `${d.file}:${d.line}:${d.column} - ${d.category} TS${d.code}: ${d.message}`;
}
