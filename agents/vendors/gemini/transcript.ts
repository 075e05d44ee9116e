/**
 * Gemini CLI chat files (`~/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl`, and the older
 * whole-file `.json`): a pure, incremental parser fed one record at a time, plus the pieces Qwen Code
 * (a Gemini CLI fork) shares with it: Gemini-API usage in agtop's buckets, a token ledger where the
 * last copy of a message wins, `parts` helpers and tool arguments.
 *
 * @module
 */

import type { ActivityEvent, SessionFacts, TokenBuckets, ToolCall, TurnState } from "../../session.ts";
import { addTokens, emptyTokens } from "../../session.ts";
import { feedJsonLine, isObject, nonBlank, positive, timestamp } from "../../formats/records.ts";
import {
  ACTIVITY_LENGTH,
  ACTIVITY_WIDTH,
  ActivityTail,
  cleanLine,
  firstLine,
  promptLine,
} from "../../formats/text.ts";

/** What a chat file tells about its session (everything in {@linkcode SessionFacts} but where it was found). */
export type GeminiFacts = Omit<SessionFacts, "vendor" | "path" | "linkedBy">;

type Json = Record<string, unknown>;

/** One API response's usage in agtop's buckets, and the size of the prompt it answered. */
export interface GeminiUsage {
  /** The response's tokens by bucket. */
  tokens: TokenBuckets;
  /** Full prompt of the request: input (cached included) plus tool-use prompt tokens. */
  prompt: number;
}

/**
 * Gemini-API usage (`usageMetadata` names, or Gemini CLI's `tokens` names) in agtop's buckets.
 * `input`/`promptTokenCount` includes the cached tokens, so input = prompt − cached (+ tool-use prompt
 * tokens, billed as input); reasoning = thoughts. Whether the output count includes the thoughts is
 * read from the total when it adds up one way or the other (Gemini's API excludes them, OpenAI-style
 * providers behind Qwen Code include them); otherwise `thoughtsInOutput` decides.
 *
 * @example
 * ```ts
 * geminiUsage({ input: 7020, output: 170, cached: 5020, thoughts: 80, tool: 0, total: 7270 }, false);
 * // { tokens: { input: 2000, output: 170, cacheRead: 5020, cacheWrite: 0, reasoning: 80 }, prompt: 7020 }
 * geminiUsage({ promptTokenCount: 900, candidatesTokenCount: 120, thoughtsTokenCount: 20, totalTokenCount: 1020 }, true);
 * // { tokens: { input: 900, output: 100, cacheRead: 0, cacheWrite: 0, reasoning: 20 }, prompt: 900 }
 * ```
 */
export function geminiUsage(u: Json, thoughtsInOutput: boolean): GeminiUsage {
  const pick = (a: string, b: string) => positive(u[a]) || positive(u[b]);
  const prompt = pick("promptTokenCount", "input");
  const candidates = pick("candidatesTokenCount", "output");
  const cached = Math.min(pick("cachedContentTokenCount", "cached"), prompt);
  const thoughts = pick("thoughtsTokenCount", "thoughts");
  const tool = pick("toolUsePromptTokenCount", "tool");
  const total = pick("totalTokenCount", "total");
  let included = thoughtsInOutput;
  if (thoughts > 0 && total > 0) {
    if (total === prompt + candidates + thoughts + tool) included = false;
    else if (total === prompt + candidates + tool) included = true;
  }
  return {
    tokens: {
      input: prompt - cached + tool,
      output: included ? Math.max(0, candidates - thoughts) : candidates,
      cacheRead: cached,
      cacheWrite: 0,
      reasoning: thoughts,
    },
    prompt: prompt + tool,
  };
}

/** Token totals of one source in a {@linkcode MessageLedger}. */
export interface LedgerTotals {
  /** Every bucket summed. */
  total: TokenBuckets;
  /** The same per model id. */
  byModel: Record<string, TokenBuckets>;
}

interface LedgerEntry {
  source: string;
  model: string;
  tokens: TokenBuckets;
}

/**
 * Token totals over messages that may be written several times: each message id counts once, with
 * its last copy. Entries are never dropped by a rewind: those API calls were made (and billed).
 *
 * @example
 * ```ts
 * const ledger = new MessageLedger();
 * ledger.set("m1", "main", "gemini-2.5-pro", { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
 * ledger.set("m1", "main", "gemini-2.5-pro", { input: 10, output: 7, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
 * ledger.totals().total.output; // 7
 * ```
 */
export class MessageLedger {
  #entries = new Map<string, LedgerEntry>();
  #sources = new Map<string, LedgerTotals>();

  /** Records (or replaces) the usage of message `id`, counted under `source` and `model`. */
  set(id: string, source: string, model: string, tokens: TokenBuckets): void {
    const prev = this.#entries.get(id);
    if (prev) this.#apply(prev, -1);
    const entry = { source, model, tokens: { ...tokens } };
    this.#entries.set(id, entry);
    this.#apply(entry, 1);
  }

  /** Whether any usage was recorded under `source`. */
  has(source: string): boolean {
    return this.#sources.has(source);
  }

  /** Sources with usage, in the order they first appeared. */
  sources(): string[] {
    return [...this.#sources.keys()];
  }

  /** Totals over the given sources (every source by default); fresh objects. */
  totals(sources: Iterable<string> = this.#sources.keys()): LedgerTotals {
    const out: LedgerTotals = { total: emptyTokens(), byModel: {} };
    for (const s of sources) {
      const t = this.#sources.get(s);
      if (!t) continue;
      addTokens(out.total, t.total);
      for (const [m, b] of Object.entries(t.byModel)) addTokens(out.byModel[m] ??= emptyTokens(), b);
    }
    return out;
  }

  #apply(e: LedgerEntry, sign: 1 | -1): void {
    const t = sign === 1 ? e.tokens : scale(e.tokens, -1);
    let totals = this.#sources.get(e.source);
    if (!totals) this.#sources.set(e.source, totals = { total: emptyTokens(), byModel: {} });
    addTokens(totals.total, t);
    addTokens(totals.byModel[e.model] ??= emptyTokens(), t);
  }
}

/** A function call in Gemini-API `parts`. */
export interface FunctionCallPart {
  /** Call id, when the part has one. */
  id: string | null;
  /** Tool name. */
  name: string;
  /** Arguments of the call. */
  args: Json;
}

/** A function response in Gemini-API `parts`. */
export interface FunctionResponsePart {
  /** Id of the call answered, when the part has one. */
  id: string | null;
  /** Tool name. */
  name: string;
  /** The first line a user wants to see of the response (its output or error), or "". */
  text: string;
  /** True when the response carries an error. */
  error: boolean;
}

/**
 * Gemini-API content as a list of parts: a string is one text part, a part is a list of one.
 *
 * @example
 * ```ts
 * partsOf("hi"); // [{ text: "hi" }]
 * ```
 */
export function partsOf(content: unknown): Json[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  if (Array.isArray(content)) return content.flatMap((p) => partsOf(p));
  return isObject(content) ? [content] : [];
}

/**
 * The visible text of Gemini-API parts (thought parts left out), joined by newlines.
 *
 * @example
 * ```ts
 * partsText([{ text: "a" }, { text: "plan", thought: true }, { text: "b" }]); // "a\nb"
 * ```
 */
export function partsText(parts: Json[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought !== true).map((p) => p.text).join("\n");
}

/** The thought parts' text of Gemini-API parts, joined by spaces. */
export function thoughtText(parts: Json[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought === true).map((p) => p.text).join(" ");
}

/** The function calls in Gemini-API parts. */
export function functionCalls(parts: Json[]): FunctionCallPart[] {
  return parts.flatMap((p) => {
    const c = p.functionCall;
    if (!isObject(c) || typeof c.name !== "string") return [];
    return [{ id: nonBlank(c.id), name: c.name, args: isObject(c.args) ? c.args : {} }];
  });
}

/** The function responses in Gemini-API parts. */
export function functionResponses(parts: Json[]): FunctionResponsePart[] {
  return parts.flatMap((p) => {
    const r = p.functionResponse;
    if (!isObject(r)) return [];
    const res = isObject(r.response) ? r.response : {};
    const error = res.error !== undefined && res.error !== null && res.error !== "";
    const text = typeof res.output === "string"
      ? res.output
      : typeof res.error === "string"
      ? res.error
      : isObject(res.error) && typeof res.error.message === "string"
      ? res.error.message
      : "";
    return [{
      id: nonBlank(r.id),
      name: typeof r.name === "string" ? r.name : "",
      text: firstLine(text),
      error,
    }];
  });
}

/** Tool names of the subagent tools in Gemini CLI's and Qwen Code's tool sets. */
export const AGENT_TOOLS: ReadonlySet<string> = new Set(["agent", "task"]);

/**
 * The one argument of a Gemini CLI or Qwen Code tool call a user wants to see, from its `args`.
 *
 * @example
 * ```ts
 * geminiToolArg("run_shell_command", { command: "npm test", description: "Run tests" }); // "npm test"
 * geminiToolArg("read_file", { absolute_path: "/src/a.ts" }); // "/src/a.ts"
 * ```
 */
export function geminiToolArg(name: string, args: Json): string {
  const s = (...keys: string[]) => {
    for (const k of keys) if (typeof args[k] === "string" && args[k]) return args[k] as string;
    return "";
  };
  switch (name) {
    case "run_shell_command":
      return s("command");
    case "read_file":
    case "write_file":
    case "replace":
    case "edit":
      return s("file_path", "absolute_path", "path");
    case "read_many_files": {
      const paths = Array.isArray(args.paths) ? args.paths : Array.isArray(args.include) ? args.include : [];
      return paths.filter((p) => typeof p === "string").join(" ");
    }
    case "list_directory":
      return s("dir_path", "path");
    case "glob":
    case "grep":
    case "grep_search":
    case "search_file_content":
      return s("pattern");
    case "web_fetch":
      return s("url", "prompt");
    case "google_web_search":
    case "web_search":
      return s("query");
    case "save_memory":
      return s("fact");
    case "todo_write": {
      const todos = Array.isArray(args.todos) ? args.todos : [];
      const active = todos.find((t) => isObject(t) && t.status === "in_progress") as Json | undefined;
      return active ? String(active.content ?? active.description ?? "") : `${todos.length} todos`;
    }
  }
  if (AGENT_TOOLS.has(name)) {
    const type = s("subagent_type");
    return type ? `${s("description")} (${type})` : s("description", "prompt");
  }
  const known = s(
    "command",
    "file_path",
    "absolute_path",
    "path",
    "dir_path",
    "pattern",
    "url",
    "query",
    "description",
    "objective",
    "prompt",
  );
  if (known) return known;
  for (const v of Object.values(args)) if (typeof v === "string" && v) return v;
  return "";
}

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
  #ledger = new MessageLedger();
  #messages = new Map<string, Message>();
  /** Ids of the calls whose result the activity already shows from the call's record. */
  #shownResults = new Set<string>();
  #id: string | null = null;
  #kind: string | null = null;
  #summary: string | null = null;
  #startedAt: number | null = null;
  #lastAt: number | null = null;
  #firstPrompt: string | null = null;
  #lastPrompt: string | null = null;
  #lastModel: string | null = null;
  #malformed = 0;

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#malformed;
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
    this.#malformed += feedJsonLine(line, (rec) => this.#record(rec));
  }

  /** Everything the records so far say about the session. */
  facts(): GeminiFacts {
    const list = [...this.#messages.values()];
    const { total, byModel } = this.#ledger.totals();
    const state = turnOf(list);
    return {
      id: this.#id ?? "",
      cwd: null,
      gitBranch: null,
      title: promptLine(this.#summary ?? this.#firstPrompt),
      model: newest(list, (m) => m.model) ?? this.#lastModel,
      lastPrompt: promptLine(newest(list, (m) => m.prompt) ?? this.#lastPrompt),
      currentTask: null,
      currentTool: state.tool,
      subagents: [],
      turn: state.turn,
      stopReason: null,
      startedAt: this.#startedAt,
      lastActivity: this.#lastAt,
      tokens: total,
      tokensByModel: byModel,
      contextTokens: newest(list, (m) => m.context),
      contextWindow: null,
      activity: activityOf(list),
      malformedLines: this.#malformed,
      waitingFor: state.waitingFor,
    };
  }

  #record(rec: Json): void {
    if (typeof rec.$rewindTo === "string") return this.#rewind(rec.$rewindTo);
    if (isObject(rec.$set)) return this.#metadata(rec.$set);
    if (typeof rec.id === "string") return this.#message(rec);
    if (typeof rec.sessionId === "string") this.#metadata(rec);
  }

  /** The header, a `$set` update, or a whole legacy conversation. */
  #metadata(m: Json): void {
    if (typeof m.sessionId === "string" && m.sessionId) this.#id = m.sessionId;
    if (typeof m.kind === "string") this.#kind = m.kind;
    if (typeof m.summary === "string" && m.summary.trim()) this.#summary = m.summary;
    const started = timestamp(m.startTime);
    if (started !== null && (this.#startedAt === null || started < this.#startedAt)) {
      this.#startedAt = started;
    }
    this.#seen(timestamp(m.lastUpdated));
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

  #message(rec: Json): void {
    const id = rec.id as string;
    const at = timestamp(rec.timestamp);
    this.#seen(at);
    if (this.#startedAt === null && at !== null) this.#startedAt = at;
    const type = typeof rec.type === "string" ? rec.type : "";
    const parts = partsOf(rec.content);
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
    else if (type === "error") events.push(at, "error", partsText(parts));
    else if (type === "info" || type === "warning") {
      m.text = partsText(parts);
      events.push(at, "system", m.text);
    }
    m.events = events.events();
    this.#messages.set(id, m);
  }

  #user(rec: Json, parts: Json[], m: Message, events: ActivityTail): void {
    const responses = functionResponses(parts);
    for (const r of responses) {
      if (r.id) m.responses.push(r.id);
      // Gemini CLI 0.61 writes the result twice: in the call's record and as this message.
      if (r.text && !(r.id && this.#shownResults.has(r.id))) {
        events.push(m.at, r.error ? "error" : "result", r.text);
      }
    }
    if (responses.length > 0) return;
    const shown = partsText(partsOf(rec.displayContent));
    const text = shown.trim() ? shown : partsText(parts);
    const trimmed = text.trimStart();
    if (!trimmed || NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    m.prompt = text;
    this.#firstPrompt ??= text;
    this.#lastPrompt = text;
    events.push(m.at, "prompt", text);
  }

  #gemini(rec: Json, parts: Json[], m: Message, events: ActivityTail): void {
    if (m.model) this.#lastModel = m.model;
    if (isObject(rec.tokens)) {
      const usage = geminiUsage(rec.tokens, false);
      this.#ledger.set(rec.id as string, "main", m.model ?? this.#lastModel ?? "unknown", usage.tokens);
      if (usage.prompt > 0) m.context = usage.prompt;
    }
    for (const t of Array.isArray(rec.thoughts) ? rec.thoughts : []) {
      if (!isObject(t)) continue;
      const text = [nonBlank(t.subject), nonBlank(t.description)].filter(Boolean).join(": ");
      if (text) events.push(timestamp(t.timestamp) ?? m.at, "thinking", text);
    }
    const thought = thoughtText(parts);
    if (thought.trim()) events.push(m.at, "thinking", thought);
    m.text = partsText(parts);
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
    for (const f of functionCalls(parts)) {
      if (f.id && recorded.has(f.id)) continue;
      const arg = cleanLine(geminiToolArg(f.name, f.args), ACTIVITY_WIDTH);
      m.requested.push({ name: f.name, arg, id: f.id, startedAt: m.at });
      events.push(m.at, "tool", arg ? `${f.name}: ${arg}` : f.name);
    }
  }

  #seen(at: number | null): void {
    if (at !== null && (this.#lastAt === null || at > this.#lastAt)) this.#lastAt = at;
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

/** `t` with every bucket multiplied by `k`. */
function scale(t: TokenBuckets, k: number): TokenBuckets {
  return {
    input: t.input * k,
    output: t.output * k,
    cacheRead: t.cacheRead * k,
    cacheWrite: t.cacheWrite * k,
    reasoning: t.reasoning * k,
  };
}
