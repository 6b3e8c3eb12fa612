import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** A prompt file is missing, malformed, or rendered without all its variables. */
export class PromptError extends Error {
  readonly code: "PromptNotFound" | "PromptVariableMissing" | "PromptInvalid";

  constructor(code: PromptError["code"], message: string) {
    super(message);
    this.name = "PromptError";
    this.code = code;
  }
}

/** One version of a prompt file `<name>.v<N>.md`. */
export interface PromptTemplate {
  readonly name: string;
  readonly version: number;
  /** `name@vN`: what the journal records as the prompt id. */
  readonly id: string;
  readonly template: string;
  /** The `{{var}}` placeholders, sorted. */
  readonly variables: readonly string[];
  /** Substitutes every `{{var}}`; a missing variable is a {@link PromptError}. */
  render(variables: Readonly<Record<string, string | number>>): string;
}

const FILE = /^([a-z0-9][a-z0-9._-]*)\.v([1-9][0-9]*)\.md$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The prompts shipped with this package (`packages/agents/prompts`). */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

function template(name: string, version: number, text: string): PromptTemplate {
  const variables = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
  const id = `${name}@v${version}`;
  return {
    name,
    version,
    id,
    template: text,
    variables,
    render(values) {
      const missing = variables.filter((v) => !Object.hasOwn(values, v));
      if (missing.length > 0) throw new PromptError("PromptVariableMissing", `prompt ${id}: missing variable(s) ${missing.join(", ")}`);
      return text.replace(PLACEHOLDER, (_, v: string) => String(values[v]));
    },
  };
}

/**
 * Versioned prompt files in one directory: `<name>.v<N>.md` with `{{var}}` placeholders. `load(name)`
 * returns the highest version; a changed prompt is a new file, so old runs stay reproducible.
 */
export class PromptLibrary {
  readonly dir: string;
  private readonly cache = new Map<string, PromptTemplate>();

  constructor(dir: string = DEFAULT_PROMPTS_DIR) {
    this.dir = path.resolve(dir);
  }

  /** Every prompt name → its versions, ascending. */
  list(): Map<string, number[]> {
    const found = new Map<string, number[]>();
    let names: string[];
    try {
      names = readdirSync(this.dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch {
      return found;
    }
    for (const file of names.sort()) {
      const m = FILE.exec(file);
      if (m === null) continue;
      const versions = found.get(m[1] as string) ?? [];
      versions.push(Number(m[2]));
      found.set(m[1] as string, versions);
    }
    for (const versions of found.values()) versions.sort((a, b) => a - b);
    return found;
  }

  /** Loads `name` at `version`, or at its highest version. */
  load(name: string, version?: number): PromptTemplate {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new PromptError("PromptInvalid", `prompt name ${JSON.stringify(name)} is invalid (lowercase letters, digits, . _ -)`);
    const versions = this.list().get(name) ?? [];
    const chosen = version ?? versions.at(-1);
    if (chosen === undefined || !versions.includes(chosen)) {
      const what = version === undefined ? `"${name}"` : `"${name}" version ${version}`;
      throw new PromptError("PromptNotFound", `prompt ${what} not found in ${this.dir} (have: ${versions.map((v) => `v${v}`).join(", ") || "none"})`);
    }
    const key = `${name}@v${chosen}`;
    let loaded = this.cache.get(key);
    if (loaded === undefined) {
      loaded = template(name, chosen, readFileSync(path.join(this.dir, `${name}.v${chosen}.md`), "utf8"));
      this.cache.set(key, loaded);
    }
    return loaded;
  }
}
