/**
 * One word for what an agent is doing, blended from its processes and its session transcript so that
 * an agent whose model is generating (which writes nothing to disk until the response is complete) is
 * never shown idle.
 *
 * @module
 */

import type { AgentStatus } from "./types.ts";
import type { SessionFacts } from "./session.ts";

/** CPU use (percent of one core, agent processes summed) at or above which the agent counts as busy. */
export const BUSY_CPU_PERCENT = 5;
/** A transcript written this recently (ms) means the agent is busy, unless its turn has ended. */
export const RECENT_WRITE_MS = 5_000;
/** A turn the transcript shows in progress counts as busy for this long (ms) after the last activity. */
export const WORKING_STALE_MS = 10 * 60_000;
/** An agent quiet this long (ms) without an ended turn is idle. */
export const IDLE_AFTER_MS = 5 * 60_000;
/**
 * A call the agent may hold for approval (`ToolCall.asksFirst`) that is this old (ms) and
 * still has no process is read as an approval dialog: agents start an approved command within moments.
 */
export const APPROVAL_GRACE_MS = 3_000;

/** What {@linkcode agentStatus} decides from. */
export interface StatusInput {
  /** CPU percent of one core over the sample window, the agent's own processes summed. */
  cpuPercent: number;
  /** Live (non-zombie) processes the agent's tools run. */
  toolChildren: number;
  /** The linked session, or null when none is known. */
  session: SessionFacts | null;
  /** ms since epoch. */
  now: number;
  /** Whether the agent's main process still runs. */
  alive: boolean;
}

/**
 * True when the session has not started a turn: no prompt, no tool, no turn the transcript tells of.
 * A freshly started agent at its prompt (whose store may already hold a header or a start-up record).
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "./session.ts";
 * declare const session: SessionFacts; // a header only
 * notStarted(session); // true
 * notStarted(null); // true
 * ```
 */
export function notStarted(session: SessionFacts | null): boolean {
  return !session ||
    (session.turn === "unknown" && session.lastPrompt === null && session.currentTool === null);
}

/**
 * What the agent waits for when its tool in flight is one it asks about first
 * (`ToolCall.asksFirst`), made {@linkcode APPROVAL_GRACE_MS} or longer ago, and no tool
 * process runs: `approval: <command or file>`. Null otherwise. Codex, Qwen Code and OpenCode write
 * nothing while their approval dialog is open; the call without a process is all there is to see.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "./session.ts";
 * declare const session: SessionFacts; // currentTool: { name: "exec_command", arg: "rm -rf dist", asksFirst: true, … }
 * awaitingApproval(session, 0, Date.now()); // "approval: rm -rf dist"
 * awaitingApproval(session, 1, Date.now()); // null: the command runs
 * ```
 */
export function awaitingApproval(
  session: SessionFacts | null,
  toolChildren: number,
  now: number,
): string | null {
  const t = session?.currentTool;
  if (!t?.asksFirst || toolChildren > 0 || t.startedAt === null) return null;
  if (now - t.startedAt < APPROVAL_GRACE_MS) return null;
  return `approval: ${t.arg || t.name}`;
}

/**
 * The status of an agent. The first rule that matches wins:
 *
 * 1. `done` — the process is gone, or the transcript says the session exited (`/exit`, a `-p` run's end).
 * 2. `limited` — the newest event is a rate-limit error whose reset time is still to come
 *    (`limitedUntil` in the future).
 * 3. `subagents` — a subagent the session started is still running.
 * 4. `waiting` — the agent asks the user something before it can go on (a permission or approval
 *    dialog, a question: `waitingFor`; a call it asks about first that has no process yet:
 *    {@linkcode awaitingApproval}).
 * 5. `busy` — a tool call has no result yet, or a tool's process (a child of the agent) is alive.
 * 6. `waiting` — the turn ended (`end_turn`, `turn_duration`, `task_complete`, an interrupt) and the
 *    agent waits for the next prompt.
 * 7. `busy` — the turn is in progress (the last record is a prompt or a tool result, so the model is
 *    generating) and there was activity in the last 10 minutes ({@linkcode WORKING_STALE_MS}).
 * 8. `idle` — no session is known, or it has not started a turn ({@linkcode notStarted}): a freshly
 *    started agent at its prompt. CPU alone never makes such an agent busy (agents burn CPU at start-up
 *    and while they draw their screen).
 * 9. `busy` — the transcript was written in the last 5 s ({@linkcode RECENT_WRITE_MS}), or CPU is at
 *    least 5 % ({@linkcode BUSY_CPU_PERCENT}) while the turn's state is not known.
 * 10. `idle` — quiet for 5 minutes or more ({@linkcode IDLE_AFTER_MS}).
 * 11. `waiting` — otherwise (a turn whose end the transcript does not tell, quiet for less than 5 minutes).
 *
 * @example
 * ```ts
 * agentStatus({ cpuPercent: 90, toolChildren: 0, session: null, now: Date.now(), alive: true }); // "idle"
 * agentStatus({ cpuPercent: 0, toolChildren: 1, session: null, now: Date.now(), alive: true }); // "busy"
 * ```
 */
export function agentStatus(input: StatusInput): AgentStatus {
  const { cpuPercent, toolChildren, session, now, alive } = input;
  if (!alive || session?.turn === "exited") return "done";
  if (session?.limitedUntil != null && session.limitedUntil > now) return "limited";
  if (session?.subagents.some((s) => s.status === "running")) return "subagents";
  if (session?.waitingFor || awaitingApproval(session, toolChildren, now)) return "waiting";
  if (session?.currentTool || toolChildren > 0) return "busy";
  if (session?.turn === "ended") return "waiting";
  const quietMs = session?.lastActivity != null ? Math.max(0, now - session.lastActivity) : Infinity;
  if (session?.turn === "working" && quietMs < WORKING_STALE_MS) return "busy";
  if (notStarted(session)) return "idle";
  if (quietMs <= RECENT_WRITE_MS || cpuPercent >= BUSY_CPU_PERCENT) return "busy";
  if (quietMs >= IDLE_AFTER_MS) return "idle";
  return "waiting";
}
