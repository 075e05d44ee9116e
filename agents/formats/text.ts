/**
 * Display text from transcripts and processes: terminal-safe text (no escape sequences, no control,
 * zero-width or bidirectional characters), one safe line of bounded length, and the short tail of
 * recent activity built from such lines.
 *
 * @module
 */

import type { ActivityEvent } from "../session.ts";

/** Longest activity line, in characters. */
export const ACTIVITY_WIDTH = 200;
/** Longest thinking line in the activity tail, in characters: thinking is shown short. */
export const THINKING_WIDTH = 100;
/** Longest prompt, title or task text, in characters. */
export const PROMPT_WIDTH = 500;
/** Events kept in the activity tail. */
export const ACTIVITY_LENGTH = 8;

/** ANSI escape sequences: CSI (`ESC [` … final), OSC (`ESC ]` … BEL or ST), and two-byte `ESC x`. */
const ANSI =
  // deno-lint-ignore no-control-regex -- matching escape sequences is the point
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9d[^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?/g;

/**
 * C0 and C1 control characters, DEL, the zero-width and bidirectional marks that reorder or hide
 * terminal text (U+200B–U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), the line and paragraph
 * separators (U+2028, U+2029) and the byte order mark (U+FEFF).
 */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g;

/** Text that needs no cleaning: printable ASCII without double spaces at either end. */
const PLAIN = /^[!-~](?:[ -~]*[!-~])?$/;
/** Runs of whitespace left after the controls are gone. */
const SPACES = /\s{2,}/g;

/**
 * `s` safe to write to a terminal: ANSI escape sequences (CSI, OSC, two-byte `ESC x`, and their 8-bit
 * forms) removed, and every run of control, zero-width and bidirectional characters (line breaks
 * included) turned into one space. Text from processes and transcripts is untrusted and passes
 * through this before it reaches a terminal.
 *
 * @example
 * ```ts
 * terminalSafe("rm -rf /\x1b[2J\nnext"); // "rm -rf / next"
 * terminalSafe("invoice\u202egpj.exe"); // "invoice gpj.exe"
 * ```
 */
export function terminalSafe(s: string): string {
  return s.replace(ANSI, "").replace(CONTROL, " ");
}

/**
 * Makes `s` one display line of at most `max` characters: {@linkcode terminalSafe}, then whitespace
 * collapsed and trimmed, and a cut line ended with `…`.
 *
 * @example
 * ```ts
 * cleanLine("\x1b[31mFAIL\x1b[0m\tsrc/a.ts\n  expected 1", 200); // "FAIL src/a.ts expected 1"
 * cleanLine("x".repeat(300), 10); // "xxxxxxxxx…"
 * ```
 */
export function cleanLine(s: string, max: number): string {
  if (s.length <= max && PLAIN.test(s)) return s;
  // Bound the work on huge inputs: keep a margin for what the cleaning removes.
  const head = s.length > max * 4 + 64 ? s.slice(0, max * 4 + 64) : s;
  const line = terminalSafe(head).replace(SPACES, " ").trim();
  const cut = head.length < s.length;
  if (line.length <= max && !cut) return line;
  return line.length < max ? line + "…" : cutAt(line, max - 1) + "…";
}

/**
 * One display line of a prompt, title or task (at most {@linkcode PROMPT_WIDTH} characters), or null
 * when `v` is not a string or nothing of it is left to show.
 *
 * @example
 * ```ts
 * promptLine("fix the\nlogin bug"); // "fix the login bug"
 * promptLine("  "); // null
 * ```
 */
export function promptLine(v: unknown): string | null {
  return typeof v === "string" ? cleanLine(v, PROMPT_WIDTH) || null : null;
}

/**
 * The first non-blank line of `s` (at most a few activity widths of it), or "".
 *
 * @example
 * ```ts
 * firstLine("\n\n  2 passing\n1 failing"); // "  2 passing"
 * ```
 */
export function firstLine(s: string): string {
  let start = 0;
  while (start < s.length) {
    let end = s.indexOf("\n", start);
    if (end === -1) end = s.length;
    if (s.slice(start, end).trim()) return s.slice(start, Math.min(end, start + ACTIVITY_WIDTH * 4));
    start = end + 1;
  }
  return "";
}

/**
 * The last {@linkcode ACTIVITY_LENGTH} events of a transcript. Raw text is kept (bounded) and cleaned
 * only when {@linkcode ActivityTail.events} is read, so feeding a long transcript stays cheap.
 *
 * @example
 * ```ts
 * const tail = new ActivityTail();
 * tail.push(Date.now(), "tool", "Bash: npm test");
 * tail.events(); // [{ at: …, kind: "tool", text: "Bash: npm test" }]
 * ```
 */
export class ActivityTail {
  #events: ActivityEvent[] = [];

  /** Adds an event; the oldest falls off past {@linkcode ACTIVITY_LENGTH}. */
  push(at: number | null, kind: ActivityEvent["kind"], text: string): void {
    const bounded = text.length > ACTIVITY_WIDTH * 4 ? text.slice(0, ACTIVITY_WIDTH * 4) : text;
    this.#events.push({ at, kind, text: bounded });
    if (this.#events.length > ACTIVITY_LENGTH) this.#events.shift();
  }

  /** The newest event, or null. */
  last(): ActivityEvent | null {
    return this.#events.at(-1) ?? null;
  }

  /** The events, oldest first, each one clean display line. */
  events(): ActivityEvent[] {
    return this.#events.map((e) => ({
      at: e.at,
      kind: e.kind,
      text: cleanLine(e.text, e.kind === "thinking" ? THINKING_WIDTH : ACTIVITY_WIDTH),
    }));
  }
}

/** The first `n` UTF-16 units of `s`, one fewer when that would split a surrogate pair. */
function cutAt(s: string, n: number): string {
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
