/**
 * Claude Code's tool calls for `agtop report tools`: each `tool_use` block of an assistant line is a
 * call at that line's time, each `tool_result` block of a user line its result (`is_error` marks a
 * failure, a refused call included); MCP tools are `mcp__<server>__<tool>`. A session's subagents
 * (`<session>/subagents/agent-*.jsonl`) are read with it, so their calls count in the parent session.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { anthropicToolBlocks, loggedCalls, TOOL_BLOCK_LINES } from "../../formats/tool_calls.ts";
import { isObject } from "../../formats/records.ts";
import { listDir } from "../../formats/files.ts";

/**
 * Every tool call of the Claude Code session at `path` and of its subagents, oldest first per file.
 *
 * @example
 * ```ts
 * const calls = claudeToolCalls("/home/me/.claude/projects/-home-me-app/9f8a.jsonl");
 * calls.filter((c) => c.failed).length;
 * ```
 */
export function claudeToolCalls(path: string): ToolCallRecord[] {
  const calls = fileCalls(path);
  const dir = `${path.replace(/\.jsonl$/, "")}/subagents`;
  for (const name of listDir(dir).sort()) {
    if (name.startsWith("agent-") && name.endsWith(".jsonl")) calls.push(...fileCalls(`${dir}/${name}`));
  }
  return calls;
}

/** The calls of one transcript file: tool uses in assistant lines, results in user lines. */
function fileCalls(path: string): ToolCallRecord[] {
  return loggedCalls(path, (rec, log, at) => {
    if ((rec.type === "assistant" || rec.type === "user") && isObject(rec.message)) {
      anthropicToolBlocks(log, rec.message.content, at);
    }
  }, TOOL_BLOCK_LINES);
}
