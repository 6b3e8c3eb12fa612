import { Option, type Command } from "commander";
import { parseScope, type SearchOptions } from "@vltair/context-store";
import { usageError } from "../cli-error.js";
import type { CommandContext } from "../context.js";
import { Project } from "../project.js";
import { finiteNumber, positiveInteger, repeatable } from "./arguments.js";

interface QueryFlags {
  text: string;
  k: number;
  mode: "dense" | "sparse" | "hybrid";
  rrfK?: number;
  denseWeight?: number;
  sparseWeight?: number;
  rerankFactor?: number;
  filterKv?: string;
  filterJson?: string;
  scope?: string[];
}

/** The exact search the flags describe (what `VLTAIR_TEST_MODE=1` prints instead of running it). */
export function queryFromFlags(flags: QueryFlags): { text: string; options: SearchOptions } {
  if (flags.filterKv !== undefined && flags.filterJson !== undefined) throw usageError("give --filter-kv or --filter-json, not both");
  let filters: SearchOptions["filters"];
  if (flags.filterJson !== undefined) {
    try {
      filters = JSON.parse(flags.filterJson) as SearchOptions["filters"];
    } catch (error) {
      throw usageError(`--filter-json is not valid JSON: ${(error as Error).message}`);
    }
  } else if (flags.filterKv !== undefined) {
    filters = flags.filterKv;
  }
  const scopes = flags.scope ?? ["global"];
  for (const scope of scopes) {
    try {
      parseScope(scope);
    } catch (error) {
      throw usageError(`--scope: ${(error as Error).message}`);
    }
  }
  const options: SearchOptions = { k: flags.k, mode: flags.mode, scopes };
  if (filters !== undefined) options.filters = filters;
  if (flags.rrfK !== undefined) options.rrfK = flags.rrfK;
  if (flags.denseWeight !== undefined) options.denseWeight = flags.denseWeight;
  if (flags.sparseWeight !== undefined) options.sparseWeight = flags.sparseWeight;
  if (flags.rerankFactor !== undefined) options.rerankFactor = flags.rerankFactor;
  return { text: flags.text, options };
}

/** `vltair query`: hybrid search over the project's context store. */
export function registerQuery(program: Command, ctx: CommandContext): void {
  program
    .command("query")
    .description("search the project's context store (VLTAIR_TEST_MODE=1 prints the query instead)")
    .requiredOption("--text <text>", "what to look for")
    .option("--k <n>", "number of hits", positiveInteger, 10)
    .addOption(new Option("--mode <mode>", "dense, sparse or hybrid").choices(["dense", "sparse", "hybrid"]).default("hybrid"))
    .option("--rrf-k <n>", "reciprocal-rank-fusion constant", positiveInteger)
    .option("--dense-weight <w>", "weight of the dense side (weighted fusion)", finiteNumber)
    .option("--sparse-weight <w>", "weight of the BM25 side (weighted fusion)", finiteNumber)
    .option("--rerank-factor <n>", "candidates per side = k × factor", positiveInteger)
    .option("--filter-kv <pairs>", "metadata filter, e.g. language=ts,kind=code")
    .option("--filter-json <json>", "metadata filter as JSON, e.g. '{\"language\":\"ts\"}'")
    .option("--scope <scope>", "scope to read (global, session:<id>, task:<id>); repeatable", repeatable)
    .action(async (flags: QueryFlags) => {
      const query = queryFromFlags(flags);
      if (ctx.env.VLTAIR_TEST_MODE === "1") {
        ctx.output.result({ testMode: true, query }, () => `would run: ${JSON.stringify(query, null, 2)}`);
        return;
      }
      const project = await Project.open(ctx.globals(), ctx.env);
      try {
        const store = await project.store();
        const hits = await store.search(query.text, query.options);
        ctx.output.result(
          {
            query,
            hits: hits.map((h) => ({ id: h.id, score: h.score, kind: h.doc.kind, key: h.doc.key, scope: h.doc.scope, path: h.doc.path, startLine: h.doc.startLine, endLine: h.doc.endLine, symbol: h.doc.symbol })),
          },
          () =>
            hits.length === 0
              ? "no hits"
              : hits
                  .map((h, i) => {
                    const where = h.doc.path ? `${h.doc.path}:${h.doc.startLine ?? 1}-${h.doc.endLine ?? h.doc.startLine ?? 1}` : h.doc.key;
                    const first = h.doc.content.split("\n").find((l) => l.trim() !== "") ?? "";
                    return `${String(i + 1).padStart(2)}. ${h.score.toFixed(4)}  ${where}${h.doc.symbol ? `  ${h.doc.symbol}` : ""}\n      ${first.trim().slice(0, 100)}`;
                  })
                  .join("\n"),
        );
      } finally {
        await project.close();
      }
    });
}
