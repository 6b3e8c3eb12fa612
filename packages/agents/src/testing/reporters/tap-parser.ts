import type { ParsedTestCase, TestStatus } from "./types.js";
import { createPathResolver, splitLocation, type PathResolver } from "./paths.js";
import { parseTapYaml } from "./tap-yaml.js";

/** Options of {@link parseTap}. */
export interface ParseTapOptions {
  /** Maps the reporter's absolute paths to workspace-relative ones (default: keep them as reported). */
  paths?: PathResolver;
}

interface OpenSubtest {
  indent: number;
  name: string;
}

const TEST_POINT = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$/;

/**
 * Parses TAP (version 13/14, as `node --test --test-reporter=tap` writes it) into leaf test cases.
 * Nested subtests become `fullName`s joined by " > "; suites are reported only when they fail on
 * their own (a failing hook), not when they merely contain failing tests. YAML diagnostics give the
 * duration, the location (file:line) and the failure (message, expected, actual, first workspace
 * stack frame).
 */
export function parseTap(output: string, options: ParseTapOptions = {}): ParsedTestCase[] {
  const paths = options.paths ?? createPathResolver([]);
  const lines = output.split(/\r?\n/);
  const results: ParsedTestCase[] = [];
  const open: OpenSubtest[] = [];
  // Deepest indentation at which a test point was seen since the last point at a shallower level.
  const childSeenAt = new Set<number>();

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const indent = raw.length - raw.trimStart().length;
    const text = raw.trim();

    const subtest = /^# Subtest: (.*)$/.exec(text);
    if (subtest !== null) {
      while (open.length > 0 && (open[open.length - 1]?.indent ?? -1) >= indent) open.pop();
      open.push({ indent, name: unescapeName(subtest[1] ?? "") });
      continue;
    }

    const point = TEST_POINT.exec(text);
    if (point === null) continue;

    const { name, directive } = splitDirective(point[3] ?? "");
    const yaml = readYamlBlock(lines, i + 1, indent);
    i = yaml.next - 1;
    const diagnostics = parseTapYaml(yaml.lines);

    const hadChildren = [...childSeenAt].some((level) => level > indent);
    for (const level of [...childSeenAt]) if (level > indent) childSeenAt.delete(level);
    childSeenAt.add(indent);

    const ancestors = open.filter((entry) => entry.indent < indent).map((entry) => entry.name);
    while (open.length > 0 && (open[open.length - 1]?.indent ?? -1) >= indent) open.pop();

    const ok = point[1] === "ok";
    const isSuite = diagnostics.type === "suite" || hadChildren;
    // A suite that failed only because its subtests failed adds nothing: those are reported already.
    if (isSuite && (ok || diagnostics.failureType === "subtestsFailed")) continue;

    const testCase: ParsedTestCase = {
      name,
      fullName: [...ancestors, name].join(" > "),
      status: statusOf(ok, directive, diagnostics.failureType),
    };
    const duration = Number(diagnostics.duration_ms);
    if (diagnostics.duration_ms !== undefined && Number.isFinite(duration)) testCase.durationMs = Math.round(duration * 1000) / 1000;
    const location = diagnostics.location === undefined ? undefined : splitLocation(diagnostics.location);
    if (location !== undefined) {
      const file = paths.toWorkspacePath(location.path);
      testCase.file = file ?? location.path;
      testCase.line = location.line;
    }
    if (!ok) testCase.message = failureMessage(diagnostics, paths);
    results.push(testCase);
  }
  return results;
}

function unescapeName(name: string): string {
  return name.replace(/\\([\\#])/g, "$1");
}

/** Splits `name # SKIP reason` into the name and the directive (escaped `\#` stays in the name). */
function splitDirective(rest: string): { name: string; directive?: "skip" | "todo" } {
  const match = /^(.*?)(?<!\\)\s+#\s+(SKIP|TODO)\b.*$/i.exec(rest);
  if (match === null) return { name: unescapeName(rest.trim()) };
  const directive = (match[2] ?? "").toUpperCase() === "SKIP" ? "skip" : "todo";
  return { name: unescapeName((match[1] ?? "").trim()), directive };
}

function readYamlBlock(lines: readonly string[], start: number, indent: number): { lines: string[]; next: number } {
  const first = lines[start];
  if (first === undefined || first.trim() !== "---") return { lines: [], next: start };
  const body: string[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "..." && line.length - line.trimStart().length <= indent + 2) {
      i++;
      break;
    }
    body.push(line.slice(Math.min(indent + 2, line.length - line.trimStart().length)));
  }
  return { lines: body, next: i };
}

function statusOf(ok: boolean, directive: "skip" | "todo" | undefined, failureType: string | undefined): TestStatus {
  if (directive !== undefined) return "skipped";
  if (ok) return "pass";
  if (failureType === "testTimeoutFailure") return "timeout";
  if (failureType === undefined || failureType === "testCodeFailure") return "fail";
  return "error";
}

function failureMessage(diagnostics: Record<string, string>, paths: PathResolver): string {
  const parts: string[] = [];
  const error = (diagnostics.error ?? "test failed").trim();
  parts.push(error);
  if (diagnostics.expected !== undefined || diagnostics.actual !== undefined) {
    parts.push(`expected: ${diagnostics.expected ?? "(none)"}`, `actual: ${diagnostics.actual ?? "(none)"}`);
  }
  const frame = firstWorkspaceFrame(diagnostics.stack, paths);
  if (frame !== undefined) parts.push(`at ${frame}`);
  return parts.join("\n");
}

/** The first stack frame inside the workspace, as `path:line:column`. */
function firstWorkspaceFrame(stack: string | undefined, paths: PathResolver): string | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n")) {
    const match = /\(?((?:file:\/\/)?\/[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (match === null || match[1] === undefined) continue;
    const file = paths.toWorkspacePath(match[1]);
    if (file !== undefined && !file.includes("node_modules/")) return `${file}:${match[2]}:${match[3]}`;
  }
  return undefined;
}
