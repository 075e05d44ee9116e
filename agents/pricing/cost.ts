/**
 * What a session costs and how full its context window is, priced like the vendors price: every token
 * bucket at its own rate.
 *
 * @example
 * ```ts
 * import { bundledTable } from "./table.ts";
 * import { sessionCost } from "./cost.ts";
 * const tokens = { input: 1000, output: 500, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
 * sessionCost({ "claude-sonnet-4-5": tokens }, bundledTable()); // { usd: 0.0105, basis: "api", unpriced: [] }
 * ```
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { ExactSum } from "./exact_sum.ts";
import {
  contextSuffixWindow,
  isLocalModel,
  lookupModel,
  type ModelHost,
  type ModelPrice,
  type PriceTable,
} from "./table.ts";

/**
 * How a cost was reached: `api` — every model priced from the table; `local` — only local models, free;
 * `unknown` — some model has no price (the UI shows `?`).
 */
export type CostBasis = "api" | "local" | "unknown";

/** The estimated cost of one session. */
export interface SessionCost {
  /** USD of the models that have a price (0 when all are local); null when none has one. */
  usd: number | null;
  basis: CostBasis;
  /** Model names, as the transcript gives them, that have tokens but no price. */
  unpriced: string[];
}

/** Cache-read rate relative to input where a model has none (Anthropic's pricing). */
export const CACHE_READ_FACTOR = 0.1;
/** Cache-write rate relative to input where a model has none (Anthropic's 5-minute cache writes). */
export const CACHE_WRITE_FACTOR = 1.25;

/**
 * USD for `tokens` at `price`: input, cache reads, cache writes and output at their own rates, reasoning
 * at the output rate (the buckets never overlap, so nothing is counted twice).
 */
export function modelCost(tokens: TokenBuckets, price: ModelPrice): number {
  const cacheRead = price.cacheRead ?? price.input * CACHE_READ_FACTOR;
  const cacheWrite = price.cacheWrite ?? price.input * CACHE_WRITE_FACTOR;
  return (tokens.input * price.input + tokens.cacheRead * cacheRead + tokens.cacheWrite * cacheWrite +
    (tokens.output + tokens.reasoning) * price.output) / 1e6;
}

/**
 * USD the prompt cache saved on `cacheReadTokens` at `price`: the reads priced as uncached input minus
 * what they cost as cache reads (list prices).
 *
 * @example
 * ```ts
 * const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, maxInputTokens: 200_000 };
 * cacheSavedUsd(1_000_000, price); // 2.7
 * ```
 */
export function cacheSavedUsd(cacheReadTokens: number, price: ModelPrice): number {
  return cacheReadTokens * (price.input - (price.cacheRead ?? price.input * CACHE_READ_FACTOR)) / 1e6;
}

/**
 * What the prompt cache saved a session, summed over its models ({@linkcode cacheSavedUsd}); null when
 * none of the models that read from the cache has a price (`priceOf` gives local models a zero price).
 *
 * @example
 * ```ts
 * const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, maxInputTokens: 200_000 };
 * const t = { input: 0, output: 0, cacheRead: 1_000_000, cacheWrite: 0, reasoning: 0 };
 * sessionCacheSaved({ "claude-sonnet-4-5": t }, () => price); // 2.7
 * ```
 */
export function sessionCacheSaved(
  tokensByModel: Record<string, TokenBuckets>,
  priceOf: (model: string) => ModelPrice | null,
): number | null {
  let saved: ExactSum | null = null;
  for (const [model, tokens] of Object.entries(tokensByModel)) {
    if (tokens.cacheRead <= 0) continue;
    const price = priceOf(model);
    if (price) (saved ??= new ExactSum()).add(cacheSavedUsd(tokens.cacheRead, price));
  }
  return saved?.value() ?? null;
}

const hasTokens = (t: TokenBuckets): boolean =>
  t.input + t.output + t.cacheRead + t.cacheWrite + t.reasoning > 0;

/**
 * The cost of a session from its tokens per model. Local models cost 0; models without tokens (e.g.
 * Claude Code's `<synthetic>`) are skipped; a model without a price makes the basis `unknown` and is listed
 * in `unpriced`, while `usd` still sums the priced ones.
 *
 * @example
 * ```ts
 * import { bundledTable } from "./table.ts";
 * const t = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
 * sessionCost({ "ollama/qwen2.5-coder": { ...t, input: 5000 } }, bundledTable()); // { usd: 0, basis: "local", … }
 * ```
 */
export function sessionCost(
  tokensByModel: Record<string, TokenBuckets>,
  table: PriceTable,
  host: ModelHost = {},
): SessionCost {
  const sum = new ExactSum();
  let priced = 0;
  let local = 0;
  const unpriced: string[] = [];
  for (const [model, tokens] of Object.entries(tokensByModel)) {
    if (!hasTokens(tokens)) continue;
    if (isLocalModel(model, host)) {
      local++;
      continue;
    }
    const hit = lookupModel(table, model);
    if (hit) {
      sum.add(modelCost(tokens, hit.price));
      priced++;
    } else unpriced.push(model);
  }
  // Summed exactly: a report sums the same costs in other orders, to the same last digit.
  const usd = sum.value();
  if (unpriced.length > 0) return { usd: priced + local > 0 ? usd : null, basis: "unknown", unpriced };
  if (priced === 0 && local === 0) return { usd: null, basis: "unknown", unpriced };
  return { usd, basis: priced > 0 ? "api" : "local", unpriced };
}

/** Standard context windows, smallest first: 128K, 200K, 256K, 400K, 1M, 2M tokens. */
export const STANDARD_WINDOWS: readonly number[] = [128_000, 200_000, 256_000, 400_000, 1_000_000, 2_000_000];

/** A model's context window and how full the newest prompt made it. */
export interface ContextFill {
  /** Tokens; null when unknown. */
  limit: number | null;
  /** 0..1; null when the limit or the prompt size is unknown. */
  fill: number | null;
}

/**
 * The context window of `model` and its fill by the newest prompt. The window is the vendor's when it
 * reports one, else the one a `[1m]`/`-1m` suffix asks for, else the table's `maxInputTokens`; a prompt
 * larger than that proves a larger window, so the limit is raised to the smallest standard window that
 * holds it (and fill never passes 1).
 *
 * @example
 * ```ts
 * import { bundledTable } from "./table.ts";
 * contextLimit("claude-sonnet-4-5", 250_000, bundledTable()); // { limit: 256000, fill: 0.9765625 }
 * ```
 */
export function contextLimit(
  model: string | null,
  observedPromptTokens: number | null,
  table: PriceTable,
  vendorWindow?: number | null,
): ContextFill {
  let limit = vendorWindow && vendorWindow > 0 ? vendorWindow : null;
  if (limit === null && model) {
    limit = contextSuffixWindow(model) ?? lookupModel(table, model)?.price.maxInputTokens ?? null;
  }
  if (limit === null) return { limit: null, fill: null };
  if (observedPromptTokens === null || observedPromptTokens < 0) return { limit, fill: null };
  if (observedPromptTokens > limit) {
    limit = STANDARD_WINDOWS.find((w) => w >= observedPromptTokens) ?? observedPromptTokens;
  }
  return { limit, fill: observedPromptTokens / limit };
}
