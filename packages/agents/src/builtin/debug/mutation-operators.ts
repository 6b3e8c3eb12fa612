import ts from "typescript";

/** Families of repair mutations, in the order they are tried on a line. */
export type MutationKind =
  | "relational"
  | "equality"
  | "logical"
  | "arithmetic"
  | "off-by-one"
  | "boundary"
  | "constant"
  | "boolean"
  | "negate-condition"
  | "remove-negation";

/** One small edit of a source file: replace `[start, end)` with `replacement`. */
export interface Mutation {
  file: string;
  /** 1-based line the mutated code starts on. */
  line: number;
  kind: MutationKind;
  start: number;
  end: number;
  original: string;
  replacement: string;
  /** Human-readable, e.g. `line 12: "<" → "<="`. */
  description: string;
}

const RELATIONAL: Record<string, string[]> = {
  "<": ["<=", ">", ">="],
  "<=": ["<", ">=", ">"],
  ">": [">=", "<", "<="],
  ">=": [">", "<=", "<"],
};
const EQUALITY: Record<string, string[]> = { "===": ["!=="], "!==": ["==="], "==": ["!="], "!=": ["=="] };
const LOGICAL: Record<string, string[]> = { "&&": ["||"], "||": ["&&"], "??": ["||"] };
const ARITHMETIC: Record<string, string[]> = {
  "+": ["-", "*", "/"],
  "-": ["+", "*", "/"],
  "*": ["/", "+", "-"],
  "/": ["*", "-", "+"],
  "%": ["/", "*"],
  "+=": ["-="],
  "-=": ["+="],
  "*=": ["/="],
  "/=": ["*="],
};

/**
 * The repair mutations of the code starting on `line` of `source`, in a fixed order: by position on
 * the line, then per node relational/equality/logical/arithmetic operator swaps, dropping a `± 1`
 * term, index and `.length` off-by-one, numeric boundaries (±1) and constants (0, 1, -1), boolean
 * flips, negating a condition or removing a negation. Works on JavaScript and TypeScript (parsed with
 * the TypeScript compiler API). Mutations that leave the text unchanged or repeat an earlier edit are
 * dropped.
 */
export function mutationsOnLine(file: string, source: string, line: number): Mutation[] {
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const found: Mutation[] = [];
  const seen = new Set<string>();
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (mutationKind: MutationKind, start: number, end: number, replacement: string) => {
    const original = source.slice(start, end);
    if (original === replacement) return;
    const key = `${start}:${end}:${replacement}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({
      file,
      line,
      kind: mutationKind,
      start,
      end,
      original,
      replacement,
      description: `${file}:${line}: ${JSON.stringify(original)} → ${JSON.stringify(replacement)} (${mutationKind})`,
    });
  };

  const lineStarts = sf.getLineStarts();
  const lineStart = lineStarts[line - 1] ?? source.length;
  const nextLineStart = lineStarts[line] ?? source.length;
  const visit = (node: ts.Node): void => {
    // Skip subtrees entirely before the line or starting after it.
    if (node.end < lineStart || node.getStart(sf) >= nextLineStart) return;
    if (ts.isBinaryExpression(node) && lineOf(node.operatorToken.getStart(sf)) === line) binaryMutations(node, sf, add);
    if (lineOf(node.getStart(sf)) === line) nodeMutations(node, sf, add);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.start - b.start || a.end - b.end);
}

/** Order of mutation families on one line: operator swaps first, the broadest rewrites last. */
const KIND_ORDER: readonly MutationKind[] = [
  "relational",
  "equality",
  "logical",
  "arithmetic",
  "off-by-one",
  "boundary",
  "constant",
  "boolean",
  "remove-negation",
  "negate-condition",
];

type Add = (kind: MutationKind, start: number, end: number, replacement: string) => void;

function binaryMutations(node: ts.BinaryExpression, sf: ts.SourceFile, add: Add): void {
  const op = node.operatorToken.getText(sf);
  const opStart = node.operatorToken.getStart(sf);
  const opEnd = node.operatorToken.end;
  for (const [table, kind] of [
    [RELATIONAL, "relational"],
    [EQUALITY, "equality"],
    [LOGICAL, "logical"],
    [ARITHMETIC, "arithmetic"],
  ] as const) {
    for (const replacement of table[op] ?? []) add(kind, opStart, opEnd, replacement);
  }
  // `x + 1` / `x - 1` → `x`: the off-by-one written as an explicit correction.
  if ((op === "+" || op === "-") && ts.isNumericLiteral(node.right) && node.right.text === "1") {
    add("off-by-one", node.getStart(sf), node.end, node.left.getText(sf));
  }
}

function nodeMutations(node: ts.Node, sf: ts.SourceFile, add: Add): void {
  const start = node.getStart(sf);
  const text = node.getText(sf);

  if (ts.isElementAccessExpression(node)) {
    const index = node.argumentExpression;
    const indexText = index.getText(sf);
    add("off-by-one", index.getStart(sf), index.end, `${indexText} + 1`);
    add("off-by-one", index.getStart(sf), index.end, `${indexText} - 1`);
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === "length" && !isAssignmentTarget(node)) {
    add("off-by-one", start, node.end, `(${text} - 1)`);
    add("off-by-one", start, node.end, `(${text} + 1)`);
  }

  const literal = numericValue(node);
  if (literal !== undefined && !(ts.isNumericLiteral(node) && isNegatedLiteral(node))) {
    const candidates: [MutationKind, number][] = [
      ["boundary", literal + 1],
      ["boundary", literal - 1],
      ["constant", 0],
      ["constant", 1],
      ["constant", -1],
    ];
    for (const [kind, value] of candidates) if (value !== literal) add(kind, start, node.end, formatNumber(value));
  }

  if (node.kind === ts.SyntaxKind.TrueKeyword) add("boolean", start, node.end, "false");
  if (node.kind === ts.SyntaxKind.FalseKeyword) add("boolean", start, node.end, "true");

  const condition = conditionOf(node);
  if (condition !== undefined) {
    const inner = stripParens(condition);
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
      add("remove-negation", condition.getStart(sf), condition.end, inner.operand.getText(sf));
    } else {
      add("negate-condition", condition.getStart(sf), condition.end, `!(${condition.getText(sf)})`);
    }
  }
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    add("remove-negation", start, node.end, node.operand.getText(sf));
  }
}

function conditionOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) return node.expression;
  if (ts.isConditionalExpression(node)) return node.condition;
  if (ts.isForStatement(node)) return node.condition;
  if (ts.isReturnStatement(node) && node.expression !== undefined && isBooleanish(node.expression)) return node.expression;
  return undefined;
}

/** A comparison or logical expression: negating it is a plausible repair of a returned predicate. */
function isBooleanish(expression: ts.Expression): boolean {
  const inner = stripParens(expression);
  if (!ts.isBinaryExpression(inner)) return false;
  const op = inner.operatorToken.kind;
  return (op >= ts.SyntaxKind.LessThanToken && op <= ts.SyntaxKind.ExclamationEqualsEqualsToken) || op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken;
}

function stripParens(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function numericValue(node: ts.Node): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  return undefined;
}

function isNegatedLiteral(node: ts.NumericLiteral): boolean {
  const parent = node.parent;
  return ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.MinusToken;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function formatNumber(value: number): string {
  return value < 0 ? `-${String(-value)}` : String(value);
}

/** `source` with `mutation` applied. */
export function applyMutation(source: string, mutation: Mutation): string {
  return source.slice(0, mutation.start) + mutation.replacement + source.slice(mutation.end);
}
