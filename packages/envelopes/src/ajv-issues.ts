// Turns ajv's errors into readable `ValidationIssue`s: the offending property is named, enumerations
// are listed, and the branch noise of a failed `oneOf` is reduced to its closest branch.
import type { ErrorObject } from "ajv";
import type { ValidationIssue } from "./validation-error.js";
import { ARTIFACT_KINDS, RUN_EVENT_TYPES } from "./vocabulary.js";

/** Allowed values of each discriminator tag, for "must be one of" messages. */
const TAG_VALUES: Readonly<Record<string, readonly string[]>> = { kind: ARTIFACT_KINDS, type: RUN_EVENT_TYPES };

/** Maps ajv errors (collected with `allErrors`) to issues, in ajv's order, without duplicates. */
export function issuesFromAjv(errors: readonly ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of collapseOneOf(errors)) {
    const issue = toIssue(error);
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject): ValidationIssue {
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { pointer, message: `missing required property ${JSON.stringify(params["missingProperty"])}` };
    case "additionalProperties":
      return { pointer, message: `unknown property ${JSON.stringify(params["additionalProperty"])}` };
    case "const":
      return { pointer, message: `must be ${JSON.stringify(params["allowedValue"])}` };
    case "enum":
      return { pointer, message: `must be one of ${listOf(params["allowedValues"] as unknown[])}` };
    case "discriminator": {
      const tag = String(params["tag"]);
      const allowed = TAG_VALUES[tag] ?? [];
      if (params["error"] === "tag" && params["tagValue"] === undefined) {
        return { pointer, message: `missing required property ${JSON.stringify(tag)}` };
      }
      return { pointer: `${pointer}/${tag}`, message: `must be one of ${listOf(allowed)}` };
    }
    case "minLength":
      return { pointer, message: params["limit"] === 1 ? "must not be empty" : `must have at least ${String(params["limit"])} characters` };
    case "maxLength":
      return { pointer, message: `must have at most ${String(params["limit"])} characters` };
    case "oneOf":
      return { pointer, message: `must match exactly one of ${typeof params["branches"] === "string" ? params["branches"] : "the allowed shapes"}` };
    default:
      return { pointer, message: error.message ?? `fails "${error.keyword}"` };
  }
}

function listOf(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/**
 * ajv reports every branch of a failed `oneOf`, just before the `oneOf` error itself, at or below its
 * instance path. Keep only the branch with the fewest errors (the shape the author most likely meant)
 * plus one summary naming the branches.
 */
function collapseOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== "oneOf") {
      out.push(error);
      continue;
    }
    let start = out.length;
    while (start > 0 && isAtOrBelow(out[start - 1]!.instancePath, error.instancePath)) start--;
    const branchErrors = out.splice(start);
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of branchErrors) {
      const branch = branchName(e.schemaPath);
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    let closest: ErrorObject[] = [];
    for (const group of byBranch.values()) {
      if (closest.length === 0 || group.length < closest.length) closest = group;
    }
    out.push(...closest);
    const branches = [...byBranch.keys()].join(" | ");
    out.push({ ...error, params: { ...error.params, branches: branches || undefined } });
  }
  return out;
}

function isAtOrBelow(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

/** "#/$defs/FileDiffChange/required" → "FileDiffChange"; other paths are their own branch. */
function branchName(schemaPath: string): string {
  const match = /#\/\$defs\/([^/]+)/.exec(schemaPath);
  return match?.[1] ?? schemaPath;
}
