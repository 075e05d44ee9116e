/**
 * Copilot CLI session events (`~/.copilot/session-state/<sessionId>/events.jsonl`): a pure,
 * incremental parser fed one `{type, data, id, timestamp, parentId, agentId?}` line at a time.
 *
 * @module
 */

import type { TokenBuckets, ToolCall } from "../../session.ts";
import { addTokens, emptyTokens, MinuteUsage, modelTable, newestCall, totalTokens } from "../../session.ts";
import { isObject, nonBlank, positive, skipTypes, timestamp } from "../../formats/records.ts";
import type { JsonObject } from "../../formats/records.ts";
import { ACTIVITY_WIDTH, cleanLine, firstLine } from "../../formats/text.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";
import { questionAsked } from "../../formats/questions.ts";
import { limitNotice } from "../../formats/limits.ts";
import { subagentFacts, TranscriptState } from "../../formats/transcript_state.ts";
import type { SessionRead } from "../../vendor.ts";

/** What `waitingFor` says while a permission request has no answer. */
export const PERMISSION_PROMPT = "permission prompt";

/** Only the `type` of a line decides whether it matters; it comes first, so only this much is searched. */
const TYPE_WINDOW = 200;
/** Event types that carry nothing agtop shows and can be large; they skip `JSON.parse`. */
const SKIPPED_TYPES = ['"type":"system.message"', '"type":"session.binary_asset"', '"type":"hook.'];
const skipped = skipTypes(SKIPPED_TYPES, TYPE_WINDOW);

/** One subagent (`subagent.started`), keyed by the tool call that started it. */
interface Subagent {
  id: string;
  type: string | null;
  description: string | null;
  running: boolean;
  model: string | null;
  tokens: TokenBuckets;
  lastActivity: number | null;
  /** Its tool calls in flight. */
  pending: Map<string, ToolCall>;
}

/**
 * Incremental parser of one Copilot CLI `events.jsonl`. Tokens are the sum of the per-call
 * `session.usage_record` events (normalised: input without cache reads, output without reasoning,
 * where the provider counts them inside); a `session.shutdown` whose per-model totals are larger (a
 * run from before `usage_record` existed) replaces the sum so far, and in such runs the output tokens
 * of `assistant.message` count live. Events carrying an `agentId` (or a subagent's
 * `parentToolCallId`) belong to subagents: their tokens count towards the session and towards the
 * subagent, their tools are the subagent's. Each `usage_record` is also placed at its event's time
 * (the session's usage over time). Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new CopilotTranscript();
 * t.feed('{"type":"user.message","data":{"content":"fix lint errors"},"id":"e2","timestamp":"2026-11-24T03:37:50.000Z","parentId":"e1"}');
 * t.facts().lastPrompt; // "fix lint errors"
 * t.facts().turn; // "working"
 * ```
 */
export class CopilotTranscript {
  #id: string | null = null;
  #cwd: string | null = null;
  #branch: string | null = null;
  #model: string | null = null;
  #toolsRequested = false;
  #subagents = new Map<string, Subagent>();
  #agentCalls = new Map<string, string>();
  #permissions = new Set<string>();
  #base: Record<string, TokenBuckets> = modelTable();
  #records: Record<string, TokenBuckets> = modelTable();
  #messageOutput: Record<string, TokenBuckets> = modelTable();
  #sawRecords = false;
  #context: number | null = null;
  #contextWindow: number | null = null;
  /** The calls' usage over time (each `usage_record` at its event's time), subagents' included. */
  #usage: MinuteUsage;
  /** The main agent's state; subagents' tools are kept with each subagent. */
  #s = new TranscriptState();
  #read = (rec: JsonObject): void => {
    if (typeof rec.type === "string") this.#event(rec);
    else this.#s.malformed++;
  };

  /** A parser with no lines fed yet; `options.history` keeps the session's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#usage = new MinuteUsage(options.history);
  }

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#s.malformed;
  }

  /** Feeds one line (or one parsed event). Lines that are not JSON objects with a `type` are counted as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read, skipped);
  }

  /** Everything the events so far say about the session. */
  facts(): SessionRead {
    const byModel = this.#tokensByModel();
    const tokens = emptyTokens();
    for (const t of Object.values(byModel)) addTokens(tokens, t);
    return this.#s.facts({
      id: this.#id ?? "",
      cwd: this.#cwd,
      gitBranch: this.#branch,
      model: this.#model,
      subagents: [...this.#subagents.values()].map((s) =>
        subagentFacts({ ...s, currentTool: newestCall(s.pending) })
      ),
      tokens,
      tokensByModel: byModel,
      contextTokens: this.#context,
      contextWindow: this.#contextWindow,
      waitingFor: this.#permissions.size > 0 ? PERMISSION_PROMPT : this.#s.openQuestion(),
      ...this.#usage.facts(),
      ...this.#s.limitFacts(),
    });
  }

  /** Totals so far: the last shutdown's (or earlier sums), plus the calls since. */
  #tokensByModel(): Record<string, TokenBuckets> {
    const out: Record<string, TokenBuckets> = modelTable();
    const live = this.#sawRecords ? this.#records : this.#messageOutput;
    for (const part of [this.#base, live]) {
      for (const [m, t] of Object.entries(part)) addTokens(out[m] ??= emptyTokens(), t);
    }
    return out;
  }

  /** A tool call has its result: whoever made it, it is no longer in flight. */
  #toolDone(id: string): void {
    this.#s.pending.delete(id);
    for (const s of this.#subagents.values()) s.pending.delete(id);
  }

  /** The subagent an event belongs to (its key), or null for the main agent's own events. */
  #owner(rec: JsonObject, data: JsonObject): string | null {
    const parent = nonBlank(data.parentToolCallId);
    const agent = nonBlank(rec.agentId);
    if (parent && this.#subagents.has(parent)) {
      if (agent) this.#agentCalls.set(agent, parent);
      return parent;
    }
    if (agent) return this.#agentCalls.get(agent) ?? `agent:${agent}`;
    return null;
  }

  #event(rec: JsonObject): void {
    const ts = timestamp(rec.timestamp);
    this.#s.span.see(ts);
    const data = isObject(rec.data) ? rec.data : {};
    const type = rec.type as string;
    if (type === "subagent.started") return this.#subagentStarted(rec, data, ts);
    const owner = this.#owner(rec, data);
    if (owner !== null) return this.#subagentEvent(owner, type, data, ts);
    switch (type) {
      case "session.start":
        this.#id = nonBlank(data.sessionId) ?? this.#id;
        this.#model = nonBlank(data.selectedModel) ?? this.#model;
        return this.#workingContext(data.context);
      case "session.resume":
        this.#model = nonBlank(data.selectedModel) ?? this.#model;
        this.#workingContext(data.context);
        // A new process took the session over: nothing of the previous one is in flight.
        this.#stopAll();
        if (this.#s.turn === "exited" || this.#s.turn === "working") this.#s.turn = "ended";
        return;
      case "session.context_changed":
        return this.#workingContext(data);
      case "session.model_change":
        this.#model = nonBlank(data.newModel) ?? this.#model;
        return;
      case "user.message":
        return this.#userMessage(data, ts);
      case "assistant.turn_start":
        this.#s.turn = "working";
        this.#toolsRequested = false;
        return;
      case "assistant.message":
        return this.#assistantMessage(data, ts);
      case "assistant.reasoning": {
        const text = nonBlank(data.content);
        if (text) this.#s.activity.push(ts, "thinking", text);
        return;
      }
      case "assistant.turn_end":
        // The agent loop goes on after a turn that asked for tools; otherwise the user is next.
        if (!this.#toolsRequested && this.#s.pending.size === 0) this.#s.turn = "ended";
        return;
      case "tool.execution_start":
        return this.#toolStart(null, data, ts);
      case "tool.execution_complete":
        return this.#toolComplete(data, ts);
      case "session.usage_record":
        return this.#usageRecord(null, data, ts);
      case "subagent.completed":
      case "subagent.failed":
        return this.#subagentEnded(type, data, ts);
      case "permission.requested": {
        const id = nonBlank(data.requestId);
        if (id && data.resolvedByHook !== true) this.#permissions.add(id);
        return;
      }
      case "permission.completed": {
        const id = nonBlank(data.requestId);
        if (id) this.#permissions.delete(id);
        else this.#permissions.clear();
        return;
      }
      case "abort":
        this.#s.activity.push(ts, "system", `interrupted${nonBlank(data.reason) ? ` (${data.reason})` : ""}`);
        this.#stopAll();
        this.#s.turn = "ended";
        return;
      case "session.task_complete":
        if (nonBlank(data.summary)) this.#s.activity.push(ts, "text", data.summary as string);
        this.#s.turn = "ended";
        return;
      case "session.error": {
        const msg = nonBlank(data.message) ?? nonBlank(data.errorType) ?? "";
        this.#s.activity.push(ts, "error", msg ? `error: ${msg}` : "error");
        if (this.#s.pending.size === 0) this.#s.turn = "ended";
        // `errorType: "rate_limit"`, `429 Rate limit reached … try again in 1h.`: limited until then
        const notice = data.errorType === "rate_limit" || data.statusCode === 429
          ? limitNotice(msg, ts)
          : null;
        if (notice) this.#s.limitHit(notice);
        return;
      }
      case "session.compaction_complete":
        this.#s.activity.push(ts, "system", "context compacted");
        return;
      case "session.shutdown":
        return this.#shutdown(data, ts);
    }
  }

  /** `context{cwd, branch}` of `session.start`/`resume`, or the data of `session.context_changed`. */
  #workingContext(ctx: unknown): void {
    if (!isObject(ctx)) return;
    this.#cwd = nonBlank(ctx.cwd) ?? this.#cwd;
    this.#branch = nonBlank(ctx.branch) ?? this.#branch;
  }

  #userMessage(data: JsonObject, ts: number | null): void {
    this.#s.turn = "working";
    this.#s.limitedUntil = null;
    this.#permissions.clear();
    const text = typeof data.content === "string" ? data.content : null;
    if (text === null || !text.trim() || data.isAutopilotContinuation === true) return;
    this.#s.prompt(ts, text);
  }

  #assistantMessage(data: JsonObject, ts: number | null): void {
    const model = nonBlank(data.model);
    if (model) this.#model = model;
    const text = nonBlank(data.content);
    if (text) this.#s.activity.push(ts, "text", text);
    this.#toolsRequested = Array.isArray(data.toolRequests) && data.toolRequests.length > 0;
    const output = positive(data.outputTokens);
    if (output > 0) {
      (this.#messageOutput[model ?? this.#model ?? "unknown"] ??= emptyTokens()).output += output;
    }
  }

  #toolStart(owner: string | null, data: JsonObject, ts: number | null): void {
    const id = nonBlank(data.toolCallId);
    if (!id) return;
    const name = nonBlank(data.toolName) ?? "tool";
    const shell = isObject(data.shellToolInfo) ? data.shellToolInfo : {};
    const arg = copilotToolArg(data.arguments, nonBlank(shell.displayCommand));
    if (owner === null) {
      this.#s.toolCall(ts, name, arg, id);
      this.#s.turn = "working";
      const question = questionAsked(name, data.arguments);
      if (question) this.#s.asks(id, question);
    } else {
      this.#subagents.get(owner)?.pending.set(id, {
        name,
        arg: cleanLine(arg, ACTIVITY_WIDTH),
        id,
        startedAt: ts,
      });
    }
  }

  #toolComplete(data: JsonObject, ts: number | null): void {
    const id = nonBlank(data.toolCallId);
    if (id) this.#toolDone(id);
    const result = isObject(data.result) ? data.result : {};
    const error = isObject(data.error) ? nonBlank(data.error.message) : nonBlank(data.error);
    const failed = data.success === false;
    const text = failed && error
      ? error
      : firstLine(typeof result.content === "string" ? result.content : "");
    this.#s.activity.push(ts, failed ? "error" : "result", text);
  }

  #usageRecord(owner: string | null, data: JsonObject, ts: number | null): void {
    const u = isObject(data.usage) ? data.usage : null;
    if (!u) return;
    const tokens = normaliseUsage(u);
    const model = nonBlank(u.model) ?? this.#subagents.get(owner ?? "")?.model ?? this.#model ?? "unknown";
    this.#sawRecords = true;
    addTokens(this.#records[model] ??= emptyTokens(), tokens);
    if (ts !== null) this.#usage.add(ts, model, tokens);
    const sub = owner === null ? null : this.#subagents.get(owner);
    if (sub) {
      addTokens(sub.tokens, tokens);
      sub.model = nonBlank(u.model) ?? sub.model;
    }
    if (owner !== null) return;
    if (nonBlank(u.model)) this.#model = u.model as string;
    const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite;
    if (prompt > 0) this.#context = prompt;
    const window = positive(u.maxPromptTokens);
    if (window > 0) this.#contextWindow = window;
  }

  #subagentStarted(rec: JsonObject, data: JsonObject, ts: number | null): void {
    const id = nonBlank(data.toolCallId);
    if (!id) return;
    const agent = nonBlank(rec.agentId);
    if (agent) this.#agentCalls.set(agent, id);
    const prev = this.#subagents.get(id);
    const [name, shown] = [nonBlank(data.agentName), nonBlank(data.agentDisplayName)];
    this.#subagents.set(id, {
      id,
      type: name ?? prev?.type ?? null,
      description: nonBlank(data.agentDescription) ?? shown ?? prev?.description ?? null,
      running: true,
      model: nonBlank(data.model) ?? prev?.model ?? null,
      tokens: prev?.tokens ?? emptyTokens(),
      lastActivity: ts,
      pending: prev?.pending ?? new Map(),
    });
    this.#s.activity.push(ts, "system", `subagent ${shown ?? name ?? id}`);
  }

  #subagentEnded(type: string, data: JsonObject, ts: number | null): void {
    const sub = this.#subagents.get(nonBlank(data.toolCallId) ?? "");
    if (!sub) return;
    sub.running = false;
    sub.model = nonBlank(data.model) ?? sub.model;
    sub.lastActivity = ts ?? sub.lastActivity;
    sub.pending.clear();
    if (type === "subagent.failed") {
      this.#s.activity.push(ts, "error", `subagent failed: ${nonBlank(data.error) ?? ""}`);
    }
  }

  /** An event of a subagent: its tools, tokens and activity, never the main agent's turn. */
  #subagentEvent(owner: string, type: string, data: JsonObject, ts: number | null): void {
    const sub = this.#subagents.get(owner);
    if (sub && ts !== null) sub.lastActivity = Math.max(sub.lastActivity ?? 0, ts);
    switch (type) {
      case "tool.execution_start":
        return this.#toolStart(owner, data, ts);
      case "tool.execution_complete": {
        const id = nonBlank(data.toolCallId);
        if (id) this.#toolDone(id);
        return;
      }
      case "session.usage_record":
        return this.#usageRecord(owner, data, ts);
      case "assistant.message":
        if (sub) sub.model = nonBlank(data.model) ?? sub.model;
        return;
      case "subagent.completed":
      case "subagent.failed":
        return this.#subagentEnded(type, data, ts);
    }
  }

  #shutdown(data: JsonObject, ts: number | null): void {
    const totals: Record<string, TokenBuckets> = modelTable();
    const metrics = isObject(data.modelMetrics) ? data.modelMetrics : {};
    for (const [model, m] of Object.entries(metrics)) {
      if (isObject(m) && isObject(m.usage)) totals[model] = normaliseUsage(m.usage);
    }
    const sofar = this.#tokensByModel();
    this.#base = sum(totals) > sum(sofar) ? totals : sofar;
    this.#records = modelTable();
    this.#messageOutput = modelTable();
    this.#sawRecords = false;
    this.#model = nonBlank(data.currentModel) ?? this.#model;
    const current = positive(data.currentTokens);
    if (current > 0) this.#context = current;
    this.#stopAll();
    this.#s.turn = "exited";
    this.#s.activity.push(ts, "system", data.shutdownType === "error" ? "exited with an error" : "exited");
  }

  /** Nothing is in flight any more: tools, permission prompts and subagents stop. */
  #stopAll(): void {
    this.#s.pending.clear();
    this.#permissions.clear();
    for (const s of this.#subagents.values()) {
      s.running = false;
      s.pending.clear();
    }
  }
}

/**
 * The one argument of a Copilot CLI tool call a user wants to see: the shell command as Copilot
 * displays it, else the command, path, pattern, query, URL or description in `arguments`.
 *
 * @example
 * ```ts
 * copilotToolArg({ command: "npm run lint", description: "lint" }, null); // "npm run lint"
 * copilotToolArg({ path: "/home/me/app/src/cli.ts" }, null); // "/home/me/app/src/cli.ts"
 * ```
 */
export function copilotToolArg(args: unknown, displayCommand: string | null): string {
  return displayCommand || firstArg(args, ARG_KEYS);
}

/**
 * A `usage` object (`inputTokens`, `outputTokens`, `cacheReadTokens`, `cacheWriteTokens`,
 * `reasoningTokens`) in agtop's buckets. OpenAI-style providers count cache reads inside the input
 * and reasoning inside the output; those are taken out. Input smaller than its cache reads cannot
 * contain them (Anthropic-style counts) and is kept as it is; the same for output and reasoning.
 */
function normaliseUsage(u: JsonObject): TokenBuckets {
  const input = positive(u.inputTokens);
  const output = positive(u.outputTokens);
  const cacheRead = positive(u.cacheReadTokens);
  const reasoning = positive(u.reasoningTokens);
  return {
    input: input >= cacheRead ? input - cacheRead : input,
    output: output >= reasoning ? output - reasoning : output,
    cacheRead,
    cacheWrite: positive(u.cacheWriteTokens),
    reasoning,
  };
}

/** Every token of every model. */
function sum(byModel: Record<string, TokenBuckets>): number {
  let n = 0;
  for (const t of Object.values(byModel)) n += totalTokens(t);
  return n;
}
