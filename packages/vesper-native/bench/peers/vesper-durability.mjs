// Vesper's ingest by durability mode and group commit (bench/durability.mjs), in its own process; the
// section is rendered here so the report does not need to load the addon.
import { measureDurability, renderDurability } from "../durability.mjs";

export async function run(_w, ctx) {
  ctx.log("ingest by durability mode, group commit");
  const results = await measureDurability({ docs: ctx.durabilityDocs, singlesCount: ctx.singles });
  return { system: "Vesper durability", ...results, markdown: renderDurability(results) };
}
