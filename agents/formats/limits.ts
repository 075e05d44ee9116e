/**
 * Rate-limit errors as agents write them into their transcripts, in words: whether a message says a
 * usage or rate limit was hit, which window, and when it resets. Pure: the clock is the record's time.
 *
 * Wordings recognised (Claude Code, Codex):
 * - `Claude AI usage limit reached|1795500000` (epoch seconds after the bar)
 * - `You've hit your limit · resets 7pm (Europe/Berlin)`, `5-hour limit reached ∙ resets 9:30am`,
 *   `You've hit your weekly limit · resets Apr 3, 5pm (UTC)` (a clock in a named zone, else local time)
 * - `You've hit your usage limit. … try again in 3 days 6 hours 57 minutes.`, `… try again at 3:28 PM.`,
 *   `… try again at Aug 8th, 2026 12:30 PM.`
 * - `API Error: 429 {"type":"error","error":{"type":"rate_limit_error",…}}`
 *
 * @module
 */

import { saneTime } from "./records.ts";

/** What a limit message says. */
export interface LimitNotice {
  /** Window name in the vendor's terms: `five_hour`, `seven_day`, `seven_day_opus`, or `usage` when not said. */
  window: string;
  /** Window length in minutes, when the wording names it. */
  windowMinutes: number | null;
  /** When the limit resets (ms since epoch), when the message says. */
  resetsAt: number | null;
}

const LIMIT =
  /usage limit|hit your (?:\w+ )?limit|limit reached|rate[ _-]?limit|too many requests|\b429\b|quota (?:exceeded|exhausted)|out of (?:usage|credits)/i;
const EPOCH = /limit reached\|(\d{9,13})/i;
const RELATIVE = /(?:try again|resets?) in\s+((?:\d+\s*[a-z]+[\s,]*(?:and\s+)?)+)/i;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = MONTHS.join("|");
/** `[Apr 3, [2026,]] 5[:30] [pm] [(Europe/Berlin) | UTC]` after `resets` or `try again [at]`. */
const CLOCK = new RegExp(
  String.raw`(?:try again|resets?)(?: at| after)?\s+` +
    String.raw`(?:(${MONTH})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?)?` +
    String.raw`(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?(?:\s*\(([^)]+)\)|\s+(UTC|GMT))?`,
  "i",
);
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };
/** A clock time a little before the message still means today: the message was written after it. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Whether `text` reports a usage or rate limit, and what it says about it; null when it is not a limit
 * message. `at` is when the message was written (ms), needed for relative and clock times.
 *
 * @example
 * ```ts
 * limitNotice("Claude AI usage limit reached|1795500000", null)?.resetsAt; // 1795500000000
 * limitNotice("You've hit your limit · resets 7pm (UTC)", Date.parse("2026-11-24T15:00:00Z"))?.resetsAt;
 * // Date.parse("2026-11-24T19:00:00Z")
 * limitNotice("All tests pass.", null); // null
 * ```
 */
export function limitNotice(text: string, at: number | null): LimitNotice | null {
  if (!LIMIT.test(text)) return null;
  const { window, windowMinutes } = windowOf(text);
  return { window, windowMinutes, resetsAt: saneTime(resetOf(text, at)) };
}

function windowOf(text: string): { window: string; windowMinutes: number | null } {
  if (/weekly|7-day|seven[ _-]day/i.test(text)) {
    return { window: /opus/i.test(text) ? "seven_day_opus" : "seven_day", windowMinutes: 10_080 };
  }
  if (/5-hour|five[ _-]hour|session limit/i.test(text)) return { window: "five_hour", windowMinutes: 300 };
  return { window: "usage", windowMinutes: null };
}

function resetOf(text: string, at: number | null): number | null {
  const epoch = EPOCH.exec(text);
  if (epoch) {
    const n = Number(epoch[1]);
    return n < 1e12 ? n * 1000 : n;
  }
  if (at === null) return null;
  const rel = RELATIVE.exec(text);
  if (rel) {
    let ms = 0;
    for (const m of rel[1].matchAll(/(\d+)\s*([a-z]+)/gi)) {
      ms += Number(m[1]) * (UNIT_MS[m[2][0].toLowerCase()] ?? 0);
    }
    if (ms > 0) return at + ms;
  }
  const clock = CLOCK.exec(text);
  if (!clock || (!clock[5] && !clock[6])) return null; // a bare number is not a clock time
  return clockTime(clock, at);
}

/** The instant a matched clock names: the first one not before `at` (less a minute) in its time zone. */
function clockTime(m: RegExpExecArray, at: number): number | null {
  const [, month, day, year, hour, minute, meridiem, zone, bareZone] = m;
  let h = Number(hour);
  if (h > 24 || Number(minute ?? 0) > 59) return null;
  if (meridiem) {
    if (h > 12) return null;
    h = (h % 12) + (/^p/i.test(meridiem) ? 12 : 0);
  }
  const tz = (zone ?? bareZone)?.trim() ?? null;
  const today = wallDate(at, tz);
  if (!today) return null;
  const mo = month ? MONTHS.indexOf(month.slice(0, 3).toLowerCase()) : today.month;
  const d = day ? Number(day) : today.day;
  let y = year ? Number(year) : today.year;
  let t = zonedTime(y, mo, d, h, Number(minute ?? 0), tz);
  if (t === null) return null;
  if (t < at - CLOCK_SLACK_MS) {
    if (!month) t = zonedTime(y, mo, d + 1, h, Number(minute ?? 0), tz);
    else if (!year) t = zonedTime(++y, mo, d, h, Number(minute ?? 0), tz);
  }
  return t;
}

/** Calendar date of `at` in `tz` (local time when null); null for an unknown zone. */
function wallDate(at: number, tz: string | null): { year: number; month: number; day: number } | null {
  if (tz === null) {
    const d = new Date(at);
    return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate() };
  }
  const parts = zoneParts(at, tz);
  return parts && { year: parts.year, month: parts.month, day: parts.day };
}

/** ms since epoch of a wall-clock time in `tz` (local time when null); null for an unknown zone. */
function zonedTime(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  tz: string | null,
): number | null {
  if (tz === null) return new Date(y, mo, d, h, mi).getTime();
  const wall = Date.UTC(y, mo, d, h, mi);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const p = zoneParts(t, tz);
    if (!p) return null;
    const offset = Date.UTC(p.year, p.month, p.day, p.hour, p.minute) -
      (t - (((t % 60_000) + 60_000) % 60_000));
    t = wall - offset;
  }
  return t;
}

/** Wall-clock fields of `t` in `tz`; null for an unknown zone. */
function zoneParts(
  t: number,
  tz: string,
): { year: number; month: number; day: number; hour: number; minute: number } | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    return null;
  }
  const parts = fmt.formatToParts(t);
  const of = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: of("year"), month: of("month") - 1, day: of("day"), hour: of("hour"), minute: of("minute") };
}
