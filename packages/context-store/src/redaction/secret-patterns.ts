/**
 * Well-known secret formats, shared by redaction (context store, logs, journal) and by the StaticAnalysis
 * agent's secret detection. Each regex matches exactly the secret: context such as `password=` or the
 * word `Bearer` sits in a lookbehind, so it is kept, and a match can be replaced as a whole.
 *
 * Boundaries never rely on `\b`: `_` is a word character, so `creds_AKIA…_x.json` or `ghp_…_old` would
 * hide a token from `\b`. Formats with a distinctive prefix match wherever the prefix starts, and stop
 * where their own alphabet (or their fixed length) ends; only the two formats whose prefix is an ordinary
 * word ending (`sk-` as in `task-`, `sk_live_` as in `risk_live_`) need a non-alphanumeric character before.
 *
 * This module is pure (no I/O, no dependencies) and lives in the lowest layer that writes text to disk,
 * the context store; `@vltair/orchestrator` re-exports it.
 */

/** One supported secret format. */
export interface SecretPattern {
  /** Stable short name, used in `[REDACTED:<kind>]`. Several patterns may share a kind. */
  readonly kind: string;
  /** What the pattern recognises, for humans. */
  readonly description: string;
  /** Matches one secret (non-global, no capture groups). Use {@link findSecrets} to find all. */
  readonly regex: RegExp;
}

/** A case-insensitive spelling of a literal word, for the parts of a case-sensitive pattern that need it. */
function anyCase(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

// Key names whose assigned value is a secret, e.g. `DB_PASSWORD=…`, `"apiKey": "…"`, `client_secret: …`.
const SECRET_KEY = `(?:${["password", "passwd", "pwd", "secret", "api[_-]?key", "access[_-]?token", "auth[_-]?token", "refresh[_-]?token", "private[_-]?key", "credentials?"]
  .map((k) => k.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`))
  .join("|")})`;
// A quote, also backslash-escaped (at any depth): JSON inside a string (`"{\"password\":\"…\"}"`, a log line that
// printed JSON.stringify output) must not hide a key or its value.
const QUOTE = `\\\\*["'\`]`;
const ASSIGN = `(?:${QUOTE})?[ \\t]*[:=][ \\t]*`;
// An unquoted value must look like data, not code: a letter and a digit or symbol, no call or member
// syntax. `password = getPassword()` or `secret: string` stay; `PASSWORD=hunter2!x` goes.
// `&` ends the value too (query strings: `?api_key=…&page=2`).
const UNQUOTED_VALUE =
  "(?![\"'`\\\\])(?=[^\\s\"'`,;&(){}\\[\\]<>.]*[A-Za-z])(?=[^\\s\"'`,;&(){}\\[\\]<>.]*[0-9!@#%^*+/=~])[^\\s\"'`,;&(){}\\[\\]<>]{8,}";

const PRIVATE_KEY_LABEL = "-----(?:BEGIN|END) (?:[A-Z0-9]+ )*PRIVATE KEY-----";
// A PEM block as it appears in files, logs and escaped JSON: lines split by real or escaped (`\n`) newlines.
const PEM_NEWLINE = "(?:\\r?\\n|(?:\\\\+r)?\\\\+n)";
// A terminated block: label, then only base64, header and separator characters, then the END label.
const PEM_TERMINATED = `(?:(?:${PEM_NEWLINE}|[ \\t])+[A-Za-z0-9+/=:,.-]+)*?(?:${PEM_NEWLINE}|[ \\t])*${PRIVATE_KEY_LABEL.replace("(?:BEGIN|END)", "END")}`;
// An unterminated (truncated) block: the following lines that are key material — headers, base64 lines
// ending at a line end or quote, and any 16+ base64 run — and nothing after them, so code or prose that
// follows a truncated key is kept.
const PEM_LINE_END = `(?=${PEM_NEWLINE}|["'\`]|$)`;
const PEM_UNTERMINATED = `(?:${PEM_NEWLINE}[ \\t]*(?:[A-Za-z][A-Za-z0-9-]*:[^\\r\\n"'\`\\\\]*|[A-Za-z0-9+/=]{16,}|[A-Za-z0-9+/=]*${PEM_LINE_END}))*`;

/** Every built-in secret format, in priority order (earlier wins when two match at the same place). */
export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  {
    kind: "private-key",
    description: "PEM private key block (RSA, EC, DSA, OPENSSH, PKCS#8, encrypted), whole block, also with escaped newlines; a truncated block up to its last line of key material",
    regex: new RegExp(`${PRIVATE_KEY_LABEL.replace("(?:BEGIN|END)", "BEGIN")}(?:${PEM_TERMINATED}|${PEM_UNTERMINATED})`),
  },
  {
    kind: "aws-access-key-id",
    description: "AWS access key id (AKIA…, ASIA…, ABIA…, ACCA…)",
    regex: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/,
  },
  {
    kind: "aws-secret-access-key",
    description: "AWS secret access key after aws_secret_access_key= / SecretAccessKey:",
    regex: new RegExp(`(?<=${anyCase("secret")}_?${anyCase("access")}_?${anyCase("key")}${ASSIGN}(?:${QUOTE})?)[A-Za-z0-9/+]{40}`),
  },
  {
    kind: "github-token",
    description: "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
    regex: /(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})/,
  },
  {
    kind: "anthropic-api-key",
    description: "Anthropic API key (sk-ant-…)",
    regex: /sk-ant-[A-Za-z0-9_-]{20,}/,
  },
  {
    kind: "openai-api-key",
    description: "OpenAI API key (sk-…, sk-proj-…, sk-svcacct-…, sk-admin-…)",
    regex: /(?:sk-(?:proj|svcacct|admin)-|(?<![A-Za-z0-9])sk-(?=[A-Za-z_-]*[0-9]))[A-Za-z0-9_-]{20,}/,
  },
  {
    kind: "slack-token",
    description: "Slack token (xoxa-, xoxb-, xoxp-, xoxr-, xoxs-)",
    regex: /xox[abprs]-[A-Za-z0-9-]{10,}/,
  },
  {
    kind: "stripe-key",
    description: "Stripe secret or restricted key (sk_live_, rk_live_, sk_test_, rk_test_)",
    regex: /(?<![A-Za-z0-9])[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/,
  },
  {
    kind: "google-api-key",
    description: "Google API key (AIza…)",
    regex: /AIza[0-9A-Za-z_-]{35}/,
  },
  {
    kind: "npm-token",
    description: "npm access token (npm_…)",
    regex: /npm_[A-Za-z0-9]{36}/,
  },
  {
    kind: "jwt",
    description: "JSON Web Token (three base64url parts, header and claims starting with eyJ)",
    regex: /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/,
  },
  {
    kind: "bearer-token",
    description: "Token of an Authorization: Bearer header (the word Bearer is kept)",
    regex: new RegExp(`(?<=${anyCase("authorization")}${ASSIGN}(?:${QUOTE})?${anyCase("bearer")}[ \\t]+)[^\\s"'\`,;\\\\]+`),
  },
  {
    kind: "bearer-token",
    description: "Token after the word Bearer (16+ characters with a digit, so prose is left alone)",
    regex: new RegExp(`(?<=${anyCase("bearer")}[ \\t]+)(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*`),
  },
  {
    kind: "basic-auth",
    description: "Credentials of an Authorization: Basic header",
    regex: new RegExp(`(?<=${anyCase("authorization")}${ASSIGN}(?:${QUOTE})?${anyCase("basic")}[ \\t]+)[A-Za-z0-9+/]{4,}={0,2}`),
  },
  {
    kind: "url-password",
    description: "Password in a URL's user info (scheme://user:password@host, also with an empty user: redis://:password@host); user and host are kept",
    regex: /(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+(?=@)/,
  },
  {
    kind: "secret-assignment",
    description: "Quoted value assigned to a secret-like key (password, secret, api_key, token, …)",
    regex: new RegExp(`(?<=${SECRET_KEY}${ASSIGN}${QUOTE})(?!\\[REDACTED:)[^"'\`\\r\\n]{4,}?(?=${QUOTE})`),
  },
  {
    kind: "secret-assignment",
    description: "Unquoted value assigned to a secret-like key (env files, YAML, query strings)",
    regex: new RegExp(`(?<=${SECRET_KEY}${ASSIGN})${UNQUOTED_VALUE}`),
  },
] satisfies SecretPattern[]);

/** Where one secret is in a text. */
export interface SecretMatch {
  /** The pattern's kind. */
  kind: string;
  /** UTF-16 offset of the secret's first character. */
  index: number;
  /** Length in UTF-16 code units. */
  length: number;
}

/** A compiled set of patterns: one global regex whose capture group `i + 1` is pattern `i`. */
export interface SecretMatcher {
  /** Kind of each alternative, by capture-group index - 1. */
  readonly kinds: readonly string[];
  /** Texts shorter than this cannot contain a match. */
  readonly minLength: number;
  /** Every non-overlapping secret in `text`, left to right. */
  find(text: string): SecretMatch[];
  /**
   * `text` with every secret replaced by `[REDACTED:<kind>]`. A secret spanning several lines (a PEM
   * block) keeps its line breaks after the marker, so line numbers after it stay true.
   */
  replace(text: string): string;
}

/** The marker a secret of `kind` is replaced by, followed by the line breaks the secret spanned. */
function marker(kind: string, secret: string): string {
  let breaks = "";
  for (let i = secret.indexOf("\n"); i !== -1; i = secret.indexOf("\n", i + 1)) breaks += "\n";
  return `[REDACTED:${kind}]${breaks}`;
}

/**
 * Compiles patterns into one alternation so a text is scanned once however many formats there are.
 *
 * @param patterns - each regex must have no capture groups (use `(?:…)`)
 * @param minLength - the shortest text worth scanning
 */
export function compileSecretMatcher(patterns: readonly SecretPattern[], minLength: number): SecretMatcher {
  for (const p of patterns) {
    const groups = (new RegExp(`${p.regex.source}|`).exec("") ?? []).length - 1;
    if (groups !== 0) throw new Error(`secret pattern ${p.kind} has ${groups} capture group(s); use (?:…)`);
  }
  const kinds = patterns.map((p) => p.kind);
  const combined = new RegExp(patterns.map((p) => `(${p.regex.source})`).join("|"), "g");
  const kindOf = (m: RegExpExecArray): string => {
    for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return kinds[i - 1] as string;
    return "secret";
  };
  return {
    kinds,
    minLength,
    find(text) {
      const found: SecretMatch[] = [];
      if (text.length < minLength) return found;
      combined.lastIndex = 0;
      for (let m = combined.exec(text); m !== null; m = combined.exec(text)) {
        if (m[0].length === 0) {
          combined.lastIndex++; // cannot happen with the built-ins; guards custom patterns
          continue;
        }
        found.push({ kind: kindOf(m), index: m.index, length: m[0].length });
      }
      return found;
    },
    replace(text) {
      if (text.length < minLength) return text;
      combined.lastIndex = 0;
      return text.replace(combined, (...args: unknown[]) => {
        const whole = args[0] as string;
        if (whole.length === 0) return whole;
        for (let i = 1; i <= kinds.length; i++) if (args[i] !== undefined) return marker(kinds[i - 1] as string, whole);
        return marker("secret", whole);
      });
    },
  };
}

// No text shorter than this holds a built-in secret with its context (`pwd="abcd"` is 10).
const BUILTIN_MIN_LENGTH = 8;
const builtinMatcher = compileSecretMatcher(SECRET_PATTERNS, BUILTIN_MIN_LENGTH);

/** Every built-in secret found in `text`, left to right, non-overlapping. */
export function findSecrets(text: string): SecretMatch[] {
  return builtinMatcher.find(text);
}
