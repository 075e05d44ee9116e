/**
 * `agtop ls`: one snapshot, printed as a table, CSV or JSON.
 *
 * @module
 */

import type { Snapshot } from "../agents/types.ts";
import { aggregate } from "../agents/aggregates.ts";
import { renderCsv } from "../render/csv.ts";
import { renderJson } from "../render/json.ts";
import type { MetricsFormat } from "../render/metrics.ts";
import { renderTable } from "../render/table.ts";
import { moreSessionsLine } from "../render/summary.ts";
import { loadStyle, wantColor } from "../render/style.ts";
import { prepareWidths } from "../render/text.ts";
import { filterAgents, sortAgents, type SortKey, withoutHidden } from "../render/view.ts";
import { agentCells } from "../render/table.ts";
import { alertsByKey, type AlertThresholds, snapshotAlerts } from "../render/alerts.ts";

/** What `ls` prints and how. */
export interface LsOptions {
  format: "table" | "csv" | "json" | MetricsFormat;
  filter: string;
  sort: SortKey;
  reverse: boolean;
  top: number | null;
  noColor: boolean;
  /** Colour theme, a name in `THEME_NAMES` (`--theme`, config `theme`); `default` when absent. */
  theme?: string;
  /** Leave out private text: prompts, tool arguments, paths, command lines, project names (`--private`). */
  private?: boolean;
  /** Agent ids or labels never shown, case-insensitive (config `hidden`). */
  hidden?: readonly string[];
  /** Ids of the table's columns, in order (config `columns`); all when absent. */
  columns?: readonly string[] | null;
  /** Thresholds of the config file's `[alerts]`: a mark on the row, the alerts in JSON and CSV. */
  alerts?: AlertThresholds;
}

/**
 * The snapshot narrowed to what the options select, in the order they ask for. Filter and sort see
 * the real values, even with `private` (which only changes what is printed).
 */
export function selectAgents(snap: Snapshot, opts: LsOptions): Snapshot {
  const visible = withoutHidden(snap.agents, opts.hidden ?? []);
  let agents = sortAgents(filterAgents(visible, opts.filter), opts.sort, opts.reverse);
  if (opts.top !== null) agents = agents.slice(0, opts.top);
  return { ...snap, agents };
}

/** The text `ls` prints for a snapshot. */
export async function formatLs(snap: Snapshot, opts: LsOptions): Promise<string> {
  const selected = selectAgents(snap, opts);
  if (opts.format === "openmetrics" || opts.format === "prometheus") {
    const { renderMetrics } = await import("../render/metrics.ts");
    return renderMetrics(selected, { format: opts.format, private: opts.private });
  }
  // Only `--private` needs the redaction code.
  const privacy = opts.private ? await import("../render/privacy.ts") : null;
  const names = privacy ? new privacy.Pseudonyms() : null;
  const shown = privacy && names ? privacy.redact(selected, names) : selected;
  // Alerts from the real values of every agent not hidden (the day's budget sums them all), as `watch` raises them.
  const raised = snapshotAlerts(
    { ...snap, agents: withoutHidden(snap.agents, opts.hidden ?? []) },
    opts.alerts ?? {},
  )
    .map((a) => (names ? { ...a, key: names.key(a.key) } : a));
  if (opts.format === "json") {
    // Totals of the real agents: the order of projects with equal costs follows their real names.
    const totals = aggregate(selected.agents);
    const byKey = alertsByKey(raised);
    const agents = shown.agents.map((a) => ({
      ...a,
      alerts: (byKey.get(a.key) ?? []).map(({ kind, text }) => ({ kind, text })),
    }));
    return renderJson(
      { ...shown, agents },
      privacy && names ? privacy.redactAggregates(totals, names) : totals,
    );
  }
  if (opts.format === "csv") {
    // CSV rows are agents only: the count of recent sessions left out goes to stderr.
    const more = moreSessionsLine(snap);
    if (more) console.error(`agtop: ${more}`);
    return renderCsv(shown, raised);
  }
  const tty = Deno.stdout.isTerminal();
  await prepareWidths(shown.agents.flatMap((a) => agentCells(a, shown.takenAt)));
  const style = await loadStyle(wantColor(tty, opts.noColor), opts.theme);
  return renderTable(shown, { width: terminalWidth(tty), style, columns: opts.columns, alerts: raised });
}

/** The width to fit: the terminal's, else `COLUMNS`, else unlimited. */
function terminalWidth(tty: boolean): number {
  if (tty) {
    try {
      return Deno.consoleSize().columns;
    } catch {
      // not a console after all
    }
  }
  const env = Number(Deno.env.get("COLUMNS"));
  return env > 0 ? env : Infinity;
}
