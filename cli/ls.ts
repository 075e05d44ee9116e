/**
 * `agtop ls`: one snapshot, printed as a table, CSV or JSON.
 *
 * @module
 */

import type { Snapshot } from "../agents/types.ts";
import { aggregate } from "../agents/aggregates.ts";
import { renderCsv } from "../render/csv.ts";
import { renderJson } from "../render/json.ts";
import { renderTable } from "../render/table.ts";
import { loadStyle, wantColor } from "../render/style.ts";
import { prepareWidths } from "../render/text.ts";
import { filterAgents, sortAgents, type SortKey } from "../render/view.ts";
import { agentCells } from "../render/table.ts";

/** What `ls` prints and how. */
export interface LsOptions {
  format: "table" | "csv" | "json";
  filter: string;
  sort: SortKey;
  reverse: boolean;
  top: number | null;
  noColor: boolean;
}

/** The snapshot narrowed to what the options select, in the order they ask for. */
export function selectAgents(snap: Snapshot, opts: LsOptions): Snapshot {
  let agents = sortAgents(filterAgents(snap.agents, opts.filter), opts.sort, opts.reverse);
  if (opts.top !== null) agents = agents.slice(0, opts.top);
  return { ...snap, agents, aggregates: aggregate(agents) };
}

/** The text `ls` prints for a snapshot. */
export async function formatLs(snap: Snapshot, opts: LsOptions): Promise<string> {
  const shown = selectAgents(snap, opts);
  if (opts.format === "json") return renderJson(shown);
  if (opts.format === "csv") return renderCsv(shown);
  const tty = Deno.stdout.isTerminal();
  await prepareWidths(shown.agents.flatMap(agentCells));
  const style = await loadStyle(wantColor(tty, opts.noColor));
  return renderTable(shown, { width: terminalWidth(tty), style });
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
