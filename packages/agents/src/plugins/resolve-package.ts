import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

type ExportTarget = string | { [condition: string]: ExportTarget } | null | undefined;

function pickImport(target: ExportTarget): string | undefined {
  if (typeof target === "string") return target;
  if (typeof target !== "object" || target === null) return undefined;
  if ("." in target) return pickImport(target["."]);
  for (const condition of ["import", "node", "default"]) {
    const picked = pickImport(target[condition]);
    if (picked !== undefined) return picked;
  }
  return undefined;
}

/**
 * Resolves an npm package name to its ESM entry file as `import` would from a file in `cwd`: first
 * through Node's resolver, then (for packages whose `exports` only offer the `import` condition) by
 * walking up `node_modules` directories and reading `exports` / `main`. Undefined when not installed.
 */
export function resolvePackageEntry(name: string, cwd: string): string | undefined {
  try {
    return createRequire(path.join(cwd, "noop.js")).resolve(name);
  } catch {
    // fall through to the manual lookup
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", name);
    const manifest = path.join(pkgDir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { exports?: ExportTarget; main?: string };
      const entry = pickImport(pkg.exports) ?? pkg.main ?? "index.js";
      const file = path.resolve(pkgDir, entry);
      return existsSync(file) ? file : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
