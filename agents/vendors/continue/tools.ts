/**
 * Continue CLI's tool calls for `agtop report tools`: the `toolCallStates` of each assistant message in
 * its session document. Continue records no time for a call or its result, so its calls are counted
 * with no duration (at the session's last activity); `status` `done`, `errored` or `canceled` means
 * answered, `errored` and `canceled` failed. MCP tools are `mcp__<server>__<tool>`.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { mcpTool } from "../../formats/tool_calls.ts";
import { readJson } from "../../formats/files.ts";
import { DOCUMENT_BYTES } from "../../formats/regular.ts";
import { isObject } from "../../formats/records.ts";

/** Statuses of a call that has its result. */
const ANSWERED = new Set(["done", "errored", "canceled"]);

/**
 * Every tool call of the Continue session document at `path`, in message order. Throws when the
 * document cannot be read.
 *
 * @example
 * ```ts
 * const calls = continueToolCalls("/home/me/.continue/sessions/8da1a91f.json");
 * calls.every((c) => c.endedAt === null); // Continue keeps no times
 * ```
 */
export function continueToolCalls(path: string): ToolCallRecord[] {
  const doc = readJson(path, DOCUMENT_BYTES);
  if (!doc) throw new Error("not a readable session document");
  const out: ToolCallRecord[] = [];
  for (const item of Array.isArray(doc.history) ? doc.history : []) {
    const states = isObject(item) && Array.isArray(item.toolCallStates) ? item.toolCallStates : [];
    for (const s of states) {
      const fn = isObject(s) && isObject(s.toolCall) && isObject(s.toolCall.function)
        ? s.toolCall.function
        : null;
      if (!fn || typeof fn.name !== "string") continue;
      const mcp = mcpTool(fn.name);
      out.push({
        name: mcp?.name ?? fn.name,
        server: mcp?.server ?? null,
        startedAt: null,
        endedAt: null,
        answered: ANSWERED.has(String(s.status)),
        failed: s.status === "errored" || s.status === "canceled",
      });
    }
  }
  return out;
}
