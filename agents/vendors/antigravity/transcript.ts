/**
 * Antigravity CLI's plain-text transcript of a conversation,
 * `brain/<conversation id>/.system_generated/logs/transcript_full.jsonl` (a shorter `transcript.jsonl`
 * beside it cuts long outputs): one JSON object per step, `step_index`, `created_at` (ISO time), `source`
 * (`USER_EXPLICIT`, `MODEL`, `SYSTEM`), `type` (`USER_INPUT`; `PLANNER_RESPONSE` with `content`,
 * `thinking` and `tool_calls` of `{name, args}`; `TOOL_RESPONSE`, …). It holds no token counts and no
 * model. A pure, incremental parser fed one line at a time; built from the format as others describe
 * it, not from a run.
 *
 * @module
 */

import type { SessionRead } from "../../vendor.ts";
import { isObject, type JsonObject, nonBlank, timestamp } from "../../formats/records.ts";
import { firstLine } from "../../formats/text.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";

/** Antigravity's tools name their one argument by these keys (`run_command`'s `CommandLine`, …). */
const AGY_ARG_KEYS: readonly string[] = [
  "CommandLine",
  "AbsolutePath",
  "TargetFile",
  "SearchPath",
  "DirectoryPath",
  "Query",
  "Url",
  ...ARG_KEYS,
];

/**
 * The text the user typed, without the tags Antigravity wraps it in (`<USER_REQUEST>`, its
 * `<ADDITIONAL_METADATA>` block).
 *
 * @example
 * ```ts
 * userRequest("<USER_REQUEST>\nrun the tests\n</USER_REQUEST>\n<ADDITIONAL_METADATA>cursor at a.ts</ADDITIONAL_METADATA>");
 * // "run the tests"
 * ```
 */
export function userRequest(raw: string): string {
  return raw.replace(/<ADDITIONAL_METADATA>[\s\S]*?<\/ADDITIONAL_METADATA>/g, "")
    .replace(/<\/?USER_REQUEST>/g, "").trim();
}

/**
 * Incremental parser of one Antigravity CLI transcript: feed it lines in file order and read
 * {@linkcode AgyTranscript.facts} whenever needed. The calls of a model step are in flight until as
 * many tool responses follow; a model step without calls ends the turn. Never throws.
 *
 * @example
 * ```ts
 * const t = new AgyTranscript();
 * t.feed('{"step_index":0,"source":"USER_EXPLICIT","type":"USER_INPUT","created_at":"2026-12-06T10:00:00Z","content":"<USER_REQUEST>run the tests</USER_REQUEST>"}');
 * t.facts().lastPrompt; // "run the tests"
 * ```
 */
export class AgyTranscript {
  #s = new TranscriptState();
  /** Keys of the calls in flight, oldest first (the transcript gives calls no ids). */
  #order: string[] = [];
  #calls = 0;
  #read = (rec: JsonObject) => this.#step(rec);

  /** Feeds one line (or one parsed record); lines that are not JSON objects count as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the lines so far say (no tokens, cost or model: the transcript records none). */
  facts(): SessionRead {
    return this.#s.facts({});
  }

  #step(rec: JsonObject): void {
    const s = this.#s;
    const at = timestamp(rec.created_at);
    s.span.see(at);
    const content = typeof rec.content === "string" ? rec.content : "";
    switch (rec.type) {
      case "USER_INPUT": {
        const text = userRequest(content);
        if (rec.source === "USER_EXPLICIT" && text) s.prompt(at, text);
        this.#clear();
        s.unlessExited("working");
        break;
      }
      case "PLANNER_RESPONSE": {
        if (typeof rec.thinking === "string" && rec.thinking.trim()) {
          s.activity.push(at, "thinking", rec.thinking);
        }
        if (content.trim()) s.activity.push(at, "text", content);
        const calls = Array.isArray(rec.tool_calls) ? rec.tool_calls.filter(isObject) : [];
        this.#clear();
        for (const c of calls) {
          const key = `call-${++this.#calls}`;
          let args: unknown = c.args;
          if (typeof args === "string") {
            try {
              args = JSON.parse(args);
            } catch {
              // shown as written
            }
          }
          s.toolCall(
            at,
            nonBlank(c.name) ?? "tool",
            typeof args === "string" ? args : firstArg(args, AGY_ARG_KEYS),
            null,
            key,
          );
          this.#order.push(key);
        }
        if (calls.length > 0) s.unlessExited("working");
        else s.endTurn();
        break;
      }
      case "TOOL_RESPONSE": {
        const key = this.#order.shift();
        if (key) s.pending.delete(key);
        s.activity.push(at, "result", firstLine(content));
        s.unlessExited("working");
        break;
      }
    }
  }

  /** Forgets the calls in flight (a new step started without their responses). */
  #clear(): void {
    for (const key of this.#order) this.#s.pending.delete(key);
    this.#order = [];
  }
}
