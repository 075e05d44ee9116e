/**
 * The session records of OpenCode and its forks (Kilo Code) as agtop reads them. OpenCode stores a session as messages (`data`: role,
 * model, tokens, cost, finish) and their parts (`data`: text, reasoning, tool calls with a `state`),
 * with the same JSON in the SQLite `opencode.db` (1.2+) and in the older `storage/` tree of files.
 * These pure functions turn that JSON into agtop's facts: tokens and cost, the tool in flight, where
 * the turn stands, the last prompt, subagents (child sessions) and the activity tail.
 *
 * @module
 */

import type { SessionFacts, SubagentFacts, TokenBuckets, ToolCall, TurnState } from "../session.ts";
import {
  addTokens,
  addUsage,
  emptyTokens,
  MinuteUsage,
  modelTable,
  SUBAGENT_QUIET_MS,
  totalTokens,
} from "../session.ts";
import { asObject, epochMs, type JsonObject, positive } from "./records.ts";
import { ACTIVITY_WIDTH, ActivityTail, cleanLine, firstLine, promptLine } from "./text.ts";
import { firstArg, stringArg, subagentArg, todoArg } from "./tool_args.ts";
import { questionAsked } from "./questions.ts";
import type { SessionRead } from "../vendor.ts";
import { joinTimelines, type TimedUsage, type UsageFacts, usageTimeline } from "./timeline.ts";

/** What agtop keeps of one message. */
export interface OpenCodeMessage {
  id: string;
  /** `user` or `assistant`. */
  role: string;
  /** ms since epoch. */
  created: number | null;
  /** When the response was complete (assistant), ms. */
  completed: number | null;
  /** When the row last changed, ms. */
  updated: number | null;
  /** `modelID` of an assistant message. */
  model: string | null;
  /** Usage of an assistant message in agtop's buckets. */
  tokens: TokenBuckets | null;
  /** OpenCode's own USD estimate of the message (0 for free and unknown models). */
  cost: number;
  /** `tool-calls` (more steps follow), `stop`, `length`, …; null while generating. */
  finish: string | null;
  /** The error that ended the response (`MessageAbortedError: …`), or null. */
  error: string | null;
}

/** What agtop keeps of one part. */
export interface OpenCodePart {
  id: string;
  messageId: string;
  /** `text`, `reasoning`, `tool`, `step-finish`, `compaction`, … */
  type: string;
  /** Text of a `text` or `reasoning` part. */
  text: string | null;
  /** A text OpenCode added itself (not typed by the user). */
  synthetic: boolean;
  /** Tool name of a `tool` part (`bash`, `read`, `task`, …). */
  tool: string | null;
  callId: string | null;
  /** `pending`, `running`, `completed` or `error`. */
  status: string | null;
  /** The argument a user wants to see (command, file path, pattern, …). */
  arg: string;
  /** Head of the tool's output, when known. */
  output: string | null;
  /** The tool's error, when it failed. */
  error: string | null;
  /** The child session a `task` tool runs (`state.metadata.sessionId`). */
  childSession: string | null;
  /** What a `question` call asks the user (`question: …`), else null. */
  question: string | null;
  /** `subagent_type` and `description` of a `task` call. */
  subagentType: string | null;
  description: string | null;
  /** When the part started, ms. */
  at: number | null;
  /** The permission step is behind it: Kilo Code records `state.metadata.approval` once a call is allowed. */
  approved: boolean;
}

/** One session row (or `storage/session/…/<id>.json`). */
export interface OpenCodeSessionInfo {
  id: string;
  parentId: string | null;
  directory: string | null;
  title: string | null;
  created: number | null;
  updated: number | null;
  /** `model.id` recorded on the session, if any. */
  model: string | null;
  /** The agent the session runs (`build`, `general`, …), if recorded. */
  agent: string | null;
  /**
   * The session's own totals (its `tokens_*` and `cost` columns, current releases), its subagents'
   * sessions not included; null where the store does not keep them.
   */
  totals: { tokens: TokenBuckets; cost: number } | null;
}

/** Everything read about one session, its subagents' sessions included. */
export interface OpenCodeView {
  info: OpenCodeSessionInfo;
  messages: OpenCodeLedger;
  /** The newest parts (of the newest messages), in any order. */
  parts: OpenCodePart[];
  /** Text of the newest prompt the user typed, or null. */
  prompt: string | null;
  /** The in-progress todo item, or null. */
  task: string | null;
  /** Child sessions (subagents), each read the same way. */
  children: OpenCodeView[];
  /** Records that could not be parsed in this read. */
  malformed: number;
}

/**
 * The messages of one session by id, updated in place as rows change (OpenCode rewrites a message
 * when its response completes). What a read asks of it is kept up to date message by message rather
 * than recomputed from all of them: the order, the token totals, where unsettled messages start, and
 * the usage timeline of settled responses (only a rewritten settled response builds it again).
 *
 * @example
 * ```ts
 * const ledger = new OpenCodeLedger();
 * ledger.put(parseOpenCodeMessage("msg_1", '{"role":"assistant","tokens":{"input":2000,"output":160}}', null)!);
 * ledger.tokens().total; // { input: 2000, output: 160, … }
 * ```
 */
export class OpenCodeLedger {
  #messages = new Map<string, OpenCodeMessage>();
  /** The messages oldest first (by creation time, then id). */
  #ordered: OpenCodeMessage[] = [];
  #total = emptyTokens();
  #byModel: Record<string, TokenBuckets> = modelTable();
  /** Messages with tokens per model key, so a model no message names any more is dropped. */
  #perModel = new Map<string, number>();
  /** The summed recorded cost, in the order of the messages (as a fresh sum), or null until summed again. */
  #cost: number | null = 0;
  /** Messages without a creation time, and the assistant messages still being generated, by id. */
  #untimed = 0;
  #generating = new Map<string, number | null>();
  /** Messages with an error (few), for the activity tail. */
  #errors = new Map<string, OpenCodeMessage>();
  /**
   * The recent timeline of settled responses, the messages it counts, and the
   * ids of messages put since it was last brought up to date (or still being generated).
   */
  #timeline: {
    usage: MinuteUsage;
    counted: Set<string>;
    pending: Set<string>;
  } | null = null;

  /** Adds or replaces a message. */
  put(m: OpenCodeMessage): void {
    const old = this.#messages.get(m.id);
    if (old) this.#count(old, -1);
    // A new message adds its cost at the end, as a fresh sum would; a rewritten one has the sum
    // taken again when asked (floating-point sums depend on their order).
    if (old) {
      if (old.cost !== 0 || m.cost !== 0) this.#cost = null;
    } else if (this.#cost !== null) this.#cost += m.cost;
    this.#messages.set(m.id, m);
    this.#count(m, 1);
    if (old && this.#timeline?.counted.has(m.id) && !sameUsage(old, m)) this.#timeline = null;
    else this.#timeline?.pending.add(m.id);
  }

  /** The message of an id, if held. */
  get(id: string): OpenCodeMessage | undefined {
    return this.#messages.get(id);
  }

  /** Forgets every message (the session was reverted or rewritten). */
  clear(): void {
    this.#messages.clear();
    this.#ordered = [];
    this.#total = emptyTokens();
    this.#byModel = modelTable();
    this.#perModel.clear();
    this.#cost = 0;
    this.#untimed = 0;
    this.#generating.clear();
    this.#errors.clear();
    this.#timeline = null;
  }

  /** Number of messages held. */
  get size(): number {
    return this.#messages.size;
  }

  /**
   * The creation time from which messages may still change: that of the oldest response still being
   * generated, else of the newest message; null when empty or a message has no time.
   */
  unsettledSince(): number | null {
    if (this.#untimed > 0 || this.#messages.size === 0) return null;
    let open: number | null = null;
    for (const created of this.#generating.values()) if (open === null || created! < open) open = created;
    return open ?? this.#ordered.at(-1)!.created;
  }

  /** Messages oldest first (by creation time, then id). */
  ordered(): OpenCodeMessage[] {
    return this.#ordered;
  }

  /** The messages that ended with an error, oldest first. */
  errors(): OpenCodeMessage[] {
    return [...this.#errors.values()].sort(byCreation);
  }

  /** Token totals of the assistant messages, overall and per model, and the summed recorded cost. */
  tokens(): { total: TokenBuckets; byModel: Record<string, TokenBuckets>; cost: number } {
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [model, t] of Object.entries(this.#byModel)) byModel[model] = { ...t };
    if (this.#cost === null) {
      this.#cost = 0;
      for (const m of this.#messages.values()) this.#cost += m.cost;
    }
    return { total: { ...this.#total }, byModel, cost: this.#cost };
  }

  /**
   * The per-minute timelines of the responses (each at its creation time; every minute with
   * `history`): responses settled since the last call are added to what was built, those still being
   * generated added to a copy. With `history` (a report, which reads a session once) it is built from
   * all responses and not kept, so a report over thousands of sessions holds no timelines but its own.
   */
  timeline(history: boolean): UsageFacts {
    if (history) {
      const requests = this.#ordered.flatMap((m): TimedUsage[] =>
        m.tokens ? [{ at: m.created, model: m.model ?? "unknown", tokens: m.tokens }] : []
      );
      return usageTimeline(requests, true);
    }
    if (!this.#timeline) {
      const pending = new Set(this.#messages.keys());
      this.#timeline = { usage: new MinuteUsage(), counted: new Set(), pending };
    }
    const { usage, counted, pending } = this.#timeline;
    const open: OpenCodeMessage[] = [];
    for (const id of pending) {
      const m = this.#messages.get(id);
      if (m?.tokens && m.created !== null && this.#generating.has(id)) {
        open.push(m);
        continue;
      }
      pending.delete(id);
      if (m?.tokens && m.created !== null && !counted.has(id)) {
        usage.add(m.created, m.model ?? "unknown", m.tokens);
        counted.add(id);
      }
    }
    const facts = usage.facts();
    for (const m of open) addUsage(facts.recentUsage!, m.created!, m.model ?? "unknown", m.tokens!);
    return facts;
  }

  /** Adds (`sign` 1) or takes out (-1) what message `m` contributes. */
  #count(m: OpenCodeMessage, sign: 1 | -1): void {
    if (sign > 0) insertSorted(this.#ordered, m);
    else {
      const at = this.#ordered.indexOf(m, lowerBound(this.#ordered, m));
      if (at >= 0) this.#ordered.splice(at, 1);
    }
    if (m.created === null) this.#untimed += sign;
    if (m.role === "assistant" && m.completed === null && m.error === null) {
      if (sign > 0) this.#generating.set(m.id, m.created);
      else this.#generating.delete(m.id);
    }
    if (m.error) {
      if (sign > 0) this.#errors.set(m.id, m);
      else this.#errors.delete(m.id);
    }
    if (!m.tokens) return;
    const key = m.model ?? "unknown";
    addSigned(this.#total, m.tokens, sign);
    addSigned(this.#byModel[key] ??= emptyTokens(), m.tokens, sign);
    const n = (this.#perModel.get(key) ?? 0) + sign;
    if (n > 0) this.#perModel.set(key, n);
    else {
      this.#perModel.delete(key);
      delete this.#byModel[key];
    }
  }
}

/** Whether two versions of a message count the same in a timeline. */
function sameUsage(a: OpenCodeMessage, b: OpenCodeMessage): boolean {
  return a.created === b.created && a.model === b.model && !!a.tokens && !!b.tokens &&
    (Object.keys(a.tokens) as (keyof TokenBuckets)[]).every((k) => a.tokens![k] === b.tokens![k]);
}

/** Adds `b` times `sign` into `a`. */
function addSigned(a: TokenBuckets, b: TokenBuckets, sign: 1 | -1): void {
  for (const k of Object.keys(b) as (keyof TokenBuckets)[]) a[k] += sign * b[k];
}

/** Messages by creation time (none: 0), then id. */
function byCreation(a: OpenCodeMessage, b: OpenCodeMessage): number {
  return (a.created ?? 0) - (b.created ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The first index of `sorted` whose message does not sort before `m`. */
function lowerBound(sorted: OpenCodeMessage[], m: OpenCodeMessage): number {
  let lo = 0;
  for (let hi = sorted.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (byCreation(sorted[mid], m) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `m` into `sorted` in order (at the end, in O(1), for the newest message). */
function insertSorted(sorted: OpenCodeMessage[], m: OpenCodeMessage): void {
  const last = sorted.at(-1);
  if (!last || byCreation(last, m) < 0) sorted.push(m);
  else sorted.splice(lowerBound(sorted, m), 0, m);
}

/**
 * A message `data` JSON (text or parsed) as an {@linkcode OpenCodeMessage}, or null when it is not an
 * object.
 *
 * @example
 * ```ts
 * parseOpenCodeMessage("msg_2", '{"role":"assistant","modelID":"gpt-5","tokens":{"input":9,"output":3,"reasoning":1,"cache":{"read":0,"write":0}},"cost":0.01,"time":{"created":1,"completed":2},"finish":"stop"}', 2);
 * ```
 */
export function parseOpenCodeMessage(
  id: string,
  data: unknown,
  updated: number | null,
): OpenCodeMessage | null {
  const d = asObject(data);
  if (!d || typeof d.role !== "string") return null;
  const time = asObject(d.time) ?? {};
  const t = asObject(d.tokens);
  const cache = asObject(t?.cache) ?? {};
  const err = asObject(d.error);
  const errData = asObject(err?.data);
  return {
    id,
    role: d.role,
    created: epochMs(time.created),
    completed: epochMs(time.completed),
    updated: epochMs(updated) ?? epochMs(time.completed) ?? epochMs(time.created),
    model: str(d.modelID) ?? str(asObject(d.model)?.modelID),
    tokens: d.role === "assistant" && t
      ? {
        input: positive(t.input),
        output: positive(t.output),
        cacheRead: positive(cache.read),
        cacheWrite: positive(cache.write),
        reasoning: positive(t.reasoning),
      }
      : null,
    cost: positive(d.cost),
    finish: str(d.finish),
    error: err ? [str(err.name), str(errData?.message)].filter(Boolean).join(": ") || "error" : null,
  };
}

/**
 * A part `data` JSON (text or parsed) as an {@linkcode OpenCodePart}, or null when it is not an object.
 * `output` is the head of a tool's output when the caller selected it apart from `data`.
 *
 * @example
 * ```ts
 * parseOpenCodePart("prt_9", "msg_2", '{"type":"tool","tool":"bash","callID":"c1","state":{"status":"running","input":{"command":"bun test"}}}');
 * // { type: "tool", tool: "bash", status: "running", arg: "bun test", … }
 * ```
 */
export function parseOpenCodePart(
  id: string,
  messageId: string,
  data: unknown,
  output: string | null = null,
): OpenCodePart | null {
  const d = asObject(data);
  if (!d || typeof d.type !== "string") return null;
  const state = asObject(d.state) ?? {};
  const input = asObject(state.input) ?? {};
  const meta = asObject(state.metadata) ?? {};
  const tool = d.type === "tool" ? str(d.tool) ?? "tool" : null;
  const stateTime = asObject(state.time) ?? {};
  const partTime = asObject(d.time) ?? {};
  return {
    id,
    messageId,
    type: d.type,
    text: typeof d.text === "string" ? d.text : null,
    synthetic: d.synthetic === true || d.ignored === true,
    tool,
    callId: str(d.callID),
    status: str(state.status),
    arg: tool ? openCodeToolArg(tool, input) || (str(state.title) ?? "") : "",
    output: output ?? (typeof state.output === "string" ? state.output : null),
    error: typeof state.error === "string" ? state.error : null,
    childSession: str(meta.sessionId),
    question: tool ? questionAsked(tool, input) : null,
    subagentType: str(input.subagent_type),
    description: str(input.description),
    at: epochMs(stateTime.start) ?? epochMs(partTime.start),
    approved: asObject(meta.approval) !== null,
  };
}

/**
 * The one argument of an OpenCode tool call a user wants to see, from its `input`.
 *
 * @example
 * ```ts
 * openCodeToolArg("bash", { command: "bun test", description: "Run tests" }); // "bun test"
 * openCodeToolArg("task", { description: "Probe", subagent_type: "general" }); // "Probe (general)"
 * ```
 */
export function openCodeToolArg(tool: string, input: JsonObject): string {
  const key = Object.hasOwn(ARG_BY_TOOL, tool) ? ARG_BY_TOOL[tool] : null;
  if (key) return stringArg(input, key);
  if (tool === "task") return subagentArg(input);
  if (tool === "todowrite") return todoArg(input, ["content"]);
  return firstArg(input, FALLBACK_ARG_KEYS);
}

/** The input key that holds the argument of each of OpenCode's tools that name one. */
const ARG_BY_TOOL: Readonly<Record<string, string>> = {
  bash: "command",
  read: "filePath",
  write: "filePath",
  edit: "filePath",
  multiedit: "filePath",
  patch: "filePath",
  grep: "pattern",
  glob: "pattern",
  list: "path",
  webfetch: "url",
  websearch: "query",
  codesearch: "query",
};

/** Keys tried, in order, for other tools (MCP tools and newer ones). */
const FALLBACK_ARG_KEYS = ["command", "filePath", "path", "pattern", "url", "query", "description", "prompt"];

/**
 * The text a user typed in one prompt message: its `text` parts that OpenCode did not add itself, in
 * order, or null when there are none.
 *
 * @example
 * ```ts
 * const part = parseOpenCodePart("prt_1", "msg_1", { type: "text", text: "fix the build" });
 * promptText(part ? [part] : []); // "fix the build"
 * ```
 */
export function promptText(parts: OpenCodePart[]): string | null {
  const texts = [...parts].sort(byId).filter((p) => p.type === "text" && !p.synthetic && p.text?.trim());
  return texts.length ? texts.map((p) => p.text).join("\n") : null;
}

/**
 * The facts of a session: tokens and recorded cost of the session and all its subagents' sessions,
 * their usage over time (each response at its creation time; every minute with `history`), the newest
 * pending or running tool, the turn state from the newest message, subagents from the child
 * sessions, and the activity tail from the newest parts.
 *
 * @example
 * ```ts
 * declare const view: OpenCodeView;
 * const facts = openCodeFacts(view, Date.now());
 * facts.currentTool; // { name: "bash", arg: "bun test", … } while the part is running
 * ```
 */
export function openCodeFacts(view: OpenCodeView, now: number, history = false): SessionRead {
  const ordered = view.messages.ordered();
  const newest = ordered.at(-1) ?? null;
  const turn = turnOf(newest);
  const usage = treeUsage(view);
  const lastAssistant = ordered.findLast((m) => m.role === "assistant") ?? null;
  const withTokens = ordered.findLast((m) => m.tokens !== null && totalTokens(m.tokens) > 0);
  const parts = [...view.parts].sort(byId);
  const subagents = view.children.map((child) => subagentFacts(child, parts, now));
  const lastActivity = Math.max(
    view.info.updated ?? 0,
    ...ordered.slice(-1).map((m) => m.updated ?? m.completed ?? m.created ?? 0),
    ...parts.map((p) => p.at ?? 0),
  );
  let malformed = view.malformed;
  for (const c of view.children) malformed += c.malformed;
  return {
    id: view.info.id,
    cwd: view.info.directory,
    gitBranch: null,
    title: promptLine(view.info.title),
    model: lastAssistant?.model ?? view.info.model,
    lastPrompt: promptLine(view.prompt),
    currentTask: promptLine(view.task),
    currentTool: turn === "ended" ? null : currentTool(parts),
    // A `question` call in flight: the question is open in OpenCode's screen until answered.
    waitingFor: turn === "ended" ? null : openTool(parts)?.question ?? null,
    subagents,
    turn,
    stopReason: lastAssistant?.finish ?? null,
    startedAt: view.info.created ?? ordered[0]?.created ?? null,
    lastActivity: lastActivity || null,
    tokens: usage.total,
    tokensByModel: usage.byModel,
    contextTokens: withTokens?.tokens
      ? withTokens.tokens.input + withTokens.tokens.cacheRead + withTokens.tokens.cacheWrite
      : null,
    contextWindow: null,
    activity: activity(view.messages, parts),
    malformedLines: malformed,
    costUsd: usage.cost > 0 ? usage.cost : null,
    ...joinTimelines(treeTimelines(view, history), history),
  };
}

/**
 * The usage timelines of a session and every session below it. A session whose own totals differ from
 * the sum of its messages (a response still streaming) gives none: its usage is placed at the
 * session's end rather than counted twice.
 */
function treeTimelines(view: OpenCodeView, history: boolean, depth = 0): UsageFacts[] {
  const counted = sessionUsage(view).total;
  const summed = view.messages.tokens().total;
  const same = (Object.keys(counted) as (keyof TokenBuckets)[]).every((k) => counted[k] === summed[k]);
  const own = same ? [view.messages.timeline(history)] : [];
  if (depth >= 8) return own;
  return own.concat(...view.children.map((child) => treeTimelines(child, history, depth + 1)));
}

/** Where the turn stands after the newest message. */
function turnOf(m: OpenCodeMessage | null): TurnState {
  if (!m) return "unknown";
  if (m.role === "user") return "working";
  if (m.role !== "assistant") return "unknown";
  if (m.error) return "ended";
  if (m.completed === null) return "working";
  return m.finish === "tool-calls" || m.finish === "tool_calls" ? "working" : "ended";
}

/** The newest tool part still pending or running. */
function openTool(parts: OpenCodePart[]): OpenCodePart | undefined {
  return parts.findLast((x) => x.tool !== null && (x.status === "pending" || x.status === "running"));
}

/** OpenCode's tools that ask for permission first when its config says `ask` (shell commands, edits). */
const ASKS_FIRST = new Set(["bash", "edit", "write", "multiedit", "patch", "apply_patch"]);

/** The call of {@linkcode openTool}. */
function currentTool(parts: OpenCodePart[]): ToolCall | null {
  const p = openTool(parts);
  if (!p) return null;
  const call: ToolCall = {
    name: p.tool!,
    arg: cleanLine(p.arg, ACTIVITY_WIDTH),
    id: p.callId,
    startedAt: p.at,
  };
  if (ASKS_FIRST.has(p.tool!) && !p.approved) call.asksFirst = true;
  return call;
}

/**
 * Tokens and cost of one session: the totals it keeps itself when it has any, else the sum of its
 * messages (older stores, and sessions written before the totals were kept). Per model, the messages
 * tell; a session of one model puts its totals under it.
 */
function sessionUsage(view: OpenCodeView): ReturnType<OpenCodeLedger["tokens"]> {
  const summed = view.messages.tokens();
  const totals = view.info.totals;
  if (!totals || (totalTokens(totals.tokens) === 0 && totals.cost === 0)) return summed;
  const models = Object.keys(summed.byModel);
  const byModel = models.length === 1 ? { [models[0]]: { ...totals.tokens } } : summed.byModel;
  return { total: { ...totals.tokens }, byModel, cost: totals.cost };
}

/** Tokens and cost of a session and every session below it. */
function treeUsage(view: OpenCodeView, depth = 0): ReturnType<OpenCodeLedger["tokens"]> {
  const own = sessionUsage(view);
  if (depth >= 8) return own;
  for (const child of view.children) {
    const sub = treeUsage(child, depth + 1);
    addTokens(own.total, sub.total);
    for (const [model, t] of Object.entries(sub.byModel)) addTokens(own.byModel[model] ??= emptyTokens(), t);
    own.cost += sub.cost;
  }
  return own;
}

/** A child session as a subagent, joined with the parent's `task` call that started it. */
function subagentFacts(child: OpenCodeView, parentParts: OpenCodePart[], now: number): SubagentFacts {
  const call = parentParts.findLast((p) => p.tool === "task" && p.childSession === child.info.id);
  const ordered = child.messages.ordered();
  const newest = ordered.at(-1) ?? null;
  const lastActivity = Math.max(child.info.updated ?? 0, newest?.updated ?? newest?.created ?? 0) || null;
  const working = turnOf(newest) === "working" && lastActivity !== null &&
    now - lastActivity < SUBAGENT_QUIET_MS;
  const running = call ? call.status === "pending" || call.status === "running" : working;
  const titled = /^(.*) \(@([^)]+) subagent\)$/.exec(child.info.title ?? "");
  const parts = [...child.parts].sort(byId);
  return {
    id: child.info.id,
    type: call?.subagentType ?? child.info.agent ?? titled?.[2] ?? null,
    description: promptLine(call?.description ?? titled?.[1] ?? child.info.title),
    status: running ? "running" : "done",
    model: ordered.findLast((m) => m.role === "assistant")?.model ?? child.info.model,
    tokens: treeUsage(child).total,
    currentTool: running ? currentTool(parts) : null,
    lastActivity,
  };
}

/**
 * The activity tail: each message's parts in order, then the error that ended it, if any (only the
 * messages with parts read or an error add anything, so only those are visited).
 */
function activity(messages: OpenCodeLedger, parts: OpenCodePart[]): SessionFacts["activity"] {
  const tail = new ActivityTail();
  const byMessage = new Map<string, OpenCodePart[]>();
  for (const p of parts) {
    const list = byMessage.get(p.messageId);
    if (list) list.push(p);
    else byMessage.set(p.messageId, [p]);
  }
  const shown = new Set(messages.errors());
  for (const id of byMessage.keys()) {
    const m = messages.get(id);
    if (m) shown.add(m);
  }
  for (const m of [...shown].sort(byCreation)) {
    for (const p of byMessage.get(m.id) ?? []) {
      const at = p.at ?? m.created;
      if (p.type === "text" && p.text?.trim()) {
        if (m.role === "user") {
          if (!p.synthetic) tail.push(at, "prompt", p.text);
        } else tail.push(at, "text", p.text);
      } else if (p.type === "reasoning" && p.text?.trim()) tail.push(at, "thinking", p.text);
      else if (p.type === "compaction") tail.push(at, "system", "context compacted");
      else if (p.tool !== null) {
        tail.push(at, "tool", p.arg ? `${p.tool}: ${p.arg}` : p.tool);
        if (p.status === "error") tail.push(at, "error", firstLine(p.error ?? "error"));
        else if (p.status === "completed" && p.output) tail.push(at, "result", firstLine(p.output));
      }
    }
    if (m.error) tail.push(m.completed ?? m.updated, "error", m.error);
  }
  return tail.events();
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `v` when it is a non-empty string (a blank one too), else null. */
function str(v: unknown): string | null {
  return typeof v === "string" && v ? v : null;
}
