// Copies examples/fix-me into the package (demo-repo/) so an installed `vltair demo` has its sample
// repository without the monorepo checkout.
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.resolve(pkg, "../../examples/fix-me");
const target = path.join(pkg, "demo-repo");
if (!existsSync(source)) {
  console.error(`bundle-demo-repo: ${source} is missing; the demo will look for examples/fix-me at run time`);
  process.exit(0);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true, filter: (src) => !/[\\/](node_modules|\.vltair)([\\/]|$)/.test(src) });
