/**
 * Qwen Code's tool calls for `agtop report tools`: each `functionCall` part of an `assistant` record is
 * a call at that record's time, each `functionResponse` part of a `tool_result` record its result; a
 * response carrying an `error` (a failure, or a call the user refused) or a `toolCallResult.status` of
 * `error` or `cancelled` marks it failed. MCP tools are `mcp__<server>__<tool>`.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { loggedCalls } from "../../formats/tool_calls.ts";
import { isObject } from "../../formats/records.ts";
import { functionCalls, functionResponses, partsOf } from "../../formats/genai.ts";

/**
 * Every tool call of the Qwen Code chat at `path`, oldest first.
 *
 * @example
 * ```ts
 * const calls = qwenToolCalls("/home/me/.qwen/projects/-home-me-app/chats/e351e2a0.jsonl");
 * calls.length;
 * ```
 */
export function qwenToolCalls(path: string): ToolCallRecord[] {
  return loggedCalls(path, (rec, log, at) => {
    const message = rec.message;
    if (!isObject(message)) return;
    const parts = partsOf(message.parts);
    if (rec.type === "assistant") {
      for (const c of functionCalls(parts)) if (c.id) log.call(c.id, c.name, at);
    } else if (rec.type === "tool_result") {
      const status = isObject(rec.toolCallResult) ? rec.toolCallResult.status : null;
      for (const r of functionResponses(parts)) {
        if (r.id) log.result(r.id, at, r.error || status === "error" || status === "cancelled");
      }
    }
  });
}
