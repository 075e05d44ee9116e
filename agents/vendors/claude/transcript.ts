/**
 * Claude Code transcripts (`~/.claude/projects/<enc(cwd)>/<sessionId>.jsonl`): a pure, incremental
 * parser fed one line at a time. Its tokens go to a {@linkcode ClaudeUsage} ledger shared by the
 * session's files.
 *
 * @module
 */

import { isObject, nonBlank, positive, skipTypes, timestamp } from "../../formats/records.ts";
import type { JsonObject } from "../../formats/records.ts";
import { type ActivityEvent, modelTable, type TokenBuckets } from "../../session.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { firstArg, stringArg, subagentArg, todoArg } from "../../formats/tool_args.ts";
import { limitNotice } from "../../formats/limits.ts";
import { questionAsked, questionText } from "../../formats/questions.ts";
import { subagentFacts, TranscriptState } from "../../formats/transcript_state.ts";
import { ClaudeUsage } from "./usage.ts";
import { HistoryLines, type Reply } from "./history_lines.ts";
import { cutLongStrings } from "../../formats/long_strings.ts";
import { anthropicUsage } from "../../formats/usage.ts";
import type { SessionRead } from "../../vendor.ts";

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
/**
 * A tool call or result line longer than this is parsed with its long strings cut to
 * {@linkcode TOOL_STRING_CHARS}: what agtop shows of a call (its argument, the first line of its result,
 * ids, flags) lies in their first characters, and parsing what tools read and wrote costs most of a first
 * read. (Both markers occur only as real keys: quotes inside JSON strings are escaped.)
 */
const TOOL_LINE_CHARS = 2048;
const TOOL_STRING_CHARS = 512;
const TOOL_BLOCKS = ['"tool_use_id":"', '"type":"tool_use"'];
/** Tools that change the file their input names, and the input field that names it. */
const EDIT_TOOLS: Readonly<Record<string, string>> = {
  Edit: "file_path",
  Write: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};
/** Anthropic's prompt-cache lifetimes: the default, and the one `ephemeral_1h` cache writes buy. */
/** How many of the newest lines' `parentUuid`s are kept to tell a prompt written below its answer. */
const PARENTS_KEPT = 64;
const CACHE_TTL_5M_MS = 5 * 60_000;
const CACHE_TTL_1H_MS = 60 * 60_000;

/** Options of a {@linkcode ClaudeTranscript}. */
export interface ClaudeTranscriptOptions {
  /** Ledger shared by the files of one session; a private one by default. */
  ledger?: ClaudeUsage;
  /** Name of this file in the ledger. */
  source?: string;
  /** True for a subagent's own transcript, whose lines are all marked sidechain. */
  subagent?: boolean;
  /**
   * True for a history read (`agtop report`): lines are read only for the usage, times, models and
   * title a report shows (see {@linkcode HistoryLines}); the other facts may then be incomplete.
   */
  history?: boolean;
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
  #history: HistoryLines | null;
  #id: string | null = null;
  #cwd: string | null = null;
  #branch: string | null = null;
  #customTitle: string | null = null;
  #aiTitle: string | null = null;
  #summary: string | null = null;
  #finalPrompt: string | null = null;
  #model: string | null = null;
  #todo: string | null = null;
  #tasks = new Map<string, Task>();
  #taskCreates = new Map<string, string>();
  #taskCount = 0;
  #tasksUsed = false;
  #calls = new Map<string, ClaudeSubagentCall>();
  #s = new TranscriptState();
  #read = (rec: JsonObject) => this.#record(rec);
  #context: number | null = null;
  #requestId: string | null = null;
  #cacheTtl: number | null = null;
  /** Time of the newest response line of this thread (ms since epoch). */
  #answeredAt: number | null = null;
  /** `parentUuid`s of the newest lines read: records already answered, whatever their file position. */
  #parents = new Set<string>();

  /** A parser with no lines fed yet. */
  constructor(options: ClaudeTranscriptOptions = {}) {
    this.ledger = options.ledger ?? new ClaudeUsage();
    this.#source = options.source ?? "session";
    this.#subagent = options.subagent ?? false;
    this.#history = options.history ? new HistoryLines() : null;
  }

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#s.malformed;
  }

  /** Subagents started by this transcript, oldest first. */
  get subagentCalls(): ClaudeSubagentCall[] {
    return [...this.#calls.values()].map((c) => ({ ...c }));
  }

  /**
   * Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed.
   * A history parser takes of a line only what a report needs (see {@linkcode HistoryLines}).
   */
  feed(line: string | unknown): void {
    if (this.#history && typeof line === "string") {
      const taken = this.#history.take(line, this.#s.firstPrompt !== null, this.#s.span.first !== null);
      if (taken === undefined) return;
      if (typeof taken === "object" && taken !== null) {
        // A new response read in place; the session's first fields come from its first parsed records.
        if (this.#id !== null && this.#cwd !== null) return this.#reply(taken);
        line = taken.line;
      } else if (typeof taken !== "string") {
        if (taken !== null) this.#history.timeSeen();
        return this.#s.span.see(taken);
      } else line = taken;
    } else if (typeof line === "string" && line.length > TOOL_LINE_CHARS) {
      const text = line;
      if (TOOL_BLOCKS.some((b) => text.includes(b))) line = cutLongStrings(text, TOOL_STRING_CHARS);
    }
    this.#s.feed(line, this.#read, skipped);
  }

  /**
   * Everything the lines so far say about the session. Tokens, usage over time and the usage block are
   * the ledger's (the whole session when shared; a subagent's own parser, and a history parser, leave
   * the recent timeline out).
   */
  facts(): SessionRead {
    // The newest line a history parser took for its time alone, when no later line had a time.
    const late = this.#history?.newestTime();
    if (late !== undefined) this.#s.span.see(late);
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(this.ledger.byModel)) byModel[m] = { ...t };
    // A history read keeps the whole usage history instead (see the session reader); a subagent's
    // parser leaves the timeline to the session's.
    const timeline = this.#subagent || this.#history ? null : this.ledger.timeline();
    const s = this.#s;
    return s.facts({
      id: this.#id ?? "",
      cwd: this.#cwd,
      gitBranch: this.#branch,
      title: promptLine(this.#customTitle ?? this.#aiTitle ?? this.#summary ?? s.firstPrompt),
      model: this.#model,
      lastPrompt: promptLine(s.lastPrompt ?? this.#finalPrompt),
      currentTask: promptLine(this.#currentTask()),
      subagents: this.subagentCalls.map((c) =>
        subagentFacts({ ...c, id: c.agentId ?? c.toolUseId, lastActivity: c.startedAt })
      ),
      tokens: { ...this.ledger.total },
      tokensByModel: byModel,
      contextTokens: this.#context,
      ...s.limitFacts(),
      cacheTtlMs: this.#cacheTtl,
      filesChanged: s.changed.list(),
      ...(timeline ? { recentUsage: timeline.minutes, blockStart: timeline.blockStart } : {}),
    });
  }

  #record(rec: JsonObject): void {
    const ts = timestamp(rec.timestamp);
    this.#s.span.see(ts);
    if (ts !== null) this.#history?.timeSeen();
    if (this.#id === null && typeof rec.sessionId === "string") this.#id = rec.sessionId;
    if (this.#cwd === null && typeof rec.cwd === "string" && rec.cwd) this.#cwd = rec.cwd;
    if (typeof rec.gitBranch === "string" && rec.gitBranch) this.#branch = rec.gitBranch;
    if (typeof rec.parentUuid === "string") {
      this.#parents.add(rec.parentUuid);
      if (this.#parents.size > PARENTS_KEPT) this.#parents.delete(this.#parents.values().next().value!);
    }
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
        this.#s.turn = "exited";
        this.#s.pending.clear();
        return;
      case "mode":
      case "permission-mode":
        // First lines of an interactive session: a resumed session is open again.
        if (this.#s.turn === "exited") this.#s.turn = "ended";
        return;
    }
  }

  /** Whether a record belongs to another thread replayed into this file. */
  #foreign(rec: JsonObject): boolean {
    return rec.isSidechain === true && !this.#subagent;
  }

  /**
   * A new response a history parser read in place (see {@linkcode HistoryLines}): what
   * {@linkcode ClaudeTranscript.#assistant} takes of it for a report (its usage, time and model).
   */
  #reply(r: Reply): void {
    this.#s.span.see(r.at);
    if (r.at !== null) this.#history?.timeSeen();
    const own = this.#answer(r.id, r.requestId || null, r.sidechain, r.model, r.usage, r.at);
    if (own && r.model) this.#model = r.model;
  }

  /**
   * A response's usage (`usage`: its object, null when there is none to count) and time: the ledger
   * counts it, and the context, cache lifetime and time of the newest answer follow it. False when the
   * rest of it is not this thread's: a sidechain replay, or a parent's response a subagent file replays.
   */
  #answer(
    id: string | null,
    requestId: string | null,
    sidechain: boolean,
    model: string | null,
    usage: JsonObject | null,
    ts: number | null,
  ): boolean {
    const foreign = sidechain && !this.#subagent;
    if (usage) {
      const counts = anthropicUsage(usage);
      this.ledger.record(this.#source, id, requestId, sidechain, model ?? "unknown", counts, ts);
      const prompt = counts.input + counts.cacheRead + counts.cacheWrite;
      if (!foreign) {
        if (prompt > 0) this.#context = prompt;
        this.#request(id, ts, usage);
      }
    }
    if (foreign) return false;
    if (ts !== null && ts > (this.#answeredAt ?? -Infinity)) this.#answeredAt = ts;
    // A subagent file may replay the parent's responses; they say nothing about the subagent.
    return !(this.#subagent && id !== null && this.ledger.hasMainCopy(id));
  }

  #assistant(rec: JsonObject, ts: number | null): void {
    const msg = rec.message;
    if (!isObject(msg)) return;
    const model = typeof msg.model === "string" ? msg.model : null;
    const synthetic = model === SYNTHETIC_MODEL || rec.isApiErrorMessage === true;
    const own = this.#answer(
      typeof msg.id === "string" ? msg.id : null,
      typeof rec.requestId === "string" && rec.requestId ? rec.requestId : null,
      rec.isSidechain === true,
      model,
      isObject(msg.usage) && !synthetic ? msg.usage : null,
      ts,
    );
    if (!own) return;
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
    else this.#s.limitedUntil = null;
    const stop = typeof msg.stop_reason === "string" ? msg.stop_reason : null;
    if (stop) this.#s.stopReason = stop;
    if (tool || stop === "tool_use") this.#s.turn = "working";
    else if (synthetic || (stop !== null && TURN_ENDS.has(stop))) this.#s.endTurn();
    else if (stop === null) this.#s.turn = text ? "unknown" : "working";
  }

  /** A response of the main thread: when it was requested and how long its prompt cache lives. */
  #request(id: string | null, ts: number | null, usage: JsonObject): void {
    if ((id === null || id !== this.#requestId) && this.#s.requested(ts)) this.#requestId = id;
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
   * names; a bare 429 (`API Error: Request rejected (429)`) keeps the reset the failed request's
   * `api_error` record told (its `anthropic-ratelimit-unified-reset` header), else is no limit agtop can
   * time: Claude Code shows its prompt again, waiting for you. Any other error ends a limit.
   */
  #apiError(blocks: unknown[], ts: number | null): void {
    const text = blocks.map((b) => (isObject(b) && typeof b.text === "string" ? b.text : "")).join("\n");
    const notice = limitNotice(text, ts);
    if (notice?.resetsAt === null && this.#s.limitedUntil !== null) return;
    if (notice) this.#s.limitHit(notice);
    else this.#s.limitedUntil = null;
  }

  #toolUse(b: JsonObject, ts: number | null): void {
    const id = b.id as string;
    const name = typeof b.name === "string" ? b.name : "tool";
    const input = isObject(b.input) ? b.input : {};
    this.#s.toolCall(ts, name, toolArg(name, input), id);
    const question = questionAsked(name, input);
    if (question) this.#s.asks(id, question);
    const edited = Object.hasOwn(EDIT_TOOLS, name) ? nonBlank(input[EDIT_TOOLS[name]]) : null;
    if (edited !== null) this.#s.startEdit(id, [edited]);
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
      const active = input.todos.find((t) => isObject(t) && t.status === "in_progress") as
        | JsonObject
        | undefined;
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

  #user(rec: JsonObject, ts: number | null): void {
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
        this.#s.unlessExited("working");
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
      this.#s.turn = name === "exit" || name === "quit" ? "exited" : "working";
      return;
    }
    if (trimmed.startsWith("<local-command-stdout>") || trimmed.startsWith("<local-command-stderr>")) {
      this.#s.unlessExited("ended"); // `/exit` prints "Bye!" after itself
      return;
    }
    if (trimmed.startsWith("[Request interrupted")) {
      this.#event(ts, "system", "interrupted by user");
      this.#s.endTurn();
      return;
    }
    if (trimmed.startsWith("<task-notification>")) {
      this.#s.turn = "working";
      return;
    }
    if (rec.isMeta === true || rec.isCompactSummary === true || !trimmed) return;
    if (NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    if (this.#answered(rec, ts)) {
      // Written below its own answer (a fast stream): the prompt, not a new turn.
      this.#s.lastPrompt = text;
      this.#s.firstPrompt ??= text;
      return;
    }
    this.#s.prompt(ts, text);
    this.#s.limitedUntil = null;
    this.#s.turn = "working";
    this.#s.pending.clear();
  }

  /**
   * Whether a prompt line comes after records that answer it: a line read before it names it as
   * parent, or a response of this thread is newer than it. Claude Code writes a fast answer's lines
   * above the prompt's `user` and `attachment` lines at times; in file order the prompt would reopen
   * the turn and drop the tool in flight.
   */
  #answered(rec: JsonObject, ts: number | null): boolean {
    if (typeof rec.uuid === "string" && this.#parents.has(rec.uuid)) return true;
    return ts !== null && this.#answeredAt !== null && ts < this.#answeredAt;
  }

  #toolResult(b: JsonObject, rec: JsonObject, ts: number | null): void {
    const id = typeof b.tool_use_id === "string" ? b.tool_use_id : "";
    this.#s.pending.delete(id);
    const edited = this.#s.endEdit(id);
    // A failed or refused edit (`is_error`) changed nothing.
    if (edited && b.is_error !== true) this.#s.changeFiles(edited, this.#cwd);
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

  #system(rec: JsonObject, ts: number | null): void {
    if (this.#foreign(rec)) return;
    switch (rec.subtype) {
      case "turn_duration":
        this.#s.unlessExited("ended");
        this.#s.pending.clear();
        return;
      case "local_command":
        this.#s.unlessExited("ended");
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
        if (isRateLimited(err)) this.#s.limitedUntil = retryAt(err, rec, ts);
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
    this.#s.activity.push(at, kind, text);
  }
}

/**
 * The one argument of a Claude Code tool call a user wants to see, from its `input`.
 *
 * @example
 * ```ts
 * toolArg("Bash", { command: "npm test", description: "Run tests" }); // "npm test"
 * toolArg("Agent", { description: "Probe", subagent_type: "general-purpose" }); // "Probe (general-purpose)"
 * toolArg("AskUserQuestion", { questions: [{ header: "Color", question: "Which color?" }] }); // "Color — Which color?"
 * ```
 */
export function toolArg(name: string, input: JsonObject): string {
  const key = Object.hasOwn(ARG_BY_TOOL, name) ? ARG_BY_TOOL[name] : null;
  if (key) return stringArg(input, key);
  switch (name) {
    case "Agent":
    case "Task":
      return subagentArg(input);
    case "TodoWrite":
      return todoArg(input, ["activeForm", "content"]);
    case "AskUserQuestion":
      return questionText(input);
    case "TaskUpdate":
      return `#${String(input.taskId ?? "")} ${stringArg(input, "status")}`.trim();
  }
  return firstArg(input, FALLBACK_ARG_KEYS);
}

/** The input key that holds the argument of each of Claude Code's tools that name one. */
const ARG_BY_TOOL: Readonly<Record<string, string>> = {
  Bash: "command",
  Read: "file_path",
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
  Grep: "pattern",
  Glob: "pattern",
  WebFetch: "url",
  WebSearch: "query",
  TaskCreate: "subject",
  Skill: "skill",
};

/** Keys tried, in order, for other tools (MCP tools and newer ones). */
const FALLBACK_ARG_KEYS = [
  "command",
  "file_path",
  "path",
  "pattern",
  "url",
  "query",
  "description",
  "prompt",
];

/** Whether an `api_error`'s error is a 429 / `rate_limit_error`. */
function isRateLimited(err: JsonObject): boolean {
  const inner = isObject(err.error) ? err.error : {};
  const type = isObject(inner.error) ? inner.error.type : inner.type;
  return err.status === 429 || type === "rate_limit_error";
}

/**
 * When a rate-limited request can go again: the unified-limit reset or `retry-after` header when the
 * record carries the response headers, else when Claude Code retries (`retryInMs` after the record).
 */
function retryAt(err: JsonObject, rec: JsonObject, ts: number | null): number | null {
  const headers = isObject(err.headers) ? err.headers : {};
  const reset = Number(headers["anthropic-ratelimit-unified-reset"]);
  if (reset > 0) return reset < 1e12 ? reset * 1000 : reset;
  if (ts === null) return null;
  const after = Number(headers["retry-after"]);
  if (after > 0) return ts + after * 1000;
  return typeof rec.retryInMs === "number" && rec.retryInMs > 0 ? ts + rec.retryInMs : null;
}

/** The text of a tool result: a string, or its first text block. */
function firstText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    for (const c of content) if (isObject(c) && typeof c.text === "string") return c.text;
  }
  return "";
}
