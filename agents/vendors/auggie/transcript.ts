/**
 * An Auggie session document (`~/.augment/sessions/<sessionId>.json`, rewritten whole as the session
 * goes), as Auggie 0.36's bundle writes it — built from that format, not run (Auggie needs an Augment
 * login): `{sessionId, created, modified, title, customTitle, chatHistory, agentState: {modelId},
 * terminalId, subAgentCostUsd, …}`. Each `chatHistory` item is one request and its response,
 * `{exchange, completed, finishedAt, …}`; the exchange holds the user's `request_message`, its
 * `request_nodes` (`type` 1: a `tool_result_node` answering a call of the exchange before) and the
 * response's `response_nodes`: `type` 5 a `tool_use` (`tool_use_id`, `tool_name`, `input_json`,
 * `started_at_ms`), 8 thinking, 9 `billing_metadata` (`cost_usd` when billed in dollars), 10
 * `token_usage` (Anthropic's buckets: `input_tokens` without the cache).
 *
 * @module
 */

import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, modelTable } from "../../session.ts";
import {
  asObject,
  isObject,
  type JsonObject,
  nonBlank,
  objectItems,
  timestamp,
} from "../../formats/records.ts";
import type { SessionRead } from "../../vendor.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";
import { anthropicUsage } from "../../formats/usage.ts";

/** Node types: of a request, a tool result; of a response, a tool call, thinking, a charge, token usage. */
const NODE = { TOOL_RESULT: 1, TOOL_USE: 5, THINKING: 8, BILLING: 9, TOKEN_USAGE: 10 } as const;
/** `billing_metadata.usage_unit` of a charge in US dollars (others are Augment credits). */
const USD = 2;

/**
 * The argument of an Auggie tool call a user wants to see, from its `input_json` (a JSON string).
 *
 * @example
 * ```ts
 * auggieToolArg('{"command":"npm test","cwd":"/app"}'); // "npm test"
 * ```
 */
export function auggieToolArg(inputJson: unknown): string {
  if (typeof inputJson !== "string") return firstArg(inputJson, ARG_KEYS);
  try {
    return firstArg(JSON.parse(inputJson), ARG_KEYS);
  } catch {
    return firstLine(inputJson);
  }
}

/**
 * The facts of an Auggie session document, or null when it is not one. Tokens are the sum of every
 * response's `token_usage`; the cost is what Augment billed in dollars (`billing_metadata` with
 * `usage_unit` 2, each transaction once, plus `subAgentCostUsd`), null when it billed credits. A call
 * is in flight until a later exchange carries its result. Auggie stores an exchange once its response
 * is complete (or interrupted: `completed` false), so the turn reads as over once the newest exchange
 * asked for no tool, and as working while a call it asked for has no result.
 *
 * @example
 * ```ts
 * const f = auggieFacts(JSON.parse(Deno.readTextFileSync("/home/me/.augment/sessions/s1.json")));
 * f?.currentTool; // { name: "launch-process", arg: "npm test", … } while it runs
 * ```
 */
export function auggieFacts(doc: unknown): SessionRead | null {
  const d = asObject(doc);
  if (!d || typeof d.sessionId !== "string" || !Array.isArray(d.chatHistory)) return null;
  const s = new TranscriptState();
  const model = nonBlank(asObject(d.agentState)?.modelId);
  const tokens = emptyTokens();
  const byModel = modelTable<TokenBuckets>();
  const charges = new Map<string, number>();
  let context: number | null = null;
  let last: JsonObject | null = null;
  for (const item of objectItems(d.chatHistory)) {
    const ex = asObject(item.exchange);
    if (!ex) {
      s.malformed++;
      continue;
    }
    last = item;
    const at = timestamp(item.finishedAt);
    for (const node of objectItems(ex.request_nodes ?? ex.structured_request_nodes)) {
      const result = node.type === NODE.TOOL_RESULT ? asObject(node.tool_result_node) : null;
      const id = nonBlank(result?.tool_use_id);
      if (!result || !id) continue;
      s.pending.delete(id);
      const text = typeof result.content === "string" ? firstLine(result.content) : "";
      s.activity.push(at, result.is_error === true ? "error" : "result", text);
    }
    const prompt = nonBlank(ex.request_message);
    if (prompt) s.prompt(at, prompt);
    for (const node of objectItems(ex.response_nodes ?? ex.structured_output_nodes)) {
      if (node.type === NODE.TOOL_USE && isObject(node.tool_use)) {
        const call = node.tool_use;
        const id = nonBlank(call.tool_use_id);
        const started = typeof call.started_at_ms === "number" ? call.started_at_ms : at;
        s.toolCall(started, nonBlank(call.tool_name) ?? "tool", auggieToolArg(call.input_json), id);
      } else if (node.type === NODE.THINKING && typeof node.content === "string" && node.content.trim()) {
        s.activity.push(at, "thinking", node.content);
      } else if (node.type === NODE.BILLING && isObject(node.billing_metadata)) {
        const bill = node.billing_metadata;
        const cost = typeof bill.cost_usd === "string" ? parseFloat(bill.cost_usd) : NaN;
        const id = nonBlank(bill.transaction_id);
        if (bill.usage_unit === USD && id && Number.isFinite(cost)) charges.set(id, cost);
      } else if (node.type === NODE.TOKEN_USAGE && isObject(node.token_usage)) {
        const t = anthropicUsage(node.token_usage);
        addTokens(tokens, t);
        addTokens(byModel[nonBlank(ex.model_id) ?? model ?? "unknown"] ??= emptyTokens(), t);
        context = t.input + t.cacheRead + t.cacheWrite || context;
        s.requested(at);
      }
    }
    const text = nonBlank(ex.response_text);
    if (text) s.activity.push(at, "text", text);
    s.span.see(at);
  }
  if (last?.completed === false) {
    // Only an interrupted exchange is stored incomplete (one in progress is not stored yet).
    s.activity.push(s.span.last, "system", "interrupted");
    s.endTurn();
  } else if (last) {
    if (s.pending.size === 0) s.endTurn();
    else s.unlessExited("working");
  }
  let cost = [...charges.values()].reduce((a, b) => a + b, 0);
  const sub = typeof d.subAgentCostUsd === "number" && Number.isFinite(d.subAgentCostUsd)
    ? d.subAgentCostUsd
    : 0;
  cost += sub;
  return {
    ...s.facts({
      id: d.sessionId,
      title: promptLine(nonBlank(d.customTitle) ?? nonBlank(d.title) ?? s.firstPrompt),
      model,
      startedAt: timestamp(d.created) ?? s.span.first,
      lastActivity: timestamp(d.modified) ?? s.span.last,
      tokens,
      tokensByModel: byModel,
      contextTokens: context,
    }),
    costUsd: cost > 0 ? cost : null,
    lastRequestAt: s.lastRequestAt,
  };
}
