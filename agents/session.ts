/**
 * What agtop reads from an agent's session transcript: plain data, filled in by the vendor readers in
 * `agents/vendors/<id>/` (each agent's `sessions.ts` and `transcript.ts`).
 *
 * @module
 */

import { positive, saneTime } from "./formats/records.ts";

/** Token counts by billing bucket. `input` is non-cached input; `output` excludes `reasoning` where the vendor separates them. */
export interface TokenBuckets {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Reasoning/thinking tokens where the vendor reports them separately; 0 otherwise. */
  reasoning: number;
}

/** A fresh all-zero {@linkcode TokenBuckets}. */
export function emptyTokens(): TokenBuckets {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
}

/**
 * An empty map keyed by names from a transcript (model ids, message ids): an object without a
 * prototype, so that a model named `constructor`, `toString` or `__proto__` is a key like any other.
 *
 * @example
 * ```ts
 * const byModel: Record<string, TokenBuckets> = modelTable();
 * byModel["constructor"] ??= emptyTokens(); // an own entry, counted and priced
 * ```
 */
export function modelTable<T>(): Record<string, T> {
  return Object.create(null);
}

/** Adds `b` into `a` in place and returns `a`. */
export function addTokens(a: TokenBuckets, b: TokenBuckets): TokenBuckets {
  a.input += b.input;
  a.output += b.output;
  a.cacheRead += b.cacheRead;
  a.cacheWrite += b.cacheWrite;
  a.reasoning += b.reasoning;
  return a;
}

/** Sum of every bucket. */
export function totalTokens(t: TokenBuckets): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite + t.reasoning;
}

/** A tool call the agent has started and that has no result yet (or the last one, when finished). */
export interface ToolCall {
  /** Tool name as the agent calls it, e.g. `Bash`, `Edit`, `exec_command`, `mcp__github__search`. */
  name: string;
  /** The one argument a user wants to see: the command, the file path, the pattern; "" when none. */
  arg: string;
  /** Call id from the transcript, when it has one. */
  id: string | null;
  /** When the call was made (ms since epoch), when known. */
  startedAt: number | null;
  /**
   * True when the agent may hold this call for the user's approval before running it (a shell command
   * or an edit where the agent asks first): while it has no process, the agent waits for you.
   */
  asksFirst?: boolean;
}

/**
 * A copy of the newest call of `pending` (calls without a result, in the order they started), or null.
 *
 * @example
 * ```ts
 * const bash = { name: "Bash", arg: "npm test", id: "a", startedAt: 1 };
 * const edit = { name: "Edit", arg: "src/app.ts", id: "b", startedAt: 2 };
 * newestCall(new Map([["a", bash], ["b", edit]])); // a copy of edit
 * ```
 */
export function newestCall(pending: ReadonlyMap<string, ToolCall>): ToolCall | null {
  let last: ToolCall | null = null;
  for (const call of pending.values()) last = call;
  return last ? { ...last } : null;
}

/**
 * A subagent whose session is mid-turn (or whose parent has not recorded its result) counts as running
 * while it was written this recently (ms).
 */
export const SUBAGENT_QUIET_MS = 60_000;

/** A subagent the session started. */
export interface SubagentFacts {
  id: string;
  /** e.g. `general-purpose`, an agent nickname. */
  type: string | null;
  description: string | null;
  /** `running` while the parent's call has no result yet. */
  status: "running" | "done";
  model: string | null;
  tokens: TokenBuckets;
  currentTool: ToolCall | null;
  lastActivity: number | null;
}

/** One line of the recent-activity tail. */
export interface ActivityEvent {
  /** ms since epoch, when the record carries a time. */
  at: number | null;
  kind: "prompt" | "text" | "thinking" | "tool" | "result" | "error" | "system";
  /** One line, control characters already stripped. */
  text: string;
}

/** One rate-limit window as the agent recorded it. */
export interface RateLimit {
  /** The agent's name for the window: `primary`, `secondary` (Codex), `five_hour`, `seven_day` (Claude), … */
  name: string;
  /** Share of the window used, 0–100; null when not told. */
  usedPercent: number | null;
  /** Length of the window in minutes (300 = 5 hours, 10080 = a week); null when not told. */
  windowMinutes: number | null;
  /** When the window resets (ms since epoch); null when not told. A past time means it has reset since. */
  resetsAt: number | null;
  /** The account's plan (`plus`, `pro`, …), when the agent records it. */
  plan: string | null;
}

/**
 * The requests started in one minute for one model: the compact timeline that burn rates and usage
 * blocks are computed from.
 */
export interface UsageMinute {
  /** Start of the minute, ms since epoch. */
  at: number;
  /** Model id as the transcript names it (for pricing); null when unknown. */
  model: string | null;
  tokens: TokenBuckets;
  /** Requests (API responses) counted in the minute. */
  requests: number;
}

/** Length of a usage block: Anthropic's subscription limits reset 5 hours after a block's start. */
export const USAGE_BLOCK_MS = 5 * 60 * 60_000;
/** How long usage is kept in {@linkcode SessionFacts.recentUsage}: one usage block. */
export const USAGE_SPAN_MS = USAGE_BLOCK_MS;
/** Most minutes kept in {@linkcode SessionFacts.recentUsage} (5 hours of one model, with room for a second). */
export const USAGE_MINUTES_LIMIT = 600;

/** How much of a per-minute timeline {@linkcode addUsage} keeps. */
export interface UsageKeep {
  /** Minutes more than this many ms older than the newest are dropped. */
  spanMs: number;
  /** At most this many minutes are kept (the newest). */
  minutes: number;
}

/** What {@linkcode SessionFacts.recentUsage} keeps: one usage block, at most {@linkcode USAGE_MINUTES_LIMIT} minutes. */
export const RECENT_USAGE: UsageKeep = { spanMs: USAGE_SPAN_MS, minutes: USAGE_MINUTES_LIMIT };
/** What {@linkcode SessionFacts.usageHistory} keeps: every minute. */
export const WHOLE_USAGE: UsageKeep = { spanMs: Infinity, minutes: Infinity };

/**
 * Adds `tokens` of one request at `at` to a per-minute timeline (oldest first, in place) and drops the
 * minutes more than `keep.spanMs` older than the newest, and the oldest past `keep.minutes` (by
 * default {@linkcode RECENT_USAGE}: {@linkcode USAGE_SPAN_MS}, {@linkcode USAGE_MINUTES_LIMIT}). A
 * request older than the newest minute is merged into its own minute. Each call costs O(log n) to find
 * the minute, whatever order requests come in; a request that would be dropped at once is not inserted.
 *
 * @example
 * ```ts
 * const line: UsageMinute[] = [];
 * addUsage(line, Date.parse("2026-11-24T10:00:30Z"), "gpt-5.2", { ...emptyTokens(), input: 10 });
 * line[0].at === Date.parse("2026-11-24T10:00:00Z"); // true
 * ```
 */
export function addUsage(
  line: UsageMinute[],
  at: number,
  model: string | null,
  tokens: TokenBuckets,
  keep: UsageKeep = RECENT_USAGE,
): void {
  const minute = at - (((at % 60_000) + 60_000) % 60_000);
  const n = line.length;
  if (n > 0 && (minute < line[n - 1].at - keep.spanMs || (n >= keep.minutes && minute < line[0].at))) {
    return; // older than anything kept: it would be dropped at once
  }
  let i = 0;
  for (let hi = n; i < hi;) {
    const mid = (i + hi) >> 1;
    if (line[mid].at <= minute) i = mid + 1;
    else hi = mid;
  }
  for (let j = i - 1; j >= 0 && line[j].at === minute; j--) {
    if (line[j].model === model) {
      addTokens(line[j].tokens, tokens);
      line[j].requests++;
      return;
    }
  }
  line.splice(i, 0, { at: minute, model, tokens: { ...tokens }, requests: 1 });
  const newest = line[line.length - 1].at;
  let drop = 0;
  while (drop < line.length && line[drop].at < newest - keep.spanMs) drop++;
  drop = Math.max(drop, line.length - keep.minutes);
  if (drop > 0) line.splice(0, drop);
}

/**
 * A transcript's requests per minute: the recent ones ({@linkcode RECENT_USAGE}) always, and every one
 * when asked for (`history`, for `agtop report`), as the facts' `recentUsage` and `usageHistory`.
 *
 * @example
 * ```ts
 * const usage = new MinuteUsage(true);
 * usage.add(Date.parse("2026-11-24T10:00:30Z"), "gpt-5.2", { ...emptyTokens(), input: 10 });
 * usage.facts().usageHistory?.length; // 1
 * ```
 */
export class MinuteUsage {
  #recent: UsageMinute[] = [];
  #whole: UsageMinute[] | null;

  /** No requests yet; `history` keeps every minute too. */
  constructor(history = false) {
    this.#whole = history ? [] : null;
  }

  /** Adds one request's tokens at `at` (ms since epoch). */
  add(at: number, model: string | null, tokens: TokenBuckets): void {
    addUsage(this.#recent, at, model, tokens);
    if (this.#whole) addUsage(this.#whole, at, model, tokens, WHOLE_USAGE);
  }

  /** Forgets every request (the transcript's counts started over). */
  clear(): void {
    this.#recent = [];
    if (this.#whole) this.#whole = [];
  }

  /** Copies of the timelines, as session facts. */
  facts(): Pick<SessionFacts, "recentUsage" | "usageHistory"> {
    const copy = (line: UsageMinute[]) => line.map((m) => ({ ...m, tokens: { ...m.tokens } }));
    return { recentUsage: copy(this.#recent), ...(this.#whole ? { usageHistory: copy(this.#whole) } : {}) };
  }
}

/**
 * One timeline of the minutes of several (a session's and its subagents'), oldest first: minutes of the
 * same time and model added together.
 *
 * @example
 * ```ts
 * const t = { ...emptyTokens(), input: 5 };
 * mergeMinutes([{ at: 60_000, model: "m", tokens: t, requests: 1 }, { at: 60_000, model: "m", tokens: t, requests: 2 }]);
 * // [{ at: 60_000, model: "m", tokens: { …, input: 10 }, requests: 3 }]
 * ```
 */
export function mergeMinutes(minutes: readonly UsageMinute[]): UsageMinute[] {
  const out: UsageMinute[] = [];
  for (const m of [...minutes].sort((a, b) => a.at - b.at)) {
    let same: UsageMinute | undefined;
    for (let j = out.length - 1; j >= 0 && out[j].at === m.at && !same; j--) {
      if (out[j].model === m.model) same = out[j];
    }
    if (same) {
      addTokens(same.tokens, m.tokens);
      same.requests += m.requests;
    } else out.push({ ...m, tokens: { ...m.tokens } });
  }
  return out;
}

/**
 * The start of the usage block a request at `t` falls in, given the start of the block so far (null
 * before the first request) and the time of the previous request. ccusage's rule, applied to requests
 * in time order: a block starts at the (UTC) hour of its first request and holds every later request
 * until {@linkcode USAGE_BLOCK_MS} after its start, or until a gap longer than that.
 *
 * @example
 * ```ts
 * const h = 3_600_000;
 * nextBlockStart(null, -Infinity, 3.2 * h); // 3 * h
 * nextBlockStart(3 * h, 7.9 * h, 8.1 * h); // 8 * h: past 3 h + 5 h
 * ```
 */
export function nextBlockStart(start: number | null, last: number, t: number): number {
  if (start !== null && t - start <= USAGE_BLOCK_MS && t - last <= USAGE_BLOCK_MS) return start;
  return t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
}

/** Where the turn stands, as the transcript tells it. */
export type TurnState =
  /** The model is generating or a tool is running. */
  | "working"
  /** The turn ended; the agent waits for the user. */
  | "ended"
  /** The session exited (e.g. `/exit`, `-p` run finished). */
  | "exited"
  | "unknown";

/** Everything agtop knows about one session. */
export interface SessionFacts {
  /** Vendor id, e.g. `claude`, `codex`. */
  vendor: string;
  /** Session (thread) id. */
  id: string;
  /** Transcript path. */
  path: string;
  /** How the session was linked to its process: `registry`, `fd`, `env`, `argv`, `cwd`, `start` (the newest since it started), or `recent` (no process). */
  linkedBy: string;
  cwd: string | null;
  gitBranch: string | null;
  title: string | null;
  model: string | null;
  lastPrompt: string | null;
  /** The in-progress task item (TodoWrite / TaskUpdate), when any. */
  currentTask: string | null;
  /** The newest tool call without a result, or null. */
  currentTool: ToolCall | null;
  subagents: SubagentFacts[];
  turn: TurnState;
  /** Vendor stop reason of the newest response (`end_turn`, `tool_use`, …). */
  stopReason: string | null;
  /** ms since epoch of the first record. */
  startedAt: number | null;
  /** ms since epoch of the newest record (or file modification). */
  lastActivity: number | null;
  /** Whole-session totals, subagents included. */
  tokens: TokenBuckets;
  /** The same totals per model id as the transcript names it (for pricing). */
  tokensByModel: Record<string, TokenBuckets>;
  /** Prompt size of the newest request (input + cache read + cache write). */
  contextTokens: number | null;
  /** Context window the vendor reports for the model, when it does. */
  contextWindow: number | null;
  /** Last ~8 events, oldest first. */
  activity: ActivityEvent[];
  /** Lines that could not be parsed (skipped). */
  malformedLines: number;
  /**
   * What the agent waits for from the user before it can go on (`permission prompt`, `input needed`, …),
   * when the vendor says so (Claude Code's session registry); absent or null otherwise.
   */
  waitingFor?: string | null;
  /** Cost the agent itself recorded (Aider, OpenCode, Crush, …); preferred over list prices. */
  costUsd?: number | null;
  /** False when the agent records no token counts at all (`tokens` are then zeros, shown as `—`). */
  tokensRecorded?: boolean;
  /** Rate-limit windows the agent recorded, newest reading per window name. */
  rateLimits?: RateLimit[];
  /**
   * The account the session's rate limits count against, as the reader knows it: the data directory
   * the session lives under (Claude Code's config root, Codex's home), for vendors with rate limits;
   * absent or null otherwise.
   */
  account?: string | null;
  /**
   * While a rate-limit error is the newest event: when the limit resets (ms since epoch), or null when
   * the agent did not say. Absent or null otherwise.
   */
  limitedUntil?: number | null;
  /** When the session's main thread last sent a request to the model (ms since epoch). */
  lastRequestAt?: number | null;
  /** How long the provider keeps the prompt cache of that request (ms), when the transcript tells it. */
  cacheTtlMs?: number | null;
  /**
   * Usage per minute and model (subagents included where the vendor reader folds them in), oldest first:
   * the last {@linkcode USAGE_SPAN_MS} before the newest request, at most {@linkcode USAGE_MINUTES_LIMIT}.
   */
  recentUsage?: UsageMinute[];
  /**
   * Usage per minute and model over the whole session (subagents included), oldest first: given only by
   * readers made with `{ history: true }` (`agtop report`), for vendors whose readers keep it.
   */
  usageHistory?: UsageMinute[];
  /**
   * Start of the 5-hour usage block the newest request falls in (ms since epoch; ccusage's rule: a block
   * starts at the hour of its first request and holds every request until 5 hours later or a 5-hour
   * gap), for vendors whose subscription limits work in such blocks (Claude).
   */
  blockStart?: number | null;
  /**
   * Files the session's main thread changed with its editing tools (Claude Code's Edit, Write,
   * MultiEdit, NotebookEdit; Codex's apply_patch and file-writing tools), relative paths resolved
   * against the session's cwd, each once, oldest change first, at most the newest 64. Vendors whose
   * parser does not tell leave it out.
   */
  filesChanged?: string[];
}

/** `t` with every bucket a count {@linkcode positive} believes (absurd or non-finite counts are 0). */
function saneTokens(t: TokenBuckets): TokenBuckets {
  return {
    input: positive(t.input),
    output: positive(t.output),
    cacheRead: positive(t.cacheRead),
    cacheWrite: positive(t.cacheWrite),
    reasoning: positive(t.reasoning),
  };
}

/** `n` when it is a finite number ≥ 0, else null. */
function finiteOrNull(n: number | null | undefined): number | null {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
}

/** A tool call with a time agtop believes. */
function saneCall(c: ToolCall | null): ToolCall | null {
  return c && { ...c, startedAt: saneTime(c.startedAt) };
}

/**
 * What a reader returned, made safe for every later stage whatever the store said: each time one a
 * `Date` holds and agtop believes ({@linkcode saneTime}; the absurd becomes null, a usage minute with
 * such a time is dropped), each token bucket a finite count ({@linkcode positive}), costs and context
 * sizes finite, and the per-model totals a {@linkcode modelTable}. The collector passes every reader's
 * facts through here, so one poisoned session stays in that session.
 *
 * @example
 * ```ts
 * declare const read: SessionFacts;
 * saneFacts({ ...read, lastActivity: 1e300 }).lastActivity; // null
 * ```
 */
export function saneFacts<F extends Omit<SessionFacts, "vendor" | "path" | "linkedBy">>(f: F): F {
  const byModel = modelTable<TokenBuckets>();
  for (const [m, t] of Object.entries(f.tokensByModel)) byModel[m] = saneTokens(t);
  const out: F = {
    ...f,
    startedAt: saneTime(f.startedAt),
    lastActivity: saneTime(f.lastActivity),
    currentTool: saneCall(f.currentTool),
    subagents: f.subagents.map((s) => ({
      ...s,
      tokens: saneTokens(s.tokens),
      currentTool: saneCall(s.currentTool),
      lastActivity: saneTime(s.lastActivity),
    })),
    tokens: saneTokens(f.tokens),
    tokensByModel: byModel,
    contextTokens: finiteOrNull(f.contextTokens),
    contextWindow: finiteOrNull(f.contextWindow),
    activity: f.activity.map((e) => ({ ...e, at: saneTime(e.at) })),
  };
  if (f.costUsd != null) out.costUsd = finiteOrNull(f.costUsd);
  if (f.rateLimits) out.rateLimits = f.rateLimits.map((r) => ({ ...r, resetsAt: saneTime(r.resetsAt) }));
  if (f.limitedUntil != null) out.limitedUntil = saneTime(f.limitedUntil);
  if (f.lastRequestAt != null) out.lastRequestAt = saneTime(f.lastRequestAt);
  if (f.cacheTtlMs != null) out.cacheTtlMs = finiteOrNull(f.cacheTtlMs);
  if (f.blockStart != null) out.blockStart = saneTime(f.blockStart);
  if (f.recentUsage) out.recentUsage = saneMinutes(f.recentUsage);
  if (f.usageHistory) out.usageHistory = saneMinutes(f.usageHistory);
  return out;
}

/** The minutes of a timeline with a time agtop believes, each bucket a believable count. */
function saneMinutes(line: UsageMinute[]): UsageMinute[] {
  const out: UsageMinute[] = [];
  for (const u of line) {
    const at = saneTime(u.at);
    if (at !== null) out.push({ at, model: u.model, tokens: saneTokens(u.tokens), requests: u.requests });
  }
  return out;
}
