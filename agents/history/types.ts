/**
 * The shapes of history and reports: what collection hands the report builder, and the report the
 * renderers read.
 *
 * @module
 */

import type { Vendor } from "../vendor.ts";
import type { SessionFacts, TokenBuckets } from "../session.ts";
import type { UsageKind } from "./kinds.ts";

/** One session of the history, with its agent. */
export interface HistorySession {
  vendor: Vendor;
  session: SessionFacts;
}

/** A store (a session file or database) that was listed but could not be read, and why. */
export interface Unreadable {
  /** Vendor id. */
  agent: string;
  path: string;
  reason: string;
}

/**
 * How a cost was reached: `agent` — the agent's own recorded cost; `list` — list prices; `?` — some
 * tokens have neither. A row mixing them joins them: `agent+list`, `list+?`.
 */
export type CostBasis = string;

/** How a session's usage was placed in time: by each request's time, or all at the session's end. */
export type TimedBy = "requests" | "session";

/** What a sessions row says about its session. */
export interface ReportSession {
  id: string;
  agent: string;
  title: string | null;
  project: string | null;
  cwd: string | null;
  path: string;
  startedAt: number | null;
  lastActivity: number | null;
  timedBy: TimedBy;
}

/** One row of a report (or one sub-row of `--breakdown`). */
export interface ReportRow {
  /** The period (`2026-11-24`, week start, `2026-11`), session id, project, model, or agent id. */
  key: string;
  /** Agent ids with usage in the row, sorted. */
  agents: string[];
  /** Models with usage in the row, sorted. */
  models: string[];
  /** Sessions with usage in the row. */
  sessions: number;
  /** Requests (API responses) counted, where the agent's store tells them. */
  requests: number;
  tokens: TokenBuckets;
  totalTokens: number;
  /** USD of what has a price or a recorded cost; null when nothing has. */
  costUsd: number | null;
  costBasis: CostBasis;
  /** What cache reads saved: priced as uncached input minus what they cost, at list prices. */
  cacheSavedUsd: number | null;
  /** Sessions rows only. */
  session?: ReportSession;
  /** `--breakdown`: one sub-row per agent and model. */
  breakdown?: ReportRow[];
}

/** A whole report. */
export interface Report {
  schema: number;
  kind: UsageKind;
  /** The zone days and weeks are cut in. */
  timeZone: string;
  weekStart: string;
  since: number;
  until: number | null;
  generatedAt: number;
  rows: ReportRow[];
  totals: ReportRow;
  /** Stores that could not be read. */
  unreadable: Unreadable[];
  pricesDate: string;
}

/** One row of `agtop report tools`: a tool, or an MCP server's tools (or one sub-row of `--breakdown`). */
export interface ToolRow {
  /** The tool's name, `mcp:<server>` for an MCP server's tools; sub-rows: `<agent>` or `<agent>/<tool>`. */
  key: string;
  /** The MCP server of the row, else null. */
  server: string | null;
  /** Agent ids with calls in the row, sorted. */
  agents: string[];
  calls: number;
  /** Calls whose result is marked as an error. */
  failed: number;
  /** Calls with no result (still running, or interrupted): counted, no duration. */
  unfinished: number;
  /** Calls with a known duration (a result, and both times recorded). */
  timed: number;
  /** Median duration of the timed calls (ms), null when none. */
  medianMs: number | null;
  /** 95th-percentile duration (nearest rank) of the timed calls (ms), null when none. */
  p95Ms: number | null;
  /** Sum of the durations of the timed calls (ms). */
  toolMs: number;
  /** Sessions with a call in the row. */
  sessions: number;
  /** Sum of the wall time (first to last activity) of those sessions (ms). */
  wallMs: number;
  /** `toolMs / wallMs`, null when no wall time is known. */
  share: number | null;
  /** `--breakdown`: one sub-row per agent (and tool, for an MCP server). */
  breakdown?: ToolRow[];
}

/** A whole `agtop report tools`. */
export interface ToolsReport {
  schema: number;
  kind: "tools";
  timeZone: string;
  since: number;
  until: number | null;
  generatedAt: number;
  rows: ToolRow[];
  totals: ToolRow;
  /** Stores that could not be read (by the session listing, or for their tool calls). */
  unreadable: Unreadable[];
}
