import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

async function run(args: string[], isTty = false) {
  const out: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), isTty });
  return { code, text: out.join("\n") };
}

describe("vltair", () => {
  it("prints its version and usage", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, text: "0.1.0" });
    expect((await run(["help"])).text).toMatch(/vltair demo/);
    expect((await run([])).code).toBe(2);
  });

  it("reports usage errors as JSON with exit code 2", async () => {
    const r = await run(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.text.split("\n")[0]!)).toMatchObject({ ok: false, error: { code: "Usage" } });
    expect((await run(["demo", "--bogus"])).code).toBe(2);
    expect((await run(["demo", "a", "b"])).code).toBe(2);
  });

  it("runs the demo on the sample repository", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "vltair-demo-"));
    const r = await run(["demo", "--json", "--data-dir", dataDir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.text);
    expect(report.ok).toBe(true);
    expect(report.files).toBeGreaterThanOrEqual(5);
    const config = report.queries.find((q: { text: string }) => q.text === "parse configuration file");
    expect(config.hits[0].key).toMatch(/^src\/config\.ts#/);
    const limiter = report.queries.find((q: { text: string }) => q.text === "limit requests per second");
    expect(limiter.hits[0].key).toMatch(/rate-limiter\.ts#/);
    const human = await run(["demo", "--data-dir", dataDir], true);
    expect(human.text).toMatch(/Indexed \d+ files/);
  });

  it("reports a missing repository as an error", async () => {
    const r = await run(["demo", "/nonexistent/repo"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.text).ok).toBe(false);
  });
});
