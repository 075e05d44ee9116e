/**
 * The view operations shared by `ls` and `watch`: filter by text, sort by a key, keep the top N.
 *
 * @module
 */

import type { Agent, AgentStatus, Snapshot } from "../agents/types.ts";
import { agentTokens, doingText } from "./columns.ts";

/** A key rows can be sorted by. */
export type SortKey = "cpu" | "mem" | "uptime" | "agent" | "pid" | "status" | "tokens" | "cost" | "project";

const STATUS_RANK: Record<AgentStatus, number> = {
  waiting: 0,
  limited: 1,
  busy: 2,
  subagents: 3,
  idle: 4,
  done: 5,
};

/** Sort comparators; each puts what a user looks for first (most CPU, most memory, longest running). */
const COMPARE: Record<SortKey, (a: Agent, b: Agent) => number> = {
  cpu: (a, b) => b.cpuPercent - a.cpuPercent,
  mem: (a, b) => b.rssBytes - a.rssBytes,
  uptime: (a, b) => b.uptimeSec - a.uptimeSec,
  agent: (a, b) => a.label.localeCompare(b.label),
  pid: (a, b) => a.pid - b.pid,
  status: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status],
  tokens: (a, b) => (agentTokens(b) ?? -1) - (agentTokens(a) ?? -1),
  cost: (a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1),
  project: (a, b) => (a.project ?? "").localeCompare(b.project ?? ""),
};

/** The sort keys in the order `s` cycles through them in the live view. */
export const SORT_CYCLE: readonly SortKey[] = [
  "cpu",
  "mem",
  "tokens",
  "cost",
  "status",
  "uptime",
  "agent",
  "project",
  "pid",
];

/**
 * A sorted copy; ties are broken by pid so the order is stable between ticks.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * sortAgents(snapshot.agents, "mem", false)[0]; // the agent using the most memory
 * ```
 */
export function sortAgents(agents: readonly Agent[], key: SortKey, reverse: boolean): Agent[] {
  const cmp = COMPARE[key];
  const sorted = [...agents].sort((a, b) => cmp(a, b) || a.pid - b.pid);
  return reverse ? sorted.reverse() : sorted;
}

/** Text a filter matches against: label, id, pid, project, cwd, status, model, what it does, command. */
function haystack(a: Agent): string {
  return [
    a.label,
    a.agent,
    String(a.pid),
    a.project,
    a.cwd,
    a.status,
    a.session?.model,
    doingText(a),
    a.argv.join(" "),
  ]
    .filter(Boolean)
    .join("\n")
    .toLowerCase();
}

/** Agents whose row contains `text`, case-insensitive; all when `text` is empty. */
export function filterAgents(agents: readonly Agent[], text: string): Agent[] {
  const needle = text.trim().toLowerCase();
  return needle ? agents.filter((a) => haystack(a).includes(needle)) : [...agents];
}

/**
 * The agents whose id (`copilot`) or label (`Copilot CLI`) is not in `hidden`, case-insensitive.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * withoutHidden(snapshot.agents, ["copilot", "aider"]);
 * ```
 */
export function withoutHidden(agents: readonly Agent[], hidden: readonly string[]): Agent[] {
  const names = new Set(hidden.map((h) => h.toLowerCase()));
  return agents.filter((a) => !names.has(a.agent.toLowerCase()) && !names.has(a.label.toLowerCase()));
}

/**
 * The snapshot without the agents in `hidden` (ids or labels, case-insensitive); the same snapshot when
 * nothing is hidden.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * hideAgents(snapshot, ["copilot"]).agents;
 * ```
 */
export function hideAgents(snap: Snapshot, hidden: readonly string[]): Snapshot {
  return hidden.length ? { ...snap, agents: withoutHidden(snap.agents, hidden) } : snap;
}
