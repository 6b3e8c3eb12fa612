import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTextRedactor, openContextStore } from "../src/index.js";
import { PEM_RSA, SAMPLES } from "./fixtures/secret-samples.js";
import { tempDir } from "./helpers.js";

/** Every file under `dir`, recursively, with its bytes. */
async function allBytes(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, bytes: await fs.readFile(file) });
  }
  return out;
}

/** The secrets found in any file under `dir` (byte search, so the engine's binary formats are covered). */
async function leaks(dir: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { file, bytes } of await allBytes(dir)) {
    for (const secret of secrets) if (bytes.includes(Buffer.from(secret))) found.push(`${secret.slice(0, 12)}… in ${path.relative(dir, file)}`);
  }
  return found;
}

/** A file-name-safe variant of a secret (no `/`), where the format allows one. */
const nameable = SAMPLES.filter((s) => s.standalone && !s.secret.includes("/"));
const allSecrets = [...new Set(SAMPLES.map((s) => s.secret))];

describe("the store redacts before anything reaches the engine", () => {
  it("leaves no secret of any format in the WAL or checkpoints after ingest and puts, from contents, names, keys and the root", async () => {
    const parent = await tempDir("planted-");
    const root = path.join(parent, `repo_${nameable[0]!.secret}`); // a secret in the root's own path
    await fs.mkdir(path.join(root, "src"), { recursive: true });
    // Contents: every sample, in a code file and in a text file.
    await fs.writeFile(path.join(root, "src", "config.ts"), SAMPLES.map((s, i) => `export const s${i} = ${JSON.stringify(s.text)};`).join("\n"));
    await fs.writeFile(path.join(root, "notes.md"), SAMPLES.map((s) => s.text).join("\n\n"));
    // Names: every token format in a file name and a directory name, next to `_`.
    for (const [i, s] of nameable.entries()) {
      await fs.mkdir(path.join(root, `dir_${s.secret}_${i}`), { recursive: true });
      await fs.writeFile(path.join(root, `dir_${s.secret}_${i}`, `creds_${s.secret}_x.json`), `{"n": ${i}}\n`);
    }
    const dir = await tempDir("store-");
    const store = await openContextStore(dir, { durability: "commit" });
    const report = await store.ingest(root);
    expect(report.skipped).toEqual([]);
    expect(report.filesIndexed).toBe(2 + nameable.length);
    // Documents written by callers: key, content, path, symbol, metadata and data. A token format is
    // planted bare (next to `_`); the others need their context (`password=`, `Bearer `) to be secrets.
    for (const [i, s] of SAMPLES.entries()) {
      const planted = s.standalone ? `_${s.secret}_` : s.text;
      await store.put(
        { kind: "test_result", key: `test ${i} ${planted}`, content: `output: ${s.text}`, path: `t/${planted}.ts`, symbol: `sym${planted}`, metadata: { note: planted, tags: [planted] }, data: { log: s.text, [planted]: i } },
        { scope: "session:x" },
      );
    }
    // Checkpoint too: the engine writes one on close.
    await store.close();
    expect(await leaks(dir, allSecrets)).toEqual([]);

    // Still useful: paths and keys say where a secret was, and lookups by the real key find the document.
    const again = await openContextStore(dir, { durability: "none" });
    try {
      const hits = await again.search("creds", { scopes: ["global"], mode: "sparse", k: 50 });
      expect(hits.some((h) => h.doc.path?.startsWith("dir_[REDACTED:aws-access-key-id]_"))).toBe(true);
      const doc = await again.get(`test 0 _${SAMPLES[0]!.secret}_`, { scope: "session:x" });
      expect(doc?.content).toBe(`output: ${createTextRedactor({ env: {} }).redactText(SAMPLES[0]!.text)}`);
    } finally {
      await again.close();
    }
  });

  it("redacts a PEM block split across chunks whole, and keeps line numbers", async () => {
    const root = await tempDir("pem-");
    const body = Array.from({ length: 60 }, (_, i) => `MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRg${String(i).padStart(4, "0")}`);
    const pem = ["-----BEGIN RSA PRIVATE KEY-----", ...body, "-----END RSA PRIVATE KEY-----"].join("\n"); // > one 2000-char chunk
    await fs.writeFile(path.join(root, "key.txt"), `before\n${pem}\n\nafter the key zebra\n`);
    const dir = await tempDir("store-");
    const store = await openContextStore(dir, { durability: "none" });
    await store.ingest(root);
    const hit = (await store.search("zebra", { scopes: ["global"], mode: "sparse" }))[0]!;
    expect(hit.doc.content).toContain("[REDACTED:private-key]");
    expect(hit.doc.endLine).toBe(1 + 1 + body.length + 1 + 2); // the line "after the key zebra" in the file
    expect(hit.doc.content.split("\n").length).toBe(hit.doc.endLine! - hit.doc.startLine! + 1);
    await store.close();
    expect(await leaks(dir, body)).toEqual([]);
  });

  it("keeps two files whose names differ only in a secret apart", async () => {
    const root = await tempDir("twins-");
    const [one, two] = ["ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_26C7e42F292c6912E7710c838347Ae178B4a"];
    await fs.writeFile(path.join(root, `${one}.md`), "first twin\n");
    await fs.writeFile(path.join(root, `${two}.md`), "second twin\n");
    const store = await openContextStore(await tempDir("store-"), { durability: "none" });
    try {
      expect((await store.ingest(root)).filesIndexed).toBe(2);
      const paths = (await store.search("twin", { scopes: ["global"], mode: "sparse" })).map((h) => h.doc.path).sort();
      expect(paths).toHaveLength(2);
      expect(new Set(paths).size).toBe(2);
      for (const p of paths) expect(p).toMatch(/^\[REDACTED:github-token\]\.md~[0-9a-f]{8}$/);
      expect((await store.ingest(root)).filesIndexed).toBe(0); // stable: nothing re-indexed
    } finally {
      await store.close();
    }
  });

  it("takes a caller's redactor (configured prefixes), and an identity redactor turns redaction off", async () => {
    const root = await tempDir("prefix-");
    await fs.writeFile(path.join(root, "a.md"), `token corp_s3cr3tvalue and ${PEM_RSA}\n`);
    const dir = await tempDir("store-");
    const store = await openContextStore(dir, { durability: "commit", redactor: createTextRedactor({ prefixes: ["corp_"], env: {} }) });
    await store.ingest(root);
    await store.close();
    expect(await leaks(dir, ["corp_s3cr3tvalue", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"])).toEqual([]);

    const plain = await tempDir("store-");
    const off = await openContextStore(plain, { durability: "commit", redactor: { redactText: (t) => t } });
    await off.ingest(root);
    await off.close();
    expect((await leaks(plain, ["corp_s3cr3tvalue"])).length).toBeGreaterThan(0);
    await expect(openContextStore(await tempDir("store-"), { redactor: {} as never })).rejects.toMatchObject({ code: "InvalidOptions" });
  });
});
