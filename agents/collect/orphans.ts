/**
 * Orphans on the table: each under the live agent that holds its session, else under one `done` row
 * per gone agent.
 *
 * @module
 */

import type { Agent } from "../types.ts";
import type { Orphan } from "../orphans.ts";
import { doingPhrase } from "../phrase.ts";
import { goneAgentRow, processView } from "./rows.ts";
import type { Sampler } from "./sample.ts";

/**
 * Attaches orphans to their agents: a live agent holding the orphan's session keeps it; otherwise
 * the orphans of one gone agent share a `done` row. Returns those new rows.
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * import type { Orphan } from "../orphans.ts";
 * import type { Sampler } from "./sample.ts";
 *
 * declare const orphans: Orphan[]; // from OrphanTracker.update
 * declare const agents: Agent[];
 * declare const sampler: Sampler;
 * agents.push(...orphanRows(orphans, agents, sampler, Date.now()));
 * ```
 */
export function orphanRows(
  orphans: readonly Orphan[],
  live: readonly Agent[],
  sampler: Sampler,
  now: number,
): Agent[] {
  const rows = new Map<string, Agent>();
  for (const o of orphans) {
    const view = processView(o, "orphan", sampler.cpu(o), 0);
    const owner = live.find((a) => a.key === o.agentKey || (o.sessionId && a.session?.id === o.sessionId));
    if (owner) {
      owner.orphans.push(view);
      continue;
    }
    const key = o.agentKey ?? `orphans:${o.agent}:${o.sessionId ?? o.cwd ?? ""}`;
    let row = rows.get(key);
    if (!row) {
      row = goneAgentRow(key, o, now);
      rows.set(key, row);
    }
    row.orphans.push(view);
    row.cpuPercent += view.cpuPercent;
    row.rssBytes += view.rssBytes;
  }
  for (const row of rows.values()) row.phrase = doingPhrase(row, now);
  return [...rows.values()];
}
