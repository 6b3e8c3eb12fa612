/**
 * The subset of YAML that TAP producers (node:test, tap, tape) write in a test point's diagnostic
 * block: top-level `key: scalar`, quoted scalars, block scalars (`|`, `|-`, `>`), and nested maps or
 * lists, which are kept as their dedented source text.
 */
export function parseTapYaml(lines: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const match = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(line);
    i++;
    if (match === null || match[1] === undefined) continue;
    const key = match[1];
    const inline = (match[2] ?? "").trimEnd();
    if (inline === "" || /^[|>][-+]?$/.test(inline)) {
      const block: string[] = [];
      while (i < lines.length && (/^\s/.test(lines[i] ?? "") || (lines[i] ?? "") === "")) {
        block.push(lines[i] ?? "");
        i++;
      }
      while (block.length > 0 && (block[block.length - 1] ?? "").trim() === "") block.pop();
      const text = dedent(block);
      result[key] = inline.startsWith(">") ? text.replace(/\n(?!\n)/g, " ") : text;
    } else {
      result[key] = unquote(inline);
    }
  }
  return result;
}

function dedent(block: readonly string[]): string {
  let indent = Infinity;
  for (const line of block) {
    if (line.trim() === "") continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  if (indent === Infinity) return "";
  return block.map((line) => line.slice(indent)).join("\n");
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === "string") return parsed;
    } catch {
      // not JSON-compatible escapes: keep the text between the quotes
    }
    return value.slice(1, -1);
  }
  return value;
}
