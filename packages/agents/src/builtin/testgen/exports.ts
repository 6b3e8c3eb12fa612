/**
 * Reads a module's exported functions with the TypeScript compiler API: names, parameters, whether they
 * are async, their `@example` blocks and documented `@throws`.
 */
import ts from "typescript";
import { scriptKindOf } from "../../typescript/compile-check.js";
import { parseExample, type ExampleAssertion } from "./example-parser.js";

/** One exported function and what its documentation promises. */
export interface ExportedFunction {
  readonly name: string;
  readonly parameters: readonly string[];
  readonly isAsync: boolean;
  /** Assertions from every `@example` block, in order. */
  readonly examples: readonly ExampleAssertion[];
  /** Text of each `@throws` tag. */
  readonly throws: readonly string[];
}

function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
  if (comment === undefined) return "";
  return typeof comment === "string" ? comment : comment.map((c) => c.text).join("");
}

function describe(name: string, node: ts.SignatureDeclaration, isAsync: boolean, sourceFile: ts.SourceFile): ExportedFunction {
  const tags = ts.getJSDocTags(node);
  const examples = tags.filter((t) => t.tagName.text === "example").flatMap((t) => parseExample(commentText(t.comment)));
  const throws = tags
    .filter((t): t is ts.JSDocThrowsTag => t.tagName.text === "throws")
    .map((t) => [t.typeExpression?.getText(sourceFile), commentText(t.comment).trim()].filter(Boolean).join(" "));
  const parameters = node.parameters.map((p) => p.name.getText(sourceFile));
  return { name, parameters, isAsync, examples, throws };
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isAsyncFunction(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The exported functions (declarations and `export const f = (…) => …`) of one module, in source order. */
export function exportedFunctions(path: string, text: string): ExportedFunction[] {
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindOf(path));
  const out: ExportedFunction[] = [];
  for (const statement of sourceFile.statements) {
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && statement.body !== undefined) {
      out.push(describe(statement.name.text, statement, isAsyncFunction(statement), sourceFile));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (!ts.isIdentifier(declaration.name) || init === undefined) continue;
        if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) continue;
        // TypeScript hands the variable statement's JSDoc to the function expression it initialises.
        out.push(describe(declaration.name.text, init, isAsyncFunction(init), sourceFile));
      }
    }
  }
  return out;
}
