import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExample } from "../../../src/builtin/testgen/example-parser.js";
import { exportedFunctions } from "../../../src/builtin/testgen/exports.js";
import { detectFramework, generatedTestPath, importSpecifier, renderTestFile } from "../../../src/builtin/testgen/render.js";

const run = promisify(execFile);

const MODULE = `/**
 * Adds two numbers.
 * @example
 * add(2, 3) // => 5
 * add(-1, 1)
 * // returns 0
 */
export function add(a, b) {
  return a + b;
}

/**
 * Divides, refusing zero.
 * @throws {RangeError} when b is 0
 * @example
 * divide(6, 3) // => 2
 * divide(1, 0); // throws RangeError
 */
export function divide(a, b) {
  if (b === 0) throw new RangeError("division by zero");
  return a / b;
}

/**
 * Resolves to the words of a text.
 * @example
 * const words = await split("a b");
 * assert.deepEqual(words, ["a", "b"]);
 */
export const split = async (text) => text.split(" ");

/** No examples: nothing meaningful to generate. */
export function untested(x) {
  return x;
}
`;

describe("example parser", () => {
  it("reads arrows, returns, throws, assert lines and setup statements", () => {
    expect(parseExample("```js\nf(1) // => 2\nf(2)\n// returns 4\nf(0); // throws\nconst x = 1\nassert.ok(x)\n// just a comment\n```")).toEqual([
      { kind: "equal", actual: "f(1)", expected: "2", source: "f(1) // => 2" },
      { kind: "equal", actual: "f(2)", expected: "4", source: "f(2) // returns 4" },
      { kind: "throws", actual: "f(0)", source: "f(0); // throws" },
      { kind: "statement", code: "const x = 1;", source: "const x = 1" },
      { kind: "assert", code: "assert.ok(x);", source: "assert.ok(x)" },
    ]);
  });
});

describe("exports and rendering", () => {
  it("finds exported functions with their examples and @throws", () => {
    const fns = exportedFunctions("src/math.js", MODULE);
    expect(fns.map((f) => [f.name, f.isAsync, f.examples.length, f.throws])).toEqual([
      ["add", false, 2, []],
      ["divide", false, 2, ["{RangeError} when b is 0"]],
      ["split", true, 2, []],
      ["untested", false, 0, []],
    ]);
    expect(fns[0]?.parameters).toEqual(["a", "b"]);
  });

  it("names and imports the test file and detects the framework", () => {
    expect(generatedTestPath("src/lib/math.js")).toBe("test/math.generated.test.js");
    expect(generatedTestPath("src/strings.ts")).toBe("test/strings.generated.test.ts");
    expect(importSpecifier("test/math.generated.test.js", "src/lib/math.js")).toBe("../src/lib/math.js");
    expect(importSpecifier("test/x.test.js", "test/x.js")).toBe("./x.js");
    expect(detectFramework('{"devDependencies":{"vitest":"^4"}}')).toBe("vitest");
    expect(detectFramework('{"dependencies":{}}')).toBe("node:test");
    expect(detectFramework(undefined)).toBe("node:test");
    expect(detectFramework("{oops")).toBe("node:test");
    expect(renderTestFile("src/a.js", exportedFunctions("src/a.js", "export function f() {}\n"), "node:test")).toBeUndefined();
    const vitest = renderTestFile("src/math.js", exportedFunctions("src/math.js", MODULE), "vitest");
    expect(vitest).toContain('import { expect, test } from "vitest";');
    expect(vitest).toContain("expect(await (add(2, 3))).toEqual(5);");
    expect(vitest).toContain("await expect(async () => { await (divide(1, 0)); }).rejects.toThrow();");
  });
});

describe("generated node:test files really run", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "vltair-testgen-"));
    await mkdir(join(root, "src"));
    await mkdir(join(root, "test"));
    await writeFile(join(root, "package.json"), '{ "type": "module" }\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const runTests = async (moduleText: string) => {
    await writeFile(join(root, "src/math.js"), moduleText);
    const file = renderTestFile("src/math.js", exportedFunctions("src/math.js", MODULE), "node:test");
    await writeFile(join(root, generatedTestPath("src/math.js")), file ?? "");
    return run(process.execPath, ["--test", "test/"], { cwd: root }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
  };

  it("passes on the correct module", async () => {
    const result = await runTests(MODULE);
    expect(result.out).toMatch(/# pass 3/);
    expect(result.code).toBe(0);
  });

  it("fails on mutated modules", async () => {
    for (const mutant of [
      MODULE.replace("return a + b;", "return a - b;"),
      MODULE.replace('if (b === 0) throw new RangeError("division by zero");', ""),
      MODULE.replace('text.split(" ")', 'text.split("")'),
    ]) {
      const result = await runTests(mutant);
      expect(result.code).not.toBe(0);
      expect(result.out).toMatch(/# fail 1/);
    }
  });
});
