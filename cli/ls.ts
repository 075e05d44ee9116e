/**
 * `agtop ls`: one snapshot, printed as a table, CSV or JSON.
 *
 * @module
 */

import type { Agent, Snapshot } from "../agents/types.ts";
import { aggregate } from "../agents/aggregates.ts";
import { renderCsv } from "../render/csv.ts";
import { renderJson } from "../render/json.ts";
import type { MetricsFormat } from "../render/metrics.ts";
import { renderTable } from "../render/table.ts";
import { loadStyle, wantColor } from "../render/style.ts";
import { prepareWidths } from "../render/text.ts";
import { filterAgents, sortAgents, type SortKey } from "../render/view.ts";
import { agentCells } from "../render/table.ts";
import { redact } from "../render/privacy.ts";

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
}

/**
 * The agents whose id (`copilot`) or label (`Copilot CLI`) is not in `hidden`, case-insensitive.
 *
 * @example
 * ```ts
 * withoutHidden(snapshot.agents, ["copilot", "aider"]);
 * ```
 */
export function withoutHidden(agents: readonly Agent[], hidden: readonly string[]): Agent[] {
  const names = new Set(hidden.map((h) => h.toLowerCase()));
  return agents.filter((a) => !names.has(a.agent.toLowerCase()) && !names.has(a.label.toLowerCase()));
}

/**
 * The snapshot without the agents in `hidden` (ids or labels, case-insensitive); its totals count only
 * the agents left. The same snapshot when nothing is hidden.
 *
 * @example
 * ```ts
 * hideAgents(snapshot, settings.hidden).agents;
 * ```
 */
export function hideAgents(snap: Snapshot, hidden: readonly string[]): Snapshot {
  if (!hidden.length) return snap;
  const agents = withoutHidden(snap.agents, hidden);
  return { ...snap, agents, aggregates: aggregate(agents) };
}

/**
 * The snapshot narrowed to what the options select, in the order they ask for. Filter and sort see
 * the real values, even with `private` (which only changes what is printed).
 */
export function selectAgents(snap: Snapshot, opts: LsOptions): Snapshot {
  const visible = hideAgents(snap, opts.hidden ?? []).agents;
  let agents = sortAgents(filterAgents(visible, opts.filter), opts.sort, opts.reverse);
  if (opts.top !== null) agents = agents.slice(0, opts.top);
  return { ...snap, agents, aggregates: aggregate(agents) };
}

/** The text `ls` prints for a snapshot. */
export async function formatLs(snap: Snapshot, opts: LsOptions): Promise<string> {
  const selected = selectAgents(snap, opts);
  if (opts.format === "openmetrics" || opts.format === "prometheus") {
    const { renderMetrics } = await import("../render/metrics.ts");
    return renderMetrics(selected, { format: opts.format, private: opts.private });
  }
  const shown = opts.private ? redact(selected) : selected;
  if (opts.format === "json") return renderJson(shown);
  if (opts.format === "csv") return renderCsv(shown);
  const tty = Deno.stdout.isTerminal();
  await prepareWidths(shown.agents.flatMap(agentCells));
  const style = await loadStyle(wantColor(tty, opts.noColor), opts.theme);
  return renderTable(shown, { width: terminalWidth(tty), style, columns: opts.columns });
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
