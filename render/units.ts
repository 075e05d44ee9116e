/**
 * Human units for terminal output: `1.2G`, `3m12s`, `340k`, `$1.27`. CSV and JSON keep raw numbers.
 *
 * @module
 */

const BYTE_UNITS = ["B", "K", "M", "G", "T", "P"];

/**
 * Bytes in binary units, at most four characters of number.
 *
 * @example
 * ```ts
 * formatBytes(1288490188); // "1.2G"
 * ```
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return "—";
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)}B`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${BYTE_UNITS[u]}`;
}

/**
 * A duration in seconds as `45s`, `3m12s`, `2h05m`, `3d04h`.
 *
 * @example
 * ```ts
 * formatDuration(192); // "3m12s"
 * ```
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, "0")}h`;
}

/**
 * A duration in seconds in its largest whole unit, as `45s`, `4m`, `12h`, `3d`: how long an agent has
 * been in its status.
 *
 * @example
 * ```ts
 * formatSpan(250); // "4m"
 * ```
 */
export function formatSpan(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/**
 * A token count as `950`, `12.3k`, `340k`, `1.2M`.
 *
 * @example
 * ```ts
 * formatCount(1_234_567); // "1.2M"
 * ```
 */
export function formatCount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "—";
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return n < 1e5 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n / 1e3)}k`;
  if (n < 1e9) return n < 1e8 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e6)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/**
 * A percentage with one decimal below 100, none above.
 *
 * @example
 * ```ts
 * formatPercent(3.14159); // "3.1"
 * ```
 */
export function formatPercent(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return "—";
  return p >= 100 ? String(Math.round(p)) : p.toFixed(1);
}

/**
 * US dollars: cents below $1000, whole dollars above; `?` when unknown.
 *
 * @example
 * ```ts
 * formatUsd(1.2345); // "$1.23"
 * ```
 */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return "?";
  return usd >= 1000 ? `$${Math.round(usd)}` : `$${usd.toFixed(2)}`;
}

/**
 * A time (ms since epoch) as ISO 8601, or null when it is not one a `Date` can hold: a reader's time
 * should never be out of range, and an output must not fail on one that is.
 *
 * @example
 * ```ts
 * isoTime(0); // "1970-01-01T00:00:00.000Z"
 * isoTime(1e300); // null
 * ```
 */
export function isoTime(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
