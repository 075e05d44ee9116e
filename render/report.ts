/**
 * `agtop report` output: a table with a bar per row (a week of days reads like a chart), Markdown,
 * CSV with every field, and versioned JSON. Reads a {@linkcode Report} only.
 *
 * @module
 */

import type { Report, ReportRow } from "../agents/history/types.ts";
import { csvField } from "./csv.ts";
import { escapeInvisible } from "./json.ts";
import { HIDDEN, Pseudonyms } from "./privacy.ts";
import type { Style } from "./style.ts";
import { displayWidth, fit, safeText } from "./text.ts";
import { formatCount, formatUsd, isoTime } from "./units.ts";

/** What the first column of each kind of report is called. */
const KEY_TITLE: Readonly<Record<Report["kind"], string>> = {
  daily: "DATE",
  weekly: "WEEK",
  monthly: "MONTH",
  sessions: "SESSION",
  projects: "PROJECT",
  models: "MODEL",
  agents: "AGENT",
};

/** Width of the bar column. */
const BAR_WIDTH = 16;
/** Eighths of a block, for bars finer than a character. */
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/**
 * A bar `width` characters at most, `value / max` of it filled, in eighths of a character.
 *
 * @example
 * ```ts
 * bar(1, 2, 4); // "██"
 * bar(0, 2, 4); // ""
 * ```
 */
export function bar(value: number | null, max: number, width: number): string {
  if (value === null || !(max > 0) || !(value > 0)) return "";
  const eighths = Math.max(1, Math.round(Math.min(1, value / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * The report with private text left out: project names become `project-N`, titles, working
 * directories and paths are hidden; the numbers stay.
 *
 * @example
 * ```ts
 * import type { Report } from "../agents/history/types.ts";
 * declare const report: Report;
 * redactReport(report).rows[0].session?.cwd; // null
 * ```
 */
export function redactReport(report: Report, names: Pseudonyms = new Pseudonyms()): Report {
  const row = (r: ReportRow): ReportRow => ({
    ...r,
    key: report.kind === "projects" && r.key !== "total" ? names.project(r.key) : r.key,
    ...(r.session
      ? {
        session: {
          ...r.session,
          title: null,
          cwd: null,
          path: "",
          project: r.session.project === null ? null : names.project(r.session.project),
        },
      }
      : {}),
    ...(r.breakdown ? { breakdown: r.breakdown.map(row) } : {}),
  });
  return {
    ...report,
    rows: report.rows.map(row),
    totals: row(report.totals),
    unreadable: report.unreadable.map((u) => ({ ...u, path: HIDDEN })),
  };
}

/** One table cell per column, in order. */
function cells(r: ReportRow, kind: Report["kind"], sub: boolean): string[] {
  const t = r.tokens;
  const key = sub ? `  ${r.key}` : r.key;
  return [
    key,
    sub ? "" : r.agents.join(","),
    ...(kind === "sessions" ? [r.session?.project ?? ""] : []),
    formatCount(t.input),
    formatCount(t.output),
    formatCount(t.reasoning),
    formatCount(t.cacheRead),
    formatCount(t.cacheWrite),
    formatCount(r.totalTokens),
    formatUsd(r.costUsd),
    r.costBasis,
    r.cacheSavedUsd === null ? "?" : formatUsd(r.cacheSavedUsd),
  ];
}

/** Column titles, in the order of {@linkcode cells}. */
function titles(kind: Report["kind"]): string[] {
  return [
    KEY_TITLE[kind],
    "AGENT",
    ...(kind === "sessions" ? ["PROJECT"] : []),
    "INPUT",
    "OUTPUT",
    "REASON",
    "CACHE R",
    "CACHE W",
    "TOTAL",
    "COST",
    "BASIS",
    "SAVED",
  ];
}

/**
 * Rows in print order: each row, then its breakdown.
 *
 * @example
 * ```ts
 * type Row = { key: string; breakdown?: Row[] };
 * const rows: Row[] = [{ key: "a", breakdown: [{ key: "a1" }] }];
 * printed(rows).map((l) => l.sub); // [false, true]
 * ```
 */
export function printed<R extends { breakdown?: R[] }>(rows: readonly R[]): { row: R; sub: boolean }[] {
  return rows.flatMap((row) => [
    { row, sub: false },
    ...(row.breakdown ?? []).map((b) => ({ row: b, sub: true })),
  ]);
}

/**
 * A footer naming how many stores could not be read, or nothing.
 *
 * @example
 * ```ts
 * footer({ unreadable: [] }); // ""
 * ```
 */
export function footer(report: Pick<Report, "unreadable">): string {
  const n = report.unreadable.length;
  if (!n) return "";
  return n === 1
    ? "1 store could not be read (--verbose names it)\n"
    : `${n} stores could not be read (--verbose names them)\n`;
}

/** One printed line of a report table: its cells, whether it is a breakdown sub-row, and its bar. */
export interface TableLine {
  cells: string[];
  sub: boolean;
  bar: string;
}

/**
 * A report table: bold titles, a line per row (breakdown sub-rows dimmed) ending in its bar, a bold
 * totals line (its second, AGENT, cell left blank), and the footer counting unreadable stores. Columns
 * where `right` says so are right-aligned.
 *
 * @example
 * ```ts
 * import { loadStyle } from "./style.ts";
 * const lines = [{ cells: ["Bash", "claude", "3"], sub: false, bar: "██" }];
 * barTable(["TOOL", "AGENT", "CALLS"], "BAR", lines, ["total", "", "3"], (i) => i >= 2, await loadStyle(false), { unreadable: [] });
 * ```
 */
export function barTable(
  head: string[],
  barTitle: string,
  lines: TableLine[],
  totals: string[],
  right: (column: number) => boolean,
  style: Style,
  report: Pick<Report, "unreadable">,
): string {
  const body = lines.map((l) => l.cells.map((c) => safeText(c)));
  const total = totals.map((c) => safeText(c));
  total[1] = "";
  const widths = head.map((h, i) =>
    Math.min(i === 0 ? 40 : 24, Math.max(displayWidth(h), ...[...body, total].map((c) => displayWidth(c[i]))))
  );
  const line = (c: string[], barText: string) =>
    [...c.map((s, i) => fit(s, widths[i], right(i))), barText].join("  ").trimEnd();
  const out = [style.bold(line(head, barTitle))];
  lines.forEach((l, i) => {
    const text = line(body[i], l.bar);
    out.push(l.sub ? style.dim(text) : text);
  });
  out.push(style.bold(line(total, "")));
  return out.join("\n") + "\n" + footer(report);
}

/**
 * A report as a Markdown table (GitHub flavour): the first two columns left-aligned, the others right,
 * the totals row last, then the footer counting unreadable stores.
 *
 * @example
 * ```ts
 * markdownTable(["TOOL", "AGENT", "CALLS"], [["Bash", "claude", "3"]], ["total", "", "3"], { unreadable: [] });
 * ```
 */
export function markdownTable(
  head: string[],
  lines: string[][],
  totals: string[],
  report: Pick<Report, "unreadable">,
): string {
  const md = (c: string[]) => `| ${c.map((s) => safeText(s).replaceAll("|", "\\|")).join(" | ")} |`;
  const out = [md(head), `|${head.map((_, i) => (i < 2 ? " --- " : " ---: ")).join("|")}|`];
  for (const c of lines) out.push(md(c));
  const total = [...totals];
  total[0] = "**total**";
  total[1] = "";
  out.push(md(total));
  const note = footer(report);
  return out.join("\n") + "\n" + (note ? `\n${note}` : "");
}

/**
 * The report as a table: a column per token bucket, cost, its basis, what the cache saved, and a bar
 * per row scaled to the costliest row; a totals row; a footer counting unreadable stores.
 *
 * @example
 * ```ts
 * import { loadStyle } from "./style.ts";
 * import type { Report } from "../agents/history/types.ts";
 * declare const report: Report;
 * console.log(renderReportTable(report, await loadStyle(false)));
 * ```
 */
export function renderReportTable(report: Report, style: Style): string {
  const head = titles(report.kind);
  const max = Math.max(0, ...report.rows.map((r) => r.costUsd ?? 0));
  const lines = printed(report.rows).map(({ row, sub }) => ({
    cells: cells(row, report.kind, sub),
    sub,
    bar: sub ? "" : bar(row.costUsd, max, BAR_WIDTH),
  }));
  const right = (i: number) => i >= (report.kind === "sessions" ? 3 : 2) && i !== head.length - 2;
  return barTable(head, "COST BAR", lines, cells(report.totals, report.kind, false), right, style, report);
}

/**
 * The report as a Markdown table (GitHub flavour), with the totals row last.
 *
 * @example
 * ```ts
 * import type { Report } from "../agents/history/types.ts";
 * declare const report: Report;
 * renderReportMarkdown(report).startsWith("| DATE |"); // for a daily report
 * ```
 */
export function renderReportMarkdown(report: Report): string {
  const lines = printed(report.rows).map(({ row, sub }) => cells(row, report.kind, sub));
  return markdownTable(titles(report.kind), lines, cells(report.totals, report.kind, false), report);
}

/** CSV columns: name and value, in output order (only appended to). */
const CSV: readonly [
  string,
  (r: ReportRow, parent: string | null, kind: string) => string | number | null,
][] = [
  ["kind", (_r, _p, kind) => kind],
  ["key", (r) => r.key],
  ["parent", (_r, p) => p],
  ["agents", (r) => r.agents.join(" ")],
  ["models", (r) => r.models.join(" ")],
  ["sessions", (r) => r.sessions],
  ["requests", (r) => r.requests],
  ["input_tokens", (r) => r.tokens.input],
  ["output_tokens", (r) => r.tokens.output],
  ["reasoning_tokens", (r) => r.tokens.reasoning],
  ["cache_read_tokens", (r) => r.tokens.cacheRead],
  ["cache_write_tokens", (r) => r.tokens.cacheWrite],
  ["total_tokens", (r) => r.totalTokens],
  ["cost_usd", (r) => r.costUsd],
  ["cost_basis", (r) => r.costBasis],
  ["cache_saved_usd", (r) => r.cacheSavedUsd],
  ["session_id", (r) => r.session?.id ?? null],
  ["agent", (r) => r.session?.agent ?? null],
  ["project", (r) => r.session?.project ?? null],
  ["title", (r) => r.session?.title ?? null],
  ["cwd", (r) => r.session?.cwd ?? null],
  ["path", (r) => r.session?.path || null],
  ["started_at", (r) => time(r.session?.startedAt ?? null)],
  ["last_activity", (r) => time(r.session?.lastActivity ?? null)],
  ["timed_by", (r) => r.session?.timedBy ?? null],
];

/**
 * The report as CSV (RFC 4180, CRLF): one line per row, its breakdown lines after it (`parent` names
 * their row), and a `total` line.
 *
 * @example
 * ```ts
 * import type { Report } from "../agents/history/types.ts";
 * declare const report: Report;
 * renderReportCsv(report).split("\r\n")[0].startsWith("kind,key,parent,"); // true
 * ```
 */
export function renderReportCsv(report: Report): string {
  return csvTable<ReportRow>(
    CSV.map(([name, get]) => [name, (r: ReportRow, p: string | null) => get(r, p, report.kind)] as const),
    report,
  );
}

/**
 * Report rows as CSV (RFC 4180, CRLF) in `columns`: a header, one line per row with its breakdown
 * lines after it (`parent` names their row), and the totals line.
 *
 * @example
 * ```ts
 * type Row = { key: string; breakdown?: Row[] };
 * const report: { rows: Row[]; totals: Row } = { rows: [{ key: "Bash" }], totals: { key: "total" } };
 * csvTable<Row>([["key", (r) => r.key]], report); // "key\r\nBash\r\ntotal\r\n"
 * ```
 */
export function csvTable<R extends { key: string; breakdown?: R[] }>(
  columns: readonly (readonly [string, (r: R, parent: string | null) => string | number | null])[],
  report: { rows: readonly R[]; totals: R },
): string {
  const line = (r: R, parent: string | null) => columns.map(([, get]) => csvField(get(r, parent))).join(",");
  const out = [columns.map(([name]) => name).join(",")];
  for (const row of [...report.rows, report.totals]) {
    out.push(line(row, null));
    for (const b of row.breakdown ?? []) out.push(line(b, row.key));
  }
  return out.join("\r\n") + "\r\n";
}

/** A JSON row: snake_case keys, ISO times. */
function jsonRow(r: ReportRow): Record<string, unknown> {
  const t = r.tokens;
  return {
    key: r.key,
    agents: r.agents,
    models: r.models,
    sessions: r.sessions,
    requests: r.requests,
    tokens: {
      input: t.input,
      output: t.output,
      reasoning: t.reasoning,
      cache_read: t.cacheRead,
      cache_write: t.cacheWrite,
    },
    total_tokens: r.totalTokens,
    cost_usd: r.costUsd,
    cost_basis: r.costBasis,
    cache_saved_usd: r.cacheSavedUsd,
    ...(r.session
      ? {
        session: {
          id: r.session.id,
          agent: r.session.agent,
          title: r.session.title,
          project: r.session.project,
          cwd: r.session.cwd,
          path: r.session.path || null,
          started_at: time(r.session.startedAt),
          last_activity: time(r.session.lastActivity),
          timed_by: r.session.timedBy,
        },
      }
      : {}),
    ...(r.breakdown ? { breakdown: r.breakdown.map(jsonRow) } : {}),
  };
}

/**
 * The report as pretty JSON: `schema` (see `REPORT_SCHEMA_VERSION`), the window, the rows, the totals
 * and the unreadable stores.
 *
 * @example
 * ```ts
 * import type { Report } from "../agents/history/types.ts";
 * declare const report: Report;
 * JSON.parse(renderReportJson(report)).schema; // 1
 * ```
 */
export function renderReportJson(report: Report): string {
  const doc = {
    schema: report.schema,
    kind: report.kind,
    time_zone: report.timeZone,
    week_start: report.weekStart,
    since: time(report.since),
    until: time(report.until),
    generated_at: time(report.generatedAt),
    prices_date: report.pricesDate,
    rows: report.rows.map(jsonRow),
    totals: jsonRow(report.totals),
    unreadable: report.unreadable,
  };
  return escapeInvisible(JSON.stringify(doc, null, 2)) + "\n";
}

/** An ISO time, or null. */
function time(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : isoTime(ms);
}
