/**
 * The kinds, formats and week starts of `agtop report`, named once for the command line and the report
 * builder (small, so the command line loads no report code).
 *
 * @module
 */

/**
 * What a report's rows are: periods, sessions, projects, models or agents.
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
] as const;

/** One of {@linkcode REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

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
