/**
 * Counters of an agent that never fall while agtop watches it. An agent is several processes (the main
 * one, launchers, helper daemons); when a helper exits, the sum over the processes alive would drop,
 * and Prometheus would read that as a counter reset. Here an exited member keeps what it used in its
 * agent's totals for as long as the agent lives.
 *
 * @module
 */

/** What one process has used so far: CPU time, and IO bytes where the OS tells them (null otherwise). */
export interface ProcessCounters {
  cpuTimeMs: number;
  readBytes: number | null;
  writeBytes: number | null;
}

interface Tracked {
  members: Map<string, ProcessCounters>;
  gone: ProcessCounters;
}

function addKnown(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

function add(into: ProcessCounters, c: ProcessCounters): void {
  into.cpuTimeMs += c.cpuTimeMs;
  into.readBytes = addKnown(into.readBytes, c.readBytes);
  into.writeBytes = addKnown(into.writeBytes, c.writeBytes);
}

/**
 * Per-agent totals across ticks. Call {@linkcode AgentCounters.total} for every agent of a tick, then
 * {@linkcode AgentCounters.endTick} to forget the agents that are gone.
 *
 * @example
 * ```ts
 * const main: ProcessCounters = { cpuTimeMs: 5000, readBytes: null, writeBytes: null };
 * const helper: ProcessCounters = { cpuTimeMs: 800, readBytes: null, writeBytes: null };
 * const counters = new AgentCounters();
 * counters.total("4242:17", new Map([["4242:17", main], ["4250:18", helper]]));
 * // the helper exits: its CPU time stays in the total
 * counters.total("4242:17", new Map([["4242:17", main]])).cpuTimeMs; // 5800
 * counters.endTick();
 * ```
 */
export class AgentCounters {
  #agents = new Map<string, Tracked>();
  #seen = new Set<string>();

  /** The totals of agent `key`, whose processes now are `members` (process identity → counters). */
  total(key: string, members: ReadonlyMap<string, ProcessCounters>): ProcessCounters {
    this.#seen.add(key);
    let tracked = this.#agents.get(key);
    if (!tracked) {
      tracked = { members: new Map(), gone: { cpuTimeMs: 0, readBytes: null, writeBytes: null } };
      this.#agents.set(key, tracked);
    }
    for (const [id, last] of tracked.members) if (!members.has(id)) add(tracked.gone, last);
    tracked.members = new Map(members);
    const sum = { ...tracked.gone };
    for (const c of members.values()) add(sum, c);
    return sum;
  }

  /** Forgets the agents that {@linkcode AgentCounters.total} was not asked about since the last call. */
  endTick(): void {
    for (const key of this.#agents.keys()) if (!this.#seen.has(key)) this.#agents.delete(key);
    this.#seen.clear();
  }
}
