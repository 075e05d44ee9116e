/**
 * The facts of a session its reader knows little of: who it is and when, with no tokens, turn, tool
 * or activity (a Copilot CLI session before its first event, a Cursor chat store).
 *
 * @module
 */

import type { SessionRead } from "../vendor.ts";
import { emptyTokens } from "../session.ts";

/**
 * A session with only the facts in `known`; everything else unknown (null, empty, `turn: "unknown"`).
 *
 * @example
 * ```ts
 * bareSession({ id: "a1", model: "gpt-5", lastActivity: Date.now() }).turn; // "unknown"
 * ```
 */
export function bareSession(known: Partial<SessionRead> & { id: string }): SessionRead {
  return {
    cwd: null,
    gitBranch: null,
    title: null,
    model: null,
    lastPrompt: null,
    currentTask: null,
    currentTool: null,
    subagents: [],
    turn: "unknown",
    stopReason: null,
    startedAt: null,
    lastActivity: null,
    tokens: emptyTokens(),
    tokensByModel: {},
    contextTokens: null,
    contextWindow: null,
    activity: [],
    malformedLines: 0,
    ...known,
  };
}
