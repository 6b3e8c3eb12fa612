/**
 * The test files `node --test` runs, by Node 20's discovery rules: under the given paths (default the
 * root), skipping `node_modules`, every `.js`/`.cjs`/`.mjs` file inside a `test` directory and every
 * file named `test`, `test-*`, `*.test`, `*-test` or `*_test` with those extensions. Paths given that
 * are files are kept as they are. The result is sorted, so it is the same for the same tree.
 */
export function discoverNodeTestFiles(workspaceFiles: readonly string[], testPaths: readonly string[] = []): string[] {
  const roots = testPaths.map((p) => p.replace(/^\.\//, "").replace(/\/+$/, "")).filter((p) => p !== "" && p !== ".");
  const files = new Set<string>();
  const all = new Set(workspaceFiles);
  for (const root of roots) if (all.has(root)) files.add(root);
  for (const file of workspaceFiles) {
    if (file.split("/").includes("node_modules")) continue;
    const underRoot = roots.length === 0 || roots.some((root) => file.startsWith(`${root}/`));
    if (underRoot && isNodeTestFile(file)) files.add(file);
  }
  return [...files].sort();
}

/** Whether Node's default patterns select `file` (a workspace-relative POSIX path). */
export function isNodeTestFile(file: string): boolean {
  const parts = file.split("/");
  const base = parts[parts.length - 1] ?? "";
  const match = /^(.*)\.(js|cjs|mjs)$/.exec(base);
  if (match === null) return false;
  if (parts.slice(0, -1).includes("test")) return true;
  const stem = match[1] ?? "";
  return stem === "test" || stem.startsWith("test-") || /[.\-_]test$/.test(stem);
}
