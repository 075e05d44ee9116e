/**
 * Hermes Agent's messages, as its `state.db` keeps them (table `messages`, one row per message in
 * chat-completions shape): `role` `user`/`assistant`/`tool`/`system`, `content`, an assistant's
 * `tool_calls` (a JSON list of `{id, type: "function", function: {name, arguments}}`) and
 * `finish_reason`, a tool row's `tool_call_id`/`tool_name`, `timestamp` in unix seconds, and
 * `display_kind` `hidden` for scaffolding the agent adds itself. A pure, incremental parser fed one
 * row at a time in id order.
 *
 * @module
 */

import type { SessionRead } from "../../vendor.ts";
import { epochMs, isObject, type JsonObject, nonBlank } from "../../formats/records.ts";
import { firstLine } from "../../formats/text.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";

/** One message row as it is fed. */
export interface HermesMessage {
  role: string;
  content: unknown;
  /** The `tool_calls` column: JSON text, or null. */
  toolCalls: unknown;
  toolCallId: unknown;
  toolName: unknown;
  /** Unix seconds. */
  timestamp: unknown;
  finishReason: unknown;
  displayKind: unknown;
}

/** Hermes's tools name their one argument by these keys, besides the common ones (`delegate_task`'s `goal`). */
const HERMES_ARG_KEYS: readonly string[] = [...ARG_KEYS, "goal", "query", "url"];
/** Finish reasons after which the user is next. */
const TURN_ENDS = new Set(["stop", "length", "end_turn", "content_filter"]);

/**
 * The tool calls of an assistant row's `tool_calls` column.
 *
 * @example
 * ```ts
 * hermesToolCalls('[{"id":"call_1","type":"function","function":{"name":"terminal","arguments":"{\\"command\\":\\"ls\\"}"}}]');
 * // [{ id: "call_1", name: "terminal", arg: "ls" }]
 * ```
 */
export function hermesToolCalls(column: unknown): { id: string | null; name: string; arg: string }[] {
  let calls: unknown = column;
  if (typeof column === "string") {
    try {
      calls = JSON.parse(column);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(calls)) return [];
  return calls.filter(isObject).map((c) => {
    const fn = isObject(c.function) ? c.function : c;
    let args: unknown = fn.arguments;
    if (typeof args === "string") {
      try {
        args = JSON.parse(args);
      } catch {
        // a truncated argument string: shown as it is
      }
    }
    return {
      id: nonBlank(c.id),
      name: nonBlank(fn.name) ?? "tool",
      arg: typeof args === "string" ? args : firstArg(args, HERMES_ARG_KEYS),
    };
  });
}

/**
 * Incremental parser of one Hermes session's messages: feed rows in id order, read
 * {@linkcode HermesTranscript.facts} whenever needed. Tokens, cost and model come from the session row,
 * not from here. Never throws.
 *
 * @example
 * ```ts
 * const t = new HermesTranscript();
 * t.feed({ role: "user", content: "run the tests", toolCalls: null, toolCallId: null, toolName: null, timestamp: 1796580000, finishReason: null, displayKind: null });
 * t.facts().lastPrompt; // "run the tests"
 * ```
 */
export class HermesTranscript {
  #s = new TranscriptState();
  #read = (rec: JsonObject) => this.#message(rec as unknown as HermesMessage);

  /** Feeds one message row. */
  feed(row: HermesMessage): void {
    this.#s.feed(row, this.#read);
  }

  /** Everything the rows so far say (tokens, cost and model are the session row's). */
  facts(): SessionRead {
    return this.#s.facts({});
  }

  #message(m: HermesMessage): void {
    const s = this.#s;
    const at = typeof m.timestamp === "number" ? epochMs(m.timestamp) : null;
    s.span.see(at);
    const text = typeof m.content === "string" ? m.content : "";
    switch (m.role) {
      case "user":
        if (m.displayKind !== "hidden" && text.trim()) s.prompt(at, text.trim());
        s.unlessExited("working");
        break;
      case "assistant": {
        if (text.trim()) s.activity.push(at, "text", text);
        for (const call of hermesToolCalls(m.toolCalls)) s.toolCall(at, call.name, call.arg, call.id);
        const finish = nonBlank(m.finishReason);
        s.stopReason = finish ?? s.stopReason;
        if (s.pending.size > 0 || finish === "tool_calls") s.unlessExited("working");
        else if (finish !== null && TURN_ENDS.has(finish)) s.endTurn();
        break;
      }
      case "tool": {
        const id = nonBlank(m.toolCallId);
        if (id) s.pending.delete(id);
        s.activity.push(at, "result", firstLine(text));
        s.unlessExited("working");
        break;
      }
    }
  }
}
