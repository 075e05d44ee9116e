/**
 * Claude Code transcripts (`~/.claude/projects/<enc(cwd)>/<sessionId>.jsonl`): a pure, incremental
 * parser fed one line at a time, and the token ledger that deduplicates streamed copies of one API
 * response across a session and its subagents.
 *
 * @module
 */

import type {
  ActivityEvent,
  SessionFacts,
  SubagentFacts,
  TokenBuckets,
  ToolCall,
  TurnState,
} from "../session.ts";
import { addTokens, emptyTokens } from "../session.ts";
import { ACTIVITY_WIDTH, ActivityTail, cleanLine, firstLine, PROMPT_WIDTH } from "./text.ts";

/** What a transcript tells about its session (everything in {@linkcode SessionFacts} but where it was found). */
export type ClaudeFacts = Omit<SessionFacts, "vendor" | "path" | "linkedBy">;

/** A subagent the session started through the `Agent` (formerly `Task`) tool. */
export interface ClaudeSubagentCall {
  /** Id of the `tool_use` block that started it (`toolUseId` in the subagent's `.meta.json`). */
  toolUseId: string;
  /** The subagent's id (its transcript is `agent-<agentId>.jsonl`), once the call's result names it. */
  agentId: string | null;
  /** `subagent_type` of the call, or the `agentType` its result reports (e.g. `general-purpose`). */
  type: string | null;
  /** The call's `description`. */
  description: string | null;
  /** True while the call has no result. */
  running: boolean;
  /** When the call was made (ms since epoch), when known. */
  startedAt: number | null;
}

/** Model name Claude Code gives the error messages it writes itself. */
const SYNTHETIC_MODEL = "<synthetic>";
/** Stop reasons that end a turn. */
const TURN_ENDS = new Set(["end_turn", "stop_sequence", "max_tokens", "refusal", "pause_turn"]);
/** Prefixes of user lines that are not something the user typed. */
const NOT_PROMPTS = [
  "<command-",
  "<local-command-",
  "<system-reminder>",
  "<task-notification>",
  "[Request interrupted",
];
/**
 * Record types that carry nothing agtop shows and can be large; lines holding them skip `JSON.parse`.
 * A literal `"type":"x"` only occurs in a line as a real key/value pair: quotes inside JSON strings are escaped.
 */
const SKIPPED_TYPES = ['"type":"file-history-snapshot"', '"type":"progress"'];
/** The top-level `type` comes before the bulky fields; only this many leading characters are searched for it. */
const TYPE_WINDOW = 1024;

type Json = Record<string, unknown>;

/** One deduplicated API response in the ledger. */
interface UsageEntry {
  source: string;
  messageId: string | null;
  sidechain: boolean;
  model: string;
  usage: TokenBuckets;
  counted: boolean;
}

/**
 * Token totals of one Claude session across its transcript files (the session file and its
 * subagents'). Each API response is written as several lines with the same `message.id` and
 * `requestId`; the ledger keeps one copy per `message.id:requestId` (the one with the most output
 * tokens, the latest on a tie; `message.id` alone when `requestId` is missing) and drops sidechain
 * replays of a `message.id` that also has a main-thread copy.
 *
 * @example
 * ```ts
 * const ledger = new ClaudeUsage();
 * const main = new ClaudeTranscript({ ledger, source: "session" });
 * const sub = new ClaudeTranscript({ ledger, source: "agent-a1", subagent: true });
 * ledger.total; // whole session
 * ledger.source("agent-a1"); // one subagent
 * ```
 */
export class ClaudeUsage {
  #byKey = new Map<string, UsageEntry>();
  #byMessage = new Map<string, Set<string>>();
  #bySource = new Map<string, TokenBuckets>();
  #byModel: Record<string, TokenBuckets> = {};
  #total = emptyTokens();
  #anonymous = 0;

  /** Totals over every counted response. Do not modify. */
  get total(): TokenBuckets {
    return this.#total;
  }

  /** Totals per model id. Do not modify. */
  get byModel(): Readonly<Record<string, TokenBuckets>> {
    return this.#byModel;
  }

  /** Totals of the responses counted from one source (a transcript file). */
  source(source: string): TokenBuckets {
    return { ...(this.#bySource.get(source) ?? emptyTokens()) };
  }

  /** Whether a main-thread (non-sidechain) copy of this message was recorded: a sidechain copy is a replay. */
  hasMainCopy(messageId: string): boolean {
    const keys = this.#byMessage.get(messageId);
    if (!keys) return false;
    for (const k of keys) if (!this.#byKey.get(k)!.sidechain) return true;
    return false;
  }

  /** Records one line's copy of a response's usage. */
  record(
    source: string,
    messageId: string | null,
    requestId: string | null,
    sidechain: boolean,
    model: string,
    usage: TokenBuckets,
  ): void {
    const key = messageId === null
      ? `#${this.#anonymous++}`
      : requestId
      ? `${messageId}:${requestId}`
      : messageId;
    const prev = this.#byKey.get(key);
    if (prev && usage.output < prev.usage.output) return;
    if (prev?.counted) this.#apply(prev, -1);
    this.#byKey.set(key, { source, messageId, sidechain, model, usage, counted: false });
    if (messageId === null) return this.#apply(this.#byKey.get(key)!, 1);
    let keys = this.#byMessage.get(messageId);
    if (!keys) this.#byMessage.set(messageId, keys = new Set());
    keys.add(key);
    this.#settle(keys);
  }

  /** Forgets everything counted from `source` (its file is being read again from the start). */
  removeSource(source: string): void {
    const touched = new Set<Set<string>>();
    for (const [key, entry] of this.#byKey) {
      if (entry.source !== source) continue;
      if (entry.counted) this.#apply(entry, -1);
      this.#byKey.delete(key);
      const keys = entry.messageId === null ? undefined : this.#byMessage.get(entry.messageId);
      if (keys) {
        keys.delete(key);
        touched.add(keys);
      }
    }
    for (const keys of touched) this.#settle(keys);
    this.#bySource.delete(source);
  }

  /** Counts the copies of one message id: the main-thread ones, or the sidechain ones when there is no main copy. */
  #settle(keys: Set<string>): void {
    const entries = [...keys].map((k) => this.#byKey.get(k)!);
    const hasMain = entries.some((e) => !e.sidechain);
    for (const e of entries) {
      const count = hasMain ? !e.sidechain : true;
      if (count !== e.counted) this.#apply(e, count ? 1 : -1);
    }
  }

  #apply(e: UsageEntry, sign: 1 | -1): void {
    e.counted = sign === 1;
    const u = sign === 1 ? e.usage : negate(e.usage);
    addTokens(this.#total, u);
    addTokens(this.#byModel[e.model] ??= emptyTokens(), u);
    let src = this.#bySource.get(e.source);
    if (!src) this.#bySource.set(e.source, src = emptyTokens());
    addTokens(src, u);
  }
}

/** Options of a {@linkcode ClaudeTranscript}. */
export interface ClaudeTranscriptOptions {
  /** Ledger shared by the files of one session; a private one by default. */
  ledger?: ClaudeUsage;
  /** Name of this file in the ledger. */
  source?: string;
  /** True for a subagent's own transcript, whose lines are all marked sidechain. */
  subagent?: boolean;
}

interface Task {
  text: string;
  status: string;
}

/**
 * Incremental parser of one Claude Code transcript: feed it lines in file order (strings, or records
 * already parsed) and read {@linkcode facts} whenever needed. Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new ClaudeTranscript();
 * t.feed('{"type":"user","sessionId":"9f8a","timestamp":"2026-11-24T03:26:48.100Z","message":{"role":"user","content":"run the tests"}}');
 * t.facts().lastPrompt; // "run the tests"
 * t.facts().turn; // "working"
 * ```
 */
export class ClaudeTranscript {
  /** The ledger this file's usage goes to. */
  readonly ledger: ClaudeUsage;
  #source: string;
  #subagent: boolean;
  #id: string | null = null;
  #cwd: string | null = null;
  #branch: string | null = null;
  #customTitle: string | null = null;
  #aiTitle: string | null = null;
  #summary: string | null = null;
  #firstPrompt: string | null = null;
  #lastPrompt: string | null = null;
  #finalPrompt: string | null = null;
  #model: string | null = null;
  #todo: string | null = null;
  #tasks = new Map<string, Task>();
  #taskCreates = new Map<string, string>();
  #taskCount = 0;
  #tasksUsed = false;
  #pending = new Map<string, ToolCall>();
  #calls = new Map<string, ClaudeSubagentCall>();
  #turn: TurnState = "unknown";
  #stopReason: string | null = null;
  #startedAt: number | null = null;
  #lastAt: number | null = null;
  #context: number | null = null;
  #activity = new ActivityTail();
  #malformed = 0;

  /** A parser with no lines fed yet. */
  constructor(options: ClaudeTranscriptOptions = {}) {
    this.ledger = options.ledger ?? new ClaudeUsage();
    this.#source = options.source ?? "session";
    this.#subagent = options.subagent ?? false;
  }

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#malformed;
  }

  /** Subagents started by this transcript, oldest first. */
  get subagentCalls(): ClaudeSubagentCall[] {
    return [...this.#calls.values()].map((c) => ({ ...c }));
  }

  /** Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed. */
  feed(line: string | unknown): void {
    let rec: unknown = line;
    if (typeof line === "string") {
      if (line.length === 0) return;
      const head = line.length > TYPE_WINDOW ? line.slice(0, TYPE_WINDOW) : line;
      if (SKIPPED_TYPES.some((t) => head.includes(t))) return;
      try {
        rec = JSON.parse(line);
      } catch {
        this.#malformed++;
        return;
      }
    }
    if (!isObject(rec)) {
      this.#malformed++;
      return;
    }
    try {
      this.#record(rec);
    } catch {
      this.#malformed++;
    }
  }

  /** Everything the lines so far say about the session. Tokens are the ledger's (the whole session when shared). */
  facts(): ClaudeFacts {
    const byModel: Record<string, TokenBuckets> = {};
    for (const [m, t] of Object.entries(this.ledger.byModel)) byModel[m] = { ...t };
    return {
      id: this.#id ?? "",
      cwd: this.#cwd,
      gitBranch: this.#branch,
      title: clean(this.#customTitle ?? this.#aiTitle ?? this.#summary ?? this.#firstPrompt),
      model: this.#model,
      lastPrompt: clean(this.#lastPrompt ?? this.#finalPrompt),
      currentTask: clean(this.#currentTask()),
      currentTool: this.#currentTool(),
      subagents: this.subagentCalls.map(callFacts),
      turn: this.#turn,
      stopReason: this.#stopReason,
      startedAt: this.#startedAt,
      lastActivity: this.#lastAt,
      tokens: { ...this.ledger.total },
      tokensByModel: byModel,
      contextTokens: this.#context,
      contextWindow: null,
      activity: this.#activity.events(),
      malformedLines: this.#malformed,
    };
  }

  /** The newest tool call without a result, or null. */
  #currentTool(): ToolCall | null {
    let last: ToolCall | null = null;
    for (const call of this.#pending.values()) last = call;
    return last ? { ...last } : null;
  }

  #record(rec: Json): void {
    const at = typeof rec.timestamp === "string" ? Date.parse(rec.timestamp) : NaN;
    const ts = Number.isNaN(at) ? null : at;
    if (ts !== null) {
      if (this.#startedAt === null || ts < this.#startedAt) this.#startedAt = ts;
      if (this.#lastAt === null || ts > this.#lastAt) this.#lastAt = ts;
    }
    if (this.#id === null && typeof rec.sessionId === "string") this.#id = rec.sessionId;
    if (this.#cwd === null && typeof rec.cwd === "string" && rec.cwd) this.#cwd = rec.cwd;
    if (typeof rec.gitBranch === "string" && rec.gitBranch) this.#branch = rec.gitBranch;
    switch (rec.type) {
      case "assistant":
        return this.#assistant(rec, ts);
      case "user":
        return this.#user(rec, ts);
      case "system":
        return this.#system(rec, ts);
      case "custom-title":
        this.#customTitle = nonEmpty(rec.customTitle) ?? this.#customTitle;
        return;
      case "ai-title":
        this.#aiTitle = nonEmpty(rec.aiTitle) ?? this.#aiTitle;
        return;
      case "summary":
        this.#summary = nonEmpty(rec.summary) ?? this.#summary;
        return;
      case "last-prompt":
        this.#finalPrompt = nonEmpty(rec.lastPrompt) ?? this.#finalPrompt;
        this.#turn = "exited";
        this.#pending.clear();
        return;
      case "mode":
      case "permission-mode":
        // First lines of an interactive session: a resumed session is open again.
        if (this.#turn === "exited") this.#turn = "ended";
        return;
    }
  }

  /** Whether a record belongs to another thread replayed into this file. */
  #foreign(rec: Json): boolean {
    return rec.isSidechain === true && !this.#subagent;
  }

  #assistant(rec: Json, ts: number | null): void {
    const msg = rec.message;
    if (!isObject(msg)) return;
    const model = typeof msg.model === "string" ? msg.model : null;
    const synthetic = model === SYNTHETIC_MODEL || rec.isApiErrorMessage === true;
    if (isObject(msg.usage) && !synthetic) {
      const usage = usageOf(msg.usage);
      this.ledger.record(
        this.#source,
        typeof msg.id === "string" ? msg.id : null,
        typeof rec.requestId === "string" && rec.requestId ? rec.requestId : null,
        rec.isSidechain === true,
        model ?? "unknown",
        usage,
      );
      const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
      if (!this.#foreign(rec) && prompt > 0) this.#context = prompt;
    }
    if (this.#foreign(rec)) return;
    // A subagent file may replay the parent's responses; they say nothing about the subagent.
    if (this.#subagent && typeof msg.id === "string" && this.ledger.hasMainCopy(msg.id)) return;
    if (model && !synthetic) this.#model = model;
    const blocks = Array.isArray(msg.content) ? msg.content : [];
    let tool = false;
    let text = false;
    for (const b of blocks) {
      if (!isObject(b)) continue;
      if (b.type === "text" && typeof b.text === "string") {
        text = true;
        this.#event(ts, synthetic ? "error" : "text", b.text);
      } else if (b.type === "thinking" && typeof b.thinking === "string" && b.thinking) {
        this.#event(ts, "thinking", b.thinking);
      } else if (b.type === "tool_use" && typeof b.id === "string") {
        tool = true;
        this.#toolUse(b, ts);
      }
    }
    const stop = typeof msg.stop_reason === "string" ? msg.stop_reason : null;
    if (stop) this.#stopReason = stop;
    if (tool || stop === "tool_use") this.#turn = "working";
    else if (synthetic || (stop !== null && TURN_ENDS.has(stop))) {
      this.#turn = "ended";
      this.#pending.clear();
    } else if (stop === null) this.#turn = text ? "unknown" : "working";
  }

  #toolUse(b: Json, ts: number | null): void {
    const id = b.id as string;
    const name = typeof b.name === "string" ? b.name : "tool";
    const input = isObject(b.input) ? b.input : {};
    const arg = cleanLine(toolArg(name, input), ACTIVITY_WIDTH);
    this.#pending.set(id, { name, arg, id, startedAt: ts });
    this.#event(ts, "tool", arg ? `${name}: ${arg}` : name);
    if (name === "Agent" || name === "Task") {
      this.#calls.set(id, {
        toolUseId: id,
        agentId: null,
        type: nonEmpty(input.subagent_type),
        description: nonEmpty(input.description),
        running: true,
        startedAt: ts,
      });
    } else if (name === "TodoWrite" && Array.isArray(input.todos)) {
      const active = input.todos.find((t) => isObject(t) && t.status === "in_progress") as Json | undefined;
      this.#todo = active ? nonEmpty(active.activeForm) ?? nonEmpty(active.content) : null;
      this.#tasksUsed = false;
    } else if (name === "TaskCreate") {
      const key = String(++this.#taskCount); // Claude Code numbers tasks 1, 2, … in creation order
      const text = nonEmpty(input.activeForm) ?? nonEmpty(input.subject) ?? "";
      this.#tasks.set(key, { text, status: "pending" });
      this.#taskCreates.set(id, key);
      this.#tasksUsed = true;
    } else if (name === "TaskUpdate" && input.taskId !== undefined) {
      const key = String(input.taskId);
      const task = this.#tasks.get(key) ?? { text: "", status: "pending" };
      task.text = nonEmpty(input.activeForm) ?? nonEmpty(input.subject) ?? task.text;
      if (typeof input.status === "string") task.status = input.status;
      this.#tasks.delete(key); // re-inserted last: the newest update wins
      if (task.status !== "deleted") this.#tasks.set(key, task);
      this.#tasksUsed = true;
    }
  }

  #user(rec: Json, ts: number | null): void {
    if (this.#foreign(rec)) return;
    const msg = rec.message;
    if (!isObject(msg)) return;
    const content = msg.content;
    let text: string | null = null;
    if (typeof content === "string") text = content;
    else if (Array.isArray(content)) {
      let results = 0;
      const texts: string[] = [];
      for (const b of content) {
        if (!isObject(b)) continue;
        if (b.type === "tool_result") {
          results++;
          this.#toolResult(b, rec, ts);
        } else if (b.type === "text" && typeof b.text === "string") texts.push(b.text);
      }
      if (results > 0) {
        if (this.#turn !== "exited") this.#turn = "working";
        return;
      }
      text = texts.join("\n");
    }
    if (text === null) return;
    const trimmed = text.trimStart();
    const command = /<command-name>\/?([^<]*)<\/command-name>/.exec(trimmed);
    if (command) {
      const name = command[1].trim();
      this.#event(ts, "system", `/${name}`);
      this.#turn = name === "exit" || name === "quit" ? "exited" : "working";
      return;
    }
    if (trimmed.startsWith("<local-command-stdout>") || trimmed.startsWith("<local-command-stderr>")) {
      if (this.#turn !== "exited") this.#turn = "ended"; // `/exit` prints "Bye!" after itself
      return;
    }
    if (trimmed.startsWith("[Request interrupted")) {
      this.#event(ts, "system", "interrupted by user");
      this.#turn = "ended";
      this.#pending.clear();
      return;
    }
    if (trimmed.startsWith("<task-notification>")) {
      this.#turn = "working";
      return;
    }
    if (rec.isMeta === true || rec.isCompactSummary === true || !trimmed) return;
    if (NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    this.#lastPrompt = text;
    this.#firstPrompt ??= text;
    this.#event(ts, "prompt", text);
    this.#turn = "working";
    this.#pending.clear();
  }

  #toolResult(b: Json, rec: Json, ts: number | null): void {
    const id = typeof b.tool_use_id === "string" ? b.tool_use_id : "";
    this.#pending.delete(id);
    const result = isObject(rec.toolUseResult) ? rec.toolUseResult : null;
    const call = this.#calls.get(id);
    if (call) {
      call.running = false;
      if (result) {
        call.agentId = nonEmpty(result.agentId) ?? call.agentId;
        call.type = nonEmpty(result.agentType) ?? call.type;
      }
    }
    const created = this.#taskCreates.get(id);
    if (created !== undefined) {
      this.#taskCreates.delete(id);
      const task = result && isObject(result.task) ? result.task : null;
      const realId = task && task.id !== undefined
        ? String(task.id)
        : /Task #(\w+)/.exec(firstText(b.content))?.[1];
      const entry = this.#tasks.get(created);
      if (realId && realId !== created && entry) {
        this.#tasks.delete(created);
        this.#tasks.set(realId, entry);
      }
    }
    this.#event(ts, b.is_error === true ? "error" : "result", firstLine(firstText(b.content)));
  }

  #system(rec: Json, ts: number | null): void {
    if (this.#foreign(rec)) return;
    switch (rec.subtype) {
      case "turn_duration":
        if (this.#turn !== "exited") this.#turn = "ended";
        this.#pending.clear();
        return;
      case "local_command":
        if (this.#turn !== "exited") this.#turn = "ended";
        return;
      case "compact_boundary": {
        const meta = isObject(rec.compactMetadata) ? rec.compactMetadata : {};
        const pre = typeof meta.preTokens === "number" ? ` from ${meta.preTokens} tokens` : "";
        this.#event(ts, "system", `context compacted${pre}`);
        return;
      }
      case "api_error": {
        const err = isObject(rec.error) ? rec.error : {};
        const detail = nonEmpty(err.message) ?? nonEmpty(rec.content) ?? "";
        this.#event(ts, "error", detail ? `API error: ${detail}` : "API error");
        return;
      }
    }
  }

  #currentTask(): string | null {
    if (!this.#tasksUsed) return this.#todo;
    let current: string | null = null;
    for (const t of this.#tasks.values()) if (t.status === "in_progress" && t.text) current = t.text;
    return current;
  }

  #event(at: number | null, kind: ActivityEvent["kind"], text: string): void {
    this.#activity.push(at, kind, text);
  }
}

/**
 * The one argument of a Claude Code tool call a user wants to see, from its `input`.
 *
 * @example
 * ```ts
 * toolArg("Bash", { command: "npm test", description: "Run tests" }); // "npm test"
 * toolArg("Agent", { description: "Probe", subagent_type: "general-purpose" }); // "Probe (general-purpose)"
 * ```
 */
export function toolArg(name: string, input: Json): string {
  const s = (k: string) => (typeof input[k] === "string" ? input[k] as string : "");
  switch (name) {
    case "Bash":
      return s("command");
    case "Read":
    case "Write":
    case "Edit":
    case "MultiEdit":
      return s("file_path");
    case "NotebookEdit":
      return s("notebook_path");
    case "Grep":
    case "Glob":
      return s("pattern");
    case "WebFetch":
      return s("url");
    case "WebSearch":
      return s("query");
    case "Agent":
    case "Task": {
      const type = s("subagent_type");
      return type ? `${s("description")} (${type})` : s("description");
    }
    case "TodoWrite": {
      const todos = Array.isArray(input.todos) ? input.todos : [];
      const active = todos.find((t) => isObject(t) && t.status === "in_progress") as Json | undefined;
      return active ? String(active.activeForm ?? active.content ?? "") : `${todos.length} todos`;
    }
    case "TaskCreate":
      return s("subject");
    case "TaskUpdate":
      return `#${String(input.taskId ?? "")} ${s("status")}`.trim();
    case "Skill":
      return s("skill");
  }
  for (const k of ["command", "file_path", "path", "pattern", "url", "query", "description", "prompt"]) {
    if (s(k)) return s(k);
  }
  for (const v of Object.values(input)) if (typeof v === "string" && v) return v;
  return "";
}

function callFacts(c: ClaudeSubagentCall): SubagentFacts {
  return {
    id: c.agentId ?? c.toolUseId,
    type: c.type,
    description: c.description,
    status: c.running ? "running" : "done",
    model: null,
    tokens: emptyTokens(),
    currentTool: null,
    lastActivity: c.startedAt,
  };
}

/** Claude's usage numbers in agtop's buckets (output includes thinking; no separate reasoning). */
function usageOf(u: Json): TokenBuckets {
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheRead: num(u.cache_read_input_tokens),
    cacheWrite: num(u.cache_creation_input_tokens),
    reasoning: 0,
  };
}

function negate(t: TokenBuckets): TokenBuckets {
  return {
    input: -t.input,
    output: -t.output,
    cacheRead: -t.cacheRead,
    cacheWrite: -t.cacheWrite,
    reasoning: 0,
  };
}

/** The text of a tool result: a string, or its first text block. */
function firstText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    for (const c of content) if (isObject(c) && typeof c.text === "string") return c.text;
  }
  return "";
}

/** One display line of a prompt, title or task, or null. */
function clean(s: string | null): string | null {
  return s === null ? null : cleanLine(s, PROMPT_WIDTH) || null;
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function nonEmpty(v: unknown): string | null {
  return typeof v === "string" && v.trim() ? v : null;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
