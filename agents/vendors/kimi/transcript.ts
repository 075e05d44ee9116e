/**
 * Kimi Code CLI's event log of one agent, `agents/<agent id>/wire.jsonl` in a session folder: a
 * `metadata` line, then records by `type` — `turn.prompt` (the user's input), `llm.request` (model,
 * window), `usage.record` (one per model response: `inputOther`, `output`, `inputCacheRead`,
 * `inputCacheCreation`), `token_counting.measured` (the context's size), `context.append_loop_event`
 * wrapping the loop's events (`content.part`, `tool.call` with its `args`, `tool.result`, `step.begin`,
 * `step.end`), `turn.ended`, and for a subagent the `Agent` call starts, `subagent.spawned` (its agent
 * id, type, description) and `subagent.completed` (its `usage`); times are `time` in ms. A subagent
 * writes an event log of its own beside it. A pure, incremental parser fed one line at a time.
 *
 * @module
 */

import type { SessionRead } from "../../vendor.ts";
import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, MinuteUsage, modelTable } from "../../session.ts";
import { epochMs, isObject, type JsonObject, nonBlank, positive } from "../../formats/records.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { subagentFacts, type SubagentRun, TranscriptState } from "../../formats/transcript_state.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";

/**
 * One `usage` object of Kimi Code's records in agtop's buckets (`inputOther` is the input besides the
 * cache).
 *
 * @example
 * ```ts
 * kimiUsage({ inputOther: 2000, output: 201, inputCacheRead: 3001, inputCacheCreation: 0 });
 * // { input: 2000, output: 201, cacheRead: 3001, cacheWrite: 0, reasoning: 0 }
 * ```
 */
export function kimiUsage(u: JsonObject): TokenBuckets {
  return {
    input: positive(u.inputOther),
    output: positive(u.output),
    cacheRead: positive(u.inputCacheRead),
    cacheWrite: positive(u.inputCacheCreation),
    reasoning: 0,
  };
}

/**
 * Incremental parser of one Kimi Code agent's `wire.jsonl`: feed it lines in file order, read
 * {@linkcode KimiTranscript.facts} whenever needed. Tokens are the sum of the `usage.record`s; Kimi
 * Code records no cost. Never throws.
 *
 * @example
 * ```ts
 * const t = new KimiTranscript();
 * t.feed('{"type":"turn.prompt","agentId":"main","input":[{"type":"text","text":"run the probe"}],"origin":{"kind":"user"},"turnId":0,"time":1796581389525}');
 * t.facts().lastPrompt; // "run the probe"
 * ```
 */
export class KimiTranscript {
  #s = new TranscriptState();
  #model: string | null = null;
  #tokens = emptyTokens();
  #byModel: Record<string, TokenBuckets> = modelTable();
  #context: number | null = null;
  #usage: MinuteUsage;
  #subagents = new Map<string, SubagentRun>();
  /** The `Agent` call that started each subagent, by subagent id. */
  #calls = new Map<string, string>();
  #read = (rec: JsonObject) => this.#record(rec);

  /** A parser with no lines fed yet; `options.history` keeps the session's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#usage = new MinuteUsage(options.history);
  }

  /** Feeds one line (or one parsed record); lines that are not JSON objects count as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the lines so far say (the title is the session's `state.json`'s). */
  facts(): SessionRead {
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(this.#byModel)) byModel[m] = { ...t };
    return {
      ...this.#s.facts({
        model: this.#model,
        subagents: [...this.#subagents.values()].map(subagentFacts),
        tokens: { ...this.#tokens },
        tokensByModel: byModel,
        contextTokens: this.#context,
      }),
      ...this.#s.limitFacts(),
      ...this.#usage.facts(),
    };
  }

  #record(rec: JsonObject): void {
    const at = epochMs(rec.time);
    const s = this.#s;
    if (rec.type !== "metadata") s.span.see(at);
    switch (rec.type) {
      case "turn.prompt": {
        const origin = isObject(rec.origin) ? rec.origin.kind : "user";
        const text = Array.isArray(rec.input) ? textOf(rec.input) : "";
        if (origin === "user" && text.trim()) s.prompt(at, text.trim());
        s.unlessExited("working");
        break;
      }
      case "llm.request":
        this.#model = nonBlank(rec.model) ?? this.#model;
        s.requested(at);
        s.unlessExited("working");
        break;
      case "usage.record":
        // It names the model by its alias (`provider/model`); the request named the model itself.
        if (isObject(rec.usage)) this.#used(at, this.#model ?? nonBlank(rec.model), kimiUsage(rec.usage));
        break;
      case "token_counting.measured":
        if (positive(rec.tokens) > 0) this.#context = positive(rec.tokens);
        break;
      case "context.append_loop_event":
        if (isObject(rec.event)) this.#event(rec.event, at);
        break;
      case "subagent.spawned": {
        const id = nonBlank(rec.subagentId);
        if (!id) break;
        this.#subagents.set(id, {
          id,
          type: nonBlank(rec.subagentName),
          description: promptLine(rec.description),
          running: true,
          model: nonBlank(rec.model),
          tokens: emptyTokens(),
          lastActivity: at,
        });
        const call = nonBlank(rec.parentToolCallId);
        if (call) this.#calls.set(id, call);
        break;
      }
      case "subagent.completed": {
        const sub = this.#subagents.get(nonBlank(rec.subagentId) ?? "");
        if (!sub) break;
        [sub.running, sub.lastActivity] = [false, at];
        if (isObject(rec.usage)) {
          sub.tokens = kimiUsage(rec.usage);
          this.#used(at, sub.model ?? this.#model, sub.tokens);
        }
        break;
      }
      case "turn.ended":
        s.stopReason = nonBlank(rec.reason) ?? s.stopReason;
        s.endTurn();
        for (const sub of this.#subagents.values()) sub.running = false;
        break;
    }
  }

  #used(at: number | null, model: string | null, t: TokenBuckets): void {
    addTokens(this.#tokens, t);
    addTokens(this.#byModel[model ?? "unknown"] ??= emptyTokens(), t);
    if (at !== null) this.#usage.add(at, model, t);
  }

  #event(e: JsonObject, at: number | null): void {
    const s = this.#s;
    switch (e.type) {
      case "content.part": {
        const part = isObject(e.part) ? e.part : {};
        if (part.type === "text" && typeof part.text === "string" && part.text.trim()) {
          s.activity.push(at, "text", part.text);
        } else if (part.type === "think" && typeof part.think === "string" && part.think.trim()) {
          s.activity.push(at, "thinking", part.think);
        }
        break;
      }
      case "tool.call": {
        const id = nonBlank(e.toolCallId);
        const name = nonBlank(e.name) ?? "tool";
        const args = isObject(e.args) ? e.args : {};
        s.toolCall(at, name, firstArg(args, ARG_KEYS), id);
        s.unlessExited("working");
        break;
      }
      case "tool.result": {
        const id = nonBlank(e.toolCallId);
        const result = isObject(e.result) ? e.result : {};
        if (id) s.pending.delete(id);
        for (const sub of this.#subagents.values()) {
          if (sub.running && this.#calls.get(sub.id) === id) [sub.running, sub.lastActivity] = [false, at];
        }
        const output = typeof result.output === "string" ? result.output : "";
        s.activity.push(at, result.isError === true ? "error" : "result", firstLine(output));
        break;
      }
      case "step.begin":
        s.unlessExited("working");
        break;
      case "step.end":
        s.stopReason = nonBlank(e.finishReason) ?? s.stopReason;
        break;
    }
  }
}

/** The text parts of an input, joined. */
function textOf(parts: unknown[]): string {
  return parts.filter(isObject).map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : ""))
    .join("\n");
}
