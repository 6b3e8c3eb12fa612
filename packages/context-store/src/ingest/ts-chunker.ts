import ts from "typescript";
import type { Chunk } from "./chunk.js";
import { chunkText } from "./text-chunker.js";

function scriptKind(filePath: string): ts.ScriptKind {
  if (/\.(tsx)$/i.test(filePath)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/i.test(filePath)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/i.test(filePath)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The declared name of a top-level statement that is a declaration worth its own chunk. */
function declarationName(node: ts.Statement): string | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return node.name?.text ?? "default";
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) return node.name.text;
  if (ts.isModuleDeclaration(node)) return node.name.text;
  if (ts.isVariableStatement(node) && (isExported(node) || node.declarationList.declarations.some((d) => d.initializer !== undefined && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer) || ts.isClassExpression(d.initializer))))) {
    return node.declarationList.declarations.map((d) => d.name.getText()).join(", ");
  }
  if (ts.isExportAssignment(node)) return "default";
  return undefined;
}

/**
 * Chunks TypeScript / JavaScript by top-level declaration (functions, classes, interfaces, types,
 * enums, namespaces, exported or function-valued consts), each with its leading doc comment, symbol and
 * 1-based line range. Runs of other top-level statements (imports, calls) become symbol-less chunks.
 * A file that does not parse into statements falls back to text blocks.
 */
export function chunkTypeScript(filePath: string, text: string): Chunk[] {
  const sf = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, scriptKind(filePath));
  if (sf.statements.length === 0) return chunkText(text);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const chunks: Chunk[] = [];
  let loose: ts.Statement[] = [];
  const slice = (from: number, to: number) => text.slice(from, to);
  const flushLoose = () => {
    if (loose.length === 0) return;
    const from = loose[0]!.getStart(sf, true);
    const to = loose[loose.length - 1]!.getEnd();
    chunks.push({ content: slice(from, to), startLine: lineOf(from), endLine: lineOf(to) });
    loose = [];
  };
  for (const statement of sf.statements) {
    const name = declarationName(statement);
    if (name === undefined) {
      loose.push(statement);
      continue;
    }
    flushLoose();
    const from = statement.getStart(sf, true);
    const to = statement.getEnd();
    chunks.push({ content: slice(from, to), startLine: lineOf(from), endLine: lineOf(to), symbol: name });
  }
  flushLoose();
  return chunks.filter((c) => c.content.trim().length > 0);
}
