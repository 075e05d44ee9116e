/**
 * OpenCode's and Kilo Code's tool calls for `agtop report tools`, from the `part` table of their
 * database: each `tool` part is a call from `state.time.start` to `state.time.end`, failed when its
 * `state.status` is `error`; a part still `pending` or `running` has no end. The parts of the
 * session's child sessions (its `task` subagents) count in it. MCP tools are named
 * `<server>_<tool>`, which cannot be told from the agent's own tool names, so they are not grouped.
 *
 * @module
 */

import type { ToolCallRecord } from "../vendor.ts";
import type { Database } from "./sqlite.ts";
import { databaseToolCalls, sessionFamily } from "./database_tool_calls.ts";
import { epochMs } from "./records.ts";

/**
 * Every tool call of the OpenCode (or Kilo) session at `path` (`<database>#<session id>`), in part
 * order. Throws when the database cannot be read.
 *
 * @example
 * ```ts
 * const calls = openCodeToolCalls("/home/me/.local/share/opencode/opencode.db#ses_1");
 * calls.length;
 * ```
 */
export function openCodeToolCalls(path: string): ToolCallRecord[] {
  return databaseToolCalls(path, sessionCalls);
}

/** The tool parts of session `id` and of its child sessions. */
function sessionCalls(d: Database, id: string): ToolCallRecord[] {
  const ids = sessionFamily(d, "session", "parent_id", id);
  return ids.flatMap((s) =>
    d.all(
      `SELECT json_extract(data, '$.tool') AS tool, json_extract(data, '$.state.status') AS status,
         json_extract(data, '$.state.time.start') AS start, json_extract(data, '$.state.time.end') AS end
       FROM part WHERE message_id IN (SELECT id FROM message WHERE session_id = ?)
         AND json_valid(data) AND json_extract(data, '$.type') = 'tool' ORDER BY id`,
      s,
    ).map((r) => ({
      name: typeof r.tool === "string" && r.tool ? r.tool : "tool",
      server: null,
      startedAt: epochMs(r.start),
      endedAt: r.status === "completed" || r.status === "error" ? epochMs(r.end) : null,
      answered: r.status === "completed" || r.status === "error",
      failed: r.status === "error",
    }))
  );
}
