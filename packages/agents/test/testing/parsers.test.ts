import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJestJson, ReporterOutputError } from "../../src/testing/reporters/jest-json.js";
import { createPathResolver, splitLocation } from "../../src/testing/reporters/paths.js";
import { parseTap } from "../../src/testing/reporters/tap-parser.js";
import { parseTapYaml } from "../../src/testing/reporters/tap-yaml.js";
import { detectTestCommand, splitSimpleCommand, TestCommandError } from "../../src/testing/test-command.js";
import { discoverNodeTestFiles, isNodeTestFile } from "../../src/testing/node-test-files.js";

const fixtures = path.join(import.meta.dirname, "fixtures/test-exec");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

describe("parseTap on real node --test output", () => {
  it("reads fix-me's 20 tests, the 2 failures with message, expected/actual and file:line", () => {
    const cases = parseTap(fixture("fix-me.node20.tap"), { paths: createPathResolver(["/work/main/examples/fix-me"]) });
    expect(cases).toHaveLength(20);
    const failed = cases.filter((c) => c.status === "fail");
    expect(failed.map((c) => c.name)).toEqual(["cartTotal applies the bulk discount at ten units", "ten units get five percent"]);
    const [cart, discount] = failed;
    expect(cart).toMatchObject({ file: "test/cart.test.js", line: 27 });
    expect(cart?.message).toContain("1000 !== 950");
    expect(cart?.message).toContain("expected: 950\nactual: 1000");
    expect(cart?.message).toContain("at test/cart.test.js:29:10");
    expect(discount).toMatchObject({ file: "test/discount.test.js", line: 16 });
    expect(cases.filter((c) => c.status === "pass")).toHaveLength(18);
    expect(cases.every((c) => typeof c.durationMs === "number")).toBe(true);
  });

  it("flattens suites into full names, unescapes names and reports skips", () => {
    const cases = parseTap(fixture("nested-skip.node20.tap"), { paths: createPathResolver(["/work/sample"]) });
    expect(cases.map((c) => [c.fullName, c.status])).toEqual([
      ["adds two numbers", "fail"],
      ["negatives clamp", "pass"],
      ["suite > inner 'quoted' # hash", "fail"],
      ["suite > ok one", "pass"],
      ["skipped one", "skipped"],
    ]);
    const inner = cases[2];
    expect(inner).toMatchObject({ file: "test/m.test.js", line: 6 });
    expect(inner?.message).toContain("expected: a: 2\nactual: a: 1");
  });

  it("reports a suite whose own hook failed, and timeouts", () => {
    const tap = [
      "TAP version 13",
      "# Subtest: db",
      "    # Subtest: reads",
      "    ok 1 - reads",
      "      ---",
      "      duration_ms: 1",
      "      ...",
      "    1..1",
      "not ok 1 - db",
      "  ---",
      "  duration_ms: 3",
      "  type: 'suite'",
      "  location: 'file:///w/test/db.test.js:3:1'",
      "  failureType: 'hookFailed'",
      "  error: 'connection refused'",
      "  ...",
      "not ok 2 - slow",
      "  ---",
      "  failureType: 'testTimeoutFailure'",
      "  error: 'test timed out after 10ms'",
      "  ...",
      "1..2",
    ].join("\n");
    const cases = parseTap(tap, { paths: createPathResolver(["/w"]) });
    expect(cases.map((c) => [c.fullName, c.status, c.file])).toEqual([
      ["db > reads", "pass", undefined],
      ["db", "error", "test/db.test.js"],
      ["slow", "timeout", undefined],
    ]);
  });

  it("parses the YAML subset: quotes, block scalars, folded text, nested maps", () => {
    expect(parseTapYaml(["a: 'it''s'", 'b: "x\\ny"', "c: |-", "  one", "    two", "d: >-", "  folded", "  text", "e:", "  k: 1", "f: 3"])).toEqual({
      a: "it's",
      b: "x\ny",
      c: "one\n  two",
      d: "folded text",
      e: "k: 1",
      f: "3",
    });
  });
});

describe("parseJestJson", () => {
  it("reads vitest 4's real JSON report", () => {
    const cases = parseJestJson(fixture("vitest4.json"), { paths: createPathResolver(["/work/sample"]) });
    expect(cases.map((c) => [c.fullName, c.status, c.file])).toEqual([
      ["sum > adds", "pass", "sum.test.mjs"],
      ["sum > fails on purpose", "fail", "sum.test.mjs"],
      ["sum > skipped", "skipped", "sum.test.mjs"],
    ]);
    expect(cases[1]?.message).toContain("expected 2 to be 3");
  });

  it("finds the report after other output and reports files that failed to load", () => {
    const report = JSON.stringify({ testResults: [{ name: "/w/a.test.js", status: "failed", message: "\u001b[31mSyntaxError\u001b[39m: bad", assertionResults: [] }] });
    const cases = parseJestJson(`some log line\n${report}\n`, { paths: createPathResolver(["/w"]) });
    expect(cases).toEqual([{ name: "a.test.js", fullName: "a.test.js", status: "error", file: "a.test.js", message: "SyntaxError: bad" }]);
  });

  it("rejects output that is not a report", () => {
    expect(() => parseJestJson("")).toThrow(ReporterOutputError);
    expect(() => parseJestJson("FAIL something")).toThrow(/not JSON/);
    expect(() => parseJestJson("{}")).toThrow(/testResults/);
  });
});

describe("reporter paths", () => {
  it("maps sandbox-copy paths back to workspace files by suffix", () => {
    const resolver = createPathResolver(["/repo"], ["test/a.test.js"]);
    expect(resolver.toWorkspacePath("/tmp/vltair-sbx-1/test/a.test.js")).toBe("test/a.test.js");
    expect(resolver.toWorkspacePath("file:///repo/src/x.js")).toBe("src/x.js");
    expect(resolver.toWorkspacePath("/elsewhere/y.js")).toBeUndefined();
    expect(splitLocation("/a/b.js:12:3")).toEqual({ path: "/a/b.js", line: 12, column: 3 });
    expect(splitLocation("nowhere")).toBeUndefined();
  });
});

describe("detectTestCommand", () => {
  const pkg = (test: string) => JSON.stringify({ scripts: { test } });
  it("runs node --test directly with the TAP reporter, keeping flags and paths", () => {
    expect(detectTestCommand({ packageJson: pkg("node --test --test-reporter=spec --experimental-test-coverage test/") })).toMatchObject({
      framework: "node:test",
      command: "node",
      args: ["--test", "--test-reporter=tap", "--experimental-test-coverage", "test/"],
      reporter: "tap",
      testPaths: ["test/"],
    });
  });
  it("keeps a flag's separate value with the flag, never as a test path", () => {
    expect(detectTestCommand({ packageJson: pkg("node --test --import ./setup.mjs --test-reporter spec --test-name-pattern money test/unit") })).toMatchObject({
      args: ["--test", "--test-reporter=tap", "--import", "./setup.mjs", "--test-name-pattern", "money", "test/unit"],
      testPaths: ["test/unit"],
    });
  });
  it("uses the JSON reporters of vitest and jest", () => {
    expect(detectTestCommand({ packageJson: pkg("vitest") }).args).toEqual(["--no-install", "vitest", "run", "--reporter=json"]);
    expect(detectTestCommand({ packageJson: pkg("jest --ci") })).toMatchObject({ framework: "jest", args: ["--no-install", "jest", "--json", "--ci"] });
    expect(detectTestCommand({ override: ["npx", "vitest", "run", "--reporter=dot"] }).args).toEqual(["--no-install", "vitest", "run", "--reporter=json"]);
  });
  it("runs other scripts through sh and judges them by exit code", () => {
    const command = detectTestCommand({ packageJson: pkg("mocha && echo done") });
    expect(command).toMatchObject({ framework: "script", command: "sh", reporter: "exit-code" });
    expect(command.args[1]).toContain("mocha && echo done");
    expect(detectTestCommand({ override: ["make", "check"] })).toMatchObject({ framework: "script", command: "make", args: ["check"] });
  });
  it("falls back to node --test when there is no script but there are test files, else fails clearly", () => {
    expect(detectTestCommand({ packageJson: "{}", hasNodeTestFiles: true }).framework).toBe("node:test");
    expect(() => detectTestCommand({ packageJson: pkg('echo "Error: no test specified" && exit 1') })).toThrow(TestCommandError);
    expect(() => detectTestCommand({ packageJson: "{" })).toThrow(/not valid JSON/);
    expect(() => detectTestCommand({ override: [] })).toThrow(/non-empty/);
  });
  it("splits only simple commands", () => {
    expect(splitSimpleCommand(`node --test "a b.js" 'c.js'`)).toEqual(["node", "--test", "a b.js", "c.js"]);
    expect(splitSimpleCommand("FOO=1 node --test")).toBeUndefined();
    expect(splitSimpleCommand("a | b")).toBeUndefined();
  });
});

describe("node:test file discovery", () => {
  it("follows Node 20's default patterns and skips node_modules", () => {
    const files = ["src/a.js", "src/a.test.js", "test/helpers.mjs", "test-b.cjs", "c_test.js", "d-test.js", "test.js", "node_modules/x/test/y.js", "src/t.ts", "README.md"];
    expect(discoverNodeTestFiles(files)).toEqual(["c_test.js", "d-test.js", "src/a.test.js", "test-b.cjs", "test.js", "test/helpers.mjs"]);
    expect(discoverNodeTestFiles(files, ["src/"])).toEqual(["src/a.test.js"]);
    expect(discoverNodeTestFiles(files, ["./src/a.js"])).toEqual(["src/a.js", "src/a.test.js"].filter((f) => f === "src/a.js"));
    expect(isNodeTestFile("lib/latest.js")).toBe(false);
  });
});
