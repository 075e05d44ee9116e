/**
 * The rows of the live table and where they sit on screen: agents filtered and sorted the way the
 * view asks, optionally under one heading per project, each followed by the orphans it left running
 * (selectable, so one can be ended). Shared by the frame renderer and the key
 * handler so a click lands on the row that was drawn there.
 *
 * @module
 */

import type { Agent, AgentProcess, Snapshot } from "../../agents/types.ts";
import { filterAgents, sortAgents, type SortKey } from "../view.ts";

/** What decides which agents show and in which order. */
export interface RowQuery {
  sort: SortKey;
  reverse: boolean;
  /** The filter in effect (the one being typed, while typing). */
  filter: string;
  group: boolean;
  /** Show sessions without a live process too. */
  all: boolean;
}

/** One line of the table body: a project heading (when grouped), an agent, or an orphan under its agent. */
export type Row =
  | { kind: "group"; project: string; agents: Agent[] }
  | { kind: "agent"; agent: Agent }
  | { kind: "orphan"; agent: Agent; process: AgentProcess };

/**
 * What identifies a selectable row from one snapshot to the next: the agent's key, or for an orphan
 * its agent's key with its pid and start time; null for a heading, which is never selected.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent;
 * rowKey({ kind: "agent", agent }); // agent.key
 * ```
 */
export function rowKey(row: Row): string | null {
  if (row.kind === "agent") return row.agent.key;
  if (row.kind === "orphan") return `${row.agent.key}/${row.process.pid}@${row.process.startedAt}`;
  return null;
}

/** Screen lines above the table body: two header lines and the column headings. */
export const BODY_TOP = 3;

/** Table body lines on a screen of `rows` lines (the last line is the key hint). */
export function bodyHeight(rows: number): number {
  return Math.max(0, rows - BODY_TOP - 1);
}

/** True for an agent that is a recent session without a live process. */
export function isRecentOnly(a: Agent): boolean {
  return a.session?.linkedBy === "recent";
}

/** The agents a query selects, in display order (without group headings). */
export function shownAgents(snap: Snapshot | null, q: RowQuery): Agent[] {
  if (!snap) return [];
  const live = q.all ? snap.agents : snap.agents.filter((a) => !isRecentOnly(a));
  return sortAgents(filterAgents(live, q.filter), q.sort, q.reverse);
}

/**
 * The table body: agents in order, or, grouped, one heading per project followed by its agents; each
 * agent is followed by its orphans. Projects appear in the order of their first agent, so the sort
 * still decides which comes first.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const snapshot: Snapshot;
 * tableRows(snapshot, { sort: "cpu", reverse: false, filter: "", group: true, all: false });
 * ```
 */
export function tableRows(snap: Snapshot | null, q: RowQuery): Row[] {
  const agents = shownAgents(snap, q);
  const withOrphans = (agent: Agent): Row[] => [
    { kind: "agent", agent },
    ...agent.orphans.map((process): Row => ({ kind: "orphan", agent, process })),
  ];
  if (!q.group) return agents.flatMap(withOrphans);
  const groups = new Map<string, Agent[]>();
  for (const a of agents) {
    const name = a.project ?? "(no project)";
    const list = groups.get(name);
    if (list) list.push(a);
    else groups.set(name, [a]);
  }
  const rows: Row[] = [];
  for (const [project, list] of groups) {
    rows.push({ kind: "group", project, agents: list }, ...list.flatMap(withOrphans));
  }
  return rows;
}
