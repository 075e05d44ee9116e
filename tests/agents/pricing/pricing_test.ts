import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cacheSavedUsd,
  contextLimit,
  modelCost,
  sessionCacheSaved,
  sessionCost,
} from "../../../agents/pricing/cost.ts";
import { derive } from "../../../agents/collect/derive.ts";
import { makeAgent, makeSession } from "../../support/agents.ts";
import { loadOverrides, loadPriceTable } from "../../../agents/pricing/overrides.ts";
import { TomlFileError } from "../../../platform/toml_file.ts";
import {
  bundledTable,
  contextSuffixWindow,
  isLocalModel,
  lookupModel,
  type PriceFile,
  rowToPrice,
} from "../../../agents/pricing/table.ts";
import {
  buildPriceFile,
  formatPriceFile,
  perMillion,
  registryRow,
  snapshotDate,
} from "../../../scripts/prices.ts";
import { emptyTokens, type TokenBuckets } from "../../../agents/session.ts";
import bundledFile from "../../../agents/pricing/prices.json" with { type: "json" };

const table = bundledTable();
const tokens = (t: Partial<TokenBuckets>): TokenBuckets => ({ ...emptyTokens(), ...t });
const near = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-6, `expected ${expected}, got ${actual}`);

const REGISTRY = new URL("../../../../shared/data/model_prices.json", import.meta.url);
const hasRegistry = (() => {
  try {
    return Deno.statSync(REGISTRY).isFile;
  } catch {
    return false;
  }
})();

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "agtop-prices-" });
  try {
    const path = join(dir, "prices.toml");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function overrideError(text: string): Promise<TomlFileError> {
  let error: unknown = null;
  await withFile(text, async (path) => {
    try {
      await loadOverrides(path, table);
    } catch (e) {
      error = e;
    }
  });
  assert.ok(error instanceof TomlFileError, `expected a TomlFileError, got ${error}`);
  assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
  return error;
}

// ---- the bundled table ----------------------------------------------------------------------------

Deno.test("bundled table: dated, sourced, every row is [input, output, cacheRead, cacheWrite, maxInput]", () => {
  assert.equal(table.snapshot, "2026-07-24");
  assert.match(table.source, /LiteLLM/);
  assert.ok(table.models.size > 100);
  for (const row of Object.values((bundledFile as unknown as PriceFile).models)) {
    assert.equal(row.length, 5);
    assert.ok(typeof row[0] === "number" && typeof row[1] === "number");
    for (const v of row.slice(2)) assert.ok(v === null || typeof v === "number");
  }
  assert.deepEqual(table.models.get("claude-sonnet-4-5")?.price, {
    input: 3,
    output: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    maxInputTokens: 200_000,
  });
});

Deno.test({
  name: "bundled table: is what scripts/prices.ts makes of the shared registry",
  ignore: !hasRegistry,
  async fn() {
    const registry = JSON.parse(await Deno.readTextFile(REGISTRY));
    const readme = await Deno.readTextFile(new URL("README.md", REGISTRY));
    const expected = formatPriceFile(buildPriceFile(registry, snapshotDate(readme)!));
    assert.equal(
      await Deno.readTextFile(new URL("../../../agents/pricing/prices.json", import.meta.url)),
      expected,
    );
  },
});

Deno.test({
  name: "bundled table: every priced chat model of the registry is found, at its registry price",
  ignore: !hasRegistry,
  async fn() {
    const registry: Record<string, unknown> = JSON.parse(await Deno.readTextFile(REGISTRY));
    let checked = 0;
    for (const [id, entry] of Object.entries(registry)) {
      const row = registryRow(entry);
      if (!row) continue;
      assert.deepEqual(lookupModel(table, id)?.price, rowToPrice(row), id);
      checked++;
    }
    assert.ok(checked > 150);
  },
});

// ---- scripts/prices.ts ----------------------------------------------------------------------------

Deno.test("prices script: per-million rates without float noise, sync date from the README", () => {
  assert.equal(perMillion(3e-6), 3);
  assert.equal(perMillion(3.625e-9), 0.003625);
  assert.equal(perMillion(1.5e-5), 15);
  assert.equal(snapshotDate("A filtered public mirror …, as synced on 2026-07-24. MIT"), "2026-07-24");
  assert.equal(snapshotDate("no date here"), null);
});

Deno.test("prices script: keeps chat/responses models, collapses identical prefixed and dated duplicates", () => {
  const entry = (input: number, output: number, mode = "chat", more = {}) => ({
    input_cost_per_token: input,
    output_cost_per_token: output,
    mode,
    max_input_tokens: 1000,
    ...more,
  });
  const file = buildPriceFile({
    "m-1": entry(1e-6, 2e-6, "chat", { cache_read_input_token_cost: 1e-7 }),
    "m-1-20250101": entry(1e-6, 2e-6, "chat", { cache_read_input_token_cost: 1e-7 }),
    "openrouter/m-1": entry(1e-6, 2e-6, "chat", { cache_read_input_token_cost: 1e-7 }),
    "us.acme.m-1-v1:0": entry(1e-6, 2e-6, "chat", { cache_read_input_token_cost: 1e-7 }),
    "m-2": entry(1e-6, 2e-6, "responses"),
    "m-2-20250101": entry(2e-6, 4e-6),
    "azure/m-2": entry(3e-6, 4e-6),
    "embed-1": entry(1e-7, 0, "embedding"),
    "no-output": { input_cost_per_token: 1e-6, mode: "chat" },
  }, "2026-01-02");
  assert.deepEqual(file, {
    snapshot: "2026-01-02",
    source: "LiteLLM model_prices_and_context_window.json (filtered mirror)",
    models: {
      "azure/m-2": [3, 4, null, null, 1000],
      "m-1": [1, 2, 0.1, null, 1000],
      "m-2": [1, 2, null, null, 1000],
      "m-2-20250101": [2, 4, null, null, 1000],
    },
  });
  assert.deepEqual(JSON.parse(formatPriceFile(file)), file);
});

// ---- lookupModel ----------------------------------------------------------------------------------

Deno.test("lookupModel: real model strings", () => {
  const cases: [string, string][] = [
    ["claude-sonnet-4-5", "claude-sonnet-4-5"],
    ["CLAUDE-SONNET-4-5", "claude-sonnet-4-5"],
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
    ["anthropic/claude-opus-4-1", "claude-opus-4-1"],
    ["claude-opus-4-6[1m]", "claude-opus-4-6"],
    ["claude-sonnet-4-5-1m", "claude-sonnet-4-5"],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"],
    ["bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1"],
    ["anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku-20240307"],
    ["vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5"],
    ["openrouter/anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"],
    ["claude-sonnet-4.5", "claude-sonnet-4-5"],
    ["claude-4.5-sonnet", "claude-sonnet-4-5"],
    ["opus-4.1", "claude-opus-4-1"],
    ["claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"],
    ["claude-opus-4", "claude-opus-4-20250514"],
    ["claude-opus-4-6-fast", "claude-opus-4-6"],
    ["gpt-5-codex", "gpt-5-codex"],
    ["openai/gpt-5-codex-high", "gpt-5-codex"],
    ["gpt-5.1-codex-max-xhigh", "gpt-5.1-codex-max"],
    ["gpt-5-codex-mini", "gpt-5.1-codex-mini"],
    ["gpt-5.4-codex", "gpt-5.4"],
    ["gpt-5-chat-latest", "gpt-5-chat"],
    ["azure/gpt-4.1", "gpt-4.1"],
    ["gemini/gemini-2.5-pro", "gemini-2.5-pro"],
    ["google/gemini-2.5-flash", "gemini-2.5-flash"],
    ["gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite"],
    ["o3-mini-high", "o3-mini"],
  ];
  for (const [model, id] of cases) assert.equal(lookupModel(table, model)?.id, id, model);
});

Deno.test("lookupModel: bare sonnet/opus/haiku are the newest of that tier in the table", () => {
  assert.equal(lookupModel(table, "sonnet")?.id, "claude-sonnet-5");
  assert.equal(lookupModel(table, "opus")?.id, "claude-opus-5");
  assert.equal(lookupModel(table, "haiku")?.id, "claude-haiku-4-5");
  assert.equal(lookupModel(table, "sonnet[1m]")?.id, "claude-sonnet-5");
});

Deno.test("lookupModel: no guess across versions, sizes or modalities", () => {
  for (
    const model of [
      "claude-opus-4-9",
      "gpt-5.1-codex-max-2",
      "gemini-2.5-flash-image-preview",
      "grok-4",
      "",
      "<synthetic>",
      "constructor",
    ]
  ) {
    assert.equal(lookupModel(table, model), null, model);
  }
});

Deno.test("isLocalModel: local servers by prefix, provider or loopback URL", () => {
  assert.ok(isLocalModel("ollama/qwen2.5-coder"));
  assert.ok(isLocalModel("lmstudio/qwen3-coder-30b"));
  assert.ok(isLocalModel("llama.cpp/gpt-oss-20b"));
  assert.ok(isLocalModel("llamacpp/gpt-oss-20b"));
  assert.ok(isLocalModel("vllm/Qwen/Qwen3-Coder"));
  assert.ok(isLocalModel("local/my-model"));
  assert.ok(isLocalModel("qwen3-coder", { provider: "Ollama" }));
  assert.ok(isLocalModel("qwen3-coder", { baseUrl: "http://localhost:11434" }));
  assert.ok(isLocalModel("qwen3-coder", { baseUrl: "http://127.0.0.1:1234/v1" }));
  assert.ok(isLocalModel("qwen3-coder", { baseUrl: "http://[::1]:8080/v1" }));
  assert.ok(!isLocalModel("anthropic/claude-sonnet-4-5"));
  assert.ok(
    !isLocalModel("qwen3-coder", { provider: "openrouter", baseUrl: "https://openrouter.ai/api/v1" }),
  );
  assert.ok(!isLocalModel("qwen3-coder", { baseUrl: "not a url" }));
});

// ---- sessionCost ----------------------------------------------------------------------------------

Deno.test("sessionCost: cache-heavy Claude session", () => {
  // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million
  //   input        12,000 × 3    =     36,000
  //   cache read 8,500,000 × 0.3 =  2,550,000
  //   cache write  420,000 × 3.75 = 1,575,000
  //   output        45,000 × 15   =    675,000
  //   total 4,836,000 / 1e6 = $4.836
  const cost = sessionCost({
    "claude-sonnet-4-5": tokens({ input: 12_000, output: 45_000, cacheRead: 8_500_000, cacheWrite: 420_000 }),
  }, table);
  near(cost.usd, 4.836);
  assert.equal(cost.basis, "api");
  assert.deepEqual(cost.unpriced, []);
});

Deno.test("sessionCost: Codex with reasoning, each token counted once", () => {
  // Codex reported input 1,250,000 (1,000,000 cached) and output 60,000 (40,000 reasoning); normalised:
  // gpt-5-codex: $1.25 in, $10 out, $0.125 cache read per million
  //   input        250,000 × 1.25  = 312,500
  //   cache read 1,000,000 × 0.125 = 125,000
  //   output + reasoning (20,000 + 40,000) × 10 = 600,000
  //   total 1,037,500 / 1e6 = $1.0375
  const cost = sessionCost({
    "gpt-5-codex": tokens({ input: 250_000, cacheRead: 1_000_000, output: 20_000, reasoning: 40_000 }),
  }, table);
  near(cost.usd, 1.0375);
  assert.equal(cost.basis, "api");
});

Deno.test("sessionCost: models reachable only through prefix and suffix stripping", () => {
  // claude-sonnet-4-5-20250929 → claude-sonnet-4-5 ($3 / $15 / $0.30 / $3.75):
  //   1,000 × 3 + 2,000 × 15 + 100,000 × 0.3 + 10,000 × 3.75 = 3,000 + 30,000 + 30,000 + 37,500 = 100,500
  // anthropic/claude-opus-4-1 → claude-opus-4-1 ($15 / $75 / $1.50 / $18.75):
  //   2,000 × 15 + 1,000 × 75 + 200,000 × 1.5 + 20,000 × 18.75 = 30,000 + 75,000 + 300,000 + 375,000 = 780,000
  // claude-opus-4-6[1m] → claude-opus-4-6 ($5 / $25 / $0.50 / $6.25):
  //   500 × 5 + 4,000 × 25 + 600,000 × 0.5 = 2,500 + 100,000 + 300,000 = 402,500
  // total 1,283,000 / 1e6 = $1.283
  const cost = sessionCost({
    "claude-sonnet-4-5-20250929": tokens({
      input: 1_000,
      output: 2_000,
      cacheRead: 100_000,
      cacheWrite: 10_000,
    }),
    "anthropic/claude-opus-4-1": tokens({
      input: 2_000,
      output: 1_000,
      cacheRead: 200_000,
      cacheWrite: 20_000,
    }),
    "claude-opus-4-6[1m]": tokens({ input: 500, output: 4_000, cacheRead: 600_000 }),
  }, table);
  near(cost.usd, 1.283);
  assert.equal(cost.basis, "api");
});

Deno.test("sessionCost: missing cache rates fall back to 0.1× and 1.25× of input", () => {
  // gpt-4-turbo: $10 in, $30 out, no cache rates → cache read $1.00, cache write $12.50
  //   1,000 × 10 + 2,000 × 30 + 100,000 × 1 + 10,000 × 12.5 = 10,000 + 60,000 + 100,000 + 125,000 = 295,000
  //   → $0.295
  const t = tokens({ input: 1_000, output: 2_000, cacheRead: 100_000, cacheWrite: 10_000 });
  near(modelCost(t, lookupModel(table, "gpt-4-turbo")!.price), 0.295);
  // gpt-5-codex has a cache read rate ($0.125) but no cache write rate → 1.25 × $1.25 = $1.5625
  //   8,000 × 1.5625 = 12,500 → $0.0125
  near(modelCost(tokens({ cacheWrite: 8_000 }), lookupModel(table, "gpt-5-codex")!.price), 0.0125);
});

Deno.test("sessionCost: an unknown model makes the basis unknown and keeps the known part", () => {
  // claude-sonnet-4-5: 1,000,000 × $3 = $3; acme-coder-9 has no price
  const cost = sessionCost({
    "claude-sonnet-4-5": tokens({ input: 1_000_000 }),
    "acme-coder-9": tokens({ input: 1_000, output: 10 }),
  }, table);
  near(cost.usd, 3);
  assert.equal(cost.basis, "unknown");
  assert.deepEqual(cost.unpriced, ["acme-coder-9"]);
  assert.deepEqual(sessionCost({ "acme-coder-9": tokens({ input: 5 }) }, table), {
    usd: null,
    basis: "unknown",
    unpriced: ["acme-coder-9"],
  });
});

Deno.test("sessionCost: local models are free; no tokens is no price", () => {
  assert.deepEqual(
    sessionCost({ "ollama/qwen2.5-coder": tokens({ input: 50_000, output: 3_000 }) }, table),
    { usd: 0, basis: "local", unpriced: [] },
  );
  assert.deepEqual(
    sessionCost({ "qwen2.5-coder:7b": tokens({ input: 50_000 }) }, table, {
      baseUrl: "http://localhost:11434/v1",
    }),
    { usd: 0, basis: "local", unpriced: [] },
  );
  // local + claude-sonnet-4-5 (1,000,000 × $15 output = $15) → priced by the API part
  const mixed = sessionCost({
    "ollama/qwen2.5-coder": tokens({ input: 50_000 }),
    "claude-sonnet-4-5": tokens({ output: 1_000_000 }),
  }, table);
  near(mixed.usd, 15);
  assert.equal(mixed.basis, "api");
  // Claude Code's zero-usage "<synthetic>" messages are not an unknown model
  assert.deepEqual(sessionCost({ "<synthetic>": emptyTokens() }, table), {
    usd: null,
    basis: "unknown",
    unpriced: [],
  });
  assert.deepEqual(sessionCost({}, table), { usd: null, basis: "unknown", unpriced: [] });
});

// ---- contextLimit ---------------------------------------------------------------------------------

Deno.test("contextLimit: table window, raised to the next standard window when a prompt proves it larger", () => {
  assert.deepEqual(contextLimit("claude-sonnet-4-5", 150_000, table), { limit: 200_000, fill: 0.75 });
  assert.deepEqual(contextLimit("claude-sonnet-4-5", 250_000, table), {
    limit: 256_000,
    fill: 250_000 / 256_000,
  });
  assert.deepEqual(contextLimit("claude-sonnet-4-5", 300_000, table), { limit: 400_000, fill: 0.75 });
  assert.deepEqual(contextLimit("gpt-5-codex", 300_000, table), { limit: 400_000, fill: 0.75 });
  assert.deepEqual(contextLimit("gemini-2.5-pro", 1_500_000, table), { limit: 2_000_000, fill: 0.75 });
  assert.deepEqual(contextLimit("claude-sonnet-4-5", 3_000_000, table), { limit: 3_000_000, fill: 1 });
  assert.deepEqual(contextLimit("claude-sonnet-4-5", null, table), { limit: 200_000, fill: null });
});

Deno.test("contextLimit: vendor window first, then a [1m] suffix, then the table", () => {
  assert.deepEqual(contextLimit("gpt-5-codex", 129_200, table, 258_400), { limit: 258_400, fill: 0.5 });
  assert.deepEqual(contextLimit("claude-sonnet-4-5[1m]", 500_000, table), { limit: 1_000_000, fill: 0.5 });
  assert.deepEqual(contextLimit("claude-opus-4-6[1m]", 100_000, table), { limit: 1_000_000, fill: 0.1 });
  assert.deepEqual(contextLimit("acme-coder-9", 10_000, table), { limit: null, fill: null });
  assert.deepEqual(contextLimit(null, 10_000, table), { limit: null, fill: null });
  assert.deepEqual(contextLimit("acme-coder-9", 64_000, table, 128_000), { limit: 128_000, fill: 0.5 });
  assert.equal(contextSuffixWindow("claude-sonnet-4-5-1m"), 1_000_000);
  assert.equal(contextSuffixWindow("x[200k]"), 200_000);
  assert.equal(contextSuffixWindow("claude-sonnet-4-5"), null);
});

Deno.test("contextLimit: fill never passes 100%", () => {
  for (const model of ["claude-sonnet-4-5", "gpt-5-codex", "gpt-4", "claude-opus-4-6[1m]"]) {
    for (const observed of [0, 8_192, 127_999, 200_001, 272_001, 999_999, 1_000_001, 2_500_000]) {
      const { limit, fill } = contextLimit(model, observed, table);
      assert.ok(
        limit !== null && limit >= observed && fill !== null && fill >= 0 && fill <= 1,
        `${model} ${observed}`,
      );
    }
  }
});

// ---- overrides ------------------------------------------------------------------------------------

const OVERRIDES = `# agtop price overrides
[models."acme-coder-9"]
input = 2.0          # USD per million tokens
output = 8.0
cache_read = 0.2
max_input_tokens = 131072

[models.claude-sonnet-4-5]
input = 2.5

[models.gpt-5.1]
input = 1
output = 9
`;

Deno.test("overrides: new models added, known models changed only in the fields given", async () => {
  await withFile(OVERRIDES, async (path) => {
    const overrides = await loadOverrides(path, table);
    assert.deepEqual(overrides["acme-coder-9"], {
      input: 2,
      output: 8,
      cacheRead: 0.2,
      cacheWrite: null,
      maxInputTokens: 131_072,
    });
    assert.deepEqual(overrides["claude-sonnet-4-5"], {
      ...table.models.get("claude-sonnet-4-5")!.price,
      input: 2.5,
    });
    assert.deepEqual(overrides["gpt-5.1"], { ...table.models.get("gpt-5.1")!.price, input: 1, output: 9 });

    const merged = await loadPriceTable(path);
    // acme-coder-9: $2 in, $8 out, $0.20 cache read, no cache write → 1.25 × $2 = $2.50
    //   100,000 × 2 + 50,000 × 8 + 1,000,000 × 0.2 + 10,000 × 2.5 = 200,000 + 400,000 + 200,000 + 25,000 = 825,000
    // claude-sonnet-4-5-20250929 → overridden claude-sonnet-4-5: $2.50 in, $15 out, $0.30 cache read
    //   100,000 × 2.5 + 10,000 × 15 + 1,000,000 × 0.3 = 250,000 + 150,000 + 300,000 = 700,000
    // total 1,525,000 / 1e6 = $1.525
    const cost = sessionCost({
      "acme-coder-9": tokens({ input: 100_000, output: 50_000, cacheRead: 1_000_000, cacheWrite: 10_000 }),
      "claude-sonnet-4-5-20250929": tokens({ input: 100_000, output: 10_000, cacheRead: 1_000_000 }),
    }, merged);
    near(cost.usd, 1.525);
    assert.equal(cost.basis, "api");
    assert.deepEqual(contextLimit("acme-coder-9", 65_536, merged), { limit: 131_072, fill: 0.5 });
    assert.equal(
      bundledTable().models.get("claude-sonnet-4-5")!.price.input,
      3,
      "the bundled table is unchanged",
    );
  });
  assert.equal(await loadPriceTable(), table);
});

Deno.test("overrides: a TOML syntax error names the file and line", async () => {
  const e = await overrideError(`[models."x"]\ninput = 1\noutput = \n`);
  assert.match(e.message, /prices\.toml:3: /);
  assert.equal(e.line, 3);
});

Deno.test("overrides: bad values, unknown keys and missing rates name their line", async () => {
  const negative = await overrideError(`[models."x"]\ninput = 1\n\noutput = -2\n`);
  assert.match(
    negative.message,
    /prices\.toml:4: models\."x"\.output must be a non-negative number .*not -2$/,
  );

  const text = await overrideError(`[models."x"]\ninput = 1\noutput = 2\ncache_read = "cheap"\n`);
  assert.match(text.message, /prices\.toml:4: models\."x"\.cache_read must be .*not "cheap"$/);

  const window = await overrideError(`[models."x"]\ninput = 1\noutput = 2\nmax_input_tokens = 1.5\n`);
  assert.match(
    window.message,
    /prices\.toml:4: models\."x"\.max_input_tokens must be a positive whole number/,
  );

  const unknown = await overrideError(`# prices\n[models.x]\ninput = 1\noutput = 2\ninptu = 3\n`);
  assert.match(
    unknown.message,
    /prices\.toml:5: models\."x": unknown key "inptu" \(expected input, output, /,
  );

  const missing = await overrideError(
    `[models."a"]\ninput = 1\noutput = 2\n\n[models."acme-coder-9"]\ninput = 1\n`,
  );
  assert.match(missing.message, /prices\.toml:5: models\."acme-coder-9": missing output/);

  const topLevel = await overrideError(`\n[modles."x"]\ninput = 1\n`);
  assert.match(topLevel.message, /prices\.toml:2: unknown key "modles"/);

  const inline = await overrideError(`[models]\n"x" = { input = 1, output = true }\n`);
  assert.match(inline.message, /prices\.toml:2: models\."x"\.output must be .*not true$/);
});

Deno.test("overrides: an unreadable file is a one-line error without a line number", async () => {
  const dir = await Deno.makeTempDir({ prefix: "agtop-prices-" });
  try {
    const path = join(dir, "missing.toml");
    const e = await loadOverrides(path).catch((e) => e);
    assert.ok(e instanceof TomlFileError);
    assert.equal(e.line, null);
    assert.ok(e.message.startsWith(`${path}: cannot read`), e.message);
    assert.ok(!e.message.includes("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cache saved: reads priced as uncached input minus their cost, per model, in ls and the report alike", () => {
  const sonnet = lookupModel(table, "claude-sonnet-4-5")!.price;
  near(cacheSavedUsd(1_000_000, sonnet), sonnet.input - sonnet.cacheRead!);
  const noReadRate = { ...sonnet, cacheRead: null };
  near(cacheSavedUsd(1_000_000, noReadRate), sonnet.input * 0.9);
  const byModel = {
    "claude-sonnet-4-5": tokens({ cacheRead: 2_000_000 }),
    "no-such-model": tokens({ cacheRead: 5_000_000 }),
    "claude-haiku-4-5": tokens({ input: 10 }),
  };
  const priceOf = (m: string) => lookupModel(table, m)?.price ?? null;
  near(sessionCacheSaved(byModel, priceOf), 2 * (sonnet.input - sonnet.cacheRead!));
  assert.equal(sessionCacheSaved({ "no-such-model": tokens({ cacheRead: 5 }) }, priceOf), null);
  assert.equal(sessionCacheSaved({}, priceOf), null);
  // The collector's derive stage puts it on the row (JSON `cache_saved_usd`).
  const session = makeSession({ tokensByModel: { "claude-sonnet-4-5": tokens({ cacheRead: 1_000_000 }) } });
  const derived = derive(makeAgent(), session, Date.now(), true, table);
  near(derived.cacheSavedUsd, sonnet.input - sonnet.cacheRead!);
  assert.equal(derive(makeAgent(), null, Date.now(), true, table).cacheSavedUsd, null);
});
