/**
 * `{{name}}` templates for CodeGen: every placeholder must have a variable and every variable a placeholder.
 */

/** A template referenced a variable that was not given, or a variable was given that no placeholder uses. */
export class TemplateError extends Error {
  readonly code = "ValidationFailure";
  override readonly name = "TemplateError";
  constructor(
    readonly file: string,
    /** Placeholders without a value, sorted. */
    readonly missing: readonly string[],
    /** Variables no placeholder uses, sorted. */
    readonly unknown: readonly string[],
  ) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing variables: ${missing.join(", ")}`);
    if (unknown.length > 0) parts.push(`unknown variables: ${unknown.join(", ")}`);
    super(`${file}: template ${parts.join("; ")}`);
  }
}

// Whitespace inside the braces is allowed: `{{ name }}`. Names are identifiers, optionally dotted.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The distinct placeholder names of a template, in first-use order. */
export function templatePlaceholders(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names];
}

/**
 * Replaces every `{{name}}` with `variables[name]`.
 *
 * @param file - The file being generated, for error messages.
 * @throws {@link TemplateError} when a placeholder has no variable or a variable has no placeholder.
 */
export function renderTemplate(
  file: string,
  template: string,
  variables: Readonly<Record<string, string>> = {},
): string {
  const used = templatePlaceholders(template);
  const missing = used.filter((name) => !Object.hasOwn(variables, name)).sort();
  const unknown = Object.keys(variables)
    .filter((name) => !used.includes(name))
    .sort();
  if (missing.length > 0 || unknown.length > 0) throw new TemplateError(file, missing, unknown);
  return template.replace(PLACEHOLDER, (_all, name: string) => variables[name] as string);
}
