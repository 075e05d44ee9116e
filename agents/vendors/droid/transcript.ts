/**
 * Factory Droid sessions: `<uuid>.jsonl` (a `session_start` record `{id, title, cwd}`, Anthropic-shaped
 * `message` records with `tool_use`/`tool_result` parts, `agent_turn_outcome` at each turn's end) and
 * beside it `<uuid>.settings.json`, which holds the model and the session's token counts
 * (`tokenUsage`, `inclusiveTokenUsage` with subagents, `lastCallTokenUsage`). The messages carry no
 * usage. A pure, incremental parser of the JSONL, and the reading of the settings document.
 *
 * @module
 */

import type { SessionRead } from "../../vendor.ts";
import type { TokenBuckets } from "../../session.ts";
import { asObject, isObject, type JsonObject, nonBlank, positive, timestamp } from "../../formats/records.ts";
import { subagentFacts, type SubagentRun, TranscriptState } from "../../formats/transcript_state.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";

/** The tool that starts a subagent. */
const TASK = "Task";
/** Droid's tools name their one argument by these keys, besides the common ones. */
const DROID_ARG_KEYS: readonly string[] = [
  ...ARG_KEYS.slice(0, 4),
  "directory_path",
  "patterns",
  ...ARG_KEYS.slice(4),
];

/**
 * Incremental parser of one Droid session JSONL: feed it lines in file order, read
 * {@linkcode DroidTranscript.facts} whenever needed. Never throws.
 *
 * @example
 * ```ts
 * const t = new DroidTranscript();
 * t.feed('{"type":"session_start","id":"7468ca47-c088-4b64-a42e-3225bd87ed2c","title":"Probe","cwd":"/w/app"}');
 * t.facts().cwd; // "/w/app"
 * ```
 */
export class DroidTranscript {
  #s = new TranscriptState();
  #id: string | null = null;
  #title: string | null = null;
  #cwd: string | null = null;
  #model: string | null = null;
  #subagents = new Map<string, SubagentRun>();
  #read = (rec: JsonObject) => this.#record(rec);

  /** Feeds one line (or one parsed record); lines that are not JSON objects count as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the lines so far say (tokens and model come from the settings document). */
  facts(): SessionRead {
    return this.#s.facts({
      id: this.#id ?? "",
      cwd: this.#cwd,
      title: promptLine(this.#title ?? this.#s.firstPrompt),
      model: this.#model,
      subagents: [...this.#subagents.values()].map(subagentFacts),
    });
  }

  #record(rec: JsonObject): void {
    if (rec.type === "session_start") {
      this.#id = nonBlank(rec.id) ?? this.#id;
      this.#title = nonBlank(rec.title) ?? this.#title;
      this.#cwd = nonBlank(rec.cwd) ?? this.#cwd;
      return;
    }
    if (rec.type === "agent_turn_outcome") {
      this.#s.endTurn();
      this.#s.stopReason = nonBlank(rec.reason);
      for (const sub of this.#subagents.values()) sub.running = false;
      return;
    }
    const m = asObject(rec.message);
    if (rec.type !== "message" || !m) return;
    const at = timestamp(rec.timestamp);
    this.#s.span.see(at);
    const parts = Array.isArray(m.content) ? m.content.filter(isObject) : [];
    if (m.role === "user") this.#user(at, rec, m, parts);
    else if (m.role === "assistant") this.#assistant(at, m, parts);
  }

  #user(at: number | null, rec: JsonObject, m: JsonObject, parts: JsonObject[]): void {
    let results = false;
    for (const p of parts) {
      if (p.type !== "tool_result") continue;
      results = true;
      const id = nonBlank(p.tool_use_id);
      if (id) this.#s.pending.delete(id);
      const sub = id ? this.#subagents.get(id) : undefined;
      if (sub) {
        sub.running = false;
        sub.lastActivity = at;
      }
      const text = typeof p.content === "string" ? p.content : "";
      if (text) this.#s.activity.push(at, p.is_error === true ? "error" : "result", firstLine(text));
    }
    // Droid injects context (`context-…` ids, `visibility: "llm_only"`) as user messages of its own.
    const injected = m.visibility === "llm_only" || rec.visibility === "llm_only" ||
      String(rec.id ?? "").startsWith("context-");
    if (!results && !injected) {
      const text = parts.map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : "")).join(
        "\n",
      );
      if (text.trim()) this.#s.prompt(at, text);
    }
    this.#s.unlessExited("working");
  }

  #assistant(at: number | null, m: JsonObject, parts: JsonObject[]): void {
    this.#model = nonBlank(m.modelId) ?? this.#model;
    this.#s.unlessExited("working");
    for (const p of parts) {
      if (p.type === "text" && typeof p.text === "string" && p.text.trim()) {
        this.#s.activity.push(at, "text", p.text);
      } else if (p.type === "thinking" && typeof p.thinking === "string" && p.thinking.trim()) {
        this.#s.activity.push(at, "thinking", p.thinking);
      } else if (p.type === "tool_use") {
        const name = nonBlank(p.name) ?? "tool";
        const id = nonBlank(p.id);
        const input = asObject(p.input) ?? {};
        this.#s.toolCall(at, name, firstArg(input, DROID_ARG_KEYS), id);
        if (name === TASK && id) {
          this.#subagents.set(id, {
            id,
            type: nonBlank(input.subagent_type),
            description: promptLine(input.description ?? input.prompt),
            running: true,
            lastActivity: at,
          });
        }
      }
    }
  }
}

/** One `*TokenUsage` object of the settings document in agtop's buckets. */
function usageOf(u: unknown): TokenBuckets | null {
  const o = asObject(u);
  if (!o) return null;
  return {
    input: positive(o.inputTokens),
    output: positive(o.outputTokens),
    cacheRead: positive(o.cacheReadTokens),
    cacheWrite: positive(o.cacheCreationTokens),
    reasoning: positive(o.thinkingTokens),
  };
}

/** What agtop reads of `<uuid>.settings.json`. */
export interface DroidSettings {
  /** The model id as Droid names it (`custom:<name>-<n>` for a custom model). */
  model: string | null;
  /** Tokens of the session with its subagents (`inclusiveTokenUsage`, else `tokenUsage`). */
  tokens: TokenBuckets | null;
  /** Prompt size of the newest request (`lastCallTokenUsage`). */
  contextTokens: number | null;
}

/**
 * The model and token counts of a session settings document, or null when it is not one.
 *
 * @example
 * ```ts
 * droidSettings({ model: "custom:Mock-model-0", tokenUsage: { inputTokens: 4000, outputTokens: 403 } })?.tokens?.output; // 403
 * ```
 */
export function droidSettings(doc: unknown): DroidSettings | null {
  const d = asObject(doc);
  if (!d) return null;
  const last = usageOf(d.lastCallTokenUsage);
  return {
    model: nonBlank(d.model),
    tokens: usageOf(d.inclusiveTokenUsage) ?? usageOf(d.tokenUsage),
    contextTokens: last ? last.input + last.cacheRead + last.cacheWrite : null,
  };
}

/**
 * The model a custom model id stands for: `custom:<display name>-<n>` is entry `n` of
 * `customModels` in `~/.factory/settings.json`, whose `model` is the provider's name for it; other ids
 * are Factory's own model names.
 *
 * @example
 * ```ts
 * droidModel("custom:Mock-model-0", [{ model: "mock-model" }]); // "mock-model"
 * droidModel("claude-sonnet-4-5-20250929", []); // "claude-sonnet-4-5-20250929"
 * ```
 */
export function droidModel(id: string, customModels: readonly unknown[]): string {
  const m = /^custom:.*-(\d+)$/.exec(id);
  const entry = m ? asObject(customModels[Number(m[1])]) : null;
  return nonBlank(entry?.model) ?? id;
}
