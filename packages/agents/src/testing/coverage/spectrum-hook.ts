/** Workspace-relative path the hook is overlaid at in the sandbox copy. */
export const SPECTRUM_HOOK_PATH = ".vltair-spectrum-hook.mjs";

/** Prefix of the hook's stderr lines. */
export const SPECTRUM_HOOK_MARKER = "VLTAIR_TEST_COVERAGE ";

/**
 * A node:test preload (`--import`) that attributes V8 block coverage to single tests inside one
 * process: it starts precise coverage through the inspector, takes (and so resets) it before each
 * test and reports the delta after each, as one stderr line per test
 * (`VLTAIR_TEST_COVERAGE {"event":"test","name":…,"files":[{path,functions}]}`); what ran while the
 * modules loaded is reported once as `"event":"load"`. Only files under the working directory and
 * outside node_modules are kept. Plain JavaScript: it runs in the sandboxed child.
 */
export const SPECTRUM_HOOK_SOURCE = `// Written by VLTAIR's debug agent into a sandbox copy; never into the workspace.
import { Session } from "node:inspector/promises";
import { afterEach, beforeEach } from "node:test";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const root = pathToFileURL(process.cwd() + path.sep).href;
const self = import.meta.url;
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
let loaded = false;

async function report(event, name) {
  const { result } = await session.post("Profiler.takePreciseCoverage");
  const files = [];
  for (const script of result) {
    if (!script.url.startsWith(root) || script.url === self || script.url.includes("/node_modules/")) continue;
    const rel = path.relative(process.cwd(), fileURLToPath(script.url)).split(path.sep).join("/");
    files.push({ path: rel, functions: script.functions });
  }
  process.stderr.write(${JSON.stringify(SPECTRUM_HOOK_MARKER)} + JSON.stringify({ event, name, files }) + "\\n");
}

beforeEach(async () => {
  if (loaded) return;
  loaded = true;
  await report("load", "");
});
afterEach(async (t) => {
  await report("test", t.name);
});
`;
