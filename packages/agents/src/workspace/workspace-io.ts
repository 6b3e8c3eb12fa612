import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import { walkFiles } from "@vltair/context-store/files";
import type { AgentContext } from "@vltair/orchestrator";
import { relativePosixPath } from "./paths.js";

/** A path that leaves the workspace root (or is not a string); fails the task with `ValidationFailure`. */
export class WorkspacePathError extends Error {
  readonly code = "ValidationFailure" as const;
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = "WorkspacePathError";
  }
}

/** Options of {@link WorkspaceIO.listFiles}. */
export interface ListFilesOptions {
  /** Descend into subdirectories (default true). */
  recursive?: boolean;
  /** Directory names skipped anywhere (default `node_modules`, `.git`). */
  exclude?: readonly string[];
}

/**
 * Files under one root, each access journaled through `ctx.effect` (`fs.read`, `fs.write`, `fs.list`) so
 * a replay gets the recorded answers and never touches the disk. Paths are root-relative (`/`-separated);
 * one that escapes the root, directly or through a symlink, is refused with {@link WorkspacePathError}.
 */
export interface WorkspaceIO {
  /** Absolute root directory. */
  readonly root: string;
  readFile(file: string): Promise<string>;
  writeFile(file: string, content: string): Promise<void>;
  /** Files (not directories) under `dir` (default the root), root-relative and sorted; git-ignored files are left out. */
  listFiles(dir?: string, options?: ListFilesOptions): Promise<string[]>;
  exists(file: string): Promise<boolean>;
}

/** Resolves `rel` under `root` lexically, refusing anything that leaves it (`..`, absolute paths). */
function lexicallyInside(root: string, rel: string): string {
  if (typeof rel !== "string" || rel === "" || rel.includes("\0")) {
    throw new WorkspacePathError(`workspace: invalid path ${JSON.stringify(rel)} under "${root}"`);
  }
  const target = path.resolve(root, rel);
  const relative = path.relative(root, target);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new WorkspacePathError(`workspace: path "${rel}" escapes the workspace root "${root}"`);
  }
  return target;
}

/** Refuses a target whose deepest existing ancestor is a symlink out of the root (checked on disk). */
function assertNoSymlinkEscape(root: string, target: string, rel: string): void {
  let probe = target;
  while (!existsSync(probe) && probe !== root) probe = path.dirname(probe);
  const real = realpathSync(probe);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new WorkspacePathError(`workspace: path "${rel}" resolves outside the workspace root "${root}" (via a symlink)`);
  }
}

/** Resolves `rel` under `root`, refusing anything that leaves it (`..`, absolute paths, escaping symlinks). */
export function resolveInside(root: string, rel: string): string {
  const target = lexicallyInside(root, rel);
  // Follow symlinks of the deepest existing ancestor: a link inside the root may point outside it.
  assertNoSymlinkEscape(root, target, rel);
  return target;
}

/**
 * Creates the {@link WorkspaceIO} of `root`, journaling through `ctx.effect`. Paths are checked lexically
 * before each effect and against symlinks inside it, so a replay (which never runs the effect) never
 * touches the disk.
 */
export function createWorkspaceIO(root: string, ctx: Pick<AgentContext, "effect">): WorkspaceIO {
  const absRoot = path.resolve(root);
  const rel = (target: string) => relativePosixPath(absRoot, target);
  /** The checked target of `file`, and a guard to call on disk (inside the effect). */
  const locate = (file: string) => {
    const target = lexicallyInside(absRoot, file);
    return { target, path: rel(target), onDisk: () => assertNoSymlinkEscape(absRoot, target, file) };
  };
  return {
    root: absRoot,
    readFile(file) {
      const at = locate(file);
      return ctx.effect("fs.read", { root: absRoot, path: at.path }, () => {
        at.onDisk();
        return readFile(at.target, "utf8");
      });
    },
    writeFile(file, content) {
      if (typeof content !== "string") throw new WorkspacePathError(`workspace: content for "${file}" must be a string`);
      const at = locate(file);
      const sha256 = createHash("sha256").update(content).digest("hex");
      return ctx.effect("fs.write", { root: absRoot, path: at.path, bytes: Buffer.byteLength(content), sha256 }, async () => {
        at.onDisk();
        await mkdir(path.dirname(at.target), { recursive: true });
        await writeFile(at.target, content);
      });
    },
    listFiles(dir = ".", options = {}) {
      const at = locate(dir === "" ? "." : dir);
      const recursive = options.recursive !== false;
      const exclude = [...(options.exclude ?? ["node_modules", ".git"])].sort();
      return ctx.effect("fs.list", { root: absRoot, path: at.path, recursive, exclude }, async () => {
        at.onDisk();
        return walkFiles(absRoot, { under: at.path, recursive, skipDirectories: exclude });
      });
    },
    exists(file) {
      const at = locate(file);
      return ctx.effect("fs.list", { root: absRoot, path: at.path, exists: true }, () => {
        at.onDisk();
        return stat(at.target).then(
          () => true,
          () => false,
        );
      });
    },
  };
}
