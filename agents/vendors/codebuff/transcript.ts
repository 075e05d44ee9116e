/**
 * A Codebuff chat as its CLI saves it (built from Codebuff's public source, not run: its binary is
 * downloaded at first start): `chat-messages.json`, the chat's messages as the screen shows them,
 * rewritten whole. Each message is `{id, variant, content, blocks, timestamp, isComplete, credits}`:
 * `variant` `user` (a prompt) or `ai` (an answer), whose `blocks` are `text`, `tool` (`toolCallId`,
 * `toolName`, `input`, and `output` once it ran) and `agent` (a subagent: `agentId`, `agentType`,
 * `status` `running`/`complete`/…, its own `blocks`). It records Codebuff credits, not tokens.
 *
 * @module
 */

import type { SubagentFacts, ToolCall } from "../../session.ts";
import { emptyTokens, newestCall } from "../../session.ts";
import { isObject, type JsonObject, nonBlank, objectItems, timestamp } from "../../formats/records.ts";
import type { SessionRead } from "../../vendor.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import { firstLine } from "../../formats/text.ts";
import { ARG_KEYS, firstArg } from "../../formats/tool_args.ts";

/** The calls in `blocks` (and their subagents' blocks, when `deep`) still without output, by id. */
function openCalls(blocks: JsonObject[], at: number | null, deep: boolean): Map<string, ToolCall> {
  const calls = new Map<string, ToolCall>();
  for (const b of blocks) {
    const id = nonBlank(b.toolCallId);
    if (b.type === "tool" && id && b.output === undefined) {
      calls.set(id, {
        name: nonBlank(b.toolName) ?? "tool",
        arg: firstArg(b.input, ARG_KEYS),
        id,
        startedAt: at,
      });
    } else if (b.type === "agent" && deep) {
      for (const [k, c] of openCalls(objectItems(b.blocks), at, true)) calls.set(k, c);
    }
  }
  return calls;
}

/** The subagents of an answer's `agent` blocks. */
function subagentsOf(blocks: JsonObject[], at: number | null): SubagentFacts[] {
  return blocks.filter((b) => b.type === "agent" && nonBlank(b.agentId)).map((b) => {
    const running = b.status === "running";
    return {
      id: b.agentId as string,
      type: nonBlank(b.agentType),
      description: firstLine(nonBlank(b.initialPrompt) ?? nonBlank(b.agentName) ?? ""),
      status: running ? "running" : "done",
      model: null,
      tokens: emptyTokens(),
      currentTool: running ? newestCall(openCalls(objectItems(b.blocks), at, true)) : null,
      lastActivity: at,
    };
  });
}

/**
 * The facts of a Codebuff chat (`chat-messages.json`), or null when it is not one. The newest answer
 * tells the turn: `isComplete` → over; otherwise working, with its tool blocks without output in
 * flight and its subagents running while their blocks say so. Tokens are not recorded (`—`); the id
 * is the chat's folder name, which the caller fills in.
 *
 * @example
 * ```ts
 * const f = codebuffFacts(JSON.parse(Deno.readTextFileSync("chat-messages.json")));
 * f?.turn; // "ended" once the newest answer is complete
 * ```
 */
export function codebuffFacts(doc: unknown): SessionRead | null {
  if (!Array.isArray(doc)) return null;
  const s = new TranscriptState();
  let answer: { blocks: JsonObject[]; at: number | null; complete: boolean } | null = null;
  for (const m of doc) {
    if (!isObject(m) || typeof m.variant !== "string") {
      s.malformed++;
      continue;
    }
    const at = timestamp(m.timestamp);
    s.span.see(at);
    const blocks = objectItems(m.blocks);
    if (m.variant === "user") {
      const text = nonBlank(m.content);
      if (text) s.prompt(at, text);
      s.unlessExited("working");
      answer = null;
    } else if (m.variant === "ai") {
      for (const b of blocks) {
        if (b.type === "text" && typeof b.content === "string" && b.content.trim()) {
          s.activity.push(at, b.textType === "reasoning" ? "thinking" : "text", b.content);
        } else if (b.type === "tool") {
          s.activity.push(at, "tool", `${nonBlank(b.toolName) ?? "tool"}: ${firstArg(b.input, ARG_KEYS)}`);
        }
      }
      answer = { blocks, at, complete: m.isComplete === true };
    } else if (m.variant === "error") {
      s.activity.push(at, "error", nonBlank(m.content) ?? "error");
    }
  }
  if (answer?.complete) s.endTurn();
  else if (answer) {
    s.unlessExited("working");
    for (const [k, c] of openCalls(answer.blocks, answer.at, false)) s.pending.set(k, c);
  }
  return {
    ...s.facts({ subagents: answer ? subagentsOf(answer.blocks, answer.at) : [] }),
    tokensRecorded: false,
  };
}
