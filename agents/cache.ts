/**
 * Prompt-cache warmth: whether the provider still holds the session's prompt cache, and what the next
 * message costs when it does not.
 *
 * Providers keep a prompt prefix cached for a while after the last request that used it: Anthropic 5
 * minutes by default, 1 hour for prefixes written with `ttl: "1h"` (`ephemeral_1h_input_tokens`), each
 * hit renewing it; OpenAI "5 to 10 minutes of inactivity". While warm, the next message re-reads the
 * context at the cache-read rate. Once cold it is processed again in full:
 * - where the price table has a cache-write rate (Anthropic), Claude Code marks the prompt for caching,
 *   so the whole context is written to the cache again: the cache-write rate (1.25 × input for the
 *   5-minute cache, 2 × input for the 1-hour one);
 * - elsewhere (OpenAI, caching without a write charge) it is plain input: the input rate.
 *
 * The context is the newest request's prompt, so both costs are a lower bound for the next message (it
 * also sends the last response and the new prompt), and leave out output.
 *
 * @module
 */

import type { SessionFacts } from "./session.ts";
import type { ModelPrice } from "./pricing/table.ts";
import { CACHE_READ_FACTOR } from "./pricing/cost.ts";

/** Prompt-cache lifetime when the transcript does not tell it (Anthropic's default; OpenAI's least). */
export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
/** Anthropic's 1-hour cache writes cost this much times the input rate. */
export const CACHE_WRITE_1H_FACTOR = 2;
/** Cache lifetimes at least this long are billed at the 1-hour write rate. */
const ONE_HOUR_MS = 60 * 60_000;

/** The state of a session's prompt cache at one moment. */
export interface CacheWarmth {
  /** When the session last sent a request (ms since epoch). */
  lastRequestAt: number;
  /** How long the provider keeps the cache after a request (ms). */
  ttlMs: number;
  /** True while the cache still holds. */
  warm: boolean;
  /** When the cache expires (or expired), ms since epoch. */
  expiresAt: number;
  /** USD the next message pays to process the current context without the cache; null when unpriced. */
  coldCostUsd: number | null;
  /** USD the next message pays for the same context read from the cache; null when unpriced. */
  warmCostUsd: number | null;
}

/** What {@linkcode cacheWarmth} reads from a session. */
export type CacheFacts = Pick<SessionFacts, "lastRequestAt" | "cacheTtlMs" | "contextTokens">;

/**
 * The prompt-cache warmth of a session at `now`, priced at `price` (the session model's rates, from
 * `lookupModel`; null when unknown); null when the session's last request time is unknown.
 *
 * @example
 * ```ts
 * const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, maxInputTokens: 200_000 };
 * const at = Date.parse("2026-11-24T10:00:00Z");
 * const w = cacheWarmth({ lastRequestAt: at, cacheTtlMs: null, contextTokens: 100_000 }, at + 6 * 60_000, price);
 * w?.warm; // false: the 5-minute cache expired a minute ago
 * w?.coldCostUsd; // 0.375: 100k tokens written to the cache again at $3.75 per million
 * ```
 */
export function cacheWarmth(session: CacheFacts, now: number, price: ModelPrice | null): CacheWarmth | null {
  const last = session.lastRequestAt;
  if (last == null) return null;
  const ttlMs = session.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const expiresAt = last + ttlMs;
  const context = session.contextTokens;
  const known = price !== null && context != null;
  return {
    lastRequestAt: last,
    ttlMs,
    warm: now < expiresAt,
    expiresAt,
    coldCostUsd: known ? (context * coldRate(price, ttlMs)) / 1e6 : null,
    warmCostUsd: known ? (context * (price.cacheRead ?? price.input * CACHE_READ_FACTOR)) / 1e6 : null,
  };
}

/** USD per million context tokens processed again without the cache. */
function coldRate(price: ModelPrice, ttlMs: number): number {
  if (price.cacheWrite === null) return price.input;
  return ttlMs >= ONE_HOUR_MS ? price.input * CACHE_WRITE_1H_FACTOR : price.cacheWrite;
}
