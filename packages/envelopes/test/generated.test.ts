// The generated files are committed; regenerating them from the schemas must reproduce them exactly.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles, schemasDir } from "../scripts/generate.mjs";
import { SCHEMA_IDS } from "../src/index.js";

const packageDir = path.resolve(schemasDir, "..");

describe("generated files", () => {
  it("are up to date with schemas/ (run `npm run generate` when this fails)", async () => {
    const files = await generateFiles();
    expect(Object.keys(files).sort()).toEqual([
      "src/generated/types.ts",
      "src/generated/validators.d.ts",
      "src/generated/validators.js",
      "src/generated/vocabulary.ts",
    ]);
    for (const [rel, content] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(packageDir, rel), "utf8"), rel).toBe(content);
    }
  });

  it("is deterministic", async () => {
    expect(await generateFiles()).toEqual(await generateFiles());
  });

  it("notices a schema change", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envelopes-schemas-"));
    try {
      for (const f of fs.readdirSync(schemasDir)) fs.copyFileSync(path.join(schemasDir, f), path.join(dir, f));
      const file = path.join(dir, "agent-task.schema.json");
      const schema = JSON.parse(fs.readFileSync(file, "utf8")) as { properties: Record<string, unknown> };
      schema.properties["note"] = { type: "string" };
      fs.writeFileSync(file, JSON.stringify(schema));
      const changed = await generateFiles(dir);
      expect(changed["src/generated/types.ts"]).toContain("note?: string;");
      expect(changed["src/generated/validators.js"]).not.toBe(fs.readFileSync(path.join(packageDir, "src/generated/validators.js"), "utf8"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a schema whose $id does not match its file name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envelopes-schemas-"));
    try {
      fs.writeFileSync(path.join(dir, "x.schema.json"), JSON.stringify({ $id: "https://vltair.dev/schemas/v1/y.schema.json", title: "X" }));
      await expect(generateFiles(dir)).rejects.toThrow(/x\.schema\.json: \$id must end with/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives every schema file a versioned $id", () => {
    const files = fs.readdirSync(schemasDir).filter((f) => f.endsWith(".schema.json"));
    expect(Object.values(SCHEMA_IDS).sort()).toEqual(files.map((f) => `https://vltair.dev/schemas/v1/${f}`).sort());
    for (const f of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, f), "utf8")) as Record<string, unknown>;
      expect(schema["$schema"], f).toBe("https://json-schema.org/draft/2020-12/schema");
    }
  });
});
