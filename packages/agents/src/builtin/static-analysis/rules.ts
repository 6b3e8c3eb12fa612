/**
 * AST lint rules for StaticAnalysis, each a real check over a TypeScript syntax tree with a suggestion.
 */
import ts from "typescript";
import type { Finding, FindingSeverity } from "./finding.js";

/** What a rule sees: one parsed file and where it lives. */
export interface RuleInput {
  /** Workspace-relative path. */
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  /** True for test files (`test/`, `*.test.ts`, …), where some rules do not apply. */
  readonly isTest: boolean;
}

/** One AST rule. */
export interface AstRule {
  readonly id: string;
  readonly description: string;
  check(input: RuleInput): Finding[];
}

/** Functions longer than this many lines are reported by `max-function-lines`. */
export const MAX_FUNCTION_LINES = 80;

const TEST_FILE = /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** True when a workspace path names a test file. */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

function finding(
  input: RuleInput,
  node: ts.Node | number,
  rule: string,
  severity: FindingSeverity,
  message: string,
  suggestions: string[],
): Finding {
  const start = typeof node === "number" ? node : node.getStart(input.sourceFile);
  const { line, character } = input.sourceFile.getLineAndCharacterOfPosition(start);
  return { file: input.file, line: line + 1, column: character + 1, rule, severity, message, suggestions };
}

function visitAll(sourceFile: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, walk);
  };
  walk(sourceFile);
}

const noDebugger: AstRule = {
  id: "no-debugger",
  description: "`debugger` statements left in code",
  check(input) {
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (ts.isDebuggerStatement(node)) {
        out.push(finding(input, node, this.id, "warn", "`debugger` statement", ["Remove the `debugger` statement."]));
      }
    });
    return out;
  },
};

const eqeqeq: AstRule = {
  id: "eqeqeq",
  description: "loose equality `==` / `!=`",
  check(input) {
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (!ts.isBinaryExpression(node)) return;
      const kind = node.operatorToken.kind;
      if (kind !== ts.SyntaxKind.EqualsEqualsToken && kind !== ts.SyntaxKind.ExclamationEqualsToken) return;
      const [loose, strict] = kind === ts.SyntaxKind.EqualsEqualsToken ? ["==", "==="] : ["!=", "!=="];
      const text = `${node.left.getText(input.sourceFile)} ${strict} ${node.right.getText(input.sourceFile)}`;
      out.push(
        finding(input, node.operatorToken, this.id, "warn", `loose equality \`${loose}\` coerces its operands`, [
          `Use \`${strict}\`: ${text.length > 200 ? strict : text}`,
        ]),
      );
    });
    return out;
  },
};

function hasComment(sourceFile: ts.SourceFile, block: ts.Block): boolean {
  const inner = sourceFile.text.slice(block.getStart(sourceFile) + 1, block.end - 1);
  return /\/\/|\/\*/.test(inner);
}

const noEmptyCatch: AstRule = {
  id: "no-empty-catch",
  description: "empty `catch` blocks that swallow errors",
  check(input) {
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (ts.isCatchClause(node) && node.block.statements.length === 0 && !hasComment(input.sourceFile, node.block)) {
        out.push(
          finding(input, node, this.id, "warn", "empty `catch` block swallows the error", [
            "Handle the error, rethrow it, or say in a comment why it is safe to ignore.",
          ]),
        );
      }
    });
    return out;
  },
};

const noConsoleLog: AstRule = {
  id: "no-console-log",
  description: "`console.log` in non-test source",
  check(input) {
    if (input.isTest) return [];
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === "console" &&
        node.expression.name.text === "log"
      ) {
        out.push(
          finding(input, node, this.id, "info", "`console.log` in source code", [
            "Remove the debug output or use the project's logger.",
          ]),
        );
      }
    });
    return out;
  },
};

function endsFlow(statement: ts.Statement): boolean {
  return (
    ts.isReturnStatement(statement) ||
    ts.isThrowStatement(statement) ||
    ts.isBreakStatement(statement) ||
    ts.isContinueStatement(statement)
  );
}

// Declarations that are hoisted or have no run-time effect are not "unreachable code".
function isInert(statement: ts.Statement): boolean {
  return (
    ts.isFunctionDeclaration(statement) ||
    ts.isEmptyStatement(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    (ts.isVariableStatement(statement) &&
      (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0 &&
      statement.declarationList.declarations.every((d) => d.initializer === undefined))
  );
}

const noUnreachable: AstRule = {
  id: "no-unreachable",
  description: "code after `return`, `throw`, `break` or `continue`",
  check(input) {
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (!ts.isBlock(node) && !ts.isCaseClause(node) && !ts.isDefaultClause(node) && !ts.isModuleBlock(node)) return;
      const statements = node.statements;
      const exit = statements.findIndex(endsFlow);
      if (exit === -1) return;
      const dead = statements.slice(exit + 1).find((s) => !isInert(s));
      if (dead === undefined) return;
      const exitKeyword = (statements[exit] as ts.Statement).getFirstToken(input.sourceFile)?.getText(input.sourceFile);
      out.push(
        finding(input, dead, this.id, "warn", `unreachable code after \`${exitKeyword}\``, [
          "Remove the unreachable statements, or move them before the exit.",
        ]),
      );
    });
    return out;
  },
};

const TS_IGNORE = /^(?:\/\/\/?|\/\*+)\s*@ts-ignore\b(.*?)(?:\*\/)?$/s;

const tsIgnoreReason: AstRule = {
  id: "ts-ignore-reason",
  description: "`@ts-ignore` without an explanation",
  check(input) {
    const out: Finding[] = [];
    const text = input.sourceFile.text;
    const seen = new Set<number>();
    const inspect = (ranges: ts.CommentRange[] | undefined): void => {
      for (const range of ranges ?? []) {
        if (seen.has(range.pos)) continue;
        seen.add(range.pos);
        const match = TS_IGNORE.exec(text.slice(range.pos, range.end));
        // A reason is any word after the directive, e.g. `// @ts-ignore: the types lag behind v2`.
        if (match !== null && !/[A-Za-z]{2,}/.test(match[1] ?? "")) {
          out.push(
            finding(input, range.pos, this.id, "warn", "`@ts-ignore` without a reason", [
              "Prefer `// @ts-expect-error <reason>`: it documents why and fails once the error is gone.",
            ]),
          );
        }
      }
    };
    const walk = (node: ts.Node): void => {
      inspect(ts.getLeadingCommentRanges(text, node.getFullStart()));
      inspect(ts.getTrailingCommentRanges(text, node.getEnd()));
      for (const child of node.getChildren(input.sourceFile)) walk(child);
    };
    walk(input.sourceFile);
    return out;
  },
};

function functionName(node: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(sourceFile);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(sourceFile);
  }
  return "(anonymous)";
}

const maxFunctionLines: AstRule = {
  id: "max-function-lines",
  description: `functions longer than ${MAX_FUNCTION_LINES} lines`,
  check(input) {
    const out: Finding[] = [];
    visitAll(input.sourceFile, (node) => {
      if (!ts.isFunctionLike(node)) return;
      const body = (node as ts.FunctionLikeDeclaration).body;
      if (body === undefined) return;
      const sf = input.sourceFile;
      const lines =
        sf.getLineAndCharacterOfPosition(body.getEnd()).line - sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      if (lines <= MAX_FUNCTION_LINES) return;
      const name = functionName(node as ts.FunctionLikeDeclaration, sf);
      out.push(
        finding(input, node, this.id, "info", `function '${name}' is ${lines} lines long (limit ${MAX_FUNCTION_LINES})`, [
          "Split it into smaller functions that each do one thing.",
        ]),
      );
    });
    return out;
  },
};

/** Every built-in AST rule, by id. */
export const AST_RULES: readonly AstRule[] = Object.freeze([
  noDebugger,
  eqeqeq,
  noEmptyCatch,
  noConsoleLog,
  noUnreachable,
  tsIgnoreReason,
  maxFunctionLines,
]);
