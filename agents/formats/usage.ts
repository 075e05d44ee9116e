/**
 * Token usage as model providers report it, in agtop's buckets: Anthropic-style usage under whatever
 * names an agent writes it, Anthropic's Messages API shape and OpenAI's Chat Completions shape.
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { asObject, type JsonObject, positive } from "./records.ts";

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

/**
 * Anthropic's usage (`input_tokens`, `output_tokens`, `cache_read_input_tokens`,
 * `cache_creation_input_tokens`); output includes thinking, so no separate reasoning.
 *
 * @example
 * ```ts
 * anthropicUsage({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100 }).cacheRead; // 100
 * ```
 */
export function anthropicUsage(u: JsonObject): TokenBuckets {
  return usageBuckets(u, ANTHROPIC);
}

/** The field names of Anthropic's Messages API usage. */
const ANTHROPIC: UsageNames = {
  input: "input_tokens",
  output: "output_tokens",
  cacheRead: "cache_read_input_tokens",
  cacheWrite: "cache_creation_input_tokens",
};

/**
 * OpenAI Chat Completions usage: `prompt_tokens` with the cached tokens inside, `completion_tokens`
 * with the reasoning tokens inside; each counted once, in its own bucket.
 *
 * @example
 * ```ts
 * openAiChatUsage({ prompt_tokens: 5001, completion_tokens: 201, prompt_tokens_details: { cached_tokens: 3001 } });
 * // { input: 2000, output: 201, cacheRead: 3001, cacheWrite: 0, reasoning: 0 }
 * ```
 */
export function openAiChatUsage(u: JsonObject): TokenBuckets {
  const cached = positive(asObject(u.prompt_tokens_details)?.cached_tokens);
  const reasoning = positive(asObject(u.completion_tokens_details)?.reasoning_tokens);
  return {
    input: Math.max(0, positive(u.prompt_tokens) - cached),
    output: Math.max(0, positive(u.completion_tokens) - reasoning),
    cacheRead: cached,
    cacheWrite: 0,
    reasoning,
  };
}
