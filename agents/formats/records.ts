/**
 * Reading transcript records: the checks and coercions every parser makes of JSON it did not write
 * (objects, non-blank strings, positive counts, times), and feeding one JSONL line to a parser.
 *
 * @module
 */

/** A JSON object as parsed. */
export type JsonObject = Record<string, unknown>;

/**
 * Whether `v` is a JSON object (not null, not an array).
 *
 * @example
 * ```ts
 * isObject({ type: "user" }); // true
 * isObject([1]); // false
 * ```
 */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A JSON object from parsed data or from JSON text (as SQLite columns hold it), else null.
 *
 * @example
 * ```ts
 * asObject('{"model_name":"gpt-4o"}'); // { model_name: "gpt-4o" }
 * asObject("[1]"); // null
 * ```
 */
export function asObject(v: unknown): JsonObject | null {
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return isObject(v) ? v : null;
}

/**
 * The items of `v` that are JSON objects; none unless `v` is an array.
 *
 * @example
 * ```ts
 * objectItems([{ id: 1 }, 2, null]); // [{ id: 1 }]
 * ```
 */
export function objectItems(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/**
 * `v` when it is a string with more than white space in it, else null.
 *
 * @example
 * ```ts
 * nonBlank("gpt-5"); // "gpt-5"
 * nonBlank("  "); // null
 * ```
 */
export function nonBlank(v: unknown): string | null {
  return typeof v === "string" && v.trim() ? v : null;
}

/**
 * The largest count or cost one record may claim (10^12 tokens, or dollars); anything above is absurd
 * and read as unknown, so that no sum of records, sessions or hosts can leave the finite numbers.
 */
export const MAX_COUNT = 1e12;

/**
 * `v` when it is a finite number above 0 and at most {@linkcode MAX_COUNT}, else 0: a token count or a
 * cost.
 *
 * @example
 * ```ts
 * positive(1200); // 1200
 * positive(-1); // 0
 * positive(1e308); // 0
 * ```
 */
export function positive(v: unknown): number {
  return typeof v === "number" && v > 0 && v <= MAX_COUNT ? v : 0;
}

/**
 * The latest time agtop believes (ms since epoch; the year 3000): a store may say anything, and a
 * `Date` holds only ±8.64e15 ms. Later times are absurd and read as unknown.
 */
export const MAX_TIME_MS = 32_503_680_000_000;

/**
 * `ms` when it is a time agtop believes (after 1970, before {@linkcode MAX_TIME_MS}), else null.
 *
 * @example
 * ```ts
 * saneTime(1795491351846); // 1795491351846
 * saneTime(1e300); // null
 * ```
 */
export function saneTime(ms: number | null | undefined): number | null {
  return typeof ms === "number" && ms > 0 && ms <= MAX_TIME_MS ? ms : null;
}

/**
 * A date-time string (ISO 8601, as transcripts write `timestamp`) in ms since epoch, else null.
 *
 * @example
 * ```ts
 * timestamp("2026-11-24T03:32:03.978Z"); // 1795491123978
 * timestamp(42); // null
 * ```
 */
export function timestamp(v: unknown): number | null {
  return typeof v === "string" ? saneTime(Date.parse(v)) : null;
}

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * {@linkcode timestamp} of the text at `[start, end)` of `text`, read in place when it is the
 * `YYYY-MM-DDTHH:MM:SS.sssZ` transcripts write (no string cut out, no parse of a copy: most lines a
 * history read takes only the time of), else as {@linkcode timestamp} reads the cut text.
 *
 * @example
 * ```ts
 * const line = '{"timestamp":"2026-11-24T03:32:03.978Z","type":"user"}';
 * timestampAt(line, 14, 38); // 1795491123978
 * ```
 */
export function timestampAt(text: string, start: number, end: number): number | null {
  if (end - start !== 24 || !isIsoShape(text, start)) return timestamp(text.slice(start, end));
  const year = digits(text, start, 4);
  const month = digits(text, start + 5, 2);
  const day = digits(text, start + 8, 2);
  const hour = digits(text, start + 11, 2);
  const minute = digits(text, start + 14, 2);
  const second = digits(text, start + 17, 2);
  const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  // Anything a calendar does not have (a 13th month, a 30 February, 24:00) is left to Date.parse.
  if (
    month < 1 || month > 12 || day < 1 || day > MONTH_DAYS[month - 1] + (leap ? 1 : 0) || hour > 23 ||
    minute > 59 || second > 59
  ) return timestamp(text.slice(start, end));
  return saneTime(Date.UTC(year, month - 1, day, hour, minute, second, digits(text, start + 20, 3)));
}

/** Whether `YYYY-MM-DDTHH:MM:SS.sssZ` (digits where digits belong) starts at `at`. */
function isIsoShape(text: string, at: number): boolean {
  for (let i = 0; i < 24; i++) {
    const c = text.charCodeAt(at + i);
    const want = ISO_SHAPE.charCodeAt(i);
    if (want === 0x64 /* d */ ? c < 0x30 || c > 0x39 : c !== want) return false;
  }
  return true;
}

/** Where digits (`d`) and which separators an ISO date-time of a transcript has. */
const ISO_SHAPE = "dddd-dd-ddTdd:dd:dd.dddZ";

/** The number the `n` decimal digits at `at` of `text` write. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 10 + text.charCodeAt(at + i) - 0x30;
  return v;
}

/**
 * The earliest and the newest time a transcript's records carry (ms since epoch), null until one is seen.
 *
 * @example
 * ```ts
 * const span = new TimeSpan();
 * span.see(timestamp("2026-11-24T03:26:48.100Z"));
 * span.first; // 1795490808100 (the session's startedAt)
 * ```
 */
export class TimeSpan {
  first: number | null = null;
  last: number | null = null;

  /** Widens the span to take `at` in; null changes nothing. */
  see(at: number | null): void {
    if (at === null) return;
    if (this.first === null || at < this.first) this.first = at;
    if (this.last === null || at > this.last) this.last = at;
  }
}

/**
 * A time number in ms since epoch: numbers below 1e11 are unix seconds and are multiplied; null for
 * anything but a time {@linkcode saneTime} believes.
 *
 * @example
 * ```ts
 * epochMs(1795491351); // 1795491351000
 * epochMs(1795491351000); // 1795491351000
 * ```
 */
export function epochMs(v: unknown): number | null {
  if (typeof v !== "number") return null;
  return saneTime(v < 1e11 ? v * 1000 : v);
}

/**
 * A `skip` test for {@linkcode feedJsonLine}: true when the first `window` characters of a line name
 * one of `types` (written as they appear, e.g. `'"type":"progress"'`).
 */
export function skipTypes(types: readonly string[], window: number): (line: string) => boolean {
  // One pass over the head for all the types.
  const any = new RegExp(types.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
  return (line) => any.test(line.length > window ? line.slice(0, window) : line);
}

/**
 * Hands one transcript line (or a record already parsed) to `read` when it is a JSON object, and
 * returns how many malformed lines it was: 1 when it is not JSON, not an object, or `read` threw on
 * it; 0 otherwise. Blank lines are skipped, and so are lines for which `skip` says yes before parsing
 * (a cheap test for record types the reader ignores).
 *
 * @example
 * ```ts
 * const records: JsonObject[] = [];
 * let malformed = 0;
 * malformed += feedJsonLine('{"type":"user"}', (rec) => records.push(rec)); // 0
 * malformed += feedJsonLine("{not json", (rec) => records.push(rec)); // 1
 * ```
 */
export function feedJsonLine(
  line: unknown,
  read: (rec: JsonObject) => void,
  skip?: (line: string) => boolean,
): 0 | 1 {
  let rec = line;
  if (typeof line === "string") {
    if (!line.trim() || skip?.(line)) return 0;
    try {
      rec = JSON.parse(line);
    } catch {
      return 1;
    }
  }
  if (!isObject(rec)) return 1;
  try {
    read(rec);
    return 0;
  } catch {
    return 1;
  }
}
