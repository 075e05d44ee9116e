/**
 * `agtop report tools`: the tool calls of the sessions in the history, read from each session's file by
 * its agent's tool-call reader (only this report loads them), summed per tool name — an MCP server's
 * tools in one row, `mcp:<server>` — with failures, median and 95th-percentile durations and the share
 * of the sessions' wall time spent in tools.
 *
 * @module
 */

import type { ToolCallReader, ToolCallRecord, Vendor } from "../vendor.ts";
import { projectName } from "../project.ts";
import type { HistorySession, ToolRow, ToolsReport, Unreadable } from "./types.ts";
import { REPORT_SCHEMA_VERSION, type ReportOptions } from "./report.ts";

/** The tool calls of one session of the history. */
export interface SessionCalls {
  history: HistorySession;
  calls: ToolCallRecord[];
}

/** The tool calls of the sessions of a history ({@linkcode readSessionCalls} fills it). */
export interface ToolCallsRead {
  sessions: SessionCalls[];
  /** Sessions whose tool calls could not be read, and why. */
  unreadable: Unreadable[];
}

/** Tool-call readers by vendor id: null for one that did not load. */
export type ToolReaders = Map<string, ToolCallReader | null>;

/**
 * The tool-call readers of `vendors` that have one, each loaded once (only `report tools` loads them).
 *
 * @example
 * ```ts
 * import { VENDORS } from "../vendors/mod.ts";
 * const readers = await loadToolReaders(VENDORS);
 * readers.has("claude"); // true
 * ```
 */
export async function loadToolReaders(vendors: readonly Vendor[]): Promise<ToolReaders> {
  const readers: ToolReaders = new Map();
  for (const v of new Set(vendors)) if (v.tools) readers.set(v.id, await v.tools().catch(() => null));
  return readers;
}

/**
 * Reads the tool calls of one session with its agent's reader into `out` (or names it unreadable there);
 * a session whose agent has no reader is left out. Returns whether it was one to read.
 */
export function readSessionCalls(h: HistorySession, readers: ToolReaders, out: ToolCallsRead): boolean {
  const agent = h.vendor.id;
  if (!readers.has(agent)) return false;
  const reader = readers.get(agent);
  const path = h.session.path;
  try {
    if (!reader) throw new Error("its tool-call reader did not load");
    out.sessions.push({ history: h, calls: reader(path) });
  } catch (e) {
    out.unreadable.push({ agent, path, reason: e instanceof Error ? e.message : String(e) });
  }
  return true;
}

/** What a tools report is built from, besides the calls: a usage report's options (calls made within [since, until)). */
export type ToolsOptions = Omit<ReportOptions, "kind" | "prices">;

/**
 * The middle of sorted durations (the mean of the two middle ones for an even count), or null.
 *
 * @example
 * ```ts
 * median([1, 2, 3, 10]); // 2.5
 * ```
 */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (!n) return null;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * The nearest-rank percentile `p` (0–100] of sorted durations: the smallest value at least `p` % of
 * them do not exceed, or null.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95); // 19
 * ```
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A tool row being summed. */
class ToolSum {
  agents = new Set<string>();
  calls = 0;
  failed = 0;
  unfinished = 0;
  durations: number[] = [];
  /** Wall time of each session with a call here, by session key. */
  walls = new Map<string, number>();
  children = new Map<string, ToolSum>();

  constructor(readonly server: string | null) {}

  add(agent: string, session: string, wall: number, call: ToolCallRecord, sub: string | null): void {
    this.agents.add(agent);
    this.calls++;
    if (call.failed) this.failed++;
    const took = duration(call);
    if (took !== null) this.durations.push(took);
    if (!call.answered) this.unfinished++;
    this.walls.set(session, wall);
    if (sub === null) return;
    let child = this.children.get(sub);
    if (!child) this.children.set(sub, child = new ToolSum(this.server));
    child.add(agent, session, wall, call, null);
  }

  row(key: string, breakdown: boolean): ToolRow {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const toolMs = sorted.reduce((n, d) => n + d, 0);
    const wallMs = [...this.walls.values()].reduce((n, w) => n + w, 0);
    const row: ToolRow = {
      key,
      server: this.server,
      agents: [...this.agents].sort(),
      calls: this.calls,
      failed: this.failed,
      unfinished: this.unfinished,
      timed: sorted.length,
      medianMs: median(sorted),
      p95Ms: percentile(sorted, 95),
      toolMs,
      sessions: this.walls.size,
      wallMs,
      share: wallMs > 0 ? toolMs / wallMs : null,
    };
    if (breakdown) {
      row.breakdown = [...this.children].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
        .map(([k, c]) => c.row(k, false));
    }
    return row;
  }
}

/** A call's duration (ms): from the call to its result, when both times are known and in order. */
function duration(call: ToolCallRecord): number | null {
  if (call.startedAt === null || call.endedAt === null || call.endedAt < call.startedAt) return null;
  return call.endedAt - call.startedAt;
}

/**
 * Sums the calls made within [since, until) per tool (per MCP server: `mcp:<server>`), most called
 * first, with a totals row; `--breakdown` adds a sub-row per agent, and per agent and tool under an
 * MCP server. A call without a recorded time counts at its session's last activity.
 *
 * @example
 * ```ts
 * import { Calendar } from "./calendar.ts";
 * declare const read: SessionCalls[];
 * const report = buildToolsReport(read, { calendar: new Calendar("UTC"), since: 0, until: null, now: Date.now() });
 * report.totals.calls;
 * ```
 */
export function buildToolsReport(sessions: readonly SessionCalls[], opts: ToolsOptions): ToolsReport {
  const until = opts.until ?? Infinity;
  const wanted = (opts.project ?? "").toLowerCase();
  const breakdown = opts.breakdown ?? false;
  const rows = new Map<string, ToolSum>();
  const total = new ToolSum(null);
  for (const { history: h, calls } of sessions) {
    const s = h.session;
    if (wanted && !`${projectName(s.cwd) ?? ""}\n${s.cwd ?? ""}`.toLowerCase().includes(wanted)) continue;
    const agent = h.vendor.id;
    const session = `${agent}:${s.path}`;
    const wall = s.startedAt !== null && s.lastActivity !== null
      ? Math.max(0, s.lastActivity - s.startedAt)
      : 0;
    for (const call of calls) {
      const at = call.startedAt ?? s.lastActivity ?? 0;
      if (at < opts.since || at >= until) continue;
      const key = call.server === null ? call.name : `mcp:${call.server}`;
      let sum = rows.get(key);
      if (!sum) rows.set(key, sum = new ToolSum(call.server));
      const sub = breakdown ? (call.server === null ? agent : `${agent}/${call.name}`) : null;
      sum.add(agent, session, wall, call, sub);
      total.add(agent, session, wall, call, null);
    }
  }
  const out = [...rows].map(([key, sum]) => sum.row(key, breakdown))
    .sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    schema: REPORT_SCHEMA_VERSION,
    kind: "tools",
    timeZone: opts.calendar.zone,
    since: opts.since,
    until: opts.until,
    generatedAt: opts.now,
    rows: out,
    totals: total.row("total", false),
    unreadable: opts.unreadable ?? [],
  };
}
