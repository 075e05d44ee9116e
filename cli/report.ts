/**
 * `agtop report [KIND]`: every agent's sessions over a window, summed by day, week, month, session,
 * project, model or agent, or their tool calls summed by tool, printed as a table, Markdown, CSV or JSON.
 *
 * @module
 */

import { listOption, type ParsedArgs, stringOption, UsageError } from "./args.ts";
import type { Config } from "./config.ts";
import { loadPriceTable } from "../agents/pricing/overrides.ts";
import { profileEnvs } from "../agents/profiles.ts";
import { VENDORS } from "../agents/vendors/mod.ts";
import { RECENT_SESSIONS_MAX } from "../agents/vendor.ts";
import { Calendar, pointInTime } from "../agents/history/calendar.ts";
import type { Weekday } from "../agents/history/kinds.ts";
import { readHistoryInWorkers } from "./report_read.ts";
import { buildToolsReport } from "../agents/history/tools.ts";
import type { History, HistoryProgress } from "../agents/history/collect.ts";
import { type REPORT_FORMATS, REPORT_KINDS, type ReportKind } from "../agents/history/kinds.ts";
import {
  redactReport,
  renderReportCsv,
  renderReportJson,
  renderReportMarkdown,
  renderReportTable,
} from "../render/report.ts";
import {
  redactToolsReport,
  renderToolsCsv,
  renderToolsJson,
  renderToolsMarkdown,
  renderToolsTable,
} from "../render/report_tools.ts";
import { loadStyle, type Style, wantColor } from "../render/style.ts";
import type { Report, ToolsReport } from "../agents/history/types.ts";
import { prepareWidths } from "../render/text.ts";

/** A progress line is shown once a report has taken this long (ms). */
const PROGRESS_AFTER_MS = 1000;

/** What `report` was asked for, checked. */
export interface ReportRequest {
  kind: ReportKind;
  format: (typeof REPORT_FORMATS)[number];
  calendar: Calendar;
  since: number;
  until: number | null;
  agents: string[];
  project: string | null;
  breakdown: boolean;
  private: boolean;
  verbose: boolean;
  noColor: boolean;
  theme: string;
  pricesPath: string | null;
}

/**
 * The request of a `report` command line, checked: one kind at most, a known time zone, `--since` and
 * `--until` dates or durations, agents that have sessions.
 *
 * @throws {UsageError} on a bad value.
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * reportRequest(parseCommandLine(["report", "weekly", "--tz", "UTC"]), null, Date.now()).kind; // "weekly"
 * ```
 */
export function reportRequest(parsed: ParsedArgs, config: Config | null, now: number): ReportRequest {
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const kind = (positionals[0] ?? "daily") as ReportKind;
  if (!REPORT_KINDS.includes(kind)) {
    throw new UsageError(`unknown report '${kind}' (expected ${REPORT_KINDS.join(", ")})`);
  }
  const zone = stringOption(values, "tz");
  const weekStart = (stringOption(values, "week-start") ?? "monday") as Weekday;
  let calendar: Calendar;
  try {
    calendar = zone === undefined ? Calendar.local(weekStart) : new Calendar(zone, weekStart);
  } catch {
    throw new UsageError(`unknown time zone '${zone}' for --tz`);
  }
  const when = (name: string, end: boolean): number | null => {
    const v = stringOption(values, name);
    if (v === undefined) return null;
    const t = pointInTime(v, calendar, now, end);
    if (t === null) {
      throw new UsageError(
        `invalid value '${v}' for --${name} (expected a date like 2026-11-01 or a duration like 7d)`,
      );
    }
    return t;
  };
  const since = when("since", false) ?? 0;
  const until = when("until", true);
  if (until !== null && until <= since) throw new UsageError("--until is not after --since");
  const known = VENDORS.filter((v) => v.sessions).map((v) => v.id);
  const agents = listOption(values, "agent");
  for (const a of agents) {
    if (!known.includes(a)) {
      throw new UsageError(`invalid value '${a}' for --agent (expected ${known.join(", ")})`);
    }
  }
  const format = (stringOption(values, "format") ?? "table") as ReportRequest["format"];
  return {
    kind,
    format,
    calendar,
    since,
    until,
    agents,
    project: stringOption(values, "project") ?? null,
    breakdown: values.breakdown === true,
    private: values.private === true || config?.private === true,
    verbose: values.verbose === true,
    noColor: values["no-color"] === true,
    theme: stringOption(values, "theme") ?? config?.theme ?? "default",
    pricesPath: (stringOption(values, "prices") ?? Deno.env.get("AGTOP_PRICES")) || null,
  };
}

/**
 * Hears the sessions read: on a terminal, once the report has taken over a second, a progress line on
 * stderr (rewritten at most ten times a second, cleared at the end); none when stderr is not one (the
 * read then counts nothing for it).
 */
function progressLine(started: number): HistoryProgress | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  const enc = new TextEncoder();
  let shownAt = 0;
  return (read, total, bytes) => {
    const at = Date.now();
    if (read >= total) {
      if (shownAt) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
      return;
    }
    if (at - started < PROGRESS_AFTER_MS || at - shownAt < 100) return;
    shownAt = at;
    const mbs = bytes / 1e6 / ((at - started) / 1000);
    Deno.stderr.writeSync(
      enc.encode(`\ragtop: read ${read}/${total} sessions, ${mbs.toFixed(0)} MB/s\x1b[K`),
    );
  };
}

/**
 * Runs `report`: reads the history, builds the report, renders it. Unreadable stores are counted in a
 * footer (and named on stderr with `--verbose`).
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const text = await runReport(parseCommandLine(["report", "sessions", "--format", "json"]), null);
 * ```
 */
export async function runReport(parsed: ParsedArgs, config: Config | null): Promise<string> {
  const now = Date.now();
  const req = reportRequest(parsed, config, now);
  const prices = await loadPriceTable(req.pricesPath);
  const vendors = VENDORS.filter((v) => v.sessions && (!req.agents.length || req.agents.includes(v.id)));
  const usage = req.kind === "tools" ? null : {
    kind: req.kind,
    calendar: req.calendar,
    prices,
    since: req.since,
    until: req.until,
    project: req.project,
    breakdown: req.breakdown,
  };
  const history = await readHistoryInWorkers({
    vendors,
    since: req.since,
    profiles: profileEnvs(config?.dataDirs ?? {}),
    now,
    progress: progressLine(now),
    tools: req.kind === "tools",
    // Named while the workers finish: the first time-zone lookup loads locale data (~20 ms).
    meanwhile: () => void req.calendar.zone,
    // A usage report is summed on the threads that read the sessions.
    ...(usage ? { sum: usage } : {}),
  });
  if (history.notRead > 0) {
    console.error(
      `agtop: ${history.notRead} older sessions in the window were not read (each agent lists its newest ${RECENT_SESSIONS_MAX}); narrow --since to include them`,
    );
  }
  if (req.verbose) {
    for (const u of history.unreadable) {
      console.error(`agtop: notice: cannot read ${u.agent} store ${u.path}: ${u.reason}`);
    }
    for (const n of history.notices) console.error(`agtop: notice: ${n}`);
  }
  if (req.kind === "tools") return await runToolsReport(req, history, now);
  let report = history.sums!.report({ now, unreadable: history.unreadable });
  if (req.private) report = redactReport(report);
  return await output(req, report, USAGE_OUTPUT);
}

/**
 * The `tools` report of a history read with its tool calls (each session's read by its agent's
 * reader, right after the session), summed and rendered. Sessions whose calls cannot be read join the
 * unreadable stores.
 */
async function runToolsReport(req: ReportRequest, history: History, now: number): Promise<string> {
  const read = history.calls ?? { sessions: [], unreadable: [] };
  if (req.verbose) {
    for (const u of read.unreadable) {
      console.error(`agtop: notice: cannot read ${u.agent} tool calls in ${u.path}: ${u.reason}`);
    }
  }
  let report = buildToolsReport(read.sessions, {
    calendar: req.calendar,
    since: req.since,
    until: req.until,
    project: req.project,
    breakdown: req.breakdown,
    now,
    unreadable: [...history.unreadable, ...read.unreadable],
  });
  if (req.private) report = redactToolsReport(report);
  return await output(req, report, TOOLS_OUTPUT);
}

/** How a report of one shape is printed in each format, and the texts a table measures first. */
interface Output<R> {
  json(report: R): string;
  csv(report: R): string;
  markdown(report: R): string;
  table(report: R, style: Style): string;
  /** Texts whose display width the table needs (keys, project names). */
  texts(report: R): string[];
}

/** Usage reports (days, sessions, projects, models, agents). */
const USAGE_OUTPUT: Output<Report> = {
  json: renderReportJson,
  csv: renderReportCsv,
  markdown: renderReportMarkdown,
  table: renderReportTable,
  texts: (report) =>
    report.rows.flatMap((r) => [r.key, r.session?.project ?? "", ...(r.breakdown ?? []).map((b) => b.key)]),
};

/** The tools report. */
const TOOLS_OUTPUT: Output<ToolsReport> = {
  json: renderToolsJson,
  csv: renderToolsCsv,
  markdown: renderToolsMarkdown,
  table: renderToolsTable,
  texts: (report) => report.rows.flatMap((r) => [r.key, ...(r.breakdown ?? []).map((b) => b.key)]),
};

/** The report in the format asked for (a table in the theme asked for, coloured on a terminal). */
async function output<R>(req: ReportRequest, report: R, out: Output<R>): Promise<string> {
  switch (req.format) {
    case "json":
      return out.json(report);
    case "csv":
      return out.csv(report);
    case "markdown":
      return out.markdown(report);
    case "table":
      await prepareWidths(out.texts(report));
      return out.table(report, await loadStyle(wantColor(Deno.stdout.isTerminal(), req.noColor), req.theme));
  }
}
