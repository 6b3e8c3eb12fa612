// Test helper: a DebugEnvironment over the real sandbox and real files, with effects run directly
// (no orchestrator) but recorded, so tests can check what would be journaled.
import { readFile, stat } from "node:fs/promises";
import { walkFiles } from "@vltair/context-store/files";
import path from "node:path";
import { runSandboxed } from "../../../src/sandbox/run-sandboxed.js";
import type { DebugEnvironment } from "../../../src/builtin/debug/run.js";

export interface RecordedEffect {
  tool: string;
  input: unknown;
  output: unknown;
}

/** The workspace listing agents get (the shared walker), without the journal. */
export function listFilesRecursive(root: string): Promise<string[]> {
  return walkFiles(root);
}

export function directDebugEnvironment(root: string, effects: RecordedEffect[] = [], signal: AbortSignal = new AbortController().signal): DebugEnvironment {
  return {
    workspace: {
      readFile: (file) => readFile(path.join(root, file), "utf8"),
      listFiles: () => listFilesRecursive(root),
      exists: async (file) => stat(path.join(root, file)).then(() => true, () => false),
    },
    async effect(tool, input, run) {
      const output = await run();
      effects.push({ tool, input, output: JSON.parse(JSON.stringify(output)) as unknown });
      return output;
    },
    runSandboxDirect: (spec) => runSandboxed(spec),
    signal,
  };
}
