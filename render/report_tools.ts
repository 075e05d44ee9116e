/**
 * `agtop report tools` output: a table with a bar per row scaled to the most called tool, Markdown, CSV
 * with every field, and versioned JSON. Reads a {@linkcode ToolsReport} only; it holds tool names and
 * numbers, never a tool's arguments.
 *
 * @module
 */

import type { ToolRow, ToolsReport } from "../agents/history/types.ts";
import { escapeInvisible } from "./json.ts";
import { HIDDEN } from "./privacy.ts";
import { bar, barTable, csvTable, markdownTable, printed } from "./report.ts";
import type { Style } from "./style.ts";
import { formatCount, formatDuration, formatPercent, isoTime } from "./units.ts";

/** Width of the bar column. */
const BAR_WIDTH = 16;

/** Column titles, in the order of {@linkcode cells}. */
const TITLES = ["TOOL", "AGENT", "CALLS", "FAILED", "NO RESULT", "MEDIAN", "P95", "TOOL TIME", "SHARE"];

/**
 * A tool call's duration: `850ms`, `4.2s`, `3m12s`; `—` when unknown.
 *
 * @example
 * ```ts
 * toolTime(4_200); // "4.2s"
 * ```
 */
export function toolTime(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms / 1000);
}

/**
 * The report with the paths of unreadable stores hidden (tool and MCP server names and the numbers
 * stay; the report never holds arguments).
 *
 * @example
 * ```ts
 * import type { ToolsReport } from "../agents/history/types.ts";
 * declare const report: ToolsReport;
 * redactToolsReport(report).unreadable[0]?.path; // "(private)"
 * ```
 */
export function redactToolsReport(report: ToolsReport): ToolsReport {
  return { ...report, unreadable: report.unreadable.map((u) => ({ ...u, path: HIDDEN })) };
}

/** One table cell per column, in order. */
function cells(r: ToolRow, sub: boolean): string[] {
  return [
    sub ? `  ${r.key}` : r.key,
    sub ? "" : r.agents.join(","),
    formatCount(r.calls),
    formatCount(r.failed),
    formatCount(r.unfinished),
    toolTime(r.medianMs),
    toolTime(r.p95Ms),
    r.timed ? toolTime(r.toolMs) : "—",
    r.share === null ? "—" : `${formatPercent(r.share * 100)}%`,
  ];
}

/**
 * The report as a table: calls, failures, calls without a result, median and 95th-percentile duration,
 * time in tools and its share of the sessions' wall time, and a bar per row scaled to the most called
 * tool; a totals row; a footer counting unreadable stores.
 *
 * @example
 * ```ts
 * import { loadStyle } from "./style.ts";
 * import type { ToolsReport } from "../agents/history/types.ts";
 * declare const report: ToolsReport;
 * console.log(renderToolsTable(report, await loadStyle(false)));
 * ```
 */
export function renderToolsTable(report: ToolsReport, style: Style): string {
  const max = Math.max(0, ...report.rows.map((r) => r.calls));
  const lines = printed(report.rows).map(({ row, sub }) => ({
    cells: cells(row, sub),
    sub,
    bar: sub ? "" : bar(row.calls, max, BAR_WIDTH),
  }));
  return barTable(TITLES, "CALLS BAR", lines, cells(report.totals, false), (i) => i >= 2, style, report);
}

/**
 * The report as a Markdown table (GitHub flavour), with the totals row last.
 *
 * @example
 * ```ts
 * import type { ToolsReport } from "../agents/history/types.ts";
 * declare const report: ToolsReport;
 * renderToolsMarkdown(report).startsWith("| TOOL |"); // true
 * ```
 */
export function renderToolsMarkdown(report: ToolsReport): string {
  const lines = printed(report.rows).map(({ row, sub }) => cells(row, sub));
  return markdownTable(TITLES, lines, cells(report.totals, false), report);
}

/** CSV columns: name and value, in output order (only appended to). */
const CSV: readonly [string, (r: ToolRow, parent: string | null) => string | number | null][] = [
  ["kind", () => "tools"],
  ["key", (r) => r.key],
  ["parent", (_r, p) => p],
  ["server", (r) => r.server],
  ["agents", (r) => r.agents.join(" ")],
  ["calls", (r) => r.calls],
  ["failed", (r) => r.failed],
  ["unfinished", (r) => r.unfinished],
  ["timed", (r) => r.timed],
  ["median_ms", (r) => r.medianMs],
  ["p95_ms", (r) => r.p95Ms],
  ["tool_ms", (r) => r.toolMs],
  ["sessions", (r) => r.sessions],
  ["wall_ms", (r) => r.wallMs],
  ["share", (r) => r.share],
];

/**
 * The report as CSV (RFC 4180, CRLF): one line per row, its breakdown lines after it (`parent` names
 * their row), and a `total` line.
 *
 * @example
 * ```ts
 * import type { ToolsReport } from "../agents/history/types.ts";
 * declare const report: ToolsReport;
 * renderToolsCsv(report).split("\r\n")[0].startsWith("kind,key,parent,server,"); // true
 * ```
 */
export function renderToolsCsv(report: ToolsReport): string {
  return csvTable(CSV, report);
}

/** A JSON row: snake_case keys. */
function jsonRow(r: ToolRow): Record<string, unknown> {
  return {
    key: r.key,
    server: r.server,
    agents: r.agents,
    calls: r.calls,
    failed: r.failed,
    unfinished: r.unfinished,
    timed: r.timed,
    median_ms: r.medianMs,
    p95_ms: r.p95Ms,
    tool_ms: r.toolMs,
    sessions: r.sessions,
    wall_ms: r.wallMs,
    share: r.share,
    ...(r.breakdown ? { breakdown: r.breakdown.map(jsonRow) } : {}),
  };
}

/**
 * The report as pretty JSON: `schema`, `kind` `tools`, the window, the rows, the totals and the
 * unreadable stores.
 *
 * @example
 * ```ts
 * import type { ToolsReport } from "../agents/history/types.ts";
 * declare const report: ToolsReport;
 * JSON.parse(renderToolsJson(report)).kind; // "tools"
 * ```
 */
export function renderToolsJson(report: ToolsReport): string {
  const time = (ms: number | null) => ms === null || !Number.isFinite(ms) ? null : isoTime(ms);
  const doc = {
    schema: report.schema,
    kind: report.kind,
    time_zone: report.timeZone,
    since: time(report.since),
    until: time(report.until),
    generated_at: time(report.generatedAt),
    rows: report.rows.map(jsonRow),
    totals: jsonRow(report.totals),
    unreadable: report.unreadable,
  };
  return escapeInvisible(JSON.stringify(doc, null, 2)) + "\n";
}
