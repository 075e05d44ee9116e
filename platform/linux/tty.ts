/**
 * Pure decoding of a process's controlling terminal from `/proc/PID/stat` field 7 (`tty_nr`).
 *
 * @module
 */

/** Index of `tty_nr` among the fields after `comm)`: field 3 (state) is index 0. */
const F_TTY_NR = 4;
/** Majors of Unix98 pseudo-terminal slaves (`/dev/pts/N`). */
const PTS_FIRST_MAJOR = 136;
const PTS_LAST_MAJOR = 143;
/** Major of virtual consoles (`/dev/ttyN`, minors 0–63) and serial ports (`/dev/ttySN`, minors 64–255). */
const TTY_MAJOR = 4;
const SERIAL_FIRST_MINOR = 64;
/** Major and minor of `/dev/console`. */
const CONSOLE_MAJOR = 5;
const CONSOLE_MINOR = 1;

/**
 * Reads `tty_nr` (field 7) from a `/proc/PID/stat` line, after the last `)` because `comm` may hold
 * spaces and parentheses. Null when the line is malformed.
 *
 * @example
 * ```ts
 * parseTtyNr("7 (bash) S 1 7 7 34816 7 4194560 …"); // 34816
 * ```
 */
export function parseTtyNr(stat: string): number | null {
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  const field = stat.slice(close + 2).split(" ", F_TTY_NR + 1)[F_TTY_NR];
  return field !== undefined && /^-?\d+$/.test(field) ? Number(field) : null;
}

/**
 * The device path of a `tty_nr` (the kernel's `new_encode_dev` form: major in bits 8–19, minor in
 * bits 0–7 and 20–31): `/dev/pts/N` for majors 136–143, `/dev/ttyN` and `/dev/ttySN` for major 4,
 * `/dev/console`. Null for 0 (no controlling terminal) and for devices it does not name.
 *
 * @example
 * ```ts
 * ttyDevicePath(34819); // "/dev/pts/3"  (major 136, minor 3)
 * ttyDevicePath(1025); // "/dev/tty1"   (major 4, minor 1)
 * ttyDevicePath(0); // null
 * ```
 */
export function ttyDevicePath(ttyNr: number): string | null {
  if (!(ttyNr > 0)) return null;
  const major = (ttyNr >>> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >>> 12) & 0xfff00);
  if (major >= PTS_FIRST_MAJOR && major <= PTS_LAST_MAJOR) {
    return `/dev/pts/${(major - PTS_FIRST_MAJOR) * 256 + minor}`;
  }
  if (major === TTY_MAJOR) {
    return minor < SERIAL_FIRST_MINOR ? `/dev/tty${minor}` : `/dev/ttyS${minor - SERIAL_FIRST_MINOR}`;
  }
  return major === CONSOLE_MAJOR && minor === CONSOLE_MINOR ? "/dev/console" : null;
}
