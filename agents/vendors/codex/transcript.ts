/**
 * Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<threadId>.jsonl`): a pure,
 * incremental parser fed one `{timestamp, type, payload}` line at a time.
 *
 * @module
 */

import { isObject, type JsonObject, positive, skipTypes, timestamp } from "../../formats/records.ts";
import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, MinuteUsage, modelTable, totalTokens } from "../../session.ts";
import { firstLine } from "../../formats/text.ts";
import { limitNotice } from "../../formats/limits.ts";
import { patchFiles } from "../../formats/changed.ts";
import { subagentFacts, TranscriptState } from "../../formats/transcript_state.ts";
import type { SessionRead } from "../../vendor.ts";

/** The first `session_meta` of a rollout: which thread it is and where it runs. */
export interface CodexMeta {
  /** This thread's id (the uuid at the end of the file name). */
  id: string;
  /** Root session id (equal to `id` for a top-level thread). */
  sessionId: string | null;
  /** Directory the thread works in. */
  cwd: string | null;
  /** ms since epoch when the thread was created. */
  createdAt: number | null;
  /** Thread that spawned this one, for subagents. */
  parentThreadId: string | null;
  /** Nickname of a subagent (e.g. `Noether`). */
  nickname: string | null;
  /** True for a subagent's rollout. */
  subagent: boolean;
  /** Git branch when the thread started. */
  gitBranch: string | null;
}

/** A subagent a thread spawned (`spawn_agent`), as the parent's rollout tells it. */
export interface CodexSubagent {
  /** Child thread id, once known; the `spawn_agent` call id before that. */
  id: string;
  /** True when `id` is the child's thread id (its rollout can be looked up). */
  known: boolean;
  /** The nickname Codex gave it (e.g. `Noether`). */
  nickname: string | null;
  /** What it was asked to do (the `spawn_agent` message). */
  description: string | null;
  /** Model requested for it, when named. */
  model: string | null;
  /** True until its state or a notification says it finished. */
  running: boolean;
  /** When it was spawned (ms since epoch), when known. */
  startedAt: number | null;
}

/** The subagent tools' states that mean the child finished. */
const FINISHED_STATES = new Set([
  "completed",
  "errored",
  "shutdown",
  "not_found",
  "interrupted",
  "closed",
  "failed",
]);
/** User messages that Codex writes itself rather than the user. */
const NOT_PROMPTS = [
  "<environment_context>",
  "<user_instructions>",
  "<subagent_notification>",
  "<turn_aborted>",
];
/** Only the `type` of a line decides whether it matters; it comes first, so only this much is searched. */
const TYPE_WINDOW = 200;
/** Line types that carry nothing agtop shows; they skip `JSON.parse`. */
const SKIPPED_TYPES = ['"type":"world_state"', '"type":"compacted"'];
const skipped = skipTypes(SKIPPED_TYPES, TYPE_WINDOW);
/** Codex's tools that run a shell command. */
const SHELL_TOOLS = new Set(["exec_command", "shell", "shell_command"]);
/** Tools (by the last part of their name) that write the file named by their `path` argument. */
const WRITE_TOOL = /^(?:write|edit|create)_?file$/i;
/** A tool output that says the call failed: the file it was to change is unchanged. */
const FAILED_OUTPUT =
  /^(?:error|failed)|verification failed|exited with code [1-9]|exit code: [1-9]|"exit_code":\s*[1-9]/im;

/**
 * Incremental parser of one Codex rollout. Tokens come from the newest cumulative count
 * (`token_usage_record.thread_token_usage`, else `token_count.info.total_token_usage`), never from
 * summing re-emitted counts; each change of the cumulative count is attributed to the model of the
 * turn it belongs to and to the minute it was written in. Rate limits come from the newest
 * `token_count.rate_limits` per window; a usage-limit `error` event marks the thread limited until
 * its reset. Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new CodexTranscript();
 * t.feed('{"timestamp":"2026-11-24T03:29:13.477Z","type":"session_meta","payload":{"id":"01a2","cwd":"/home/me/svc"}}');
 * t.meta?.cwd; // "/home/me/svc"
 * ```
 */
export class CodexTranscript {
  #meta: CodexMeta | null = null;
  #model: string | null = null;
  /** The turn's `approval_policy` (`on-request`, `untrusted`, `never`, …). */
  #approvalPolicy: string | null = null;
  #turnModels = new Map<string, string>();
  #contextWindow: number | null = null;
  #context: number | null = null;
  #records = false;
  #cumulative: TokenBuckets | null = null;
  #byModel: Record<string, TokenBuckets> = modelTable();
  #spawns = new Map<string, CodexSubagent>();
  #subagents = new Map<string, CodexSubagent>();
  #s = new TranscriptState();
  #read = (rec: JsonObject) => this.#record(rec);
  #usage: MinuteUsage;

  /** A parser with no lines fed yet; `options.history` keeps the thread's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#usage = new MinuteUsage(options.history);
  }

  /** The thread's first `session_meta`, once read. */
  get meta(): CodexMeta | null {
    return this.#meta;
  }

  /** Subagents this thread spawned, oldest first. */
  get subagents(): CodexSubagent[] {
    return [...this.#spawns.values(), ...this.#subagents.values()].map((s) => ({ ...s }));
  }

  /** Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read, skipped);
  }

  /** Everything the lines so far say about the thread (its own tokens, subagents not included). */
  facts(): SessionRead {
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(this.#byModel)) byModel[m] = { ...t };
    const s = this.#s;
    return s.facts({
      id: this.#meta?.id ?? "",
      cwd: this.#meta?.cwd ?? null,
      gitBranch: this.#meta?.gitBranch ?? null,
      model: this.#model,
      subagents: this.subagents.map((s) =>
        subagentFacts({ ...s, type: s.nickname, lastActivity: s.startedAt })
      ),
      startedAt: this.#meta?.createdAt ?? s.span.first,
      tokens: { ...(this.#cumulative ?? emptyTokens()) },
      tokensByModel: byModel,
      contextTokens: this.#context,
      contextWindow: this.#contextWindow,
      ...s.limitFacts(),
      cacheTtlMs: null,
      ...this.#usage.facts(),
      filesChanged: s.changed.list(),
    });
  }

  #record(rec: JsonObject): void {
    const ts = timestamp(rec.timestamp);
    this.#s.span.see(ts);
    const p = isObject(rec.payload) ? rec.payload : null;
    if (!p) return;
    switch (rec.type) {
      case "session_meta":
        if (!this.#meta) this.#meta = metaOf(p, ts);
        return;
      case "turn_context": {
        this.#approvalPolicy = str(p.approval_policy) ?? this.#approvalPolicy;
        const model = str(p.model) ?? str(path(p, "collaboration_mode", "settings", "model"));
        if (model) {
          this.#model = model;
          if (str(p.turn_id)) this.#turnModels.set(p.turn_id as string, model);
        }
        return;
      }
      case "event_msg":
        return this.#event(p, ts);
      case "response_item":
        return this.#item(p, ts);
      case "token_usage_record": {
        if (this.#meta && str(p.thread_id) && p.thread_id !== this.#meta.id) return; // replayed from a parent
        this.#records = true;
        if (isObject(p.usage)) this.#context = positive(p.usage.input_tokens) || this.#context;
        this.#response(ts);
        if (isObject(p.thread_token_usage)) {
          const model = (str(p.turn_id) && this.#turnModels.get(p.turn_id as string)) || this.#model;
          this.#cumulate(p.thread_token_usage, model, ts);
        }
        return;
      }
    }
  }

  /**
   * An error (`error` event, or a `task_complete`'s `error`): a usage-limit error (`usage_limit_exceeded`,
   * "You've hit your usage limit … try again at 7:13 PM.") marks the session limited until its reset.
   */
  #error(e: JsonObject, ts: number | null): void {
    const message = str(e.message) ?? "error";
    this.#s.activity.push(ts, "error", message);
    const notice = limitNotice(message, ts);
    const limited = notice !== null || /usage_limit/.test(JSON.stringify(e.codex_error_info ?? ""));
    this.#s.limitedUntil = limited ? notice?.resetsAt ?? this.#s.fullWindowsReset() : null;
  }

  #event(p: JsonObject, ts: number | null): void {
    switch (p.type) {
      case "task_started":
        this.#s.turn = "working";
        this.#s.limitedUntil = null;
        this.#contextWindow = positive(p.model_context_window) || this.#contextWindow;
        return;
      case "task_complete":
        this.#s.endTurn();
        this.#s.stopReason = "task_complete";
        // Newer builds end the turn with its error instead of writing an `error` event.
        if (isObject(p.error)) this.#error(p.error, ts);
        return;
      case "turn_aborted": {
        const reason = str(p.reason) ?? "aborted";
        this.#s.endTurn();
        this.#s.stopReason = reason;
        this.#s.activity.push(ts, "system", `turn aborted: ${reason}`);
        return;
      }
      case "token_count": {
        if (isObject(p.rate_limits)) this.#readRateLimits(p.rate_limits, ts);
        const info = isObject(p.info) ? p.info : null;
        if (!info) return;
        this.#contextWindow = positive(info.model_context_window) || this.#contextWindow;
        if (this.#records) return;
        if (isObject(info.last_token_usage)) {
          this.#context = positive(info.last_token_usage.input_tokens) || this.#context;
        }
        if (isObject(info.total_token_usage) && this.#cumulate(info.total_token_usage, this.#model, ts)) {
          this.#response(ts);
        }
        return;
      }
      case "thread_settings_applied": {
        const model = str(path(p, "thread_settings", "model"));
        if (model) this.#model = model;
        return;
      }
      case "context_compacted":
        this.#s.activity.push(ts, "system", "context compacted");
        return;
      case "error":
        return this.#error(p, ts);
      case "user_message":
        if (typeof p.message === "string") this.#prompt(p.message, ts);
        return;
      case "item_completed": {
        const item = isObject(p.item) ? p.item : null;
        if (item?.type === "UserMessage") this.#prompt(textOf(item.content), ts);
        else if (item?.type === "CollabAgentToolCall") this.#collab(item, ts);
        else if (item?.type === "FileChange" && (item.status ?? "completed") === "completed") {
          const changes = Array.isArray(item.changes) ? item.changes.filter(isObject) : [];
          for (const c of changes) if (str(c.path)) this.#changeFiles([c.path as string]);
        }
        return;
      }
    }
  }

  #item(p: JsonObject, ts: number | null): void {
    switch (p.type) {
      case "message": {
        const text = textOf(p.content);
        if (p.role === "assistant") {
          if (text.trim()) this.#s.activity.push(ts, "text", text);
        } else if (p.role === "user" && text.includes("<subagent_notification>")) {
          this.#notification(text);
        }
        return;
      }
      case "reasoning": {
        const summary = Array.isArray(p.summary) ? p.summary : [];
        const text = summary.map((s) => (isObject(s) && typeof s.text === "string" ? s.text : "")).join(" ");
        if (text.trim()) this.#s.activity.push(ts, "thinking", text);
        return;
      }
      case "function_call":
      case "custom_tool_call":
      case "local_shell_call":
        return this.#call(p, ts);
      case "function_call_output":
      case "custom_tool_call_output":
        return this.#output(p, ts);
      case "web_search_call": {
        const query = str(path(p, "action", "query")) ?? "";
        this.#s.activity.push(ts, "tool", query ? `web_search: ${query}` : "web_search");
        return;
      }
    }
  }

  /**
   * Whether Codex asks before it runs this call: a command that asks to leave the sandbox
   * (`sandbox_permissions: "require_escalated"`) unless approvals are off (`never`), and every command
   * under `untrusted`.
   */
  #asksFirst(name: string, args: JsonObject): boolean {
    if (this.#approvalPolicy === "never") return false;
    return args.sandbox_permissions === "require_escalated" ||
      (this.#approvalPolicy === "untrusted" && SHELL_TOOLS.has(name));
  }

  #call(p: JsonObject, ts: number | null): void {
    const id = str(p.call_id) ?? str(p.id);
    const name = str(p.name) ?? (p.type === "local_shell_call" ? "shell" : "tool");
    let args: JsonObject = {};
    if (p.type === "local_shell_call") args = { command: path(p, "action", "command") };
    else if (typeof p.arguments === "string") args = parseArgs(p.arguments);
    else if (typeof p.input === "string") args = { input: p.input };
    if (name === "apply_patch" || (p.type === "custom_tool_call" && typeof p.input === "string")) {
      args = { ...args, patch: p.input ?? args.input };
    }
    const arg = this.#s.toolCall(ts, name, codexToolArg(name, args), id);
    if (id && this.#asksFirst(name, args)) this.#s.mayAsk(id);
    const edited = editedFiles(name, args);
    if (!id) return this.#changeFiles(edited);
    if (edited.length) this.#s.startEdit(id, edited);
    if (name === "spawn_agent") {
      this.#spawns.set(id, {
        id,
        known: false,
        nickname: null,
        description: str(args.message) ?? (arg || null),
        model: str(args.model),
        running: true,
        startedAt: ts,
      });
    }
  }

  #output(p: JsonObject, ts: number | null): void {
    const id = str(p.call_id) ?? "";
    this.#s.pending.delete(id);
    const out = outputText(p.output);
    const edited = this.#s.endEdit(id);
    if (edited && !FAILED_OUTPUT.test(out)) this.#changeFiles(edited);
    const spawn = this.#spawns.get(id);
    let summary = summarizeOutput(out);
    if (spawn) {
      this.#spawns.delete(id);
      const reply = parseArgs(out);
      const child = str(reply.agent_id);
      if (child) {
        const known = this.#subagents.get(child);
        this.#subagents.set(child, {
          ...spawn,
          ...known,
          id: child,
          known: true,
          nickname: str(reply.nickname) ?? known?.nickname ?? null,
          description: known?.description ?? spawn.description,
        });
        summary = `spawned ${str(reply.nickname) ?? child}`;
      }
    }
    this.#s.activity.push(ts, /^(error|failed)/i.test(out) ? "error" : "result", summary);
  }

  /** A `CollabAgentToolCall` item: the subagents it names and their states. */
  #collab(item: JsonObject, ts: number | null): void {
    const receivers = Array.isArray(item.receiver_thread_ids)
      ? item.receiver_thread_ids.filter(str) as string[]
      : [];
    const agents = Array.isArray(item.receiver_agents) ? item.receiver_agents.filter(isObject) : [];
    for (const a of agents) {
      if (str(a.thread_id) && !receivers.includes(a.thread_id as string)) {
        receivers.push(a.thread_id as string);
      }
    }
    const states = isObject(item.agents_states) ? item.agents_states : {};
    const spawn = str(item.id) ? this.#spawns.get(item.id as string) : undefined;
    if (spawn && receivers.length === 1) {
      this.#spawns.delete(spawn.id);
      this.#subagents.set(receivers[0], { ...spawn, id: receivers[0], known: true });
    }
    for (const tid of receivers) {
      let sub = this.#subagents.get(tid);
      if (!sub) {
        if (item.tool !== "spawn_agent") continue;
        sub = {
          id: tid,
          known: true,
          nickname: null,
          description: null,
          model: null,
          running: true,
          startedAt: ts,
        };
        this.#subagents.set(tid, sub);
      }
      const agent = agents.find((a) => a.thread_id === tid);
      sub.nickname = str(agent?.agent_nickname) ?? sub.nickname;
      sub.description ??= str(item.prompt);
      sub.model ??= str(item.model);
      const state = stateName(states[tid]);
      if (state) sub.running = !FINISHED_STATES.has(state);
      if (item.tool === "close_agent") sub.running = false;
    }
  }

  /** `<subagent_notification>{"agent_path":"<tid>","status":{"completed":"…"}}</subagent_notification>` */
  #notification(text: string): void {
    const m = /<subagent_notification>([\s\S]*?)<\/subagent_notification>/.exec(text);
    const body = m ? parseArgs(m[1]) : {};
    const tid = str(body.agent_path) ?? str(body.agent_id);
    const sub = tid ? this.#subagents.get(tid) : undefined;
    const state = stateName(body.status);
    if (sub && state && FINISHED_STATES.has(state)) sub.running = false;
  }

  #prompt(text: string, ts: number | null): void {
    const trimmed = text.trimStart();
    if (!trimmed || NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    this.#s.limitedUntil = null;
    const last = this.#s.activity.last();
    if (last?.kind === "prompt" && this.#s.lastPrompt === text) return; // the same prompt, told twice
    this.#s.prompt(ts, text);
  }

  /** Files changed by a call that went through, relative paths taken from the thread's cwd. */
  #changeFiles(files: readonly string[]): void {
    this.#s.changeFiles(files, this.#meta?.cwd ?? null);
  }

  /** A model response was recorded at `ts`: a request went through, so no limit holds. */
  #response(ts: number | null): void {
    this.#s.requested(ts);
    this.#s.limitedUntil = null;
  }

  /** `token_count.rate_limits`: the `primary` and `secondary` windows and the plan, newest reading kept. */
  #readRateLimits(limits: JsonObject, ts: number | null): void {
    const plan = str(limits.plan_type);
    const id = str(limits.limit_id);
    const prefix = id && id !== "codex" ? `${id} ` : "";
    for (const key of ["primary", "secondary"]) {
      const w = limits[key];
      if (!isObject(w)) continue;
      const at = finite(w.resets_at);
      const inSeconds = finite(w.resets_in_seconds);
      const name = prefix + key;
      this.#s.rateLimits.set(name, {
        name,
        usedPercent: finite(w.used_percent),
        windowMinutes: finite(w.window_minutes),
        resetsAt: at !== null
          ? (at < 1e12 ? at * 1000 : at)
          : inSeconds !== null && ts !== null
          ? ts + inSeconds * 1000
          : null,
        plan,
      });
    }
  }

  /**
   * Takes a new cumulative count; the change since the previous one goes to `model` and to the minute of
   * `ts`. Returns whether the count grew.
   */
  #cumulate(raw: JsonObject, model: string | null, ts: number | null): boolean {
    const next = normalise(raw);
    const prev = this.#cumulative;
    let delta: TokenBuckets;
    if (prev && !decreased(prev, next)) {
      delta = {
        input: next.input - prev.input,
        output: next.output - prev.output,
        cacheRead: next.cacheRead - prev.cacheRead,
        cacheWrite: next.cacheWrite - prev.cacheWrite,
        reasoning: next.reasoning - prev.reasoning,
      };
    } else {
      // First count, or a count that went down (a replayed parent history gave way to this thread's own).
      this.#byModel = modelTable();
      this.#usage.clear();
      delta = next;
    }
    this.#cumulative = next;
    if (totalTokens(delta) === 0) return false;
    addTokens(this.#byModel[model ?? "unknown"] ??= emptyTokens(), delta);
    if (ts !== null) this.#usage.add(ts, model, delta);
    return true;
  }
}

/**
 * The one argument of a Codex tool call a user wants to see, from its parsed `arguments`.
 *
 * @example
 * ```ts
 * codexToolArg("exec_command", { cmd: "npm test" }); // "npm test"
 * codexToolArg("shell", { command: ["bash", "-lc", "ls -la"] }); // "ls -la"
 * ```
 */
export function codexToolArg(name: string, args: JsonObject): string {
  const s = (k: string) => (typeof args[k] === "string" ? args[k] as string : "");
  const base = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : name;
  switch (base) {
    case "exec_command":
      return s("cmd") || s("command");
    case "shell_command":
      return s("command");
    case "shell":
      return Array.isArray(args.command) ? shellCommand(args.command) : s("command");
    case "write_stdin": {
      const id = String(args.session_id ?? "");
      return id ? `session ${id}` : "";
    }
    case "apply_patch": {
      const m = /^\*\*\* (?:Update|Add|Delete) File: (.+)$/m.exec(s("patch") || s("input"));
      return m ? m[1].trim() : "";
    }
    case "spawn_agent":
      return s("message") || textOf(args.items);
    case "send_input":
    case "close_agent":
      return s("target");
    case "wait_agent":
    case "wait":
      return Array.isArray(args.targets) ? args.targets.join(", ") : "";
    case "resume_agent":
      return s("id");
    case "view_image":
      return s("path");
  }
  if (Array.isArray(args.command)) return shellCommand(args.command);
  for (const k of ["cmd", "command", "path", "file_path", "query", "url", "pattern", "target", "message"]) {
    if (s(k)) return s(k);
  }
  for (const v of Object.values(args)) if (typeof v === "string" && v) return v;
  return "";
}

/**
 * The files a tool call changes: those its `apply_patch` patch names (the `apply_patch` tool, or a
 * shell command that runs it), or the `path` of a file-writing tool.
 */
function editedFiles(name: string, args: JsonObject): string[] {
  const texts = [args.patch, args.input, args.cmd, args.command].flat().filter((v) => typeof v === "string");
  const patch = texts.find((t) => t.includes("*** Begin Patch"));
  if (patch !== undefined) return patchFiles(patch);
  if (!WRITE_TOOL.test(name.split(/\.|__/).pop()!)) return [];
  const path = str(args.path) ?? str(args.file_path) ?? str(args.filePath);
  return path ? [path] : [];
}

/** `["bash","-lc","npm test"]` → `npm test`; other argv joined with spaces. */
function shellCommand(argv: unknown[]): string {
  const parts = argv.map(String);
  if (parts.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(parts[0]) && /^-l?c$/.test(parts[1])) return parts[2];
  return parts.join(" ");
}

/** The line worth showing from a tool output: exit line and first output line of exec output, else the first line. */
function summarizeOutput(out: string): string {
  const marker = out.indexOf("\nOutput:\n");
  if (marker !== -1) {
    const status = /^(Process exited with code \d+|Process running with session ID \d+)/m.exec(
      out.slice(0, marker),
    );
    const first = firstLine(out.slice(marker + 9));
    return [status?.[1], first].filter(Boolean).join(": ");
  }
  if (out.startsWith("{")) {
    const parsed = parseArgs(out);
    if (typeof parsed.output === "string") return firstLine(parsed.output);
  }
  return firstLine(out);
}

function metaOf(p: JsonObject, ts: number | null): CodexMeta {
  const created = str(p.timestamp) ? Date.parse(p.timestamp as string) : NaN;
  const spawn = path(p, "source", "subagent", "thread_spawn");
  return {
    id: str(p.id) ?? str(p.session_id) ?? "",
    sessionId: str(p.session_id),
    cwd: str(p.cwd),
    createdAt: Number.isNaN(created) ? ts : created,
    parentThreadId: str(p.parent_thread_id) ?? str(isObject(spawn) ? spawn.parent_thread_id : null),
    nickname: str(p.agent_nickname) ?? str(isObject(spawn) ? spawn.agent_nickname : null),
    subagent: p.thread_source === "subagent" || isObject(path(p, "source", "subagent")),
    gitBranch: str(path(p, "git", "branch")),
  };
}

/** Codex usage in agtop's buckets: input and output there include cached input and reasoning. */
function normalise(u: JsonObject): TokenBuckets {
  const cached = positive(u.cached_input_tokens);
  const reasoning = positive(u.reasoning_output_tokens);
  return {
    input: Math.max(0, positive(u.input_tokens) - cached),
    output: Math.max(0, positive(u.output_tokens) - reasoning),
    cacheRead: cached,
    cacheWrite: positive(u.cache_write_input_tokens),
    reasoning,
  };
}

function decreased(a: TokenBuckets, b: TokenBuckets): boolean {
  return b.input < a.input || b.output < a.output || b.cacheRead < a.cacheRead ||
    b.cacheWrite < a.cacheWrite ||
    b.reasoning < a.reasoning;
}

/** A subagent state: `"pending_init"`, or `{"completed": "…"}` → `completed`. */
function stateName(v: unknown): string | null {
  if (typeof v === "string") return v.toLowerCase();
  if (isObject(v)) return Object.keys(v)[0]?.toLowerCase() ?? null;
  return null;
}

/** Text of a message's content: a string, or its `input_text`/`output_text`/`text` parts joined. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => (isObject(c) && typeof c.text === "string" ? c.text : "")).filter(Boolean).join(
    "\n",
  );
}

/** A tool output: plain text, or the text parts of a content array. */
function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (isObject(output) && typeof output.content === "string") return output.content;
  return textOf(output);
}

function parseArgs(s: string): JsonObject {
  try {
    const v = JSON.parse(s);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

function path(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) v = isObject(v) ? v[k] : undefined;
  return v;
}

/** A finite number, else null. */
function finite(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === "string" && v ? v : null;
}
