/**
 * Listening ports of the agents: of every agent's processes, descendants and orphans, read in one call.
 *
 * @module
 */

import type { ProcessSource } from "../../platform/types.ts";
import type { Agent, AgentPort } from "../types.ts";

/**
 * Adds to each agent the ports its processes listen on, sorted by port; nothing when the source
 * cannot tell.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../types.ts";
 * import { processSource } from "../../platform/mod.ts";
 *
 * declare const snapshot: Snapshot;
 * assignPorts(snapshot.agents, processSource());
 * ```
 */
export function assignPorts(agents: readonly Agent[], source: ProcessSource): void {
  const listeningPorts = source.listeningPorts;
  if (!listeningPorts) return;
  const owner = new Map<number, Agent>();
  for (const a of agents) {
    for (const p of [a.pid, ...a.processes.map((x) => x.pid), ...a.children.map((x) => x.pid)]) {
      if (p > 0 && !owner.has(p)) owner.set(p, a);
    }
    for (const o of a.orphans) if (!owner.has(o.pid)) owner.set(o.pid, a);
  }
  if (owner.size === 0) return;
  for (const [pid, ports] of listeningPorts.call(source, [...owner.keys()])) {
    owner.get(pid)!.ports.push(...ports.map((p): AgentPort => ({ ...p, pid })));
  }
  for (const a of agents) a.ports.sort((x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol));
}
