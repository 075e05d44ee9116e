/**
 * Burn rate: tokens per minute and USD per hour over a sliding window, and the 5-hour usage block the
 * current activity falls in (spent so far, projected at the current rate to the block's end), per
 * agent and in total. Computed from a session's per-minute usage timeline.
 *
 * @module
 */

import { type SessionFacts, totalTokens, USAGE_BLOCK_MS } from "./session.ts";
import type { ModelPrice } from "./pricing/table.ts";
import { modelCost } from "./pricing/cost.ts";

/** Length of the sliding window burn rates are measured over (ms). */
export const BURN_WINDOW_MS = 10 * 60_000;

/** The usage block an agent's activity falls in. */
export interface UsageBlock {
  /** Start (ms since epoch): the hour of the block's first request. */
  start: number;
  /** End (ms since epoch): 5 hours after the start, when the subscription's limit resets. */
  end: number;
  /** Tokens used in the block so far. */
  tokens: number;
  /** USD spent in the block so far (priced models only); null when nothing in it has a price. */
  usd: number | null;
  /** Tokens at the end of the block if the current rate holds. */
  projectedTokens: number;
  /** USD at the end of the block if the current rate holds; null when unpriced. */
  projectedUsd: number | null;
}

/** How fast an agent (or all of them) spends. */
export interface Burn {
  /** When the rates were measured (ms since epoch). */
  at: number;
  /** Tokens per minute over the last {@linkcode BURN_WINDOW_MS}. */
  tokensPerMin: number;
  /** USD per hour over the same window (priced models only); null when nothing in it has a price. */
  usdPerHour: number | null;
  /** The active 5-hour block, for agents whose limits work in blocks (Claude); null otherwise. */
  block: UsageBlock | null;
}

/** The rates of a model by its id as the transcript names it, or null when unpriced (e.g. `lookupModel`). */
export type PriceOf = (model: string) => ModelPrice | null;

/** What {@linkcode sessionBurn} reads from a session. */
export type BurnFacts = Pick<SessionFacts, "recentUsage" | "blockStart">;

/**
 * The burn of one session at `now`: rates over the last `windowMs` and, when the session has a usage
 * block that has not ended, that block with its projection at the window's USD and token rates. Null
 * when the vendor records no usage timeline.
 *
 * @example
 * ```ts
 * const minute = { input: 0, output: 1000, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
 * const at = Date.parse("2026-11-24T10:05:00Z");
 * const burn = sessionBurn(
 *   { recentUsage: [{ at, model: "claude-sonnet-4-5", tokens: minute, requests: 1 }], blockStart: null },
 *   at + 30_000,
 *   () => ({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, maxInputTokens: null }),
 * );
 * burn?.tokensPerMin; // 100: 1000 tokens over 10 minutes
 * burn?.usdPerHour; // 0.09: $0.015 in 10 minutes
 * ```
 */
export function sessionBurn(
  session: BurnFacts,
  now: number,
  priceOf: PriceOf,
  windowMs: number = BURN_WINDOW_MS,
): Burn | null {
  const usage = session.recentUsage;
  if (!usage) return null;
  const prices = new Map<string, ModelPrice | null>();
  const cost = (model: string | null) => {
    if (model === null) return null;
    if (!prices.has(model)) prices.set(model, priceOf(model));
    return prices.get(model)!;
  };
  const sum = (since: number) => {
    let tokens = 0, usd = 0, priced = false;
    for (const m of usage) {
      if (m.at < since || m.at > now) continue;
      const t = totalTokens(m.tokens);
      const price = cost(m.model);
      tokens += t;
      if (price) {
        usd += modelCost(m.tokens, price);
        priced = true;
      }
    }
    return { tokens, usd: priced || tokens === 0 ? usd : null };
  };
  const recent = sum(now - windowMs);
  const tokensPerMin = recent.tokens / (windowMs / 60_000);
  const usdPerHour = recent.usd === null ? null : recent.usd * (3_600_000 / windowMs);
  const start = session.blockStart;
  let block: UsageBlock | null = null;
  if (start != null && now < start + USAGE_BLOCK_MS) {
    const end = start + USAGE_BLOCK_MS;
    const spent = sum(start);
    block = {
      start,
      end,
      tokens: spent.tokens,
      usd: spent.usd,
      projectedTokens: spent.tokens + tokensPerMin * ((end - now) / 60_000),
      projectedUsd: spent.usd === null ? null : spent.usd + (usdPerHour ?? 0) * ((end - now) / 3_600_000),
    };
  }
  return { at: now, tokensPerMin, usdPerHour, block };
}

/**
 * The burn of several agents together: rates summed (USD over the agents that have one); the block is
 * the earliest active one, with every agent's active block spend and projected at the summed rates of
 * the agents that have a block to its end. Agents of one subscription share their block, so for them
 * this is the account's block; it leaves out usage of sessions agtop does not see. Null when no agent
 * has a burn.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "./types.ts";
 * declare const snapshot: Snapshot;
 * totalBurn(snapshot.agents.map((a) => a.burn))?.usdPerHour;
 * ```
 */
export function totalBurn(burns: readonly (Burn | null)[]): Burn | null {
  const known = burns.filter((b): b is Burn => b !== null);
  if (!known.length) return null;
  const at = Math.max(...known.map((b) => b.at));
  const usdOf = (list: Burn[]) => {
    const priced = list.filter((b) => b.usdPerHour !== null);
    return priced.length ? priced.reduce((s, b) => s + b.usdPerHour!, 0) : null;
  };
  const usdPerHour = usdOf(known);
  const withBlock = known.filter((b) => b.block !== null);
  let block: UsageBlock | null = null;
  if (withBlock.length) {
    const start = Math.min(...withBlock.map((b) => b.block!.start));
    const end = start + USAGE_BLOCK_MS;
    const spent = withBlock.filter((b) => b.block!.usd !== null);
    const usd = spent.length ? spent.reduce((s, b) => s + b.block!.usd!, 0) : null;
    const tokens = withBlock.reduce((s, b) => s + b.block!.tokens, 0);
    const rate = withBlock.reduce((s, b) => s + b.tokensPerMin, 0);
    const left = Math.max(0, end - at);
    block = {
      start,
      end,
      tokens,
      usd,
      projectedTokens: tokens + rate * (left / 60_000),
      projectedUsd: usd === null ? null : usd + (usdOf(withBlock) ?? 0) * (left / 3_600_000),
    };
  }
  return { at, tokensPerMin: known.reduce((s, b) => s + b.tokensPerMin, 0), usdPerHour, block };
}
