/** The one path normaliser of the agents: workspace paths are root-relative and `/`-separated everywhere. */
import path from "node:path";

/** `p` with the platform separator replaced by `/`. */
export function toPosixPath(p: string): string {
  return path.sep === "/" ? p : p.split(path.sep).join("/");
}

/** The `/`-separated path of `target` relative to `root` (`""` for the root itself). */
export function relativePosixPath(root: string, target: string): string {
  return toPosixPath(path.relative(root, target));
}

/**
 * A workspace-relative path in normal form (`./src//a.ts` → `src/a.ts`, `\` read as `/`, no trailing `/`), or `undefined`
 * when it is not one: empty, absolute (POSIX or a drive letter), or leaving the root with `..`.
 */
export function normaliseRelativePath(p: string): string | undefined {
  const slashed = p.replaceAll("\\", "/");
  if (slashed === "" || path.posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(slashed)) return undefined;
  const normal = path.posix.normalize(slashed).replace(/\/+$/, "");
  if (normal === "." || normal === ".." || normal.startsWith("../")) return undefined;
  return normal;
}
