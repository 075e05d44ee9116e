/**
 * Days, weeks and months in a time zone: the periods `agtop report` cuts history into, and the times
 * its `--since`/`--until` name.
 *
 * @module
 */

import { type Weekday, WEEKDAYS } from "./kinds.ts";

/** Period lengths the report cuts time into. */
export type Period = "day" | "week" | "month";

const DAY_MS = 86_400_000;
/** Local dates are cached per slot of this length (every zone's offset is a multiple of 15 minutes). */
const SLOT_MS = 15 * 60_000;

/** Zone names that are UTC itself, as `--tz` or `TZ` may spell them (case aside); each resolves to `UTC`. */
const UTC_NAMES = new Set([
  "utc",
  "etc/utc",
  "gmt",
  "etc/gmt",
  "etc/universal",
  "universal",
  "etc/zulu",
  "zulu",
]);

/** Where systems keep their time zone database. */
const ZONEINFO = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"];

/** A zone name as the database spells its files: `Europe/Berlin`, `Etc/GMT+5`, `EST5EDT`. */
const ZONE_NAME = /^[A-Za-z][\w+-]*(\/[\w+-]+)*$/;

/**
 * Calendar arithmetic in one IANA time zone (`Europe/Berlin`, `UTC`, …), with the local date of each
 * 15-minute slot cached: a history of a million minutes formats a few thousand dates.
 *
 * The system's own zone ({@linkcode Calendar.local}) and UTC are told without `Intl`: the first
 * `Intl.DateTimeFormat` of a process loads locale data for ~20 ms, a fifth of a small report. Other
 * zones are told by `Intl`.
 *
 * @example
 * ```ts
 * const cal = new Calendar("Europe/Berlin", "monday");
 * cal.key(Date.parse("2026-03-29T22:30:00Z"), "day"); // "2026-03-30" (summer time: UTC+2)
 * cal.key(Date.parse("2026-03-29T22:30:00Z"), "week"); // "2026-03-30"
 * cal.key(Date.parse("2026-03-29T22:30:00Z"), "month"); // "2026-03"
 * ```
 */
export class Calendar {
  /** The first day of a week. */
  readonly weekStart: Weekday;
  #zone: string | null;
  #local = false;
  #tell: (ms: number) => string;
  #dates = new Map<number, string>();

  /** @throws {RangeError} when `zone` is not a time zone this runtime knows. */
  constructor(zone: string, weekStart: Weekday = "monday") {
    this.weekStart = weekStart;
    if (UTC_NAMES.has(zone.toLowerCase())) {
      this.#zone = "UTC";
      this.#tell = (ms) => new Date(ms).toISOString().slice(0, 10);
      return;
    }
    const format = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    this.#zone = format.resolvedOptions().timeZone;
    this.#tell = (ms) => {
      const p = format.formatToParts(ms);
      const part = (t: string) => p.find((x) => x.type === t)?.value ?? "";
      return `${part("year")}-${part("month")}-${part("day")}`;
    };
  }

  /**
   * The calendar of the system's time zone (the `TZ` variable, else the system's setting), told by the
   * clock's local time; its name is looked up only when asked for.
   *
   * @example
   * ```ts
   * const cal = Calendar.local("monday");
   * cal.key(Date.now(), "day"); // today, here
   * ```
   */
  static local(weekStart: Weekday = "monday"): Calendar {
    const cal = new Calendar("UTC", weekStart);
    cal.#zone = null;
    cal.#local = true;
    cal.#tell = (ms) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    };
    return cal;
  }

  /**
   * The zone's name. The system's zone is named by `TZ` when that names a zone of the system's time
   * zone database, else by the zone `/etc/localtime` links to, else as `Intl` names it, or `UTC` where
   * `Intl` knows no name for it (`TZ` empty or unknown: the clock then keeps UTC).
   */
  get zone(): string {
    if (this.#zone === null) {
      const named: string | undefined = systemZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      this.#zone = named && named !== "Etc/Unknown" ? named : "UTC";
    }
    return this.#zone;
  }

  /** The zone as it was asked for (its name resolved), or null for the system's zone ({@linkcode Calendar.local}). */
  get asked(): string | null {
    return this.#local ? null : this.zone;
  }

  /** The local date (`YYYY-MM-DD`) of a time. */
  date(ms: number): string {
    const slot = Math.floor(ms / SLOT_MS);
    let d = this.#dates.get(slot);
    if (d === undefined) {
      d = this.#tell(ms);
      if (this.#dates.size > 100_000) this.#dates.clear();
      this.#dates.set(slot, d);
    }
    return d;
  }

  /** The period a time falls in: its date, the date its week starts on, or `YYYY-MM`. */
  key(ms: number, period: Period): string {
    const date = this.date(ms);
    if (period === "day") return date;
    if (period === "month") return date.slice(0, 7);
    const day = Date.parse(`${date}T00:00:00Z`);
    const back = (new Date(day).getUTCDay() - WEEKDAYS.indexOf(this.weekStart) + 7) % 7;
    return new Date(day - back * DAY_MS).toISOString().slice(0, 10);
  }

  /**
   * When a local date (`YYYY-MM-DD`) begins in this zone (ms since epoch): its first instant, which is
   * not always midnight (a zone may skip midnight on the day it changes its clocks). Days begin on a
   * 15-minute slot, so the first slot of the date is searched for.
   */
  startOf(date: string): number {
    const guess = Math.floor(Date.parse(`${date}T00:00:00Z`) / SLOT_MS);
    // Offsets are within ±14 h: the day begins within 15 h of the UTC midnight of its date.
    let lo = guess - 60, hi = guess + 60;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.date(mid * SLOT_MS) < date) lo = mid + 1;
      else hi = mid;
    }
    return lo * SLOT_MS;
  }
}

/** A `YYYY-MM-DD` date that exists. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Units of a duration `--since`/`--until` take, in ms. */
const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * The time a `--since`/`--until` value names: a date (`2026-11-01`: its start in the calendar's zone,
 * or with `end` the start of the next day, so the day is included) or a duration back from `now`
 * (`30m`, `12h`, `7d`, `12w`); null when it is neither.
 *
 * @example
 * ```ts
 * const cal = new Calendar("UTC");
 * pointInTime("2026-11-01", cal, 0); // Date.parse("2026-11-01T00:00:00Z")
 * pointInTime("2026-11-01", cal, 0, true); // Date.parse("2026-11-02T00:00:00Z")
 * pointInTime("7d", cal, 7 * 86_400_000); // 0
 * pointInTime("yesterday", cal, 0); // null
 * ```
 */
export function pointInTime(value: string, cal: Calendar, now: number, end = false): number | null {
  const d = value.match(DATE);
  if (d) {
    const day = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    if (new Date(day).toISOString().slice(0, 10) !== value) return null;
    return cal.startOf(end ? new Date(day + DAY_MS).toISOString().slice(0, 10) : value);
  }
  const m = value.match(/^(\d+(?:\.\d+)?)([mhdw])$/);
  return m ? now - Number(m[1]) * UNITS[m[2]] : null;
}

/** `n` in two digits. */
function pad(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * The name of the system's zone without `Intl` (whose first use loads locale data for ~20 ms): `TZ`
 * (without a leading `:`) when it names a file of the system's time zone database, or the zone of such a
 * file given by path; with no `TZ`, the zone `/etc/localtime` links to. Null when neither tells (then
 * `Intl` names it: Windows, a `TZ` the database does not know, a copied `/etc/localtime`).
 */
function systemZone(): string | null {
  const tz = Deno.env.get("TZ");
  if (tz === "") return "UTC";
  const name = tz === undefined ? linkedZone("/etc/localtime") : tz.startsWith(":") ? tz.slice(1) : tz;
  if (name === null) return null;
  if (name.startsWith("/")) return isFile(name) ? zoneOfPath(name) : null;
  if (UTC_NAMES.has(name.toLowerCase())) return "UTC";
  return ZONE_NAME.test(name) && ZONEINFO.some((d) => isFile(`${d}/${name}`)) ? name : null;
}

/** The zone a link into a time zone database names (`…/zoneinfo/Europe/Berlin`), else null. */
function linkedZone(path: string): string | null {
  try {
    return zoneOfPath(Deno.readLinkSync(path));
  } catch {
    return null;
  }
}

/** The zone of a database file's path (what follows `zoneinfo/`), else null. */
function zoneOfPath(path: string): string | null {
  const at = path.lastIndexOf("zoneinfo/");
  const name = at === -1 ? "" : path.slice(at + "zoneinfo/".length);
  if (!ZONE_NAME.test(name)) return null;
  return UTC_NAMES.has(name.toLowerCase()) ? "UTC" : name;
}

/** Whether `path` is a regular file (links followed). */
function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
