/** Languages by file extension (lower case, with the dot). */
const BY_EXTENSION: Record<string, string> = {
  ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
  ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
  ".py": "python", ".go": "go", ".rs": "rust", ".java": "java", ".kt": "kotlin", ".c": "c", ".h": "c",
  ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".cs": "csharp", ".rb": "ruby", ".php": "php", ".swift": "swift",
  ".sh": "shell", ".sql": "sql", ".css": "css", ".html": "html",
  ".md": "markdown", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".txt": "text",
};

/** Languages stored as `code` documents; the rest are `text`. */
const PROSE = new Set(["markdown", "json", "yaml", "toml", "text"]);

/** The language of a file from its extension (`text` when unknown). */
export function languageOf(filePath: string): string {
  const dot = filePath.lastIndexOf(".");
  const slash = filePath.lastIndexOf("/");
  if (dot <= slash + 1) return "text";
  return BY_EXTENSION[filePath.slice(dot).toLowerCase()] ?? "text";
}

/** Whether files of this language are chunked by declarations with the TypeScript compiler. */
export function isTypeScriptFamily(language: string): boolean {
  return language === "typescript" || language === "javascript";
}

/** Whether chunks of this language are `code` (else `text`). */
export function isCodeLanguage(language: string): boolean {
  return !PROSE.has(language);
}
