/**
 * One word for what an agent is doing, blended from its processes and its session transcript so that
 * an agent whose model is generating (which writes nothing to disk until the response is complete) is
 * never shown idle.
 *
 * @module
 */

import type { AgentStatus } from "./types.ts";
import type { SessionFacts, SubagentFacts, ToolCall } from "./session.ts";
import { QUESTION_TOOLS } from "./formats/questions.ts";

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
  /**
   * Ids of the calls in flight whose tool process was seen in an earlier tick (the collector's memory,
   * `RunningCalls`): such a call whose process is gone is finishing, not waiting for approval.
   */
  seenRunning?: ReadonlySet<string>;
}

/** No call seen running. */
const NONE: ReadonlySet<string> = new Set();

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
 * process runs nor was seen running for it (`seenRunning`: the process of a finishing command is gone
 * before its result is written): `approval: <command or file>`. Null otherwise. Codex, Qwen Code and
 * OpenCode write nothing while their approval dialog is open; the call without a process is all there
 * is to see.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "./session.ts";
 * declare const session: SessionFacts; // currentTool: { name: "exec_command", arg: "rm -rf dist", id: "c1", asksFirst: true, … }
 * awaitingApproval(session, 0, Date.now()); // "approval: rm -rf dist"
 * awaitingApproval(session, 1, Date.now()); // null: the command runs
 * awaitingApproval(session, 0, Date.now(), new Set(["c1"])); // null: it ran, and is finishing
 * ```
 */
export function awaitingApproval(
  session: SessionFacts | null,
  toolChildren: number,
  now: number,
  seenRunning: ReadonlySet<string> = NONE,
): string | null {
  const t = session?.currentTool;
  return t && heldForApproval(t, toolChildren, now, seenRunning) ? `approval: ${t.arg || t.name}` : null;
}

/** Whether call `t` reads as held in an approval dialog (see {@linkcode awaitingApproval}). */
function heldForApproval(t: ToolCall, toolChildren: number, now: number, seen: ReadonlySet<string>): boolean {
  if (!t.asksFirst || toolChildren > 0 || t.startedAt === null) return false;
  if (t.id !== null && seen.has(t.id)) return false;
  return now - t.startedAt >= APPROVAL_GRACE_MS;
}

/**
 * What a running subagent waits for from the user, said of the subagent: a question tool without its
 * answer (`question in subagent <name>: <question>`) or a call held for approval, as
 * {@linkcode awaitingApproval} reads it (`approval in subagent <name>: <command>`). Null when none
 * waits. Subagents run inside their parent's process, so its tool processes are theirs.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "./session.ts";
 * declare const session: SessionFacts; // a running subagent "explorer" whose exec_command "rm -rf dist" asks first
 * subagentWaiting(session, 0, Date.now()); // "approval in subagent explorer: rm -rf dist"
 * ```
 */
export function subagentWaiting(
  session: SessionFacts | null,
  toolChildren: number,
  now: number,
  seenRunning: ReadonlySet<string> = NONE,
): string | null {
  for (const sub of session?.subagents ?? []) {
    const t = sub.currentTool;
    if (sub.status !== "running" || !t) continue;
    if (QUESTION_TOOLS.has(t.name)) {
      return `question in subagent ${subagentName(sub)}${t.arg ? `: ${t.arg}` : ""}`;
    }
    if (heldForApproval(t, toolChildren, now, seenRunning)) {
      return `approval in subagent ${subagentName(sub)}: ${t.arg || t.name}`;
    }
  }
  return null;
}

/**
 * What the agent waits for from the user before it can go on, or null: what the session says
 * (`waitingFor`; a permission prompt while one running subagent has a call in flight and the main
 * thread none of its own is that subagent's: `permission prompt in subagent <name>: <call>`), a call of
 * the main thread held for approval ({@linkcode awaitingApproval}), else a subagent's question or
 * approval ({@linkcode subagentWaiting}). A parent whose subagent waits for you waits for you.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "./session.ts";
 * declare const session: SessionFacts; // waitingFor: "permission prompt", no subagent running
 * waitingReason(session, 0, Date.now()); // "permission prompt"
 * ```
 */
export function waitingReason(
  session: SessionFacts | null,
  toolChildren: number,
  now: number,
  seenRunning: ReadonlySet<string> = NONE,
): string | null {
  if (session?.waitingFor) return permissionOfSubagent(session) ?? session.waitingFor;
  return awaitingApproval(session, toolChildren, now, seenRunning) ??
    subagentWaiting(session, toolChildren, now, seenRunning);
}

/** A permission prompt said of the one running subagent with a call in flight, when the main thread waits on it. */
function permissionOfSubagent(session: SessionFacts): string | null {
  if (!/permission/i.test(session.waitingFor ?? "")) return null;
  const own = session.currentTool;
  const subs = session.subagents.filter((s) => s.status === "running" && s.currentTool);
  if (subs.length !== 1 || (own && !SPAWNS.has(own.name))) return null;
  const t = subs[0].currentTool!;
  return `${session.waitingFor} in subagent ${subagentName(subs[0])}: ${
    t.arg ? `${t.name} ${t.arg}` : t.name
  }`;
}

/** Calls by which a main thread starts a subagent and waits on it (Claude Code's `Agent`/`Task`, `task`). */
const SPAWNS: ReadonlySet<string> = new Set(["Agent", "Task", "task"]);

/** How a subagent is named to the user: its type, else its description, else its id. */
function subagentName(sub: SubagentFacts): string {
  return sub.type || sub.description || sub.id;
}

/**
 * The status of an agent. The first rule that matches wins:
 *
 * 1. `done` — the process is gone, or the transcript says the session exited (`/exit`, a `-p` run's end).
 * 2. `limited` — the newest event is a rate-limit error whose reset time is still to come
 *    (`limitedUntil` in the future).
 * 3. `waiting` — the agent, or one of its running subagents, asks the user something before it can go
 *    on (a permission or approval dialog, a question: {@linkcode waitingReason}).
 * 4. `subagents` — a subagent the session started is still running.
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
  const { cpuPercent, toolChildren, session, now, alive, seenRunning } = input;
  if (!alive || session?.turn === "exited") return "done";
  if (session?.limitedUntil != null && session.limitedUntil > now) return "limited";
  if (waitingReason(session, toolChildren, now, seenRunning)) return "waiting";
  if (session?.subagents.some((s) => s.status === "running")) return "subagents";
  if (session?.currentTool || toolChildren > 0) return "busy";
  if (session?.turn === "ended") return "waiting";
  const quietMs = session?.lastActivity != null ? Math.max(0, now - session.lastActivity) : Infinity;
  if (session?.turn === "working" && quietMs < WORKING_STALE_MS) return "busy";
  if (notStarted(session)) return "idle";
  if (quietMs <= RECENT_WRITE_MS || cpuPercent >= BUSY_CPU_PERCENT) return "busy";
  if (quietMs >= IDLE_AFTER_MS) return "idle";
  return "waiting";
}
