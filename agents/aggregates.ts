/**
 * Totals across agents: what the table footer, the live view's header and the JSON `aggregates` show.
 *
 * @module
 */

import { type Agent, AGENT_STATUSES, type AgentStatus } from "./types.ts";
import { addTokens, emptyTokens, type TokenBuckets } from "./session.ts";
import { type Burn, totalBurn } from "./burn.ts";

/** Totals over a set of agents. */
export interface Totals {
  agents: number;
  /** Agents per status (every status present, zero when none). */
  byStatus: Record<AgentStatus, number>;
  cpuPercent: number;
  rssBytes: number;
  tokens: TokenBuckets;
  /** Sum of the known costs in USD. */
  costUsd: number;
  /** Agents with a session whose cost is unknown (an unpriced model): the total is a lower bound. */
  costUnknown: number;
  /** Burn rates summed and the earliest active usage block; null when no agent has a burn. */
  burn: Burn | null;
}

/** {@linkcode Totals} plus the same per project. */
export interface Aggregates extends Totals {
  byProject: (Totals & { project: string | null })[];
}

function totals(agents: readonly Agent[]): Totals {
  const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;
  const tokens = emptyTokens();
  let cpuPercent = 0, rssBytes = 0, costUsd = 0, costUnknown = 0;
  for (const a of agents) {
    byStatus[a.status]++;
    cpuPercent += a.cpuPercent;
    rssBytes += a.rssBytes;
    if (a.session) addTokens(tokens, a.session.tokens);
    costUsd += a.costUsd ?? 0;
    if (a.costBasis === "unknown") costUnknown++;
  }
  const burn = totalBurn(agents.map((a) => a.burn));
  return { agents: agents.length, byStatus, cpuPercent, rssBytes, tokens, costUsd, costUnknown, burn };
}

/**
 * Totals across `agents` and per project (ordered by cost, then name).
 *
 * @example
 * ```ts
 * import type { Snapshot } from "./types.ts";
 * declare const snapshot: Snapshot;
 * aggregate(snapshot.agents).byStatus.waiting; // agents waiting for you
 * ```
 */
export function aggregate(agents: readonly Agent[]): Aggregates {
  const groups = new Map<string | null, Agent[]>();
  for (const a of agents) {
    const list = groups.get(a.project);
    if (list) list.push(a);
    else groups.set(a.project, [a]);
  }
  const byProject = [...groups].map(([project, list]) => ({ project, ...totals(list) }))
    .sort((x, y) => y.costUsd - x.costUsd || (x.project ?? "").localeCompare(y.project ?? ""));
  return { ...totals(agents), byProject };
}
