/**
 * Token usage as Anthropic's API reports it (input, output, cache reads, cache writes), under whatever
 * names an agent writes it, in agtop's buckets.
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { type JsonObject, positive } from "./records.ts";

/** The names an agent writes the four counts of an Anthropic-style usage object under. */
export interface UsageNames {
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
}

/**
 * An Anthropic-style usage object in agtop's buckets: counts that are missing or not above 0 are 0, and
 * `reasoning` stays 0 (output includes thinking).
 *
 * @example
 * ```ts
 * const names = { input: "inputTokens", output: "outputTokens", cacheRead: "cacheRead", cacheWrite: "cacheWrite" };
 * usageBuckets({ inputTokens: 12, outputTokens: 40 }, names);
 * // { input: 12, output: 40, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
 * ```
 */
export function usageBuckets(u: JsonObject, names: UsageNames): TokenBuckets {
  return {
    input: positive(u[names.input]),
    output: positive(u[names.output]),
    cacheRead: positive(u[names.cacheRead]),
    cacheWrite: positive(u[names.cacheWrite]),
    reasoning: 0,
  };
}
