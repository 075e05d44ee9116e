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
import { BUSY, type Database, readDatabase } from "./sqlite.ts";
import { epochMs } from "./records.ts";

/** How deep child sessions are followed. */
const MAX_DEPTH = 4;

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
  const hash = path.lastIndexOf("#");
  if (hash < 0) throw new Error("tool calls are read from the database only");
  const id = path.slice(hash + 1);
  const read = readDatabase(path.slice(0, hash), (d) => sessionCalls(d, id));
  if (read === BUSY) throw new Error("database locked by its writer");
  if (read === null) throw new Error("not a readable database");
  return read;
}

/** The tool parts of session `id` and of its child sessions. */
function sessionCalls(d: Database, id: string): ToolCallRecord[] {
  const ids = [id];
  if (d.columns("session").has("parent_id")) {
    let level = [id];
    for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
      level = level.flatMap((p) =>
        d.all(`SELECT id FROM session WHERE parent_id = ?`, p).map((r) => String(r.id))
      );
      ids.push(...level);
    }
  }
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
