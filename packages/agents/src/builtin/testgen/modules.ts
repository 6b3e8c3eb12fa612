/**
 * Which modules TestGen writes tests for when the payload names none: the workspace's JS/TS sources,
 * without tests, declaration files, config files, dependencies and build output.
 */
import type { WorkspaceIO } from "../../workspace/workspace-io.js";
import { isTestFile } from "../static-analysis/rules.js";
import { SKIPPED_DIRECTORIES } from "../../workspace/source-files.js";

const MODULE_EXTENSIONS = /\.(?:m?js|m?ts)$/;
const NOT_A_MODULE = /(?:\.d\.[cm]?ts|\.config\.[cm]?[jt]s)$/;

/** True for a path TestGen treats as a source module (not a test, declaration or config file). */
export function isSourceModule(path: string): boolean {
  if (!MODULE_EXTENSIONS.test(path) || NOT_A_MODULE.test(path) || isTestFile(path)) return false;
  return !path.split("/").some((part) => part.startsWith("."));
}

/** The workspace's source modules, sorted. */
export async function discoverModules(workspace: WorkspaceIO): Promise<string[]> {
  const files = await workspace.listFiles(".", { exclude: [...SKIPPED_DIRECTORIES] });
  return files.filter(isSourceModule);
}
