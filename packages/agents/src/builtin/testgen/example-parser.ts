/**
 * Reads JSDoc `@example` blocks into assertions: `add(2, 3) // => 5`, `add(2, 3) // returns 5`,
 * `add(2, 3); // throws`, and lines that already call `assert…`.
 */

/** One check derived from an example line. */
export type ExampleAssertion =
  | { readonly kind: "equal"; readonly actual: string; readonly expected: string; readonly source: string }
  | { readonly kind: "throws"; readonly actual: string; readonly source: string }
  | { readonly kind: "assert"; readonly code: string; readonly source: string }
  | { readonly kind: "statement"; readonly code: string; readonly source: string };

const EXPECT_COMMENT = /^(.*?);?\s*\/\/\s*(?:=>|→|returns?|==>?|===)\s*(.+?)\s*$/i;
const THROWS_COMMENT = /^(.*?);?\s*\/\/\s*throws\b.*$/i;
const ASSERT_LINE = /^(?:assert(?:\.\w+)?|expect)\s*\(/;

/** Removes a Markdown fence and leading `*` from a JSDoc example's text. */
function exampleLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trimEnd())
    .filter((line) => !/^\s*```/.test(line));
}

/**
 * The assertions of one `@example` block; a line holding an expression followed by `// returns` on the
 * next line is joined with it. Lines that are neither (setup code) become statements.
 */
export function parseExample(text: string): ExampleAssertion[] {
  const out: ExampleAssertion[] = [];
  const lines = exampleLines(text);
  for (let i = 0; i < lines.length; i += 1) {
    let line = (lines[i] as string).trim();
    if (line === "") continue;
    const next = (lines[i + 1] ?? "").trim();
    // `add(2, 3)` then `// => 5` on its own line.
    if (!line.startsWith("//") && /^\/\/\s*(?:=>|→|returns?|throws)/i.test(next)) {
      line = `${line} ${next}`;
      i += 1;
    }
    const throws = THROWS_COMMENT.exec(line);
    if (throws !== null && (throws[1] ?? "").trim() !== "") {
      out.push({ kind: "throws", actual: (throws[1] as string).trim(), source: line });
      continue;
    }
    const expectation = EXPECT_COMMENT.exec(line);
    if (expectation !== null && (expectation[1] ?? "").trim() !== "") {
      out.push({ kind: "equal", actual: (expectation[1] as string).trim(), expected: (expectation[2] as string).trim(), source: line });
      continue;
    }
    if (line.startsWith("//")) continue;
    if (ASSERT_LINE.test(line)) {
      out.push({ kind: "assert", code: line.endsWith(";") ? line : `${line};`, source: line });
      continue;
    }
    out.push({ kind: "statement", code: line.endsWith(";") || line.endsWith("}") || line.endsWith("{") ? line : `${line};`, source: line });
  }
  return out;
}
