/**
 * Copilot CLI's tool calls for `agtop report tools`: each `tool.execution_start` event is a call at its
 * time, the `tool.execution_complete` event with the same `toolCallId` its result (`success: false`
 * marks a failure). An MCP call names its server in `mcpServerName` (its `toolName` may carry the
 * server as a `<server>-` prefix, left out of the row's tool name).
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { loggedCalls } from "../../formats/tool_calls.ts";
import { isObject, nonBlank } from "../../formats/records.ts";

/**
 * Every tool call of the Copilot CLI session whose `events.jsonl` is at `path`, oldest first.
 *
 * @example
 * ```ts
 * const calls = copilotToolCalls("/home/me/.copilot/session-state/471dd490/events.jsonl");
 * calls.length;
 * ```
 */
export function copilotToolCalls(path: string): ToolCallRecord[] {
  return loggedCalls(path, (rec, log, at) => {
    const d = rec.data;
    const id = isObject(d) ? nonBlank(d.toolCallId) : null;
    if (!isObject(d) || !id) return;
    if (rec.type === "tool.execution_start" && typeof d.toolName === "string") {
      const server = nonBlank(d.mcpServerName);
      const tool = nonBlank(d.mcpToolName) ??
        (server && d.toolName.startsWith(`${server}-`) ? d.toolName.slice(server.length + 1) : d.toolName);
      log.call(id, tool, at, server);
    } else if (rec.type === "tool.execution_complete") log.result(id, at, d.success === false);
  });
}
