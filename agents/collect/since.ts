/**
 * How long each agent has been in its status: the collector's memory, per agent key, of when the
 * status last changed. Keys not seen in a tick are forgotten, so the memory holds the agents of one
 * tick.
 *
 * @module
 */

import type { Agent, AgentStatus } from "../types.ts";

/** Statuses in which nothing happens: their start is best estimated by the session's last activity. */
const QUIET: ReadonlySet<AgentStatus> = new Set(["waiting", "idle", "done"]);

/**
 * The first estimate of when an agent entered its status, for the first tick agtop sees it: the
 * session's last activity for a quiet status; for `busy`, the prompt that started the turn in flight
 * (the newest prompt of the activity tail), else the start of the tool in flight, else of its oldest tool
 * process; `now` when nothing better is known. Never before the process started, never after `now`.
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * declare const agent: Agent;
 * firstSince({ ...agent, status: "busy", session: null }, 1_000); // 1000
 * ```
 */
export function firstSince(agent: Agent, now: number): number {
  const at = QUIET.has(agent.status)
    ? agent.session?.lastActivity
    : agent.status === "busy"
    ? busySince(agent)
    : null;
  if (at == null) return now;
  const floor = agent.pid > 0 ? agent.startedAt : -Infinity;
  return Math.min(now, Math.max(floor, at));
}

/**
 * When the work in flight began: the turn's prompt in the activity tail, else its tool's start; for work
 * the turn handed back (a command left running in the background), the oldest tool process's start;
 * null when unknown.
 */
function busySince(agent: Agent): number | null {
  const session = agent.session;
  if (session?.turn === "working") {
    const prompt = session.activity.findLast((e) => e.kind === "prompt")?.at;
    const at = prompt ?? session.currentTool?.startedAt;
    if (at != null) return at;
  }
  const tools = agent.children.filter((c) => c.role === "child");
  return tools.length ? Math.min(...tools.map((c) => c.startedAt)) : null;
}

export class StatusClock {
  #seen = new Map<string, { status: AgentStatus; since: number }>();

  /** Sets `statusSince` on each row of this tick (in place) and forgets the keys not among them. */
  stamp(agents: Agent[], now: number): void {
    const next = new Map<string, { status: AgentStatus; since: number }>();
    for (const agent of agents) {
      const before = this.#seen.get(agent.key);
      const since = before === undefined
        ? firstSince(agent, now)
        : before.status === agent.status
        ? before.since
        : now;
      agent.statusSince = since;
      next.set(agent.key, { status: agent.status, since });
    }
    this.#seen = next;
  }
}
