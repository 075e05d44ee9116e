/**
 * Token usage as model providers report it, in agtop's buckets: Anthropic's Messages API shape and
 * OpenAI's Chat Completions shape, for agents that record the provider's usage as it came.
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { asObject, type JsonObject, positive } from "./records.ts";

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
  return {
    input: positive(u.input_tokens),
    output: positive(u.output_tokens),
    cacheRead: positive(u.cache_read_input_tokens),
    cacheWrite: positive(u.cache_creation_input_tokens),
    reasoning: 0,
  };
}

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
