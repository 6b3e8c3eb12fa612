/**
 * The model path of TestGen: ask for extra example cases per exported function and keep only those that
 * parse into checkable assertions calling the function they are for.
 */
import { parseExample, type ExampleAssertion } from "./example-parser.js";
import { parseDiagnostics } from "../../typescript/compile-check.js";
import { assertionCode } from "./render.js";
import type { GeneratedTestFramework } from "../../testing/test-framework.js";
import type { ExportedFunction } from "./exports.js";

/** Extra cases per function name, and how many proposed cases were dropped (and why, one line each). */
export interface ModelCases {
  readonly cases: Map<string, ExampleAssertion[]>;
  readonly dropped: readonly string[];
}

const FENCED_JSON = /```(?:json)?[^\n]*\n([\s\S]*?)```/;

/** The functions as the prompt lists them: signature and the documented examples. */
export function formatFunctionsForPrompt(functions: readonly ExportedFunction[]): string {
  return functions
    .map((f) => {
      const documented = f.examples.map((a) => `    ${a.source}`).join("\n");
      return `- ${f.isAsync ? "async " : ""}${f.name}(${f.parameters.join(", ")})${documented === "" ? " (no documented examples)" : `\n${documented}`}`;
    })
    .join("\n");
}

function answerJson(answer: string): unknown {
  const fenced = FENCED_JSON.exec(answer);
  return JSON.parse(fenced?.[1] ?? answer);
}

/** True when the assertion, as the test file would hold it, parses and calls `name`. */
function usable(assertion: ExampleAssertion, name: string, framework: GeneratedTestFramework): boolean {
  const code = assertionCode(assertion, framework);
  if (!new RegExp(`\\b${name}\\s*\\(`).test(code)) return false;
  return parseDiagnostics({ path: "case.mjs", content: `async function probe() {\n${code}\n}\n` }).length === 0;
}

/**
 * Reads the model's answer `{ "cases": [{ "function": "add", "example": "add(2, 3) // => 5" }] }` (bare or
 * in a ```json block). Cases for unknown functions, setup-only lines, lines that do not parse, lines that
 * do not call their function, and repeats of documented examples are dropped.
 *
 * @returns `undefined` when the answer is not JSON of that shape at all.
 */
export function readModelCases(answer: string, functions: readonly ExportedFunction[], framework: GeneratedTestFramework): ModelCases | undefined {
  let parsed: unknown;
  try {
    parsed = answerJson(answer);
  } catch {
    return undefined;
  }
  const list = (parsed as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) return undefined;
  const byName = new Map(functions.map((f) => [f.name, f]));
  const cases = new Map<string, ExampleAssertion[]>();
  const dropped: string[] = [];
  for (const [index, item] of list.entries()) {
    const { function: name, example } = (item ?? {}) as { function?: unknown; example?: unknown };
    const fn = typeof name === "string" ? byName.get(name) : undefined;
    if (fn === undefined || typeof example !== "string") {
      dropped.push(`case ${index + 1}: not a { function, example } pair for an exported function`);
      continue;
    }
    const known = new Set([...fn.examples, ...(cases.get(fn.name) ?? [])].map((a) => a.source));
    for (const assertion of parseExample(example)) {
      if (assertion.kind === "statement" || known.has(assertion.source)) continue;
      if (!usable(assertion, fn.name, framework)) {
        dropped.push(`case ${index + 1} (${fn.name}): ${JSON.stringify(assertion.source)} does not parse or does not call ${fn.name}`);
        continue;
      }
      known.add(assertion.source);
      cases.set(fn.name, [...(cases.get(fn.name) ?? []), assertion]);
    }
  }
  return { cases, dropped };
}
