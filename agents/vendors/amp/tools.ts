/**
 * Amp's tool calls for `agtop report tools`, from its thread document: each `tool_use` block of an
 * assistant message is a call at that message's time, the `tool_result` block with its id
 * (`toolUseID`) in a user message its result at that message's time, once its run finished (a run
 * still in progress leaves the call without a result). A message's time is its `meta.sentAt`, else
 * its usage `timestamp`; a call or result whose message records neither has no duration. A run whose
 * `status` is `error`, `cancelled` or `rejected-by-user` makes the call failed. MCP tools are
 * `mcp__<server>__<tool>` where Amp names them so.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { ToolCallLog } from "../../formats/tool_calls.ts";
import { readJson } from "../../formats/files.ts";
import { DOCUMENT_BYTES } from "../../formats/regular.ts";
import { isObject, nonBlank } from "../../formats/records.ts";
import { ampMessageTime, ampToolOutcome } from "./transcript.ts";

/**
 * Every tool call of the Amp thread at `path` (`T-<uuid>.json`), in message order. Throws when the
 * document cannot be read.
 *
 * @example
 * ```ts
 * const calls = ampToolCalls("/home/me/.local/share/amp/threads/T-019b9d03-62e3-772f-9780-3e637f90eaec.json");
 * calls.filter((c) => !c.answered).length; // calls still running
 * ```
 */
export function ampToolCalls(path: string): ToolCallRecord[] {
  const doc = readJson(path, DOCUMENT_BYTES);
  if (!doc || !Array.isArray(doc.messages)) throw new Error("not a readable thread document");
  const log = new ToolCallLog();
  for (const msg of doc.messages) {
    if (!isObject(msg) || !Array.isArray(msg.content)) continue;
    const at = ampMessageTime(msg);
    for (const b of msg.content) {
      if (!isObject(b)) continue;
      const id = nonBlank(b.id);
      if (msg.role === "assistant" && b.type === "tool_use" && id) {
        log.call(id, nonBlank(b.name) ?? "tool", at);
      } else if (msg.role === "user" && b.type === "tool_result") {
        const outcome = ampToolOutcome(b);
        if (outcome?.id) log.result(outcome.id, at, outcome.failed);
      }
    }
  }
  return log.records();
}
