/**
 * Gemini CLI chat files (`~/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl`, and the older
 * whole-file `.json`): a pure, incremental parser fed one record at a time. The Gemini-API shapes come
 * from `formats/genai.ts`, the tool set and token ledger it shares with Qwen Code from
 * `formats/gemini_cli.ts`.
 *
 * @module
 */

import type { ActivityEvent, ToolCall, TurnState } from "../../session.ts";
import { isObject, type JsonObject, nonBlank, timestamp } from "../../formats/records.ts";
import {
  ACTIVITY_LENGTH,
  ACTIVITY_WIDTH,
  ActivityTail,
  cleanLine,
  firstLine,
  promptLine,
} from "../../formats/text.ts";
import * as genai from "../../formats/genai.ts";
import { geminiToolArg, MessageLedger } from "../../formats/gemini_cli.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import type { SessionRead } from "../../vendor.ts";

/** A finished or recorded tool call of a `gemini` message (`toolCalls[]`). */
export interface GeminiToolCall {
  /** Call id ("" when not recorded). */
  id: string;
  /** Tool name, e.g. `run_shell_command`, or a subagent's name. */
  name: string;
  /** The argument a user wants to see (see {@linkcode geminiToolArg}). */
  arg: string;
  /** `success`, `error`, `cancelled`, or an in-flight status (`executing`, `awaiting_approval`, …). */
  status: string;
  /** The subagent this call ran (`agentId`), when it ran one. */
  agentId: string | null;
  /** What the call does, as Gemini CLI describes it. */
  description: string | null;
  /** When the call was recorded (ms since epoch), when known. */
  at: number | null;
}

/** Tool-call statuses that mean the call has not finished. */
const IN_FLIGHT = new Set(["validating", "scheduled", "executing", "awaiting_approval"]);
/** User text Gemini CLI injects itself rather than the user typing it. */
const NOT_PROMPTS = ["<session_context>", "<system-reminder>", "<context>"];
/** Info messages that mean the user stopped the turn. */
const CANCELLED = /\bcancel/i;

/** What agtop keeps of one message of the conversation. */
interface Message {
  type: string;
  at: number | null;
  prompt: string | null;
  /** Ids of the function responses a `user` message carries. */
  responses: string[];
  model: string | null;
  /** Prompt size of the request a `gemini` message answered. */
  context: number | null;
  calls: GeminiToolCall[];
  /** Function calls in the content that `toolCalls` does not record (known after a history sync). */
  requested: ToolCall[];
  text: string;
  events: ActivityEvent[];
}

/**
 * Incremental parser of one Gemini CLI chat file. Feed it lines in file order (strings, or records
 * already parsed; the older whole-file `.json` is one record holding `messages`) and read
 * {@linkcode facts} whenever needed. It keeps the conversation as Gemini CLI rebuilds it: a message
 * written again replaces its earlier copy in place, `$rewindTo` drops a message and everything after
 * it, `$set.messages` replaces the list. Tokens count every message id once, with its last copy, and
 * stay counted after a rewind (the calls were made). Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new GeminiTranscript();
 * t.feed('{"sessionId":"bd11986c-d8d4-4c5e-9a4f-0d3c1b2a7e6f","projectHash":"24d4","startTime":"2026-11-24T03:32:03.860Z","kind":"main"}');
 * t.feed('{"id":"4767","timestamp":"2026-11-24T03:32:03.978Z","type":"user","content":[{"text":"add a unit test"}]}');
 * t.facts().lastPrompt; // "add a unit test"
 * t.facts().turn; // "working"
 * ```
 */
export class GeminiTranscript {
  #ledger: MessageLedger;
  #messages = new Map<string, Message>();
  /** Ids of the calls whose result the activity already shows from the call's record. */
  #shownResults = new Set<string>();
  #id: string | null = null;
  #kind: string | null = null;
  #summary: string | null = null;
  /** From the header's `startTime`, else the first message's time. */
  #startedAt: number | null = null;
  #lastModel: string | null = null;
  /** Malformed lines, the newest time (of messages and `lastUpdated`) and the prompts. */
  #s = new TranscriptState();
  #read = (rec: JsonObject) => this.#record(rec);

  /** A parser with no lines fed yet; `options.history` keeps the session's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#ledger = new MessageLedger(options);
  }

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#s.malformed;
  }

  /** `kind` from the header: `main`, `subagent`, or null when not said. */
  get kind(): string | null {
    return this.#kind;
  }

  /** Tool calls of the current conversation that ran a subagent (`agentId` set), oldest first. */
  get subagentCalls(): GeminiToolCall[] {
    const out: GeminiToolCall[] = [];
    for (const m of this.#messages.values()) for (const c of m.calls) if (c.agentId) out.push({ ...c });
    return out;
  }

  /** Time of the newest message of the current conversation (ms since epoch), or null. */
  get newestMessageAt(): number | null {
    let at: number | null = null;
    for (const m of this.#messages.values()) if (m.at !== null && (at === null || m.at > at)) at = m.at;
    return at;
  }

  /** Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the records so far say about the session. */
  facts(): SessionRead {
    const list = [...this.#messages.values()];
    const { total, byModel } = this.#ledger.totals();
    const state = turnOf(list);
    return this.#s.facts({
      id: this.#id ?? "",
      title: promptLine(this.#summary ?? this.#s.firstPrompt),
      model: newest(list, (m) => m.model) ?? this.#lastModel,
      lastPrompt: promptLine(newest(list, (m) => m.prompt) ?? this.#s.lastPrompt),
      currentTool: state.tool,
      turn: state.turn,
      startedAt: this.#startedAt,
      tokens: total,
      tokensByModel: byModel,
      contextTokens: newest(list, (m) => m.context),
      activity: activityOf(list),
      waitingFor: state.waitingFor,
      ...this.#ledger.usage(),
    });
  }

  #record(rec: JsonObject): void {
    if (typeof rec.$rewindTo === "string") return this.#rewind(rec.$rewindTo);
    if (isObject(rec.$set)) return this.#metadata(rec.$set);
    if (typeof rec.id === "string") return this.#message(rec);
    if (typeof rec.sessionId === "string") this.#metadata(rec);
  }

  /** The header, a `$set` update, or a whole legacy conversation. */
  #metadata(m: JsonObject): void {
    if (typeof m.sessionId === "string" && m.sessionId) this.#id = m.sessionId;
    if (typeof m.kind === "string") this.#kind = m.kind;
    if (typeof m.summary === "string" && m.summary.trim()) this.#summary = m.summary;
    const started = timestamp(m.startTime);
    if (started !== null && (this.#startedAt === null || started < this.#startedAt)) {
      this.#startedAt = started;
    }
    this.#s.span.see(timestamp(m.lastUpdated));
    if (Array.isArray(m.messages)) {
      this.#messages = new Map();
      for (const msg of m.messages) if (isObject(msg) && typeof msg.id === "string") this.#message(msg);
    }
  }

  #rewind(id: string): void {
    if (!this.#messages.has(id)) {
      this.#messages.clear();
      return;
    }
    let dropping = false;
    for (const key of [...this.#messages.keys()]) {
      if (key === id) dropping = true;
      if (dropping) this.#messages.delete(key);
    }
  }

  #message(rec: JsonObject): void {
    const id = rec.id as string;
    const at = timestamp(rec.timestamp);
    this.#s.span.see(at);
    if (this.#startedAt === null && at !== null) this.#startedAt = at;
    const type = typeof rec.type === "string" ? rec.type : "";
    const parts = genai.partsOf(rec.content);
    const m: Message = {
      type,
      at,
      prompt: null,
      responses: [],
      model: type === "gemini" ? nonBlank(rec.model) : null,
      context: null,
      calls: [],
      requested: [],
      text: "",
      events: [],
    };
    const events = new ActivityTail();
    if (type === "user") this.#user(rec, parts, m, events);
    else if (type === "gemini") this.#gemini(rec, parts, m, events);
    else if (type === "error") events.push(at, "error", genai.partsText(parts));
    else if (type === "info" || type === "warning") {
      m.text = genai.partsText(parts);
      events.push(at, "system", m.text);
    }
    m.events = events.events();
    this.#messages.set(id, m);
  }

  #user(rec: JsonObject, parts: JsonObject[], m: Message, events: ActivityTail): void {
    const responses = genai.functionResponses(parts);
    for (const r of responses) {
      if (r.id) m.responses.push(r.id);
      // Gemini CLI 0.61 writes the result twice: in the call's record and as this message.
      if (r.text && !(r.id && this.#shownResults.has(r.id))) {
        events.push(m.at, r.error ? "error" : "result", r.text);
      }
    }
    if (responses.length > 0) return;
    const shown = genai.partsText(genai.partsOf(rec.displayContent));
    const text = shown.trim() ? shown : genai.partsText(parts);
    const trimmed = text.trimStart();
    if (!trimmed || NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    m.prompt = text;
    this.#s.firstPrompt ??= text;
    this.#s.lastPrompt = text;
    events.push(m.at, "prompt", text);
  }

  #gemini(rec: JsonObject, parts: JsonObject[], m: Message, events: ActivityTail): void {
    if (m.model) this.#lastModel = m.model;
    if (isObject(rec.tokens)) {
      const usage = genai.geminiUsage(rec.tokens, false);
      this.#ledger.set(rec.id as string, "main", m.model ?? this.#lastModel ?? "unknown", usage.tokens, m.at);
      if (usage.prompt > 0) m.context = usage.prompt;
    }
    for (const t of Array.isArray(rec.thoughts) ? rec.thoughts : []) {
      if (!isObject(t)) continue;
      const text = [nonBlank(t.subject), nonBlank(t.description)].filter(Boolean).join(": ");
      if (text) events.push(timestamp(t.timestamp) ?? m.at, "thinking", text);
    }
    const thought = genai.thoughtText(parts);
    if (thought.trim()) events.push(m.at, "thinking", thought);
    m.text = genai.partsText(parts);
    if (m.text.trim()) events.push(m.at, "text", m.text);
    for (const c of Array.isArray(rec.toolCalls) ? rec.toolCalls : []) {
      if (!isObject(c) || typeof c.name !== "string") continue;
      const args = isObject(c.args) ? c.args : {};
      const call: GeminiToolCall = {
        id: typeof c.id === "string" ? c.id : "",
        name: c.name,
        arg: cleanLine(geminiToolArg(c.name, args), ACTIVITY_WIDTH),
        status: typeof c.status === "string" ? c.status : "",
        agentId: nonBlank(c.agentId),
        description: nonBlank(c.description) ?? nonBlank(args.description) ?? nonBlank(args.objective),
        at: timestamp(c.timestamp) ?? m.at,
      };
      m.calls.push(call);
      events.push(call.at, "tool", call.arg ? `${call.name}: ${call.arg}` : call.name);
      const display = typeof c.resultDisplay === "string" ? firstLine(c.resultDisplay) : "";
      if (display && !IN_FLIGHT.has(call.status)) {
        events.push(call.at, call.status === "error" ? "error" : "result", display);
        if (call.id) this.#shownResults.add(call.id);
      }
    }
    const recorded = new Set(m.calls.map((c) => c.id));
    for (const f of genai.functionCalls(parts)) {
      if (f.id && recorded.has(f.id)) continue;
      const arg = cleanLine(geminiToolArg(f.name, f.args), ACTIVITY_WIDTH);
      m.requested.push({ name: f.name, arg, id: f.id, startedAt: m.at });
      events.push(m.at, "tool", arg ? `${f.name}: ${arg}` : f.name);
    }
  }
}

/** Where the turn stands, from the newest messages of the conversation. */
function turnOf(list: Message[]): { turn: TurnState; tool: ToolCall | null; waitingFor: string | null } {
  const answered = new Set<string>();
  for (const m of list) {
    for (const id of m.responses) answered.add(id);
    for (const c of m.calls) if (!IN_FLIGHT.has(c.status)) answered.add(c.id);
  }
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    switch (m.type) {
      case "user":
        // Start-up context (`<session_context>`) is no prompt: nothing was asked yet.
        if (m.prompt === null && m.responses.length === 0) continue;
        return { turn: "working", tool: null, waitingFor: null };
      case "error":
        return { turn: "ended", tool: null, waitingFor: null };
      case "info":
      case "warning":
        if (CANCELLED.test(m.text)) return { turn: "ended", tool: null, waitingFor: null };
        continue;
      case "gemini": {
        const open = m.calls.filter((c) => IN_FLIGHT.has(c.status));
        const requested = m.requested.filter((r) => !r.id || !answered.has(r.id));
        const last = open.at(-1);
        if (last) {
          return {
            turn: "working",
            tool: { name: last.name, arg: last.arg, id: last.id || null, startedAt: last.at },
            waitingFor: last.status === "awaiting_approval" ? "approval" : null,
          };
        }
        if (requested.length > 0) {
          return { turn: "working", tool: { ...requested.at(-1)! }, waitingFor: null };
        }
        // Finished calls go back to the model, unless the user cancelled them. A message without
        // calls is the turn's answer (or the model asked for a tool that has not finished yet: Gemini
        // CLI records calls only once they finish; the tool's process shows that it runs).
        if (m.calls.length > 0) {
          const cancelled = m.calls.every((c) => c.status === "cancelled");
          return { turn: cancelled ? "ended" : "working", tool: null, waitingFor: null };
        }
        return { turn: "ended", tool: null, waitingFor: null };
      }
    }
  }
  return { turn: "unknown", tool: null, waitingFor: null };
}

/** The last {@linkcode ACTIVITY_LENGTH} events of the conversation, oldest first. */
function activityOf(list: Message[]): ActivityEvent[] {
  const out: ActivityEvent[] = [];
  for (let i = list.length - 1; i >= 0 && out.length < ACTIVITY_LENGTH; i--) {
    const events = list[i].events;
    for (let j = events.length - 1; j >= 0 && out.length < ACTIVITY_LENGTH; j--) out.push(events[j]);
  }
  return out.reverse();
}

/** The newest non-null value of `pick` over the messages. */
function newest<T>(list: Message[], pick: (m: Message) => T | null): T | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const v = pick(list[i]);
    if (v !== null) return v;
  }
  return null;
}
