/**
 * The terminal side of `agtop watch`: enter and leave the alternate screen (cursor hidden, line wrap
 * and mouse reporting set, and everything undone on leave), and draw frames by rewriting only the
 * lines that changed, inside one synchronized-output block so the terminal never shows half a frame.
 *
 * @module
 */

import {
  beginSynchronizedOutput,
  cursorHide,
  cursorShow,
  cursorTo,
  endSynchronizedOutput,
  enterAlternativeScreen,
  eraseLine,
  eraseScreen,
  exitAlternativeScreen,
} from "ansi-escapes";

/** DEC private modes ansi-escapes has no names for: autowrap (7), mouse clicks (1000), SGR mouse (1006). */
const WRAP_OFF = "\x1b[?7l";
const WRAP_ON = "\x1b[?7h";
const MOUSE_ON = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF = "\x1b[?1006l\x1b[?1000l";
const RESET_STYLE = "\x1b[0m";

/** What {@linkcode Screen.enter} writes: alternate screen, cursor hidden, no autowrap, mouse on, cleared. */
export const ENTER = enterAlternativeScreen + cursorHide + WRAP_OFF + MOUSE_ON + eraseScreen;

/** What {@linkcode Screen.leave} writes: every mode of {@linkcode ENTER} undone, back on the normal screen. */
export const LEAVE = RESET_STYLE + MOUSE_OFF + WRAP_ON + cursorShow + exitAlternativeScreen;

/**
 * The output that turns screen `prev` into `next`: each changed line is erased, then rewritten from
 * column 0; unchanged lines are not touched. Empty when nothing changed. Erasing first matters: with
 * autowrap off, a line that fills the width leaves the cursor on the last column, where a trailing
 * erase would wipe the line's last character.
 *
 * @example
 * ```ts
 * diffLines(["a", "b"], ["a", "c"]); // sync-begin + cursorTo(0, 1) + eraseLine + "c" + sync-end
 * ```
 */
export function diffLines(prev: readonly string[], next: readonly string[]): string {
  let out = "";
  const n = Math.max(prev.length, next.length);
  for (let i = 0; i < n; i++) {
    const line = next[i] ?? "";
    if (prev[i] !== line) out += cursorTo(0, i) + eraseLine + line + RESET_STYLE;
  }
  return out ? beginSynchronizedOutput + out + endSynchronizedOutput : "";
}

/** A full-screen terminal session that draws frames of lines. */
export class Screen {
  #write: (text: string) => void;
  #shown: string[] = [];
  #active = false;

  /** `write` sends text to the terminal (synchronously, so leaving works on the way out of a crash). */
  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** Switches to the alternate screen and sets the modes of {@linkcode ENTER}. */
  enter(): void {
    this.#active = true;
    this.#shown = [];
    this.#write(ENTER);
  }

  /** Draws `lines`, writing only those that differ from what is on screen. */
  draw(lines: readonly string[]): void {
    if (!this.#active) return;
    const out = diffLines(this.#shown, lines);
    this.#shown = [...lines];
    if (out) this.#write(out);
  }

  /** Forgets what is on screen and clears it (after a resize, or Ctrl-L), so the next draw is complete. */
  invalidate(): void {
    if (!this.#active) return;
    this.#shown = [];
    this.#write(eraseScreen);
  }

  /** Restores the terminal; safe to call more than once and when writing fails (a closed terminal). */
  leave(): void {
    if (!this.#active) return;
    this.#active = false;
    try {
      this.#write(LEAVE);
    } catch {
      // The terminal is gone (SIGHUP): nothing left to restore.
    }
  }
}
