/**
 * The kinds, formats and week starts of `agtop report`, named once for the command line and the report
 * builder (small, so the command line loads no report code).
 *
 * @module
 */

/**
 * What a report's rows are: periods, sessions, projects, models, agents (usage), or tools (tool calls).
 *
 * @example
 * ```ts
 * REPORT_KINDS[0]; // "daily", the default
 * ```
 */
export const REPORT_KINDS = [
  "daily",
  "weekly",
  "monthly",
  "sessions",
  "projects",
  "models",
  "agents",
  "tools",
] as const;

/** One of {@linkcode REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The kinds that sum usage (tokens and cost): every kind but `tools`. */
export type UsageKind = Exclude<ReportKind, "tools">;

/** Output formats of `agtop report`. */
export const REPORT_FORMATS = ["table", "csv", "json", "markdown"] as const;

/** Day numbers of the week, as `Date#getUTCDay` counts them. */
export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;

/** A day of the week by name. */
export type Weekday = (typeof WEEKDAYS)[number];
