// tsc does not emit hand-declared JavaScript: copy the generated ajv standalone validators (and their
// declarations) into dist/ next to the compiled TypeScript that imports them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
for (const file of ["validators.js", "validators.d.ts"]) {
  const from = path.join(packageDir, "src", "generated", file);
  const to = path.join(packageDir, "dist", "generated", file);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
