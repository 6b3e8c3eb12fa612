import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLES } from "../../context-store/test/fixtures/secret-samples.js";
import { bin, copyExample, repoRoot, tempDir, vltairInProcess } from "./cli-helpers.js";

/** Every file under `dir` (the whole project state: journals, manifests, WAL, checkpoints, logs, config). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** A copy of examples/fix-me with a secret of every supported format in contents, file names, test names and test output. */
function plantedRepo(): string {
  const repo = copyExample("fix-me");
  const texts = SAMPLES.map((s) => s.text);
  // Contents: a module of strings, and a comment in the very file the workflow debugs and patches.
  writeFileSync(path.join(repo, "src", "secrets.js"), texts.map((t, i) => `export const s${i} = ${JSON.stringify(t)};`).join("\n") + "\n");
  const discount = path.join(repo, "src", "discount.js");
  writeFileSync(discount, `/*\n${texts.join("\n")}\n*/\n${readFileSync(discount, "utf8")}`);
  // File and directory names: every token format next to `_`.
  for (const [i, s] of SAMPLES.filter((x) => x.standalone && !x.secret.includes("/")).entries()) {
    mkdirSync(path.join(repo, "fixtures", `dir_${s.secret}_${i}`), { recursive: true });
    writeFileSync(path.join(repo, "fixtures", `dir_${s.secret}_${i}`, `creds_${s.secret}_x.json`), "{}\n");
  }
  // Test names and test output: a passing test named after secrets that prints them, and the failing
  // test's assertion message carrying every one.
  const cartTest = path.join(repo, "test", "cart.test.js");
  const names = SAMPLES.filter((s) => !s.text.includes("\n")).map((s) => s.text);
  let tests = readFileSync(cartTest, "utf8").replace("assert.equal(cartTotal(cart), 950);", `assert.equal(cartTotal(cart), 950, ${JSON.stringify(texts.join("\n"))});`);
  tests += names.map((n, i) => `\ntest(${JSON.stringify(`case ${i} ${n}`)}, () => {\n  console.log(${JSON.stringify(texts.join("\n"))});\n});\n`).join("");
  writeFileSync(cartTest, tests);
  // Files ingest must skip without stopping the workflow: parser-overflowing nesting, a path too long
  // for a document key, binary, invalid UTF-8.
  writeFileSync(path.join(repo, "src", "deep.js"), `export const deep = ${"[".repeat(5000)}${"]".repeat(5000)};\n`);
  const long = path.join(repo, "fixtures", "a".repeat(200), "b".repeat(200), "c".repeat(120));
  mkdirSync(long, { recursive: true });
  writeFileSync(path.join(long, "far.js"), "export const far = 1;\n");
  writeFileSync(path.join(repo, "fixtures", "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
  writeFileSync(path.join(repo, "fixtures", "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  return repo;
}

/** Runs `vltair … | head -n 1`: the reader goes away after the first line. */
function pipedToHead(args: string[]): Promise<{ first: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" } });
    let first = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      first += d.toString();
      if (first.includes("\n")) {
        first = first.slice(0, first.indexOf("\n"));
        child.stdout.destroy(); // like `head -n 1` exiting
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ first, stderr, code }));
  });
}

describe("acceptance: secrets never reach the project directory", () => {
  it("leaves no secret of any supported format in any file under .vltair after ingest and a fix-failing-test workflow, and the run replays", async () => {
    const repo = plantedRepo();
    const state = path.join(tempDir("vltair-secrets-"), ".vltair");
    const ingest = await vltairInProcess(["--dir", state, "ingest", repo]);
    expect(ingest.last).toMatchObject({ ok: true });
    expect((ingest.last.skipped as { reason: string }[]).map((s) => s.reason).sort()).toEqual(["binary", "invalid-utf8", "path-too-long", "unparsable"]);
    expect(ingest.stderr).toMatch(/^warning: skipped src\/deep\.js: unparsable \(RangeError: Maximum call stack size exceeded\)$/m);

    // The workflow's output goes to a reader that leaves after one line (`| head -n 1`): quiet, and the run still finishes.
    const workflow = await pipedToHead(["--dir", state, "workflow", "fix-failing-test", repo]);
    expect(workflow.stderr).not.toMatch(/EPIPE|^\s+at /m); // no crash, no stack trace (warnings about skipped files are expected)
    expect(JSON.parse(workflow.first)).toMatchObject({ step: { agent: "testexec", ok: false } });
    const runs = (await vltairInProcess(["--dir", state, "runs"])).last.runs as { runId: string; status: string; workflow?: string }[];
    expect(runs).toMatchObject([{ status: "succeeded", workflow: "fix-failing-test" }]);

    // The journal's tool outputs were redacted (file contents, test names and output): replay still reproduces the run.
    const replay = await vltairInProcess(["--dir", state, "replay", runs[0]!.runId]);
    expect(replay.last, replay.stdout).toMatchObject({ ok: true, report: { identical: true } });

    const files = filesUnder(state);
    expect(files.some((f) => f.includes(`${path.sep}wal${path.sep}`))).toBe(true);
    expect(files.some((f) => f.endsWith(".vsp"))).toBe(true);
    expect(files.some((f) => f.endsWith("journal.log"))).toBe(true);
    const leaks: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const s of SAMPLES) if (bytes.includes(Buffer.from(s.secret))) leaks.push(`${s.kind} ${s.secret.slice(0, 10)}… in ${path.relative(state, file)}`);
    }
    expect(leaks).toEqual([]);
    // Redacted, not dropped: the journal says a secret was there.
    const journal = readFileSync(files.find((f) => f.endsWith("journal.log"))!, "utf8");
    expect(journal).toContain("[REDACTED:github-token]");
    expect(journal).toContain("[REDACTED:private-key]");
  }, 300_000);

  it("keeps two repositories ingested one after the other both searchable", async () => {
    const state = path.join(tempDir("vltair-two-repos-"), ".vltair");
    const fixMe = path.join(repoRoot, "examples/fix-me");
    const sample = path.join(repoRoot, "examples/sample-repo");
    expect((await vltairInProcess(["--dir", state, "ingest", fixMe])).last).toMatchObject({ ok: true, root: fixMe });
    expect((await vltairInProcess(["--dir", state, "ingest", sample])).last).toMatchObject({ ok: true, root: sample, filesRemoved: 0 });
    const hit = async (text: string) => ((await vltairInProcess(["--dir", state, "query", "--text", text, "--k", "1", "--mode", "sparse"])).last.hits as { key: string }[])[0]?.key;
    expect(await hit("bulkDiscountPercent")).toMatch(new RegExp(`^${fixMe}/`));
    expect(await hit("slugify")).toMatch(new RegExp(`^${sample}/`));
    // --replace keeps only the repository named.
    expect((await vltairInProcess(["--dir", state, "ingest", "--replace", sample])).last).toMatchObject({ ok: true, replacedRoots: [fixMe] });
    expect(await hit("bulkDiscountPercent")).toBeUndefined();
  });
});
