/**
 * Amp threads (`~/.local/share/amp/threads/T-<uuid>.json`): one JSON document per thread, rewritten
 * in place as the thread grows. A pure parser of the whole document.
 *
 * @module
 */

import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, modelTable } from "../../session.ts";
import { isObject, type JsonObject, nonBlank, positive, timestamp } from "../../formats/records.ts";
import { firstLine, promptLine } from "../../formats/text.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";
import type { SessionRead } from "../../vendor.ts";
import { usageBuckets, type UsageNames } from "../../formats/usage.ts";
import { type TimedUsage, usageTimeline } from "../../formats/timeline.ts";

/** Tool run states after which a tool call has its result. */
const FINISHED_RUNS = new Set(["done", "error", "cancelled", "rejected-by-user"]);
/** Tool run states of a call that did not succeed. */
const FAILED_RUNS = new Set(["error", "cancelled", "rejected-by-user"]);
/** `input` keys worth showing, most telling first: Amp's shell tool names its command `cmd`. */
const INPUT_KEYS = ["cmd", ...ARG_KEYS];
/** Amp writes Anthropic's usage counts in camelCase. */
const USAGE: UsageNames = {
  input: "inputTokens",
  output: "outputTokens",
  cacheRead: "cacheReadInputTokens",
  cacheWrite: "cacheCreationInputTokens",
};

/**
 * The local path of a `file://` URI (percent-decoded; `file://localhost/` too), or null for other URIs.
 *
 * @example
 * ```ts
 * fileUriPath("file:///home/me/my%20app"); // "/home/me/my app"
 * ```
 */
export function fileUriPath(uri: string): string | null {
  const m = /^file:\/\/(?:localhost)?(\/.*)$/.exec(uri);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/**
 * The working directory of a thread: `env.initial.cwd`, else the path of its first workspace tree
 * (`env.initial.trees[0].uri`).
 *
 * @example
 * ```ts
 * ampThreadCwd({ env: { initial: { trees: [{ uri: "file:///home/me/app" }] } } }); // "/home/me/app"
 * ```
 */
export function ampThreadCwd(thread: unknown): string | null {
  if (!isObject(thread) || !isObject(thread.env) || !isObject(thread.env.initial)) return null;
  const initial = thread.env.initial;
  if (nonBlank(initial.cwd)) return initial.cwd as string;
  const tree = Array.isArray(initial.trees) ? initial.trees.find(isObject) : undefined;
  const uri = tree ? nonBlank(tree.uri) : null;
  return uri ? fileUriPath(uri) ?? (uri.startsWith("/") ? uri : null) : null;
}

/**
 * The facts of one Amp thread document (already parsed from JSON), or null when it is not a thread.
 * Tokens are the sum of the assistant messages' `usage` (input, output, cache writes, cache reads;
 * Anthropic-style, so input is non-cached), or, in older threads with a `usageLedger`, the sum of its
 * events' `tokens` with the cache numbers of the messages they point to. The turn is the newest
 * message's: `state.type` `running` → working; a finished response that stopped for tools → working;
 * `end_turn` or `cancelled` → ended; a user message last → working. A tool call is in flight while
 * no finished `tool_result` answers it. Amp's credits are not dollars and are left out. The usage over
 * time places each message's usage at its `usage.timestamp` (every minute with `history`). Pure.
 *
 * @example
 * ```ts
 * const f = ampThreadFacts(JSON.parse(Deno.readTextFileSync("/home/me/.local/share/amp/threads/T-1.json")));
 * f?.turn; // "working" while the newest message is `running`
 * ```
 */
export function ampThreadFacts(thread: unknown, history = false): SessionRead | null {
  if (!isObject(thread) || !Array.isArray(thread.messages)) return null;
  const s = new TranscriptState();
  const byModel: Record<string, TokenBuckets> = modelTable();
  const cacheByMessage = new Map<unknown, TokenBuckets>();
  const requests: TimedUsage[] = [];
  let model: string | null = null;
  let context: number | null = null;
  for (const msg of thread.messages) {
    if (!isObject(msg)) continue;
    const at = ampMessageTime(msg);
    s.span.see(at);
    const blocks = Array.isArray(msg.content) ? msg.content.filter(isObject) : [];
    if (msg.role === "user") {
      const texts: string[] = [];
      let results = 0;
      for (const b of blocks) {
        if (b.type === "text" && typeof b.text === "string") texts.push(b.text);
        else if (b.type === "tool_result") {
          results++;
          toolResult(b, s, at);
        }
      }
      const text = texts.join("\n").trim();
      if (text) s.prompt(at, text);
      if (text || results > 0) s.turn = "working";
    } else if (msg.role === "assistant") {
      for (const b of blocks) {
        if (b.type === "text" && typeof b.text === "string" && b.text.trim()) {
          s.activity.push(at, "text", b.text);
        } else if (b.type === "thinking" && typeof b.thinking === "string") {
          s.activity.push(at, "thinking", b.thinking);
        } else if (b.type === "tool_use" && nonBlank(b.id)) {
          s.toolCall(at, nonBlank(b.name) ?? "tool", ampToolArg(b.input), b.id as string);
        }
      }
      const usage = isObject(msg.usage) ? msg.usage : null;
      if (usage) {
        model = nonBlank(usage.model) ?? model;
        const t = usageBuckets(usage, USAGE);
        const usedBy = nonBlank(usage.model) ?? model ?? "unknown";
        addTokens(byModel[usedBy] ??= emptyTokens(), t);
        requests.push({ at: timestamp(usage.timestamp) ?? at, model: usedBy, tokens: t });
        cacheByMessage.set(msg.messageId, t);
        const prompt = t.input + t.cacheRead + t.cacheWrite;
        if (prompt > 0) context = prompt;
      }
      const state = isObject(msg.state) ? msg.state : {};
      s.stopReason = nonBlank(state.stopReason) ?? s.stopReason;
      if (state.type === "running" || state.stopReason === "tool_use") s.turn = "working";
      else if (state.type === "cancelled" || state.stopReason === "end_turn") {
        if (state.type === "cancelled") s.activity.push(at, "system", "cancelled");
        s.endTurn();
      }
    }
  }
  const ledger = ledgerTokens(thread, cacheByMessage);
  const tokensByModel = ledger ?? byModel;
  const tokens = emptyTokens();
  for (const t of Object.values(tokensByModel)) addTokens(tokens, t);
  const created = typeof thread.created === "number" && Number.isFinite(thread.created)
    ? thread.created
    : null;
  return s.facts({
    id: nonBlank(thread.id) ?? "",
    cwd: ampThreadCwd(thread),
    title: promptLine(nonBlank(thread.title) ?? s.firstPrompt),
    model,
    startedAt: created,
    tokens,
    tokensByModel,
    contextTokens: context,
    // An older thread's ledger tells no times: its usage is placed at the thread's end.
    ...(ledger ? {} : usageTimeline(requests, history)),
  });
}

/**
 * The one argument of an Amp tool call a user wants to see, from its `input`.
 *
 * @example
 * ```ts
 * ampToolArg({ cmd: "npm test", cwd: "/home/me/app" }); // "npm test"
 * ```
 */
export function ampToolArg(input: unknown): string {
  return firstArg(input, INPUT_KEYS);
}

/** Resolves the call a `tool_result` answers once its run finished. */
function toolResult(b: JsonObject, s: TranscriptState, at: number | null): void {
  const outcome = ampToolOutcome(b);
  if (!outcome) return;
  if (outcome.id) s.pending.delete(outcome.id);
  const result = isObject(b.run) ? b.run.result : undefined;
  const text = typeof result === "string" ? result : isObject(result) ? nonBlank(result.output) ?? "" : "";
  const failed = outcome.failed;
  s.activity.push(at, failed ? "error" : "result", failed && !text ? outcome.status! : firstLine(text));
}

/**
 * What a `tool_result` block says of the call it answers (`toolUseID`): its run's `status`, and
 * whether it failed (`error`, `cancelled` or `rejected-by-user`); null while its run has not finished.
 *
 * @example
 * ```ts
 * ampToolOutcome({ type: "tool_result", toolUseID: "t1", run: { status: "rejected-by-user" } });
 * // { id: "t1", status: "rejected-by-user", failed: true }
 * ampToolOutcome({ type: "tool_result", toolUseID: "t1", run: { status: "in-progress" } }); // null
 * ```
 */
export function ampToolOutcome(
  b: JsonObject,
): { id: string | null; status: string | null; failed: boolean } | null {
  const id = nonBlank(b.toolUseID) ?? nonBlank(b.tool_use_id);
  const run = isObject(b.run) ? b.run : null;
  const status = run ? nonBlank(run.status) : null;
  if (run && status !== null && !FINISHED_RUNS.has(status)) return null;
  return { id, status, failed: status !== null && FAILED_RUNS.has(status) };
}

/** Tokens of an older thread's `usageLedger.events`, with cache numbers from the messages; null when it has none. */
function ledgerTokens(
  thread: JsonObject,
  cacheByMessage: Map<unknown, TokenBuckets>,
): Record<string, TokenBuckets> | null {
  const ledger = isObject(thread.usageLedger) ? thread.usageLedger : null;
  const events = ledger && Array.isArray(ledger.events) ? ledger.events.filter(isObject) : [];
  if (events.length === 0) return null;
  const out: Record<string, TokenBuckets> = modelTable();
  for (const e of events) {
    const tokens = isObject(e.tokens) ? e.tokens : {};
    const cache = cacheByMessage.get(e.toMessageId);
    addTokens(out[nonBlank(e.model) ?? "unknown"] ??= emptyTokens(), {
      input: positive(tokens.input),
      output: positive(tokens.output),
      cacheRead: cache?.cacheRead ?? 0,
      cacheWrite: cache?.cacheWrite ?? 0,
      reasoning: 0,
    });
  }
  return out;
}

/**
 * When a thread message was sent: `meta.sentAt` (ms), else its usage `timestamp`; null when it
 * records neither.
 *
 * @example
 * ```ts
 * ampMessageTime({ role: "user", meta: { sentAt: 1795510800000 } }); // 1795510800000
 * ```
 */
export function ampMessageTime(msg: JsonObject): number | null {
  const meta = isObject(msg.meta) ? msg.meta : {};
  if (typeof meta.sentAt === "number" && Number.isFinite(meta.sentAt)) return meta.sentAt;
  return isObject(msg.usage) ? timestamp(msg.usage.timestamp) : null;
}
