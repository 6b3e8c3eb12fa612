/**
 * Redaction every layer above shares without loading the engine (`@vltair/context-store/redaction`): the
 * built-in secret formats, the text redactor the store applies to everything it writes, and the
 * comma-separated list format of `VLTAIR_REDACT_PREFIXES` / `VLTAIR_REDACT_FIELDS`.
 */
export { createTextRedactor, splitRedactionList, type TextRedactor, type TextRedactorOptions } from "./text-redactor.js";
export { SECRET_PATTERNS, findSecrets, compileSecretMatcher, type SecretPattern, type SecretMatch, type SecretMatcher } from "./secret-patterns.js";
