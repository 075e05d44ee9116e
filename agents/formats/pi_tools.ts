/**
 * pi's and oh-my-pi's tool calls for `agtop report tools`: each `toolCall` block of an assistant
 * message is a call at that entry's time, each `toolResult` message its result (`isError` marks a
 * failure). Every branch of the session tree counts: a call made on an abandoned branch was still made.
 *
 * @module
 */

import type { ToolCallRecord } from "../vendor.ts";
import { loggedCalls } from "./tool_calls.ts";
import { epochMs, isObject } from "./records.ts";

/**
 * Every tool call of the pi (or oh-my-pi) session file at `path`, oldest first.
 *
 * @example
 * ```ts
 * const calls = piToolCalls("/home/me/.pi/agent/sessions/--home-me-app--/2026-12-06T16-03-59_01a2.jsonl");
 * calls.length;
 * ```
 */
export function piToolCalls(path: string): ToolCallRecord[] {
  return loggedCalls(path, (rec, log, recorded) => {
    const msg = rec.message;
    if (rec.type !== "message" || !isObject(msg)) return;
    const at = recorded ?? epochMs(msg.timestamp);
    if (msg.role === "toolResult" && typeof msg.toolCallId === "string") {
      log.result(msg.toolCallId, at, msg.isError === true);
    } else if (msg.role === "assistant" && Array.isArray(msg.content)) {
      for (const b of msg.content) {
        if (isObject(b) && b.type === "toolCall" && typeof b.id === "string" && typeof b.name === "string") {
          log.call(b.id, b.name, at);
        }
      }
    }
  });
}
