import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { relativePosixPath } from "../workspace/paths.js";

/** A V8 block-coverage range: bytes `[startOffset, endOffset)` of the source ran `count` times. */
export interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** V8 coverage of one function. */
export interface FunctionCoverage {
  functionName: string;
  ranges: CoverageRange[];
  isBlockCoverage: boolean;
}

/** V8 coverage of one file in one process, the path relative to the workspace (`/`-separated). */
export interface FileCoverage {
  path: string;
  functions: FunctionCoverage[];
}

/**
 * Reads the `NODE_V8_COVERAGE` output in `dir` and keeps the scripts inside `workspace`, sorted by path
 * (one entry per file and process that loaded it).
 */
export async function readV8Coverage(dir: string, workspace: string): Promise<FileCoverage[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  const prefix = pathToFileURL(workspace + path.sep).href;
  const files: FileCoverage[] = [];
  for (const name of names) {
    let parsed: { result?: { url?: string; functions?: FunctionCoverage[] }[] };
    try {
      parsed = JSON.parse(await readFile(path.join(dir, name), "utf8")) as typeof parsed;
    } catch {
      continue; // a process killed while writing leaves a truncated file
    }
    for (const script of parsed.result ?? []) {
      if (script.url === undefined || !script.url.startsWith(prefix) || script.url.includes("/node_modules/")) continue;
      const rel = relativePosixPath(workspace, fileURLToPath(script.url));
      files.push({ path: rel, functions: script.functions ?? [] });
    }
  }
  const keyed = files.map((f) => ({ f, key: JSON.stringify(f.functions) }));
  keyed.sort((a, b) => (a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.f);
}
