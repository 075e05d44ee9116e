/**
 * Gemini CLI's tool calls for `agtop report tools`: the `toolCalls[]` of each `gemini` message (the
 * newest copy of a message id wins; Gemini CLI records only finished calls). A call starts at its
 * message's `timestamp` (the response that asked for it) and ends at its own `timestamp` (when its
 * result was recorded); `status` `error` or `cancelled` marks it failed. MCP tools are named
 * `<server>__<tool>` when two servers share a tool name, else by the tool alone with the display name
 * `<tool> (<server> MCP Server)`; either gives the server.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { readJsonlRecords } from "../../formats/tool_calls.ts";
import { isObject, type JsonObject, timestamp } from "../../formats/records.ts";
import { readJson } from "../../formats/files.ts";
import { DOCUMENT_BYTES } from "../../formats/regular.ts";

/** Statuses of a call that did not succeed. */
const FAILED = new Set(["error", "cancelled"]);

/**
 * Every tool call of the Gemini CLI chat at `path` (a `.jsonl` chat, or an older whole `.json` one),
 * in the order of their messages.
 *
 * @example
 * ```ts
 * const calls = geminiToolCalls("/home/me/.gemini/tmp/web-app/chats/session-2026-11-24T03-32-bd11986c.jsonl");
 * calls.length;
 * ```
 */
export function geminiToolCalls(path: string): ToolCallRecord[] {
  const messages = new Map<string, JsonObject>();
  const see = (m: unknown) => {
    if (isObject(m) && typeof m.id === "string" && m.type === "gemini") messages.set(m.id, m);
  };
  if (path.endsWith(".json")) {
    const doc = readJson(path, DOCUMENT_BYTES);
    for (const m of Array.isArray(doc?.messages) ? doc.messages : []) see(m);
  } else {
    readJsonlRecords(path, (rec) => {
      see(rec);
      const set = rec.$set;
      if (isObject(set) && Array.isArray(set.messages)) set.messages.forEach(see);
    });
  }
  const out: ToolCallRecord[] = [];
  for (const m of messages.values()) {
    const at = timestamp(m.timestamp);
    for (const c of Array.isArray(m.toolCalls) ? m.toolCalls : []) {
      if (!isObject(c) || typeof c.name !== "string") continue;
      const mcp = mcpName(c.name, typeof c.displayName === "string" ? c.displayName : "");
      out.push({
        name: mcp?.name ?? c.name,
        server: mcp?.server ?? null,
        startedAt: at,
        endedAt: timestamp(c.timestamp),
        answered: true,
        failed: FAILED.has(String(c.status)),
      });
    }
  }
  return out;
}

/**
 * The server and tool of a Gemini CLI MCP call, from its name (`server__tool`) or its display name
 * (`tool (server MCP Server)`), else null.
 *
 * @example
 * ```ts
 * mcpName("github__search_issues", ""); // { server: "github", name: "search_issues" }
 * mcpName("search_issues", "search_issues (github MCP Server)"); // { server: "github", name: "search_issues" }
 * ```
 */
export function mcpName(name: string, displayName: string): { server: string; name: string } | null {
  const shown = /^(.+) \((.+) MCP Server\)$/.exec(displayName);
  if (shown) return { server: shown[2], name: name.startsWith(`${shown[2]}__`) ? shown[1] : name };
  const qualified = /^(.+?)__(.+)$/.exec(name);
  return qualified ? { server: qualified[1], name: qualified[2] } : null;
}
