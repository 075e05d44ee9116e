/**
 * Which calls in flight were seen with a tool process running: the collector's memory, per agent key,
 * across ticks. A call the agent asks about first whose process was seen and is now gone is finishing
 * (its result not written yet), not waiting for approval. Only calls still in flight are kept, and the
 * agents not seen in a tick are forgotten.
 *
 * @module
 */

import type { SessionFacts } from "../session.ts";

/**
 * The ids of the calls a session has in flight: its main thread's and its running subagents'.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "../session.ts";
 * declare const session: SessionFacts; // currentTool: { id: "c1", … }, no subagent
 * callsInFlight(session); // ["c1"]
 * ```
 */
export function callsInFlight(session: SessionFacts | null): string[] {
  if (!session) return [];
  const calls = [session.currentTool, ...session.subagents.map((s) => s.currentTool)];
  return calls.flatMap((c) => (c?.id ? [c.id] : []));
}

/**
 * Remembers, per agent key, the calls in flight that were seen while tool processes ran: all of them
 * when the processes are at least as many as the calls (with fewer, which call runs is not known).
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "../session.ts";
 * declare const session: SessionFacts; // currentTool: { id: "c1", asksFirst: true, … }
 * const running = new RunningCalls();
 * running.note("4242:1", session, 1); // Set { "c1" }: its process runs
 * running.endTick();
 * running.note("4242:1", session, 0); // Set { "c1" }: gone now, the command is finishing
 * ```
 */
export class RunningCalls {
  #seen = new Map<string, ReadonlySet<string>>();
  #next = new Map<string, ReadonlySet<string>>();

  /** Notes one agent of this tick; returns the ids of its calls in flight seen running so far. */
  note(key: string, session: SessionFacts | null, toolChildren: number): ReadonlySet<string> {
    const inFlight = callsInFlight(session);
    const before = this.#seen.get(key);
    const running = toolChildren > 0 && toolChildren >= inFlight.length;
    const seen = new Set(inFlight.filter((id) => running || before?.has(id)));
    this.#next.set(key, seen);
    return seen;
  }

  /** Ends the tick: the agents not noted in it are forgotten. */
  endTick(): void {
    this.#seen = this.#next;
    this.#next = new Map();
  }
}
