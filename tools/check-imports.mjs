#!/usr/bin/env node
// The import rules `npm test` enforces (through each package's Nx `lint` target):
// 1. no import cycle among a package's own modules (dpdm over src/, type-only imports included:
//    a cycle of types is still two concepts that cannot be read apart);
// 2. the layers: a package imports only packages below it —
//    vesper-native → context-store → envelopes → orchestrator → agents → cli.
// Usage: node tools/check-imports.mjs [packageDir ...] (default: the current directory).
// Exit code 1, with each cycle and violation named, when a rule is broken.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";

/** The layers, bottom-up; a package may import the ones before it. */
export const LAYERS = ["vesper-native", "context-store", "envelopes", "orchestrator", "agents", "cli"];

/**
 * The TypeScript modules under `<dir>/src` (paths relative to `dir`), their import cycles (each a list of
 * those paths) and the relative imports that resolve to no file.
 */
export async function findCycles(dir) {
  const root = path.resolve(dir);
  const tree = await parseDependencyTree("src/**/*.ts", { context: root, cwd: root, transform: false, exclude: /node_modules|\/dist\//, progress: false });
  const rel = (file) => path.relative(root, path.resolve(root, file));
  // A relative import dpdm could not resolve would silently drop an edge (and hide a cycle): report it.
  const unresolved = [];
  for (const [file, deps] of Object.entries(tree)) {
    for (const dep of deps ?? []) if (dep.id === null && dep.request.startsWith(".")) unresolved.push(`${rel(file)} → ${dep.request}`);
  }
  return {
    files: Object.keys(tree).map(rel).filter((f) => f.startsWith("src/")).sort(),
    cycles: parseCircular(tree).map((cycle) => cycle.map(rel)),
    unresolved,
  };
}

/** `@vltair/*` imports of `dir`'s sources that point at a package on the same or a higher layer. */
export function findLayerViolations(dir, files) {
  const name = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name.replace(/^@vltair\//, "");
  const own = LAYERS.indexOf(name);
  if (own < 0) return [];
  const out = [];
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["']@vltair\/([a-z-]+)/g)) {
      const target = LAYERS.indexOf(m[1]);
      if (target >= own) out.push(`${file} imports @vltair/${m[1]}, which is not below @vltair/${name} (${LAYERS.join(" → ")})`);
    }
  }
  return out;
}

async function main(dirs) {
  let failed = false;
  for (const dir of dirs.length === 0 ? ["."] : dirs) {
    const { files, cycles, unresolved } = await findCycles(dir);
    const layers = findLayerViolations(dir, files);
    const label = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name ?? dir;
    for (const cycle of cycles) console.error(`${label}: import cycle: ${[...cycle, cycle[0]].join(" → ")}`);
    for (const v of layers) console.error(`${label}: layer violation: ${v}`);
    for (const u of unresolved) console.error(`${label}: unresolved import: ${u}`);
    if (cycles.length > 0 || layers.length > 0 || unresolved.length > 0) failed = true;
    else console.log(`${label}: no import cycle, no layer violation (${files.length} modules)`);
  }
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main(process.argv.slice(2));
