/**
 * `agtop ls --format=table`: a borderless, aligned table of agents with a totals footer (and, with
 * `--all`, a `+N more` line for the recent sessions left out); an agent over one of the config file's
 * alert thresholds gets `▲` after its name and a line saying what it is over.
 *
 * @module
 */

import type { Agent, Snapshot } from "../agents/types.ts";
import { type Column, COLUMNS } from "./columns.ts";
import { fitColumns, joinCells, layoutRow } from "./layout.ts";
import type { Style } from "./style.ts";
import { type Alert, alertsByKey } from "./alerts.ts";
import { safeText } from "./text.ts";
import { moreSessionsLine, summaryLine } from "./summary.ts";

/** How to draw the table. */
export interface TableOptions {
  /** Terminal width in columns (Infinity when not a terminal). */
  width: number;
  style: Style;
  /** Ids of the columns to show, in this order (the config file's `columns`); all when absent. */
  columns?: readonly string[] | null;
  /** Alerts of the config file's `[alerts]`: `▲` after the agent's name, and a line each under the table. */
  alerts?: readonly Alert[];
}

/** The mark of an agent with an alert, as in the live view's gutter. */
export const ALERT_MARK = "▲";

/** The cell texts of every column for one agent at `now` (the snapshot's time). */
export function agentCells(a: Agent, now: number): string[] {
  return COLUMNS.map((c) => c.text(a, now));
}

/** The columns with the given ids, in their order (unknown ids left out); every column without ids. */
export function pickColumns(ids?: readonly string[] | null): readonly Column[] {
  if (!ids) return COLUMNS;
  return ids.flatMap((id) => COLUMNS.filter((c) => c.id === id));
}

/**
 * The whole table as text, ending in a newline.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * import { loadStyle } from "./style.ts";
 * declare const snapshot: Snapshot;
 * console.log(renderTable(snapshot, { width: 100, style: await loadStyle(false) }));
 * ```
 */
export function renderTable(snap: Snapshot, opts: TableOptions): string {
  const { style } = opts;
  if (snap.agents.length === 0) return `No coding agents running.\n${style.dim(summaryLine(snap))}\n`;
  const columns = pickColumns(opts.columns);
  const alerts = alertsByKey(opts.alerts ?? []);
  const cells = snap.agents.map((a) =>
    columns.map((c) => c.text(a, snap.takenAt) + (c.id === "agent" && alerts.has(a.key) ? ALERT_MARK : ""))
  );
  const layout = fitColumns(columns, cells, opts.width);
  const lines = [style.header(joinCells(layoutRow(layout, columns, columns.map((c) => c.header))))];
  snap.agents.forEach((a, i) => {
    const parts = layoutRow(layout, columns, cells[i]);
    const styled = parts.map((p, k) => {
      const id = layout.columns[k].id;
      if (id === "status") return style.status(a.status, p);
      if (id === "agent" && (a.dangerous || alerts.has(a.key))) return style.danger(p);
      return p;
    });
    lines.push(joinCells(styled));
  });
  for (const a of snap.agents) {
    for (const alert of alerts.get(a.key) ?? []) {
      lines.push(style.danger(`${ALERT_MARK} ${safeText(a.label)} ${a.pid}: ${safeText(alert.text)}`));
    }
  }
  const more = moreSessionsLine(snap);
  if (more) lines.push(style.dim(more));
  lines.push(style.dim(summaryLine(snap)));
  return lines.join("\n") + "\n";
}
