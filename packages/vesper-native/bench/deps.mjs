// The benchmark's own dependencies (the peers) live in bench/node_modules, installed on demand: they
// are never part of the repository's `npm install` nor of CI.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** Loads every peer, native ones included, in a throwaway process; returns its error text or null. */
function loadError() {
  const probe = [
    "const { HierarchicalNSW } = require('hnswlib-node'); new HierarchicalNSW('cosine', 4).initIndex(1);",
    "require('better-sqlite3')(':memory:').exec('CREATE VIRTUAL TABLE t USING fts5(x)');",
    "import('minisearch').then((m) => new m.default({ fields: ['x'] }));",
  ].join("\n");
  const r = spawnSync(process.execPath, ["-e", probe], { cwd: benchDir, encoding: "utf8" });
  return r.status === 0 ? null : (r.stderr || r.stdout || `exit ${r.status}`).trim().split("\n").slice(0, 3).join("\n");
}

/** Pinned versions that are missing or different in bench/node_modules. */
function staleDependencies() {
  const { devDependencies } = JSON.parse(readFileSync(path.join(benchDir, "package.json"), "utf8"));
  return Object.entries(devDependencies).filter(([name, version]) => {
    const manifest = path.join(benchDir, "node_modules", name, "package.json");
    return !existsSync(manifest) || JSON.parse(readFileSync(manifest, "utf8")).version !== version;
  });
}

function install() {
  console.error("bench: installing the peers into bench/node_modules (first run compiles hnswlib-node and SQLite: ~2–3 min)…");
  // `--include=dev`: the peers are this private package's devDependencies, even under NODE_ENV=production.
  // Only the two packages listed in package.json `allowScripts` may run install scripts (strictly).
  const args = ["install", "--prefix", benchDir, "--no-audit", "--no-fund", "--include=dev", "--strict-allow-scripts"];
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath, ...args]] : ["npm", args];
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(workspaces?|include_workspace_root|prefix|global|omit)$/i.test(key)) delete env[key];
  const r = spawnSync(npm[0], npm[1], { cwd: benchDir, stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`bench: npm install in ${benchDir} failed (exit ${r.status})`);
}

/** Installs the peers when bench/node_modules is missing or stale, then checks that they all load. */
export function ensureDependencies() {
  const stale = staleDependencies();
  if (stale.length > 0) install();
  let error = loadError();
  if (error && stale.length === 0) {
    install();
    error = loadError();
  }
  if (error) throw new Error(`bench: the peers do not load after installing them:\n${error}`);
}
