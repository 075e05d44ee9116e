/**
 * A Continue CLI session document (`~/.continue/sessions/<uuid>.json`, rewritten whole as the session
 * goes): `{sessionId, title, workspaceDirectory, history, usage}`. Each `history` item holds a
 * `message` (`user`, `assistant` with `toolCalls` and the provider's raw `usage`, `tool`) and, for an
 * assistant message, `toolCallStates` (`generating`, `generated`, `calling`, `done`, `errored`,
 * `canceled`). The top-level `usage.totalCost` is Continue's own cost of the session (USD).
 *
 * @module
 */

import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens } from "../../session.ts";
import { asObject, isObject, type JsonObject, nonBlank } from "../../formats/records.ts";
import type { SessionRead } from "../../vendor.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";
import { anthropicUsage, openAiChatUsage } from "../../formats/usage.ts";

/** Tool call states in which the call has no result yet. */
const IN_FLIGHT = new Set(["generating", "generated", "calling"]);

/**
 * One response's usage in agtop's buckets: OpenAI's shape (`prompt_tokens` with cached tokens inside,
 * `completion_tokens` with reasoning inside) or Anthropic's (`input_tokens`, `cache_read_input_tokens`,
 * `cache_creation_input_tokens`, `output_tokens`); null when there is none.
 *
 * @example
 * ```ts
 * continueUsage({ prompt_tokens: 5001, completion_tokens: 201, prompt_tokens_details: { cached_tokens: 3001 }, completion_tokens_details: { reasoning_tokens: 41 } });
 * // { input: 2000, output: 160, cacheRead: 3001, cacheWrite: 0, reasoning: 41 }
 * ```
 */
export function continueUsage(usage: unknown): TokenBuckets | null {
  const u = asObject(usage);
  if (!u) return null;
  if ("prompt_tokens" in u || "completion_tokens" in u) return openAiChatUsage(u);
  if ("input_tokens" in u || "output_tokens" in u) return anthropicUsage(u);
  return null;
}

/** The text of a message's `content`: a string, or the `text` of its parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("\n");
}

/** A tool call's arguments: `parsedArgs`, else its JSON `arguments`. */
function callArgs(state: JsonObject, call: JsonObject | null): unknown {
  if (isObject(state.parsedArgs)) return state.parsedArgs;
  const raw = asObject(call?.function)?.arguments;
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The facts of a session document, or null when it is not one. The document records no times of its
 * own: the caller fills `lastActivity` from the file.
 *
 * @example
 * ```ts
 * const f = continueFacts(JSON.parse(Deno.readTextFileSync("/home/me/.continue/sessions/s1.json")));
 * f?.currentTool; // { name: "Bash", arg: "npm test", … } while the call is `calling`
 * ```
 */
export function continueFacts(doc: unknown): SessionRead | null {
  const d = asObject(doc);
  if (!d || typeof d.sessionId !== "string" || !Array.isArray(d.history)) return null;
  const s = new TranscriptState();
  const tokens = emptyTokens();
  const byModel: Record<string, TokenBuckets> = {};
  let model: string | null = null;
  let context: number | null = null;
  for (const item of d.history) {
    const m = asObject(asObject(item)?.message);
    if (!m) {
      s.malformed++;
      continue;
    }
    if (m.role === "user") {
      const text = contentText(m.content);
      if (text.trim()) s.prompt(null, text);
      s.turn = "working";
      continue;
    }
    if (m.role !== "assistant") continue;
    const text = contentText(m.content);
    if (text.trim()) s.activity.push(null, "text", text);
    const usage = asObject(m.usage);
    const used = continueUsage(usage);
    if (used) {
      model = nonBlank(usage?.model) ?? model;
      addTokens(tokens, used);
      addTokens(byModel[model ?? "unknown"] ??= emptyTokens(), used);
      context = used.input + used.cacheRead + used.cacheWrite;
    }
    s.pending.clear();
    let open = false;
    const states = Array.isArray(asObject(item)?.toolCallStates)
      ? asObject(item)!.toolCallStates as unknown[]
      : [];
    for (const raw of states) {
      const st = asObject(raw);
      if (!st) continue;
      const call = asObject(st.toolCall);
      const name = nonBlank(asObject(call?.function)?.name) ?? "tool";
      const id = nonBlank(st.toolCallId) ?? nonBlank(call?.id);
      const status = typeof st.status === "string" ? st.status : "";
      s.toolCall(null, name, firstArg(callArgs(st, call), ARG_KEYS), id, IN_FLIGHT.has(status) ? id : null);
      if (status !== "canceled") open = true;
      if (status === "errored") s.activity.push(null, "error", firstLine(String(st.output ?? "error")));
    }
    // Calls that went through are answered by a next response: the turn ends on one without calls.
    s.turn = open ? "working" : "ended";
  }
  const cost = asObject(d.usage)?.totalCost;
  return s.facts({
    id: d.sessionId,
    cwd: nonBlank(d.workspaceDirectory),
    title: promptLine(d.title) ?? promptLine(s.firstPrompt),
    model,
    tokens,
    tokensByModel: byModel,
    contextTokens: context,
    costUsd: typeof cost === "number" && cost > 0 ? cost : null,
  });
}
