/**
 * Decodes what a terminal in raw mode sends into named keys: printable characters, control keys,
 * the common escape-sequence variants of arrows, paging and Home/End (xterm CSI and SS3, VT220
 * `~` codes, rxvt), and SGR / X10 mouse reports. Pure: bytes in, keys out.
 *
 * @module
 */

/** A named key, a typed character or a mouse event. Mouse positions are 0-based cells. */
export type Key =
  | { name: "char"; char: string }
  | {
    name:
      | "up"
      | "down"
      | "left"
      | "right"
      | "pageup"
      | "pagedown"
      | "home"
      | "end"
      | "enter"
      | "escape"
      | "backspace"
      | "delete"
      | "tab"
      | "ctrl-c"
      | "ctrl-l"
      | "ctrl-u";
  }
  | { name: "click"; x: number; y: number }
  | { name: "wheelup" | "wheeldown"; x: number; y: number };

/** Names of the keys without data. */
type PlainName = Exclude<Key, { name: "char" | "click" | "wheelup" | "wheeldown" }>["name"];

/** Final bytes of `CSI …X` and `SS3 X` sequences. */
const LETTER: Record<string, PlainName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  // SS3 keypad Enter
  M: "enter",
};

/** Numbers of `CSI n ~` sequences (VT220, rxvt, Linux console). */
const TILDE: Record<string, PlainName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "3": "delete",
  "5": "pageup",
  "6": "pagedown",
};

const CONTROL: Record<string, PlainName> = {
  "\r": "enter",
  "\n": "enter",
  "\t": "tab",
  "\x7f": "backspace",
  "\x08": "backspace",
  "\x03": "ctrl-c",
  "\x0c": "ctrl-l",
  "\x15": "ctrl-u",
};

// deno-lint-ignore no-control-regex
const CSI = /^\x1b\[([0-?]*)([ -/]*)([@-~])/;
// deno-lint-ignore no-control-regex
const SS3 = /^\x1bO([@-~])/;

const decoder = new TextDecoder();

/** One mouse report as a key, or null for what agtop ignores (right, middle, release, motion, modified clicks). */
function mouse(button: number, x: number, y: number, release: boolean): Key | null {
  if (button & 32) return null; // motion
  if (button & 64) return { name: (button & 1) ? "wheeldown" : "wheelup", x, y };
  // Only a plain left press: modifiers (shift 4, meta 8, ctrl 16) leave the click to the terminal.
  if (release || (button & 3) !== 0 || (button & 28) !== 0) return null;
  return { name: "click", x, y };
}

/** Decodes a CSI sequence (`params` and `final` from {@linkcode CSI}); null when it means nothing here. */
function csiKey(params: string, final: string): Key | null {
  if (params.startsWith("<") && (final === "M" || final === "m")) {
    const [b, x, y] = params.slice(1).split(";").map(Number);
    if (!Number.isInteger(b) || !(x >= 1 && y >= 1 && Number.isInteger(x + y))) return null;
    return mouse(b, x - 1, y - 1, final === "m");
  }
  if (final === "~") {
    const name = TILDE[params.split(";")[0]];
    return name ? { name } : null;
  }
  const name = LETTER[final];
  return name && name !== "enter" ? { name } : null;
}

/**
 * Splits raw terminal input into keys. An `ESC` that starts no known sequence is the Escape key
 * (a lone `ESC` in one read is how terminals send it); unknown sequences are consumed and dropped, so
 * their bytes never turn into typed characters.
 *
 * @example
 * ```ts
 * decodeKeys(new TextEncoder().encode("j\x1b[B\x1b")); // [{name:"char",char:"j"}, {name:"down"}, {name:"escape"}]
 * decodeKeys("\x1b[<0;12;5M"); // [{ name: "click", x: 11, y: 4 }]
 * ```
 */
export function decodeKeys(input: Uint8Array | string): Key[] {
  const s = typeof input === "string" ? input : decoder.decode(input);
  const keys: Key[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    if (rest[0] !== "\x1b") {
      const ch = String.fromCodePoint(rest.codePointAt(0)!);
      i += ch.length;
      const name = CONTROL[ch];
      if (name) keys.push({ name });
      else if (ch >= " ") keys.push({ name: "char", char: ch });
      continue;
    }
    // X10 mouse: ESC [ M then three bytes (button, x, y) offset by 32.
    if (rest.startsWith("\x1b[M") && rest.length >= 6) {
      const [b, x, y] = [3, 4, 5].map((k) => rest.charCodeAt(k) - 32);
      const key = mouse(b, x - 1, y - 1, (b & 3) === 3);
      if (key) keys.push(key);
      i += 6;
      continue;
    }
    const csi = rest.match(CSI);
    if (csi) {
      // Linux console function keys: ESC [ [ A … E.
      const linuxFn = csi[0] === "\x1b[[";
      const key = linuxFn ? null : csiKey(csi[1], csi[3]);
      if (key) keys.push(key);
      i += linuxFn ? Math.min(4, rest.length) : csi[0].length;
      continue;
    }
    const ss3 = rest.match(SS3);
    if (ss3) {
      const name = LETTER[ss3[1]];
      if (name) keys.push({ name });
      i += 3;
      continue;
    }
    // A lone ESC, ESC ESC, or Alt+key: the Escape key, then whatever follows on its own.
    keys.push({ name: "escape" });
    i += 1;
  }
  return keys;
}
