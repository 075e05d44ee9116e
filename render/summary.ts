/**
 * The one-line totals under the `ls` table and in the header of `watch`.
 *
 * @module
 */

import type { AgentStatus, Snapshot } from "../agents/types.ts";
import { aggregate, type Totals } from "../agents/aggregates.ts";
import { totalTokens } from "../agents/session.ts";
import { formatBytes, formatCount, formatPercent, formatUsd } from "./units.ts";

const ORDER: AgentStatus[] = ["busy", "subagents", "waiting", "limited", "idle", "done"];

/** `3 agents (1 busy, 2 waiting)`: the count by status of `totals`, in a fixed order. */
function statusCounts({ agents: n, byStatus }: Totals): string {
  const counts = ORDER.filter((st) => byStatus[st] > 0).map((st) => `${byStatus[st]} ${st}`);
  return `${n} agent${n === 1 ? "" : "s"}${counts.length ? ` (${counts.join(", ")})` : ""}`;
}

/**
 * Totals across agents: count by status, CPU, memory, tokens, cost (`+?` when some agent's cost is
 * unknown) and the price table's date. `totals` are those of `snap.agents`, computed when not given.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * summaryLine(snapshot); // "3 agents (1 busy, 2 waiting) · CPU 12.0% · MEM 1.2G · tokens 1.2M · cost $3.40"
 * ```
 */
export function summaryLine(snap: Snapshot, totals: Totals = aggregate(snap.agents)): string {
  const t = totals;
  const parts = [statusCounts(t), `CPU ${formatPercent(t.cpuPercent)}%`, `MEM ${formatBytes(t.rssBytes)}`];
  if (snap.agents.some((a) => a.session)) {
    parts.push(
      `tokens ${formatCount(totalTokens(t.tokens))}`,
      `cost ${formatUsd(t.costUsd)}${t.costUnknown ? "+?" : ""}`,
    );
  }
  if (snap.pricesDate) parts.push(`prices ${snap.pricesDate}`);
  return parts.join(" · ");
}

/**
 * `+31700 more sessions not listed`: the recent sessions left out over the cap (`ls --all`, the live
 * view's `a`), or null when none were.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * moreSessionsLine(snapshot); // "+31700 more sessions not listed (the newest are)"
 * ```
 */
export function moreSessionsLine(snap: Snapshot): string | null {
  const n = snap.moreSessions ?? 0;
  return n > 0 ? `+${n} more session${n === 1 ? "" : "s"} not listed (the newest are)` : null;
}
