/**
 * Lines as styled segments: the live view builds plain text with a tone per segment, cuts it to the
 * screen width by display width, and only then adds colour, so escape codes never count as width and
 * a cut never splits one.
 *
 * @module
 */

import type { AgentStatus } from "../../agents/types.ts";
import type { Style } from "../style.ts";
import { displayWidth, truncate } from "../text.ts";

/** How a segment is drawn. */
export type Tone = "plain" | "bold" | "dim" | "danger" | "inverse" | `status:${AgentStatus}`;

/** A run of text with one tone. The text must already be terminal-safe. */
export interface Segment {
  text: string;
  tone?: Tone;
}

/** One screen line before styling. */
export type Line = Segment[];

/** A segment; shorthand for building lines. */
export function seg(text: string, tone: Tone = "plain"): Segment {
  return { text, tone };
}

function toneOf(style: Style, tone: Tone, s: string): string {
  if (tone === "plain" || s === "") return s;
  if (tone.startsWith("status:")) return style.status(tone.slice(7) as AgentStatus, s);
  return style[tone as "bold" | "dim" | "danger" | "inverse"](s);
}

/** The plain text of a line. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join("");
}

/**
 * Styles a line cut to at most `width` columns (the cut ends in `…`). With `pad`, the line is
 * filled with spaces to exactly `width` columns, so a background tone spans the screen.
 *
 * @example
 * ```ts
 * import { loadStyle } from "../style.ts";
 * const style = await loadStyle(false);
 * paint([seg("agtop", "bold"), seg(" · box")], 80, style);
 * ```
 */
export function paint(line: Line, width: number, style: Style, pad = false): string {
  const widths = line.map((s) => displayWidth(s.text));
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= width) return styled(line, style) + (pad ? " ".repeat(width - total) : "");
  let out = "";
  let used = 0;
  for (const [i, s] of line.entries()) {
    const room = width - used;
    if (room <= 0) break;
    // The segment that crosses the edge is cut and takes the ellipsis.
    const text = used + widths[i] > width ? truncate(s.text, room) : s.text;
    out += toneOf(style, s.tone ?? "plain", text);
    used += text === s.text ? widths[i] : displayWidth(text);
  }
  return pad && used < width ? out + " ".repeat(width - used) : out;
}

/** Styles a line known to fit, without measuring it. */
export function styled(line: Line, style: Style): string {
  let out = "";
  for (const s of line) out += toneOf(style, s.tone ?? "plain", s.text);
  return out;
}

/** A part of a packed line; higher `drop` goes first when space runs out (0 = never). */
export interface Part {
  segments: Segment[];
  drop: number;
}

/**
 * Joins parts with `sep`, leaving out the most droppable ones (rightmost first among equals) until
 * the line fits in `width`; what is left is cut by {@linkcode paint}.
 *
 * @example
 * ```ts
 * pack([{ segments: [seg("CPU 3%")], drop: 0 }, { segments: [seg("every 1.5s")], drop: 3 }], 10);
 * ```
 */
export function pack(parts: readonly Part[], width: number, sep = " · "): Line {
  const keep = [...parts];
  const widthOf = (ps: Part[]) =>
    ps.reduce((w, p) => w + displayWidth(lineText(p.segments)), 0) +
    displayWidth(sep) * Math.max(0, ps.length - 1);
  while (widthOf(keep) > width) {
    const worst = keep.reduce((a, p) => (p.drop >= a.drop ? p : a));
    if (worst.drop === 0) break;
    keep.splice(keep.lastIndexOf(worst), 1);
  }
  return keep.flatMap((p, i) => (i ? [seg(sep), ...p.segments] : p.segments));
}
