/**
 * Goose's tool calls for `agtop report tools`, from the messages of its SQLite `sessions.db` (the
 * `messages` rows of the session and, from schema v10, its `thread_messages` rows) or of an older
 * JSONL session file: each `toolRequest` item of an `assistant` message is a call at that message's
 * `created_timestamp` (unix seconds), the `toolResponse` item with its id in a `user` message its
 * result at that message's time; a `toolResult.status` of `error`, or a result value marked `isError`,
 * makes it failed. A call stored twice (both tables) counts once. The calls of the session's child
 * (subagent) sessions count in it.
 *
 * Goose tools are named `<extension>__<tool>`, and every Goose extension is an MCP server. The
 * extensions Goose ships (`developer`, `computercontroller`, `memory`, `todo`, …: see
 * {@linkcode GOOSE_OWN_EXTENSIONS}) are its own tools, like another agent's Bash or Edit: they keep their
 * full name (`developer__shell`) and no server. Any other extension is an MCP server the user added:
 * `github__search_issues` is the tool `search_issues` of the server `github`.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { databaseToolCalls, sessionFamily } from "../../formats/database_tool_calls.ts";
import { readJsonlRecords, ToolCallLog } from "../../formats/tool_calls.ts";
import { asObject } from "../../formats/records.ts";
import { gooseItems, gooseTime } from "./transcript.ts";
import { sessionMessageRows } from "./messages.ts";

/**
 * The extensions Goose ships, built in or run inside the agent (platform extensions), whose tools are
 * Goose's own rather than an MCP server's the user added.
 */
export const GOOSE_OWN_EXTENSIONS: ReadonlySet<string> = new Set([
  "developer",
  "computercontroller",
  "autovisualiser",
  "memory",
  "tutorial",
  "platform",
  "todo",
  "apps",
  "chatrecall",
  "extensionmanager",
  "summon",
  "code_execution",
  "tom",
  "analyze",
  "dynamic_task",
  "subagent",
  "orchestrator",
  "summarize",
]);

/**
 * Every tool call of the Goose session at `path`: `<sessions.db>#<session id>`, or an older
 * `<name>.jsonl` session file. Throws when the database cannot be read.
 *
 * @example
 * ```ts
 * const calls = gooseToolCalls("/home/me/.local/share/goose/sessions/sessions.db#20261124_1");
 * calls.length;
 * ```
 */
export function gooseToolCalls(path: string): ToolCallRecord[] {
  const log = new ToolCallLog();
  if (path.endsWith(".jsonl")) {
    readJsonlRecords(path, (rec) => {
      if (typeof rec.role === "string") gooseToolItems(log, rec.role, rec.content, gooseTime(rec.created));
    });
    return log.records();
  }
  return databaseToolCalls(path, (d, id) => {
    for (const s of sessionFamily(d, "sessions", "parent_session_id", id)) {
      for (const r of sessionMessageRows(d, s)) {
        gooseToolItems(log, String(r.role ?? ""), r.content_json, gooseTime(r.created_timestamp));
      }
    }
    return log.records();
  });
}

/**
 * The server and tool of a Goose tool name: `{ server, name }` for a tool of an extension the user
 * added (`github__search_issues`), null for Goose's own tools (`developer__shell`, `shell`).
 *
 * @example
 * ```ts
 * gooseMcpTool("github__search_issues"); // { server: "github", name: "search_issues" }
 * gooseMcpTool("developer__shell"); // null
 * ```
 */
export function gooseMcpTool(name: string): { server: string; name: string } | null {
  const m = /^(.+?)__(.+)$/.exec(name);
  return m && !GOOSE_OWN_EXTENSIONS.has(m[1]) ? { server: m[1], name: m[2] } : null;
}

/**
 * Notes the tool items of one Goose message (its `content` array, or that array as JSON text) made
 * at `at`: `toolRequest` items of an assistant message as calls, `toolResponse` items of a user
 * message as their results.
 *
 * @example
 * ```ts
 * import { ToolCallLog } from "../../formats/tool_calls.ts";
 * const log = new ToolCallLog();
 * gooseToolItems(log, "assistant", [{ type: "toolRequest", id: "c1", toolCall: { status: "success", value: { name: "developer__shell", arguments: {} } } }], 1_000);
 * gooseToolItems(log, "user", [{ type: "toolResponse", id: "c1", toolResult: { status: "error", error: "exit 1" } }], 3_000);
 * log.records()[0].failed; // true
 * ```
 */
export function gooseToolItems(log: ToolCallLog, role: string, content: unknown, at: number | null): void {
  const items = gooseItems(content) ?? [];
  for (const raw of items) {
    const c = asObject(raw);
    if (!c || typeof c.id !== "string") continue;
    if (role === "assistant" && (c.type === "toolRequest" || c.type === "frontendToolRequest")) {
      const call = asObject(asObject(c.toolCall)?.value);
      const name = typeof call?.name === "string" && call.name ? call.name : "tool";
      const mcp = gooseMcpTool(name);
      log.call(c.id, mcp?.name ?? name, at, mcp?.server ?? null);
    } else if (role === "user" && c.type === "toolResponse") {
      const result = asObject(c.toolResult) ?? {};
      log.result(c.id, at, result.status === "error" || asObject(result.value)?.isError === true);
    }
  }
}
