/**
 * Factory Droid's tool calls for `agtop report tools`: its session JSONL holds `message` entries whose
 * content blocks are Anthropic's, so each `tool_use` block of an assistant message is a call at that
 * entry's time and each `tool_result` block of a user message its result (`is_error` marks a failure).
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { anthropicToolBlocks, loggedCalls, TOOL_BLOCK_LINES } from "../../formats/tool_calls.ts";
import { isObject } from "../../formats/records.ts";

/**
 * Every tool call of the Droid session at `path`, oldest first.
 *
 * @example
 * ```ts
 * const calls = droidToolCalls("/home/me/.factory/sessions/-home-me-app/7468ca47.jsonl");
 * calls.length;
 * ```
 */
export function droidToolCalls(path: string): ToolCallRecord[] {
  return loggedCalls(path, (rec, log, at) => {
    if (rec.type === "message" && isObject(rec.message)) anthropicToolBlocks(log, rec.message.content, at);
  }, TOOL_BLOCK_LINES);
}
