/**
 * The one-line totals under the `ls` table and in the header of `watch`.
 *
 * @module
 */

import type { AgentStatus, Snapshot } from "../agents/types.ts";
import { totalTokens } from "../agents/session.ts";
import { formatBytes, formatCount, formatPercent, formatUsd } from "./units.ts";

const ORDER: AgentStatus[] = ["busy", "subagents", "waiting", "limited", "idle", "done"];

/** `3 agents (1 busy, 2 waiting)`: the count by status, in a fixed order. */
export function statusCounts(snap: Snapshot): string {
  const { agents: n, byStatus } = snap.aggregates;
  const counts = ORDER.filter((st) => byStatus[st] > 0).map((st) => `${byStatus[st]} ${st}`);
  return `${n} agent${n === 1 ? "" : "s"}${counts.length ? ` (${counts.join(", ")})` : ""}`;
}

/**
 * Totals across agents: count by status, CPU, memory, tokens, cost (`+?` when some agent's cost is
 * unknown) and the price table's date.
 */
export function summaryLine(snap: Snapshot): string {
  const t = snap.aggregates;
  const parts = [statusCounts(snap), `CPU ${formatPercent(t.cpuPercent)}%`, `MEM ${formatBytes(t.rssBytes)}`];
  if (snap.agents.some((a) => a.session)) {
    parts.push(
      `tokens ${formatCount(totalTokens(t.tokens))}`,
      `cost ${formatUsd(t.costUsd)}${t.costUnknown ? "+?" : ""}`,
    );
  }
  if (snap.pricesDate) parts.push(`prices ${snap.pricesDate}`);
  return parts.join(" · ");
}
