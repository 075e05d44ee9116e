/**
 * Claude Code transcripts (`~/.claude/projects/<enc(cwd)>/<sessionId>.jsonl`): a pure, incremental
 * parser fed one line at a time, and the token ledger that deduplicates streamed copies of one API
 * response across a session and its subagents.
 *
 * @module
 */

import {
  feedJsonLine,
  isObject,
  nonBlank,
  positive,
  skipTypes,
  TimeSpan,
  timestamp,
} from "../../formats/records.ts";
import type {
  ActivityEvent,
  RateLimit,
  SessionFacts,
  SubagentFacts,
  TokenBuckets,
  ToolCall,
  TurnState,
  UsageMinute,
} from "../../session.ts";
import {
  addTokens,
  addUsage,
  emptyTokens,
  newestCall,
  nextBlockStart,
  USAGE_BLOCK_MS,
  USAGE_SPAN_MS,
} from "../../session.ts";
import { ACTIVITY_WIDTH, ActivityTail, cleanLine, firstLine, promptLine } from "../../formats/text.ts";
import { limitNotice } from "../../formats/limits.ts";
import { ChangedFiles } from "../../formats/changed.ts";

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
const skipped = skipTypes(SKIPPED_TYPES, TYPE_WINDOW);
/** Tools that change the file their input names, and the input field that names it. */
const EDIT_TOOLS: Readonly<Record<string, string>> = {
  Edit: "file_path",
  Write: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};
/** Anthropic's prompt-cache lifetimes: the default, and the one `ephemeral_1h` cache writes buy. */
const CACHE_TTL_5M_MS = 5 * 60_000;
const CACHE_TTL_1H_MS = 60 * 60_000;

type Json = Record<string, unknown>;

/** One deduplicated API response in the ledger. */
interface UsageEntry {
  source: string;
  messageId: string | null;
  sidechain: boolean;
  model: string;
  usage: TokenBuckets;
  counted: boolean;
  /** When the response was first written (ms since epoch), when known. */
  at: number | null;
}

/** The usage-block chain over a prefix of the time-ordered entries. */
interface BlockChain {
  /** The chain covers the entries before this time. */
  until: number;
  /** Start of the block of the last entry covered, or null. */
  start: number | null;
  /** Time of the last entry covered. */
  last: number;
}

/** The ledger's requests over time: the start of the newest usage block and the recent minutes. */
export interface UsageTimeline {
  /** Start of the 5-hour block the newest request falls in, or null without timed requests. */
  blockStart: number | null;
  /** Usage per minute and model of the last 5 hours before the newest request, oldest first. */
  minutes: UsageMinute[];
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
  /** Entries with a time, oldest first (appends are the common case). */
  #timed: UsageEntry[] = [];
  /** The block chain over the counted entries before `until`, kept while none of them changes. */
  #chain: BlockChain = { until: -Infinity, start: null, last: -Infinity };
  #version = 0;
  #timeline: { version: number; value: UsageTimeline } | null = null;

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

  /**
   * The counted responses over time: where the newest 5-hour usage block starts and the usage per
   * minute of the 5 hours before the newest response. Recomputed only after the ledger changed.
   */
  timeline(): UsageTimeline {
    if (this.#timeline?.version !== this.#version) {
      const timed = this.#timed;
      let newest = -Infinity;
      for (let i = timed.length - 1; i >= 0 && newest === -Infinity; i--) {
        if (timed[i].counted) newest = timed[i].at!;
      }
      // Entries long before the newest will not change: the chain over them is kept for the next time.
      const keep = newest - 2 * USAGE_BLOCK_MS;
      let { start, last } = this.#chain;
      for (let i = this.#timedIndex(this.#chain.until); i < timed.length; i++) {
        const e = timed[i];
        if (e.at! >= keep && this.#chain.until < keep) this.#chain = { until: keep, start, last };
        if (!e.counted) continue;
        start = nextBlockStart(start, last, e.at!);
        last = e.at!;
      }
      const minutes: UsageMinute[] = [];
      for (let i = this.#timedIndex(newest - USAGE_SPAN_MS); i < timed.length; i++) {
        const e = timed[i];
        if (e.counted) addUsage(minutes, e.at!, e.model, e.usage);
      }
      this.#timeline = { version: this.#version, value: { blockStart: start, minutes } };
    }
    const { blockStart, minutes } = this.#timeline.value;
    return { blockStart, minutes: minutes.map((m) => ({ ...m, tokens: { ...m.tokens } })) };
  }

  /** Records one line's copy of a response's usage, written at `at` (ms since epoch) when known. */
  record(
    source: string,
    messageId: string | null,
    requestId: string | null,
    sidechain: boolean,
    model: string,
    usage: TokenBuckets,
    at: number | null = null,
  ): void {
    const key = messageId === null
      ? `#${this.#anonymous++}`
      : requestId
      ? `${messageId}:${requestId}`
      : messageId;
    const prev = this.#byKey.get(key);
    if (prev && usage.output < prev.usage.output) return;
    if (prev?.counted) this.#apply(prev, -1);
    // One object per key, so the time-ordered list keeps pointing at it; the response's first line
    // is closest to when it was requested, so its time stays.
    let entry = prev;
    if (entry) Object.assign(entry, { source, messageId, sidechain, model, usage });
    else {this.#byKey.set(
        key,
        entry = { source, messageId, sidechain, model, usage, counted: false, at: null },
      );}
    if (entry.at === null && at !== null) {
      entry.at = at;
      this.#timed.splice(this.#timedIndex(at + 1), 0, entry);
    }
    if (messageId === null) return this.#apply(entry, 1);
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
    this.#timed = this.#timed.filter((e) => e.source !== source);
    this.#touch(-Infinity);
  }

  /** An entry at `at` changed: the kept block chain is void if it covers that time. */
  #touch(at: number | null): void {
    if (at !== null && at < this.#chain.until) {
      this.#chain = { until: -Infinity, start: null, last: -Infinity };
    }
  }

  /** Index of the first timed entry at or after `at` (binary search). */
  #timedIndex(at: number): number {
    let lo = 0, hi = this.#timed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#timed[mid].at! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
    this.#version++;
    this.#touch(e.at);
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
  #span = new TimeSpan();
  #context: number | null = null;
  #activity = new ActivityTail();
  #malformed = 0;
  #requestId: string | null = null;
  #lastRequestAt: number | null = null;
  #cacheTtl: number | null = null;
  #limitedUntil: number | null = null;
  #rateLimits = new Map<string, RateLimit>();
  /** The file each editing call in flight changes, by call id. */
  #edits = new Map<string, string>();
  #changed = new ChangedFiles();

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
    this.#malformed += feedJsonLine(line, (rec) => this.#record(rec), skipped);
  }

  /**
   * Everything the lines so far say about the session. Tokens, usage over time and the usage block are
   * the ledger's (the whole session when shared; a subagent's own parser leaves the timeline out).
   */
  facts(): ClaudeFacts {
    const byModel: Record<string, TokenBuckets> = {};
    for (const [m, t] of Object.entries(this.ledger.byModel)) byModel[m] = { ...t };
    const timeline = this.#subagent ? null : this.ledger.timeline();
    return {
      id: this.#id ?? "",
      cwd: this.#cwd,
      gitBranch: this.#branch,
      title: promptLine(this.#customTitle ?? this.#aiTitle ?? this.#summary ?? this.#firstPrompt),
      model: this.#model,
      lastPrompt: promptLine(this.#lastPrompt ?? this.#finalPrompt),
      currentTask: promptLine(this.#currentTask()),
      currentTool: newestCall(this.#pending),
      subagents: this.subagentCalls.map(callFacts),
      turn: this.#turn,
      stopReason: this.#stopReason,
      startedAt: this.#span.first,
      lastActivity: this.#span.last,
      tokens: { ...this.ledger.total },
      tokensByModel: byModel,
      contextTokens: this.#context,
      contextWindow: null,
      activity: this.#activity.events(),
      malformedLines: this.#malformed,
      rateLimits: [...this.#rateLimits.values()].map((r) => ({ ...r })),
      limitedUntil: this.#limitedUntil,
      lastRequestAt: this.#lastRequestAt,
      cacheTtlMs: this.#cacheTtl,
      filesChanged: this.#changed.list(),
      ...(timeline ? { recentUsage: timeline.minutes, blockStart: timeline.blockStart } : {}),
    };
  }

  #record(rec: Json): void {
    const ts = timestamp(rec.timestamp);
    this.#span.see(ts);
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
        this.#customTitle = nonBlank(rec.customTitle) ?? this.#customTitle;
        return;
      case "ai-title":
        this.#aiTitle = nonBlank(rec.aiTitle) ?? this.#aiTitle;
        return;
      case "summary":
        this.#summary = nonBlank(rec.summary) ?? this.#summary;
        return;
      case "last-prompt":
        this.#finalPrompt = nonBlank(rec.lastPrompt) ?? this.#finalPrompt;
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
        ts,
      );
      const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
      if (!this.#foreign(rec)) {
        if (prompt > 0) this.#context = prompt;
        this.#request(typeof msg.id === "string" ? msg.id : null, ts, msg.usage);
      }
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
    if (synthetic) this.#apiError(blocks, ts);
    else this.#limitedUntil = null;
    const stop = typeof msg.stop_reason === "string" ? msg.stop_reason : null;
    if (stop) this.#stopReason = stop;
    if (tool || stop === "tool_use") this.#turn = "working";
    else if (synthetic || (stop !== null && TURN_ENDS.has(stop))) {
      this.#turn = "ended";
      this.#pending.clear();
    } else if (stop === null) this.#turn = text ? "unknown" : "working";
  }

  /** A response of the main thread: when it was requested and how long its prompt cache lives. */
  #request(id: string | null, ts: number | null, usage: Json): void {
    if (ts !== null && (id === null || id !== this.#requestId) && ts >= (this.#lastRequestAt ?? -Infinity)) {
      this.#requestId = id;
      this.#lastRequestAt = ts;
    }
    const buckets = isObject(usage.cache_creation) ? usage.cache_creation : {};
    const fiveMinutes = positive(buckets.ephemeral_5m_input_tokens);
    const oneHour = positive(buckets.ephemeral_1h_input_tokens);
    // The newest writes decide: a mix expires with its 5-minute part, the end of the conversation.
    if (oneHour > 0 && fiveMinutes === 0) this.#cacheTtl = CACHE_TTL_1H_MS;
    else if (fiveMinutes > 0 || positive(usage.cache_creation_input_tokens) > 0) {
      this.#cacheTtl = CACHE_TTL_5M_MS;
    }
  }

  /**
   * An error Claude Code wrote as a response of its own: a usage-limit message (`Claude AI usage limit
   * reached|<epoch>`, `You've hit your limit · resets 7pm`) marks the session limited until the reset it
   * names (unknown for a bare 429); any other error ends that.
   */
  #apiError(blocks: unknown[], ts: number | null): void {
    const text = blocks.map((b) => (isObject(b) && typeof b.text === "string" ? b.text : "")).join("\n");
    const notice = limitNotice(text, ts);
    this.#limitedUntil = notice?.resetsAt ?? null;
    if (notice?.resetsAt != null) {
      this.#rateLimits.set(notice.window, {
        name: notice.window,
        usedPercent: 100,
        windowMinutes: notice.windowMinutes,
        resetsAt: notice.resetsAt,
        plan: null,
      });
    }
  }

  #toolUse(b: Json, ts: number | null): void {
    const id = b.id as string;
    const name = typeof b.name === "string" ? b.name : "tool";
    const input = isObject(b.input) ? b.input : {};
    const arg = cleanLine(toolArg(name, input), ACTIVITY_WIDTH);
    this.#pending.set(id, { name, arg, id, startedAt: ts });
    this.#event(ts, "tool", arg ? `${name}: ${arg}` : name);
    const edited = Object.hasOwn(EDIT_TOOLS, name) ? nonBlank(input[EDIT_TOOLS[name]]) : null;
    if (edited !== null) {
      // Calls that ended without a result (an interrupted turn) are forgotten here.
      for (const call of this.#edits.keys()) if (!this.#pending.has(call)) this.#edits.delete(call);
      this.#edits.set(id, edited);
    }
    if (name === "Agent" || name === "Task") {
      this.#calls.set(id, {
        toolUseId: id,
        agentId: null,
        type: nonBlank(input.subagent_type),
        description: nonBlank(input.description),
        running: true,
        startedAt: ts,
      });
    } else if (name === "TodoWrite" && Array.isArray(input.todos)) {
      const active = input.todos.find((t) => isObject(t) && t.status === "in_progress") as Json | undefined;
      this.#todo = active ? nonBlank(active.activeForm) ?? nonBlank(active.content) : null;
      this.#tasksUsed = false;
    } else if (name === "TaskCreate") {
      const key = String(++this.#taskCount); // Claude Code numbers tasks 1, 2, … in creation order
      const text = nonBlank(input.activeForm) ?? nonBlank(input.subject) ?? "";
      this.#tasks.set(key, { text, status: "pending" });
      this.#taskCreates.set(id, key);
      this.#tasksUsed = true;
    } else if (name === "TaskUpdate" && input.taskId !== undefined) {
      const key = String(input.taskId);
      const task = this.#tasks.get(key) ?? { text: "", status: "pending" };
      task.text = nonBlank(input.activeForm) ?? nonBlank(input.subject) ?? task.text;
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
    this.#limitedUntil = null;
    this.#event(ts, "prompt", text);
    this.#turn = "working";
    this.#pending.clear();
  }

  #toolResult(b: Json, rec: Json, ts: number | null): void {
    const id = typeof b.tool_use_id === "string" ? b.tool_use_id : "";
    this.#pending.delete(id);
    const edited = this.#edits.get(id);
    if (edited !== undefined) {
      this.#edits.delete(id);
      // A failed or refused edit (`is_error`) changed nothing.
      if (b.is_error !== true) this.#changed.add(edited, this.#cwd);
    }
    const result = isObject(rec.toolUseResult) ? rec.toolUseResult : null;
    const call = this.#calls.get(id);
    if (call) {
      call.running = false;
      if (result) {
        call.agentId = nonBlank(result.agentId) ?? call.agentId;
        call.type = nonBlank(result.agentType) ?? call.type;
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
        const detail = nonBlank(err.message) ?? nonBlank(rec.content) ?? "";
        this.#event(ts, "error", detail ? `API error: ${detail}` : "API error");
        if (isRateLimited(err)) this.#limitedUntil = retryAt(err, rec, ts);
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

/** Whether an `api_error`'s error is a 429 / `rate_limit_error`. */
function isRateLimited(err: Json): boolean {
  const inner = isObject(err.error) ? err.error : {};
  const type = isObject(inner.error) ? inner.error.type : inner.type;
  return err.status === 429 || type === "rate_limit_error";
}

/**
 * When a rate-limited request can go again: the unified-limit reset or `retry-after` header when the
 * record carries the response headers, else when Claude Code retries (`retryInMs` after the record).
 */
function retryAt(err: Json, rec: Json, ts: number | null): number | null {
  const headers = isObject(err.headers) ? err.headers : {};
  const reset = Number(headers["anthropic-ratelimit-unified-reset"]);
  if (reset > 0) return reset < 1e12 ? reset * 1000 : reset;
  if (ts === null) return null;
  const after = Number(headers["retry-after"]);
  if (after > 0) return ts + after * 1000;
  return typeof rec.retryInMs === "number" && rec.retryInMs > 0 ? ts + rec.retryInMs : null;
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
    input: positive(u.input_tokens),
    output: positive(u.output_tokens),
    cacheRead: positive(u.cache_read_input_tokens),
    cacheWrite: positive(u.cache_creation_input_tokens),
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
