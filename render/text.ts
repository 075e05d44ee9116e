/**
 * Terminal-safe text: control characters stripped, display widths measured, cells truncated with an
 * ellipsis. Text from processes and transcripts is untrusted and passes through {@linkcode safeText}
 * before it reaches a terminal.
 *
 * @module
 */

import { terminalSafe } from "../agents/formats/text.ts";

/**
 * One line of printable text, the last guard before the terminal: escape sequences removed, every run
 * of control, zero-width and bidirectional characters (newlines included) turned into one space. The
 * one definition is `terminalSafe` of `agents/formats/text.ts`, which transcript text passes first.
 *
 * @example
 * ```ts
 * safeText("rm -rf /\x1b[2J\nnext"); // "rm -rf / next"
 * ```
 */
export const safeText: (s: string) => string = terminalSafe;

type WidthFn = (s: string) => number;
let wideWidth: WidthFn | null = null;

/**
 * Text measured without the Unicode width tables: ASCII and the one-column symbols agtop itself
 * draws (status badges, dashes, ellipsis, middle dot, quotes, box lines), so a table of ordinary
 * rows never pays for loading them.
 */
// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f●◆◎○✓⊘—…·“”│─┌┐└┘▏▎▍▌▋▊▉█░▲▁▂▃▄▅▆▇]*$/;

/**
 * Loads the Unicode width tables when any of `texts` needs them (non-ASCII). Call once before
 * rendering; ASCII-only output never pays for the import.
 */
export async function prepareWidths(texts: Iterable<string>): Promise<void> {
  if (wideWidth) return;
  for (const t of texts) {
    if (!ASCII.test(t)) {
      wideWidth = (await import("string-width")).default;
      return;
    }
  }
}

/** Columns `s` occupies on a terminal (after {@linkcode prepareWidths} for non-ASCII text). */
export function displayWidth(s: string): number {
  if (ASCII.test(s)) return s.length;
  return wideWidth ? wideWidth(s) : [...s].length;
}

/**
 * Cuts `s` to at most `width` columns, ending in `…` when cut.
 *
 * @example
 * ```ts
 * truncate("npm run build:all", 8); // "npm run…"
 * ```
 */
export function truncate(s: string, width: number): string {
  if (width <= 0) return "";
  if (displayWidth(s) <= width) return s;
  if (width === 1) return "…";
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + "…";
}

/**
 * Pads (or truncates) `s` to exactly `width` columns, right-aligned when `right`. Every table cell (the
 * `ls` table and the live view's rows) is laid out through here, so `s` passes {@linkcode safeText}
 * first whatever column made it.
 *
 * @example
 * ```ts
 * fit("a\u202eb", 4); // "a b "
 * ```
 */
export function fit(s: string, width: number, right = false): string {
  const t = truncate(safeText(s), width);
  const gap = " ".repeat(Math.max(0, width - displayWidth(t)));
  return right ? gap + t : t + gap;
}
