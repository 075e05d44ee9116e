/**
 * Following agents over time, for the commands that keep looking (`events`, `wait`): snapshots at an
 * interval, narrowed to the agents a filter picked. An agent is followed from the first snapshot its
 * row matches the filter in, so that a row that stops matching (its status word changed) is not taken
 * for an exit.
 *
 * @module
 */

import type { Collector } from "../agents/collect/collector.ts";
import type { Snapshot } from "../agents/types.ts";
import { filterAgents, withoutHidden } from "../render/view.ts";

/** Which agents to follow. */
export interface FollowOptions {
  /** Text the row must contain (case-insensitive); "" for every agent. */
  filter: string;
  /** Agent ids or labels never shown (config `hidden`). */
  hidden: readonly string[];
}

/**
 * Narrows snapshots to the followed agents, remembering which keys it picked.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const pick = new Following({ filter: "shop", hidden: [] });
 * pick.select(snapshot).agents; // the agents working on "shop", and those that did before
 * ```
 */
export class Following {
  #opts: FollowOptions;
  #keys = new Set<string>();

  constructor(opts: FollowOptions) {
    this.#opts = opts;
  }

  /** The snapshot with only the followed agents. */
  select(snap: Snapshot): Snapshot {
    const visible = withoutHidden(snap.agents, this.#opts.hidden);
    for (const a of filterAgents(visible, this.#opts.filter)) this.#keys.add(a.key);
    return { ...snap, agents: visible.filter((a) => this.#keys.has(a.key)) };
  }
}

/**
 * Snapshots from `collector`: the first after a CPU sample of `sampleMs`, then one every `intervalMs`,
 * until the consumer stops.
 *
 * @example
 * ```ts
 * import type { Collector } from "../agents/collect/collector.ts";
 * declare const collector: Collector;
 * for await (const snap of snapshots(collector, 1500, 250)) console.log(snap.agents.length);
 * ```
 */
export async function* snapshots(
  collector: Collector,
  intervalMs: number,
  sampleMs: number,
): AsyncGenerator<Snapshot> {
  await collector.tick();
  await sleep(sampleMs);
  for (;;) {
    const started = Date.now();
    yield await collector.tick();
    await sleep(Math.max(0, started + intervalMs - Date.now()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
