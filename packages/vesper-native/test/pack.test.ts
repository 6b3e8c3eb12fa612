// The published package must work where npm blocks install scripts: its prebuild is in the tarball and
// node-gyp-build loads it, with no compile step on the user's machine.
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const packageDir = path.resolve(import.meta.dirname, "..");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } });

describe("npm pack", () => {
  it("ships the prebuild and works installed into an empty project", () => {
    const out = tempDir("vesper-pack-");
    const listing = JSON.parse(npm(["pack", "--json", "--pack-destination", out], packageDir)) as { filename: string; files: { path: string }[] }[];
    const files = listing[0]!.files.map((f) => f.path);
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files.some((f) => /^prebuilds\/linux-x64\/.+\.node$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("binding/") || f.startsWith("test/"))).toBe(false);

    const project = tempDir("vesper-consumer-");
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const tarball = path.join(out, readdirSync(out).find((f) => f.endsWith(".tgz"))!);
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
    writeFileSync(
      path.join(project, "main.mjs"),
      `import { openCollection } from "@vltair/vesper-native";
       const c = await openCollection("./db", { dim: 3 });
       await c.upsert([{ id: 1, vector: [1, 0, 0], text: "installed from the tarball" }]);
       const hits = await c.search({ text: "tarball", vector: [1, 0, 0] });
       await c.close();
       console.log(JSON.stringify(hits.map((h) => h.id)));`,
    );
    expect(execFileSync(process.execPath, ["main.mjs"], { cwd: project, encoding: "utf8" }).trim()).toBe("[1]");
  }, 120_000);

  it("explains how to build from source when no binary fits", () => {
    const script = `import { openCollection } from ${JSON.stringify(path.join(packageDir, "dist/index.js"))};
      try { await openCollection("./x", { dim: 2 }); } catch (e) { console.log(e.codeName + "\\n" + e.message); }`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, VLTAIR_VESPER_BINARY: "/nonexistent/vesper.node" },
    });
    expect(out).toMatch(/^UNSUPPORTED/);
    expect(out).toMatch(/no prebuilt binary for linux-x64/);
    expect(out).toMatch(/npx nx run @vltair\/vesper-native:build/);
  });
});
