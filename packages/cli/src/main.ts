import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseArgs } from "node:util";
import { runDemo, type DemoReport } from "./demo.js";

const VERSION = "0.1.0";
const USAGE = `vltair — agent orchestration for software-development agents

Usage:
  vltair demo [repo] [--data-dir DIR] [--json]   index a repository into Vesper and run hybrid queries
  vltair --version
  vltair help

Output is JSON when piped or with --json.`;

/** Where the bundled sample repository sits when running from the VLTAIR repository. */
const SAMPLE_REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples/sample-repo");

/** A CLI failure: printed as `{ ok: false, error }` with exit code `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Where the CLI writes, and whether a person is reading (text) or a program (JSON). */
export interface Io {
  out: (text: string) => void;
  isTty: boolean;
}

function formatDemo(report: DemoReport): string {
  const lines = [`Indexed ${report.files} files (${report.chunks} chunks) of ${report.repo}`, ""];
  for (const q of report.queries) {
    lines.push(`? ${q.text}   [filter ${q.filter}]`);
    for (const h of q.hits) {
      lines.push(`  ${h.score.toFixed(4)}  ${h.key}  (dense #${h.denseRank || "-"}, bm25 #${h.sparseRank || "-"})`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** node:util parseArgs signals bad flags with ERR_PARSE_ARGS_* codes: those are usage errors. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** Runs one CLI invocation; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes("--json") || !io.isTty;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        "data-dir": { type: "string" },
      },
    });
    const [command, ...rest] = positionals;
    if (values.version) {
      io.out(VERSION);
      return 0;
    }
    if (values.help || command === "help" || command === undefined) {
      io.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === "demo") {
      if (rest.length > 1) throw new CliError("demo takes at most one repository path", "Usage", 2);
      const repo = path.resolve(rest[0] ?? SAMPLE_REPO);
      const dataDir = path.resolve(values["data-dir"] ?? path.join(".vltair", "demo"));
      const report = await runDemo({ repo, dataDir });
      io.out(json ? JSON.stringify({ ok: true, ...report }, null, 2) : formatDemo(report));
      return 0;
    }
    throw new CliError(`unknown command '${command}'\n\n${USAGE}`, "Usage", 2);
  } catch (error) {
    const usage =
      error instanceof CliError ? error : isParseArgsError(error) ? new CliError((error as Error).message, "Usage", 2) : null;
    const code = usage?.code ?? (error as { codeName?: string }).codeName ?? "Internal";
    const message = error instanceof Error ? error.message : String(error);
    io.out(JSON.stringify({ ok: false, error: { code, message } }));
    return usage?.exitCode ?? 1;
  }
}
