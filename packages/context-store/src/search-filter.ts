import type { Filter, FilterScalar } from "@vltair/vesper-native";
import type { DocKind } from "./document.js";
import { ContextStoreError } from "./errors.js";

/** A search filter: an object (`{ language: "ts" }`, operators, canonical and/or/not), JSON text, or `k=v,k2=v2`. */
export type SearchFilter = string | Exclude<Filter, string>;

function invalid(message: string): never {
  throw new ContextStoreError("InvalidQuery", `filters: ${message}`);
}

// kv shorthand values: true/false become booleans, decimal numbers numbers, anything else stays text.
function shorthandValue(text: string): FilterScalar {
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Parses the `key=value,key2=value2` shorthand into the object form. */
function parseShorthand(text: string): Record<string, FilterScalar> {
  const out: Record<string, FilterScalar> = {};
  for (const [i, part] of text.split(",").entries()) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? "" : part.slice(0, eq).trim();
    if (name.length === 0) invalid(`part ${i + 1} '${part}' of '${text}' is not key=value`);
    out[name] = shorthandValue(part.slice(eq + 1).trim());
  }
  return out;
}

/** Turns the user's filter into an object filter (or undefined when there is none). */
export function normaliseFilter(filters: SearchFilter | undefined): Exclude<Filter, string> | undefined {
  if (filters === undefined) return undefined;
  if (typeof filters === "string") {
    const text = filters.trim();
    if (text.length === 0) return undefined;
    if (text.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        invalid(`not valid JSON: ${(cause as Error).message}`);
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) invalid("JSON filter must be an object");
      return parsed as Exclude<Filter, string>;
    }
    return parseShorthand(text);
  }
  if (typeof filters !== "object" || filters === null || Array.isArray(filters)) invalid("expected an object or a string");
  return Object.keys(filters).length === 0 ? undefined : filters;
}

/**
 * The filter a search runs with: the scopes it may see, the kinds asked for, and the user's filter,
 * all required (AND). A user filter can narrow the scopes, never widen them.
 */
export function buildSearchFilter(scopes: readonly string[], kinds: readonly DocKind[] | undefined, filters: SearchFilter | undefined): Filter {
  const parts: Filter[] = [{ scope: { $in: [...scopes] } }];
  if (kinds !== undefined && kinds.length > 0) parts.push({ kind: { $in: [...kinds] } });
  const user = normaliseFilter(filters);
  if (user !== undefined) parts.push(user);
  return parts.length === 1 ? parts[0]! : { and: parts };
}
