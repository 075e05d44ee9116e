/**
 * pi session files, as pi (`@mariozechner/pi-coding-agent`) and its fork oh-my-pi write them: one JSONL
 * file per session, a `session` header (`id`, `cwd`, `timestamp`), then entries with `id`/`parentId` (a
 * tree: branches stay in the file) — `message` (roles `user`, `assistant`, `toolResult`,
 * `bashExecution`, …), `model_change`, `session_info` (a name), `compaction`, `custom`. oh-my-pi adds a
 * `title` line before the header, and its `task` tool starts subagents (each writes a session file of
 * its own and ends by calling `yield`; one started in the background is reported back to the parent by
 * an `async-result` custom message). A pure, incremental parser fed one line at a time.
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { addTokens, emptyTokens, MinuteUsage, modelTable } from "../session.ts";
import { epochMs, isObject, type JsonObject, nonBlank, objectItems, positive, timestamp } from "./records.ts";
import { firstLine, promptLine } from "./text.ts";
import { TranscriptState } from "./transcript_state.ts";
import type { SessionRead } from "../vendor.ts";
import { ARG_KEYS, firstArg } from "./tool_args.ts";

/** What a session file tells (everything in {@linkcode SessionFacts} but where it was found). */
export type PiFacts = SessionRead;

/** A subagent an oh-my-pi `task` call started, as the parent's session tells it. */
export interface PiSubagentCall {
  /** The subagent's id (its name), which names its session file `<id>.jsonl`. */
  id: string;
  /** The agent it runs as (`task`, `explore`, …), when told. */
  type: string | null;
  /** Its assignment. */
  description: string | null;
  /** When the call was made (ms since epoch), when known. */
  at: number | null;
  /** True once the parent has its result. */
  done: boolean;
}

/** Tools that write the file named by their `path` argument. */
const EDITS = new Set(["edit", "write"]);
/** Stop reasons after which the user is next. */
const TURN_ENDS = new Set(["stop", "length", "error", "aborted"]);

/**
 * The one argument of a pi tool call a user wants to see: the command, the path, the pattern.
 *
 * @example
 * ```ts
 * piToolArg({ command: "npm test", timeout: 60 }); // "npm test"
 * ```
 */
export function piToolArg(args: unknown): string {
  return firstArg(args, ARG_KEYS);
}

/**
 * Tokens of one assistant message's `usage`: `input` excludes cache reads (as pi writes it); the
 * reasoning tokens oh-my-pi counts inside `output` (`reasoningTokens`) are taken out of it.
 *
 * @example
 * ```ts
 * piUsageTokens({ input: 2002, output: 202, cacheRead: 3002, cacheWrite: 0, reasoningTokens: 42 });
 * // { input: 2002, output: 160, cacheRead: 3002, cacheWrite: 0, reasoning: 42 }
 * ```
 */
export function piUsageTokens(u: JsonObject): TokenBuckets {
  const output = positive(u.output);
  const reasoning = Math.min(positive(u.reasoningTokens), output);
  return {
    input: positive(u.input),
    output: output - reasoning,
    cacheRead: positive(u.cacheRead),
    cacheWrite: positive(u.cacheWrite),
    reasoning,
  };
}

/**
 * Incremental parser of one pi (or oh-my-pi) session file: feed it lines in file order and read
 * {@linkcode facts} whenever needed. Tokens are the sum of every assistant message's `usage` (every
 * branch of the tree: all were paid for); the cost is the sum of the `usage.cost.total` pi priced
 * each response at (null when it priced none, e.g. a custom model without prices). The turn is the
 * newest message's: a user message or tool result → working; an assistant message that stopped for
 * tools → working with its calls in flight until their `toolResult`; any other stop reason → ended.
 * Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new PiTranscript();
 * t.feed('{"type":"session","version":3,"id":"019e","timestamp":"2026-12-06T10:00:00.000Z","cwd":"/home/me/app"}');
 * t.feed('{"type":"message","id":"a1","parentId":null,"timestamp":"2026-12-06T10:00:01.000Z","message":{"role":"user","content":[{"type":"text","text":"run the tests"}],"timestamp":1796551201000}}');
 * t.facts().lastPrompt; // "run the tests"
 * ```
 */
export class PiTranscript {
  #s = new TranscriptState();
  #id: string | null = null;
  #cwd: string | null = null;
  #title: string | null = null;
  #model: string | null = null;
  #startedAt: number | null = null;
  #tokens = emptyTokens();
  #byModel: Record<string, TokenBuckets> = modelTable();
  #cost = 0;
  #context: number | null = null;
  #subagents = new Map<string, PiSubagentCall>();
  #usage: MinuteUsage;
  #read = (rec: JsonObject) => this.#record(rec);

  /** A parser with no lines fed yet; `options.history` keeps the session's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#usage = new MinuteUsage(options.history);
  }

  /** Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the lines so far say about the session. */
  facts(): PiFacts {
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(this.#byModel)) byModel[m] = { ...t };
    return {
      ...this.#s.facts({
        id: this.#id ?? "",
        cwd: this.#cwd,
        title: promptLine(this.#title ?? this.#s.firstPrompt),
        model: this.#model,
        startedAt: this.#startedAt ?? this.#s.span.first,
        tokens: { ...this.#tokens },
        tokensByModel: byModel,
        contextTokens: this.#context,
      }),
      costUsd: this.#cost > 0 ? this.#cost : null,
      ...this.#s.limitFacts(),
      ...this.#usage.facts(),
      filesChanged: this.#s.changed.list(),
    };
  }

  /** The subagents the session's `task` calls started, in the order they were started. */
  get subagentCalls(): readonly PiSubagentCall[] {
    return [...this.#subagents.values()];
  }

  #record(rec: JsonObject): void {
    const at = timestamp(rec.timestamp);
    switch (rec.type) {
      case "session":
        this.#id = nonBlank(rec.id) ?? this.#id;
        this.#cwd = nonBlank(rec.cwd) ?? this.#cwd;
        this.#startedAt ??= at;
        break;
      case "title":
      case "session_info":
        this.#title = nonBlank(rec.title) ?? nonBlank(rec.name) ?? this.#title;
        break;
      case "model_change":
        this.#model = nonBlank(rec.modelId) ?? modelOf(rec.model) ?? this.#model;
        break;
      case "message":
        if (isObject(rec.message)) this.#message(rec.message, epochMs(rec.message.timestamp) ?? at);
        break;
      case "custom_message":
        // A background subagent's result, delivered to the parent.
        if (rec.customType === "async-result" && isObject(rec.details)) {
          for (const job of objectItems(rec.details.jobs)) {
            this.#subagent(nonBlank(job.jobId), at, { done: true });
          }
        }
        break;
    }
    if (rec.type !== "title") this.#s.span.see(at);
  }

  #message(msg: JsonObject, at: number | null): void {
    const s = this.#s;
    const content = Array.isArray(msg.content) ? msg.content.filter(isObject) : [];
    switch (msg.role) {
      case "user": {
        const text = typeof msg.content === "string" ? msg.content : textOf(content);
        if (text.trim()) s.prompt(at, text.trim());
        s.unlessExited("working");
        break;
      }
      case "bashExecution":
        // A command the user ran with `!`: shown, but the model is not asked.
        s.activity.push(at, "tool", `!${nonBlank(msg.command) ?? ""}`);
        break;
      case "assistant":
        this.#assistant(msg, content, at);
        break;
      case "toolResult": {
        const id = nonBlank(msg.toolCallId);
        if (id) s.pending.delete(id);
        const files = id ? s.endEdit(id) : undefined;
        if (files && msg.isError !== true) s.changeFiles(files, this.#cwd);
        const text = firstLine(textOf(content));
        s.activity.push(at, msg.isError === true ? "error" : "result", text);
        s.unlessExited("working");
        if (msg.toolName === "task" && isObject(msg.details)) this.#taskResult(msg.details, at);
        // A subagent hands its result back with `yield`: its turn is over.
        if (msg.toolName === "yield" && msg.isError !== true) s.endTurn();
        break;
      }
    }
  }

  #assistant(msg: JsonObject, content: JsonObject[], at: number | null): void {
    const s = this.#s;
    const model = nonBlank(msg.model) ?? this.#model;
    this.#model = model;
    for (const b of content) {
      if (b.type === "text" && typeof b.text === "string" && b.text.trim()) {
        s.activity.push(at, "text", b.text);
      } else if (b.type === "thinking" && typeof b.thinking === "string" && b.thinking.trim()) {
        s.activity.push(at, "thinking", b.thinking);
      } else if (b.type === "toolCall" && nonBlank(b.id)) {
        const name = nonBlank(b.name) ?? "tool";
        s.toolCall(at, name, piToolArg(b.arguments), b.id as string);
        const path = isObject(b.arguments) ? nonBlank(b.arguments.path) : null;
        if (EDITS.has(name) && path) s.startEdit(b.id as string, [path]);
        if (name === "task" && isObject(b.arguments)) this.#taskCall(b.arguments, at);
      }
    }
    const usage = isObject(msg.usage) ? msg.usage : null;
    if (usage) {
      const t = piUsageTokens(usage);
      addTokens(this.#tokens, t);
      addTokens(this.#byModel[model ?? "unknown"] ??= emptyTokens(), t);
      if (isObject(usage.cost)) this.#cost += positive(usage.cost.total);
      const prompt = t.input + t.cacheRead + t.cacheWrite;
      if (prompt > 0) this.#context = prompt;
      if (at !== null) {
        s.requested(at);
        this.#usage.add(at, model, t);
      }
    }
    const stop = nonBlank(msg.stopReason);
    s.stopReason = stop ?? s.stopReason;
    if (stop === "toolUse") s.unlessExited("working");
    else if (stop !== null && TURN_ENDS.has(stop)) {
      if (stop === "error" || stop === "aborted") {
        s.activity.push(at, stop === "error" ? "error" : "system", nonBlank(msg.errorMessage) ?? stop);
      }
      s.endTurn();
    }
  }

  /** A `task` call: one subagent per `tasks` item (or the flat form's one), known by name when named. */
  #taskCall(args: JsonObject, at: number | null): void {
    for (const item of Array.isArray(args.tasks) ? objectItems(args.tasks) : [args]) {
      this.#subagent(nonBlank(item.name), at, {
        type: nonBlank(item.agent),
        description: nonBlank(item.task),
      });
    }
  }

  /**
   * A `task` result: each subagent's id (generated when the call named none), agent and assignment;
   * finished unless it runs in the background (`async.state` `running`).
   */
  #taskResult(details: JsonObject, at: number | null): void {
    const running = isObject(details.async) && details.async.state === "running";
    for (const p of objectItems(details.progress)) {
      this.#subagent(nonBlank(p.id), at, {
        type: nonBlank(p.agent),
        description: nonBlank(p.assignment) ?? nonBlank(p.task),
        done: !running,
      });
    }
  }

  /** Records what is known of subagent `id` (nothing without an id); known facts are kept. */
  #subagent(
    id: string | null,
    at: number | null,
    known: { type?: string | null; description?: string | null; done?: boolean },
  ): void {
    if (id === null) return;
    const call = this.#subagents.get(id) ??
      { id, type: null, description: null, at, done: false };
    call.type = known.type ?? call.type;
    call.description = known.description ?? call.description;
    call.done = known.done ?? call.done;
    this.#subagents.set(id, call);
  }
}

/** The text blocks of a message's content, joined. */
function textOf(content: JsonObject[]): string {
  return content.filter((b) => b.type === "text" && typeof b.text === "string").map((b) => b.text).join("\n");
}

/** A model named `provider/id` (oh-my-pi's `model_change.model`): its id. */
function modelOf(v: unknown): string | null {
  const m = nonBlank(v);
  return m === null ? null : m.slice(m.indexOf("/") + 1) || null;
}
