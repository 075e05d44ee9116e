/**
 * Generates `agents/pricing/prices.json`, the price table agtop bundles, from a model price registry in the
 * LiteLLM format (`model_prices_and_context_window.json`). Keeps chat and responses models with an input and
 * an output price, converts rates to USD per million tokens, and drops entries that only repeat another
 * entry under a provider prefix or a snapshot suffix with the very same prices.
 *
 *     deno task prices                                   # ../shared/data/model_prices.json, dated by its README
 *     deno run --allow-read --allow-write scripts/prices.ts path/to/registry.json --date 2026-07-24
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PriceFile, PriceRow } from "../agents/pricing/table.ts";

/** Where the registry's text says it comes from, written into the generated file. */
export const SOURCE = "LiteLLM model_prices_and_context_window.json (filtered mirror)";

const MODES = new Set(["chat", "responses"]);
/** Snapshot suffixes, as `lookupModel` strips them (one at a time). */
const SNAPSHOT_SUFFIX = /(?:-\d{8}|-\d{4}-\d{2}-\d{2}|-v\d+(?::\d+)?|@[\w.-]+|-latest|-\d{3})$/;

/** The sync date a registry README states (`as synced on 2026-07-24`), or null. */
export function snapshotDate(readme: string): string | null {
  return /as synced on (\d{4}-\d{2}-\d{2})/.exec(readme)?.[1] ?? null;
}

/** A per-token USD rate as USD per million tokens, without float noise (3e-6 → 3, not 3.0000000000000004). */
export function perMillion(perToken: number): number {
  return Number((perToken * 1e6).toPrecision(10));
}

function rate(entry: Record<string, unknown>, key: string): number | null {
  const v = entry[key];
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}

/** The compact row of one registry entry, or null when it is not a priced chat/responses model. */
export function registryRow(entry: unknown): PriceRow | null {
  if (typeof entry !== "object" || entry === null) return null;
  const e = entry as Record<string, unknown>;
  const input = rate(e, "input_cost_per_token");
  const output = rate(e, "output_cost_per_token");
  if (!MODES.has(String(e.mode)) || input === null || output === null) return null;
  const cacheRead = rate(e, "cache_read_input_token_cost");
  const cacheWrite = rate(e, "cache_creation_input_token_cost");
  const maxInput = rate(e, "max_input_tokens");
  return [
    perMillion(input),
    perMillion(output),
    cacheRead === null ? null : perMillion(cacheRead),
    cacheWrite === null ? null : perMillion(cacheWrite),
    maxInput,
  ];
}

const sameRow = (a: PriceRow, b: PriceRow): boolean => a.every((v, i) => v === b[i]);

/**
 * The id an entry collapses into, or null to keep it: walking from `id` without its provider prefixes, then
 * without one snapshot suffix at a time, the first name that has an entry decides — collapse when its row
 * is identical, keep otherwise.
 */
function collapsesInto(id: string, rows: Map<string, PriceRow>): string | null {
  const row = rows.get(id)!;
  let name = id.slice(id.lastIndexOf("/") + 1).replace(/^(?:[a-z_]+\.)+/, "");
  if (name === id) name = name.replace(SNAPSHOT_SUFFIX, "");
  for (; name !== id; name = name.replace(SNAPSHOT_SUFFIX, "")) {
    const other = rows.get(name);
    if (other) return sameRow(row, other) ? name : null;
    if (!SNAPSHOT_SUFFIX.test(name)) return null;
  }
  return null;
}

/**
 * Builds the bundled price file from a parsed registry: priced chat/responses models, rates per million
 * tokens, duplicates collapsed, ids sorted.
 */
export function buildPriceFile(registry: Record<string, unknown>, snapshot: string): PriceFile {
  const rows = new Map<string, PriceRow>();
  for (const [id, entry] of Object.entries(registry)) {
    const row = registryRow(entry);
    if (row) rows.set(id, row);
  }
  const models: Record<string, PriceRow> = {};
  for (const id of [...rows.keys()].sort()) {
    if (collapsesInto(id, rows) === null) models[id] = rows.get(id)!;
  }
  return { snapshot, source: SOURCE, models };
}

/** The price file as JSON text, one model per line (stable under `deno fmt`). */
export function formatPriceFile(file: PriceFile): string {
  const lines = Object.entries(file.models).map(([id, row]) =>
    `    ${JSON.stringify(id)}: [${row.map((v) => JSON.stringify(v)).join(", ")}]`
  );
  return [
    "{",
    `  "snapshot": ${JSON.stringify(file.snapshot)},`,
    `  "source": ${JSON.stringify(file.source)},`,
    `  "models": {`,
    lines.join(",\n"),
    "  }",
    "}",
    "",
  ].join("\n");
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { date: { type: "string" } },
    allowPositionals: true,
  });
  const repo = dirname(dirname(fileURLToPath(import.meta.url)));
  const input = positionals[0] ?? join(repo, "..", "shared", "data", "model_prices.json");
  const readme = join(dirname(input), "README.md");
  const date = values.date ?? snapshotDate(await Deno.readTextFile(readme).catch(() => ""));
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    console.error(
      values.date
        ? `prices: --date must be YYYY-MM-DD, not ${values.date}`
        : `prices: no "as synced on YYYY-MM-DD" in ${readme}; give the date as --date YYYY-MM-DD`,
    );
    return 2;
  }
  const file = buildPriceFile(JSON.parse(await Deno.readTextFile(input)), date);
  const out = join(repo, "agents", "pricing", "prices.json");
  await Deno.writeTextFile(out, formatPriceFile(file));
  console.log(`prices: ${Object.keys(file.models).length} models (snapshot ${date}) → ${out}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
