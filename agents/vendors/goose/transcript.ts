/**
 * Goose's session records as agtop reads them. A Goose session is a row of counters (accumulated
 * tokens, cost, the model configuration) and a list of messages whose `content` is an array of typed
 * items (`text`, `toolRequest`, `toolResponse`, `thinking`, …); the same shapes sit in the SQLite
 * `sessions.db` and in the older JSONL files (metadata line, then one message per line). These pure
 * functions turn them into agtop's facts.
 *
 * @module
 */

import type { ActivityEvent, TokenBuckets, ToolCall, TurnState } from "../../session.ts";
import { newestCall } from "../../session.ts";
import { asObject, epochMs, type JsonObject } from "../../formats/records.ts";
import { firstLine } from "../../formats/text.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { firstArg } from "../../formats/tool_args.ts";

/** Usage of one session as Goose records it. */
export interface GooseUsage {
  tokens: TokenBuckets;
  /** Total prompt of the newest request (Goose's plain `input_tokens`), or null. */
  contextTokens: number | null;
  /** `accumulated_cost`, when recorded. */
  cost: number | null;
}

/** One message, in the order Goose stored them. */
export interface GooseMessage {
  /** `user` or `assistant`. */
  role: string;
  /** The `content` array (parsed JSON, or JSON text). */
  content: unknown;
  /** ms since epoch, when known. */
  created: number | null;
  /** False for messages Goose hides from the user (`metadata.userVisible: false`). */
  userVisible: boolean;
}

/**
 * The usage of a session row (or of a legacy metadata line): accumulated counters, falling back to
 * the plain ones on rows written before Goose kept both. Goose's input count includes cached input;
 * where it records cache reads and writes, they are taken out of `input` into their own buckets.
 * Goose does not report reasoning tokens apart, so `reasoning` stays 0.
 *
 * @example
 * ```ts
 * gooseUsage({ accumulated_input_tokens: 1200, accumulated_output_tokens: 300, input_tokens: 700 });
 * // { tokens: { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, contextTokens: 700, cost: null }
 * ```
 */
export function gooseUsage(row: JsonObject): GooseUsage {
  const accumulated = count(row.accumulated_input_tokens) !== null ||
    count(row.accumulated_output_tokens) !== null;
  const pick = (name: string) => (accumulated ? count(row[`accumulated_${name}`]) : count(row[name])) ?? 0;
  const cacheRead = pick("cache_read_tokens");
  const cacheWrite = pick("cache_write_tokens");
  const input = pick("input_tokens");
  const cost = typeof row.accumulated_cost === "number" && Number.isFinite(row.accumulated_cost)
    ? row.accumulated_cost
    : null;
  return {
    tokens: {
      input: Math.max(0, input - cacheRead - cacheWrite),
      output: pick("output_tokens"),
      cacheRead,
      cacheWrite,
      reasoning: 0,
    },
    contextTokens: count(row.input_tokens),
    cost,
  };
}

/**
 * The model and its context window from `model_config_json` (`{"model_name": …, "context_limit": …}`).
 *
 * @example
 * ```ts
 * gooseModel('{"model_name":"gpt-4o","context_limit":128000}'); // { model: "gpt-4o", contextWindow: 128000 }
 * ```
 */
export function gooseModel(json: unknown): { model: string | null; contextWindow: number | null } {
  const cfg = asObject(json);
  const model = typeof cfg?.model_name === "string" && cfg.model_name ? cfg.model_name : null;
  return { model, contextWindow: count(cfg?.context_limit) || null };
}

/**
 * Follows the messages of one session in order: tool requests without a response (the tool in
 * flight), the last prompt, where the turn stands and the activity tail.
 *
 * @example
 * ```ts
 * const t = new GooseTranscript();
 * t.feed({ role: "user", content: [{ type: "text", text: "list files" }], created: 1, userVisible: true });
 * t.feed({ role: "assistant", content: [{ type: "toolRequest", id: "c1", toolCall: { status: "success", value: { name: "developer__shell", arguments: { command: "ls" } } } }], created: 2, userVisible: true });
 * t.facts().currentTool; // { name: "developer__shell", arg: "ls", id: "c1", startedAt: 2 }
 * ```
 */
export class GooseTranscript {
  #s = new TranscriptState();

  /** Takes the next message. */
  feed(m: GooseMessage): void {
    const items = gooseItems(m.content);
    if (!items) {
      this.#s.malformed++;
      return;
    }
    this.#s.span.see(m.created);
    if (m.role === "assistant") this.#assistant(items, m.created);
    else if (m.role === "user") this.#user(items, m);
  }

  /** Messages whose content could not be read. */
  get malformed(): number {
    return this.#s.malformed;
  }

  /** What the messages so far say. */
  facts(): {
    currentTool: ToolCall | null;
    turn: TurnState;
    lastPrompt: string | null;
    activity: ActivityEvent[];
    startedAt: number | null;
    lastActivity: number | null;
  } {
    const s = this.#s;
    return {
      currentTool: newestCall(s.pending),
      turn: s.turn,
      lastPrompt: s.lastPrompt,
      activity: s.activity.events(),
      startedAt: s.span.first,
      lastActivity: s.span.last,
    };
  }

  #assistant(items: unknown[], at: number | null): void {
    let requested = false;
    for (const raw of items) {
      const c = asObject(raw);
      if (!c) continue;
      if (c.type === "text" && typeof c.text === "string" && c.text.trim()) {
        this.#s.activity.push(at, "text", c.text);
      } else if (c.type === "thinking" && typeof c.thinking === "string" && c.thinking) {
        this.#s.activity.push(at, "thinking", c.thinking);
      } else if ((c.type === "toolRequest" || c.type === "frontendToolRequest") && typeof c.id === "string") {
        requested = true;
        const call = asObject(asObject(c.toolCall)?.value) ?? {};
        const name = typeof call.name === "string" && call.name ? call.name : "tool";
        this.#s.toolCall(at, name, gooseToolArg(asObject(call.arguments) ?? {}), c.id);
      }
    }
    // Goose stores a response once it is complete: without tool requests, the turn is over.
    if (requested) this.#s.turn = "working";
    else this.#s.endTurn();
  }

  #user(items: unknown[], m: GooseMessage): void {
    const texts: string[] = [];
    let responses = 0;
    for (const raw of items) {
      const c = asObject(raw);
      if (!c) continue;
      if (c.type === "toolResponse" && typeof c.id === "string") {
        responses++;
        this.#s.pending.delete(c.id);
        const result = asObject(c.toolResult) ?? {};
        const failed = result.status === "error" || asObject(result.value)?.isError === true;
        const text = failed && typeof result.error === "string" ? result.error : resultText(result.value);
        this.#s.activity.push(m.created, failed ? "error" : "result", firstLine(text));
      } else if (c.type === "text" && typeof c.text === "string" && c.text.trim()) texts.push(c.text);
    }
    if (responses > 0 || !texts.length) {
      if (responses > 0) this.#s.turn = "working";
      return;
    }
    if (!m.userVisible) return;
    this.#s.prompt(m.created, texts.join("\n"));
    this.#s.turn = "working";
    this.#s.pending.clear();
  }
}

/**
 * The one argument of a Goose tool call a user wants to see (`developer__shell` → its command,
 * `developer__text_editor` → its path, …).
 *
 * @example
 * ```ts
 * gooseToolArg({ command: "cargo test" }); // "cargo test"
 * gooseToolArg({ command: "view", path: "/src/main.rs" }); // "/src/main.rs"
 * ```
 */
export function gooseToolArg(args: JsonObject): string {
  return firstArg(args, ["path", "file_path", "pattern", "url", "query", "command", "description", "prompt"]);
}

/**
 * A message's metadata: false when Goose marks it hidden from the user.
 *
 * @example
 * ```ts
 * userVisible('{"userVisible":false,"agentVisible":true}'); // false
 * ```
 */
export function userVisible(metadata: unknown): boolean {
  return asObject(metadata)?.userVisible !== false;
}

/** The first text of a tool result: an array of content items, or `{content: [...]}`. */
function resultText(value: unknown): string {
  const items = Array.isArray(value) ? value : gooseItems(asObject(value)?.content) ?? [];
  for (const i of items) {
    const o = asObject(i);
    if (typeof o?.text === "string") return o.text;
  }
  return "";
}

/** A non-negative count, or null. */
function count(v: unknown): number | null {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * The items of a Goose message's content: its array, or the array its JSON text holds (as SQLite keeps
 * it); null otherwise.
 *
 * @example
 * ```ts
 * gooseItems('[{"type":"text","text":"hi"}]'); // [{ type: "text", text: "hi" }]
 * gooseItems("{not json"); // null
 * ```
 */
export function gooseItems(v: unknown): unknown[] | null {
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return Array.isArray(v) ? v : null;
}

/**
 * A Goose time as ms since epoch: unix seconds or ms, SQLite's `YYYY-MM-DD HH:MM:SS` (UTC), or
 * RFC 3339 text; null otherwise.
 *
 * @example
 * ```ts
 * gooseTime(1795491351); // 1795491351000
 * gooseTime("2026-11-24 03:35:51"); // 1795491351000
 * ```
 */
export function gooseTime(v: unknown): number | null {
  if (typeof v === "number") return epochMs(v);
  if (typeof v !== "string" || !v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return gooseTime(Number(v));
  const utc = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v.replace(" ", "T")}Z` : v;
  const t = Date.parse(utc);
  return Number.isFinite(t) ? t : null;
}
