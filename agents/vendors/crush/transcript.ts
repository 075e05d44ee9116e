/**
 * Crush's session records as agtop reads them. Crush keeps a project's sessions in
 * `<project>/.crush/crush.db`: a `sessions` row (title, cost, the newest request's token counts, todos,
 * `parent_session_id` for subagents) and `messages` whose `parts` JSON holds typed items (`text`,
 * `reasoning`, `tool_call`, `tool_result`, `finish`). These pure functions turn rows into agtop's facts.
 *
 * @module
 */

import type { ActivityEvent, SubagentFacts, ToolCall, TurnState } from "../../session.ts";
import { emptyTokens, newestCall, SUBAGENT_QUIET_MS } from "../../session.ts";
import { epochMs, isObject, type JsonObject } from "../../formats/records.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { firstArg } from "../../formats/tool_args.ts";

/** Characters kept of a text, a thought or a tool result. */
const HEAD = 2_000;

/** What agtop keeps of one message. */
export interface CrushMessage {
  id: string;
  /** `user`, `assistant`, `tool` or `system`. */
  role: string;
  /** ms since epoch. */
  created: number | null;
  updated: number | null;
  /** When the response was complete, ms; null while generating. */
  finished: number | null;
  model: string | null;
  /** A summary Crush wrote when it compacted the conversation. */
  summary: boolean;
  /** Heads of the text parts. */
  texts: string[];
  /** Head of the reasoning part. */
  reasoning: string | null;
  calls: { id: string; name: string; arg: string }[];
  results: { id: string; error: boolean; text: string }[];
  /** Reason of the `finish` part (`end_turn`, `tool_use`, `canceled`, `error`, …). */
  finish: string | null;
  /** Message of a `finish` part that reports an error. */
  finishMessage: string | null;
}

/** One `sessions` row as agtop uses it. */
export interface CrushSessionInfo {
  id: string;
  title: string | null;
  created: number | null;
  updated: number | null;
  /** Cost Crush recorded (its subagents' cost included). */
  cost: number | null;
  /** The in-progress todo, when Crush keeps todos. */
  task: string | null;
}

/** A session with its messages, oldest first, and its subagents' sessions. */
export interface CrushView {
  info: CrushSessionInfo;
  messages: CrushMessage[];
  children: CrushView[];
  /** Rows that could not be read. */
  malformed: number;
}

/**
 * A message row as a {@linkcode CrushMessage}, or null when its `parts` are not JSON (some builds
 * compress them). Times are unix seconds in the row.
 *
 * @example
 * ```ts
 * parseCrushMessage({ id: "m1", role: "assistant", created_at: 1795491351, parts: '[{"type":"tool_call","data":{"id":"c1","name":"bash","input":"{\\"command\\":\\"go test ./...\\"}"}}]' });
 * ```
 */
export function parseCrushMessage(row: JsonObject): CrushMessage | null {
  if (typeof row.id !== "string") return null;
  let parts: unknown;
  try {
    const raw = row.parts instanceof Uint8Array ? new TextDecoder().decode(row.parts) : row.parts;
    parts = typeof raw === "string" ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
  if (!Array.isArray(parts)) return null;
  const m: CrushMessage = {
    id: row.id,
    role: typeof row.role === "string" ? row.role : "",
    created: epochMs(row.created_at),
    updated: epochMs(row.updated_at),
    finished: epochMs(row.finished_at),
    model: typeof row.model === "string" && row.model ? row.model : null,
    summary: row.is_summary_message === 1 || row.is_summary_message === true,
    texts: [],
    reasoning: null,
    calls: [],
    results: [],
    finish: null,
    finishMessage: null,
  };
  for (const p of parts) {
    const type = isObject(p) ? p.type : null;
    const d: JsonObject = isObject(p) && isObject(p.data) ? p.data : {};
    if (type === "text" && typeof d.text === "string" && d.text.trim()) m.texts.push(d.text.slice(0, HEAD));
    else if (type === "reasoning" && typeof d.thinking === "string" && d.thinking) {
      m.reasoning = d.thinking.slice(0, HEAD);
    } else if (type === "tool_call" && typeof d.id === "string") {
      const name = typeof d.name === "string" && d.name ? d.name : "tool";
      m.calls.push({ id: d.id, name, arg: crushToolArg(name, d.input) });
    } else if (type === "tool_result" && typeof d.tool_call_id === "string") {
      m.results.push({
        id: d.tool_call_id,
        error: d.is_error === true,
        text: typeof d.content === "string" ? d.content.slice(0, HEAD) : "",
      });
    } else if (type === "finish") {
      m.finish = typeof d.reason === "string" ? d.reason : null;
      m.finishMessage = typeof d.message === "string" && d.message ? d.message : null;
      m.finished ??= epochMs(d.time);
    }
  }
  return m;
}

/**
 * The one argument of a Crush tool call a user wants to see, from its `input` (JSON text).
 *
 * @example
 * ```ts
 * crushToolArg("bash", '{"command":"go test ./..."}'); // "go test ./..."
 * crushToolArg("view", '{"file_path":"main.go"}'); // "main.go"
 * ```
 */
export function crushToolArg(name: string, input: unknown): string {
  let args: JsonObject = {};
  try {
    const v = typeof input === "string" ? JSON.parse(input) : input;
    if (isObject(v)) args = v;
  } catch {
    return "";
  }
  if (name === "bash") return typeof args.command === "string" ? args.command : "";
  return firstArg(args, ["file_path", "path", "pattern", "url", "query", "command", "description", "prompt"]);
}

/**
 * Where a session stands after its messages: the tool calls without a result, the turn state, the last
 * prompt and the activity tail.
 *
 * @example
 * ```ts
 * const m = parseCrushMessage({ id: "m1", role: "assistant", created_at: 1795491351, parts: '[{"type":"tool_call","data":{"id":"c1","name":"bash","input":"{\\"command\\":\\"go test ./...\\"}"}}]' });
 * crushTurn(m ? [m] : []).currentTool; // { name: "bash", arg: "go test ./...", … } while its result is missing
 * ```
 */
export function crushTurn(messages: CrushMessage[]): {
  currentTool: ToolCall | null;
  pending: Set<string>;
  turn: TurnState;
  stopReason: string | null;
  lastPrompt: string | null;
  model: string | null;
  activity: ActivityEvent[];
} {
  const s = new TranscriptState();
  let model: string | null = null;
  for (const m of messages) {
    const at = m.created;
    if (m.role === "user") {
      if (m.summary || !m.texts.length) continue;
      s.prompt(at, m.texts.join("\n"));
      s.turn = "working";
      s.pending.clear();
    } else if (m.role === "assistant") {
      model = m.model ?? model;
      if (m.reasoning) s.activity.push(at, "thinking", m.reasoning);
      for (const t of m.texts) s.activity.push(at, "text", t);
      for (const c of m.calls) s.toolCall(at, c.name, c.arg, c.id);
      if (m.finish) s.stopReason = m.finish;
      if (m.finish === "error") s.activity.push(m.finished ?? at, "error", m.finishMessage ?? "error");
      else if (m.finish === "canceled") s.activity.push(m.finished ?? at, "system", "canceled");
      if (m.finished === null && m.finish === null) s.turn = "working";
      else if (m.finish === "tool_use" || m.calls.length > 0) s.turn = "working";
      else s.endTurn();
    } else if (m.role === "tool") {
      for (const r of m.results) {
        s.pending.delete(r.id);
        s.activity.push(at, r.error ? "error" : "result", firstLine(r.text));
      }
      if (s.turn !== "ended") s.turn = "working";
    }
  }
  return {
    currentTool: s.turn === "ended" ? null : newestCall(s.pending),
    pending: new Set(s.pending.keys()),
    turn: s.turn,
    stopReason: s.stopReason,
    lastPrompt: promptLine(s.lastPrompt),
    model,
    activity: s.activity.events(),
  };
}

/**
 * A child session as a subagent: Crush names an agent tool's session `<message id>$$<tool call id>`,
 * so it is running while the parent's call has no result (or, for other children, while its own turn
 * is open and it was written recently). Crush records no token totals, so `tokens` stay 0.
 *
 * @example
 * ```ts
 * declare const child: CrushView; // session "m1$$c1": the agent tool call c1 of its parent
 * crushSubagent(child, new Set(["c1"]), Date.now()).status; // "running" while c1 has no result
 * ```
 */
export function crushSubagent(child: CrushView, parentPending: Set<string>, now: number): SubagentFacts {
  const t = crushTurn(child.messages);
  const callId = child.info.id.includes("$$")
    ? child.info.id.slice(child.info.id.lastIndexOf("$$") + 2)
    : null;
  const newest = child.messages.at(-1);
  const lastActivity = Math.max(child.info.updated ?? 0, newest?.updated ?? newest?.created ?? 0) || null;
  const running = callId !== null
    ? parentPending.has(callId)
    : t.turn === "working" && lastActivity !== null && now - lastActivity < SUBAGENT_QUIET_MS;
  return {
    id: child.info.id,
    type: callId !== null ? "agent" : null,
    description: promptLine(child.info.title),
    status: running ? "running" : "done",
    model: t.model,
    tokens: emptyTokens(),
    currentTool: running ? t.currentTool : null,
    lastActivity,
  };
}

/**
 * The in-progress item of Crush's `todos` JSON (`[{content, status, active_form}]`), or null.
 *
 * @example
 * ```ts
 * crushTask('[{"content":"Add tests","status":"in_progress","active_form":"Adding tests"}]'); // "Adding tests"
 * ```
 */
export function crushTask(todos: unknown): string | null {
  let list: unknown;
  try {
    list = typeof todos === "string" ? JSON.parse(todos) : null;
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const active = list.find((t): t is JsonObject => isObject(t) && t.status === "in_progress");
  if (!active) return null;
  const text = typeof active.active_form === "string" && active.active_form
    ? active.active_form
    : active.content;
  return typeof text === "string" && text ? text : null;
}
