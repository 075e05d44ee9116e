/**
 * Crush's tool calls for `agtop report tools`, from the `messages` of the project's `.crush/crush.db`:
 * each `tool_call` part of an assistant message is a call at the message's `created_at`, the
 * `tool_result` part with its `tool_call_id` in a `tool` message its result at that message's
 * `created_at`; `is_error` makes it failed. The calls of the session's child sessions (its agent
 * tool's subagents, `parent_session_id`) count in it. Crush names MCP tools `mcp_<server>_<tool>`
 * (none of its own tools starts with `mcp_`): the server is the part up to the next `_`, so a server
 * whose name holds `_` is cut there.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import type { Database } from "../../formats/sqlite.ts";
import { databaseToolCalls, sessionFamily } from "../../formats/database_tool_calls.ts";
import { ToolCallLog } from "../../formats/tool_calls.ts";
import { type CrushMessage, parseCrushMessage } from "./transcript.ts";

/**
 * Every tool call of the Crush session at `path` (`<project>/.crush/crush.db#<session id>`) and of
 * its subagents' sessions, oldest first. Throws when the database cannot be read.
 *
 * @example
 * ```ts
 * const calls = crushToolCalls("/home/me/api/.crush/crush.db#4b1c2d3e");
 * calls.filter((c) => c.failed).length;
 * ```
 */
export function crushToolCalls(path: string): ToolCallRecord[] {
  return databaseToolCalls(path, (d, id) => {
    const log = new ToolCallLog();
    const sessions = sessionFamily(d, "sessions", "parent_session_id", id).filter((s) =>
      !s.startsWith("title-")
    );
    for (const s of sessions) {
      for (const m of sessionMessages(d, s)) {
        for (const c of m.calls) {
          const mcp = crushMcpTool(c.name);
          log.call(c.id, mcp?.name ?? c.name, m.created, mcp?.server ?? null);
        }
        for (const r of m.results) log.result(r.id, m.created, r.error);
      }
    }
    return log.records();
  });
}

/**
 * The server and tool of a Crush MCP tool name (`mcp_<server>_<tool>`), or null for Crush's own tools.
 *
 * @example
 * ```ts
 * crushMcpTool("mcp_github_search_issues"); // { server: "github", name: "search_issues" }
 * crushMcpTool("bash"); // null
 * ```
 */
export function crushMcpTool(name: string): { server: string; name: string } | null {
  const m = /^mcp_([^_]+)_(.+)$/.exec(name);
  return m ? { server: m[1], name: m[2] } : null;
}

/** The readable messages of session `s`, oldest first. */
function sessionMessages(d: Database, s: string): CrushMessage[] {
  const cols = d.columns("messages");
  if (!cols.has("session_id") || !cols.has("parts")) return [];
  return d.all(
    `SELECT id, ${d.select("messages", ["role", "parts", "created_at"])} FROM messages
     WHERE session_id = ? ORDER BY created_at, id`,
    s,
  ).flatMap((r) => parseCrushMessage(r) ?? []);
}
