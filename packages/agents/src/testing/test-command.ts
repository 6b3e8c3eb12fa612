import type { ReporterFormat } from "./reporters/types.js";
import type { TestFramework } from "./test-framework.js";


/** A test command ready for the sandbox, with the reporter whose output it produces. */
export interface TestCommand {
  /** The test runner the command was recognised as. */
  framework: TestFramework;
  command: string;
  args: string[];
  reporter: ReporterFormat;
  /** For `node --test`: the paths given on the command line (files or directories); empty = discovery from the root. */
  testPaths: string[];
  /** Why the command was chosen, for the summary (e.g. "package.json scripts.test"). */
  source: string;
}

/** Thrown when no test command can be found or the given one cannot be used. */
export class TestCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestCommandError";
  }
}

/**
 * Finds the project's test command: `override` when given, else package.json `scripts.test`. A
 * `node --test` script runs node directly with the TAP reporter, vitest with `--reporter=json`, jest
 * with `--json`; any other script runs through `sh -c` and is judged by its exit code only.
 * `hasNodeTestFiles` allows falling back to `node --test` when there is no script at all.
 */
export function detectTestCommand(input: { packageJson?: string; override?: readonly string[]; hasNodeTestFiles?: boolean }): TestCommand {
  if (input.override !== undefined) {
    if (input.override.length === 0 || input.override.some((arg) => typeof arg !== "string")) {
      throw new TestCommandError("payload.command must be a non-empty array of strings");
    }
    return classifyArgv(input.override, "payload.command");
  }
  const script = readTestScript(input.packageJson);
  if (script === undefined) {
    if (input.hasNodeTestFiles === true) return nodeTestCommand([], [], "node:test files found (no scripts.test)");
    throw new TestCommandError("no test command: package.json has no scripts.test and no node:test files were found");
  }
  const argv = splitSimpleCommand(script);
  if (argv === undefined) return shellScript(script);
  return classifyArgv(argv, "package.json scripts.test");
}

function readTestScript(packageJson: string | undefined): string | undefined {
  if (packageJson === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch (error) {
    throw new TestCommandError(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  const scripts = (parsed as { scripts?: unknown }).scripts;
  if (typeof scripts !== "object" || scripts === null) return undefined;
  const test = (scripts as Record<string, unknown>).test;
  if (typeof test !== "string" || test.trim() === "" || /no test specified/.test(test)) return undefined;
  return test.trim();
}

/** Splits a script into words when it is one plain command (no pipes, redirections, variables, chains). */
export function splitSimpleCommand(script: string): string[] | undefined {
  if (/[|&;<>`$()\\]/.test(script)) return undefined;
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(script); match !== null; match = pattern.exec(script)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  if (words.length === 0 || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? "")) return undefined;
  return words;
}

/** Node options whose value may follow as a separate word (`--import tsx`, `--test-name-pattern x`). */
const NODE_OPTIONS_WITH_VALUE = new Set([
  "--import", "--require", "-r", "--loader", "--experimental-loader", "--conditions", "-C", "--env-file",
  "--test-name-pattern", "--test-skip-pattern", "--test-reporter", "--test-reporter-destination",
  "--test-concurrency", "--test-timeout", "--test-shard", "--input-type", "--stack-size",
]);

function classifyArgv(argv: readonly string[], source: string): TestCommand {
  const [head = "", ...rest] = argv;
  const bin = head.split("/").pop() ?? head;
  if ((bin === "node" || bin === "nodejs") && rest.includes("--test")) {
    const flags: string[] = [];
    const paths: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      // A flag's separate value (`--import tsx`) is not a test path; the reporter is ours to choose.
      const value = NODE_OPTIONS_WITH_VALUE.has(arg) && i + 1 < rest.length ? rest[++i]! : undefined;
      if (arg === "--test" || arg.startsWith("--test-reporter")) continue;
      if (arg.startsWith("-")) flags.push(...(value === undefined ? [arg] : [arg, value]));
      else paths.push(arg);
    }
    return nodeTestCommand(flags, paths, source);
  }
  const tool = bin === "npx" ? (rest.find((arg) => !arg.startsWith("-")) ?? "") : bin;
  const toolArgs = bin === "npx" ? rest.slice(rest.indexOf(tool) + 1) : rest;
  if (tool === "vitest") {
    const args = toolArgs.filter((arg) => !arg.startsWith("--reporter") && arg !== "run" && arg !== "watch");
    return { framework: "vitest", command: "npx", args: ["--no-install", "vitest", "run", "--reporter=json", ...args], reporter: "jest-json", testPaths: [], source };
  }
  if (tool === "jest") {
    const args = toolArgs.filter((arg) => arg !== "--json" && arg !== "--watch");
    return { framework: "jest", command: "npx", args: ["--no-install", "jest", "--json", ...args], reporter: "jest-json", testPaths: [], source };
  }
  return { framework: "script", command: head, args: [...rest], reporter: "exit-code", testPaths: [], source };
}

function nodeTestCommand(flags: string[], paths: string[], source: string): TestCommand {
  return {
    framework: "node:test",
    command: "node",
    args: ["--test", "--test-reporter=tap", ...flags, ...paths],
    reporter: "tap",
    testPaths: paths,
    source,
  };
}

function shellScript(script: string): TestCommand {
  return {
    framework: "script",
    command: "sh",
    // Scripts expect the project's own binaries on PATH, as `npm test` would provide.
    args: ["-c", `PATH="$PWD/node_modules/.bin:$PATH"; ${script}`],
    reporter: "exit-code",
    testPaths: [],
    source: "package.json scripts.test (shell script)",
  };
}
