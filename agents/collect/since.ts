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
 * session's last activity for a quiet status (not before the process started, not after `now`), else
 * `now`.
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * declare const agent: Agent;
 * firstSince({ ...agent, status: "busy" }, 1_000); // 1000
 * ```
 */
export function firstSince(agent: Agent, now: number): number {
  const last = agent.session?.lastActivity;
  if (!QUIET.has(agent.status) || last == null) return now;
  const floor = agent.pid > 0 ? agent.startedAt : -Infinity;
  return Math.min(now, Math.max(floor, last));
}

/**
 * Remembers per agent key when its status last changed and sets `statusSince` on every row.
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * declare const agents: Agent[];
 * const clock = new StatusClock();
 * clock.stamp(agents, Date.now());
 * agents[0].statusSince; // when agents[0] entered its status
 * ```
 */
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
