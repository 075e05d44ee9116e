/**
 * The one-line totals under the `ls` table and in the header of `watch`.
 *
 * @module
 */

import type { AgentStatus, Snapshot } from "../agents/types.ts";
import { agentTokens } from "./columns.ts";
import { formatBytes, formatCount, formatPercent, formatUsd } from "./units.ts";

const ORDER: AgentStatus[] = ["busy", "subagents", "waiting", "idle", "done"];

/** `3 agents (1 busy, 2 waiting)`: the count by status, in a fixed order. */
export function statusCounts(snap: Snapshot): string {
  const n = snap.agents.length;
  const counts = ORDER.map((st) => [st, snap.agents.filter((a) => a.status === st).length] as const)
    .filter(([, c]) => c > 0)
    .map(([st, c]) => `${c} ${st}`);
  return `${n} agent${n === 1 ? "" : "s"}${counts.length ? ` (${counts.join(", ")})` : ""}`;
}

/**
 * Totals across agents: count by status, CPU, memory, tokens, cost (with `?` when any agent's cost is
 * unknown) and the price table's date.
 */
export function summaryLine(snap: Snapshot): string {
  const cpu = snap.agents.reduce((s, a) => s + a.cpuPercent, 0);
  const mem = snap.agents.reduce((s, a) => s + a.rssBytes, 0);
  const parts = [statusCounts(snap), `CPU ${formatPercent(cpu)}%`, `MEM ${formatBytes(mem)}`];
  const withSession = snap.agents.filter((a) => a.session);
  if (withSession.length) {
    const tokens = withSession.reduce((s, a) => s + (agentTokens(a) ?? 0), 0);
    const cost = withSession.reduce((s, a) => s + (a.costUsd ?? 0), 0);
    const unknown = withSession.some((a) => a.costBasis === "unknown");
    parts.push(`tokens ${formatCount(tokens)}`, `cost ${formatUsd(cost)}${unknown ? "+?" : ""}`);
  }
  if (snap.pricesDate) parts.push(`prices ${snap.pricesDate}`);
  return parts.join(" · ");
}
