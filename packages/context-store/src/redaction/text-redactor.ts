/**
 * Text redaction: the built-in secret formats plus configured token prefixes. The context store applies
 * one to every text it writes (document keys, contents, paths, symbols, metadata, ingest manifests), so
 * no secret reaches the engine's WAL or checkpoints whoever opened the store.
 */
import { compileSecretMatcher, SECRET_PATTERNS, type SecretPattern } from "./secret-patterns.js";

/**
 * Removes secrets from a text. `Redactor` of `@vltair/orchestrator` is one, so the redactor that guards
 * the journal can be handed to {@link openContextStore} as it is.
 */
export interface TextRedactor {
  /** `text` with every secret replaced by `[REDACTED:<kind>]`; redacting a redacted text changes nothing. */
  redactText(text: string): string;
}

/** Options of {@link createTextRedactor}. */
export interface TextRedactorOptions {
  /** Token prefixes to redact (e.g. `corp_`): any token starting with one is a secret. */
  prefixes?: readonly string[];
  /** Where `VLTAIR_REDACT_PREFIXES` is read (comma-separated); default `process.env`. */
  env?: Record<string, string | undefined>;
}

// No text shorter than this holds a built-in secret with its context (`pwd="abcd"` is 10).
const BUILTIN_MIN_LENGTH = 8;
/** Texts up to this length are remembered when they hold no secret (ids, names, paths recur). */
const CLEAN_MEMO_MAX_LENGTH = 256;
/** Remembered clean texts before the memo starts over (bounds its memory). */
const CLEAN_MEMO_MAX_ENTRIES = 4096;

/**
 * A redactor of the built-in formats plus the prefixes of `options` and of `VLTAIR_REDACT_PREFIXES`.
 * A configured prefix matches where a token starts: at the start of the text or after a character that
 * is not a letter or digit (so `creds_corp_x` is caught, `scorp_x` is not).
 *
 * @throws TypeError for an empty prefix
 */
export function createTextRedactor(options: TextRedactorOptions = {}): TextRedactor {
  const env = options.env ?? process.env;
  const prefixes = [...new Set([...splitRedactionList(env.VLTAIR_REDACT_PREFIXES), ...(options.prefixes ?? [])])];
  for (const p of prefixes) {
    if (p.trim() === "") throw new TypeError("createTextRedactor: a redaction prefix must not be empty");
  }
  const prefixPatterns: SecretPattern[] = prefixes.map((prefix) => ({
    kind: "prefix",
    description: `token starting with ${prefix}`,
    regex: new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(prefix)}[^\\s"'\`,;()<>{}\\[\\]]+`),
  }));
  const minLength = Math.min(BUILTIN_MIN_LENGTH, ...prefixes.map((p) => p.length + 1));
  const matcher = compileSecretMatcher([...SECRET_PATTERNS, ...prefixPatterns], minLength);
  // Scanning a short text with the combined pattern costs far more than a set lookup, and the same short
  // texts (event types, run ids, agent names, paths) come back again and again. Only texts found clean are
  // remembered, so the memo never holds a secret.
  const clean = new Set<string>();
  return {
    redactText(text: string): string {
      if (text.length < matcher.minLength) return text;
      if (text.length > CLEAN_MEMO_MAX_LENGTH) return matcher.replace(text);
      if (clean.has(text)) return text;
      const out = matcher.replace(text);
      if (out === text) {
        if (clean.size >= CLEAN_MEMO_MAX_ENTRIES) clean.clear();
        clean.add(text);
      }
      return out;
    },
  };
}

/**
 * The items of a comma-separated redaction list (`VLTAIR_REDACT_PREFIXES`, `VLTAIR_REDACT_FIELDS`,
 * `--redact-prefix`): trimmed, empty items dropped.
 */
export function splitRedactionList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
