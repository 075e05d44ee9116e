/**
 * A JSON line with its long strings cut short before it is parsed: a history read needs a transcript's
 * usage, times and titles, not the 20 KB tool results around them, and parsing (and then collecting)
 * those costs most of the read.
 *
 * @module
 */

const BACKSLASH = 0x5c;

/**
 * `line` (one JSON text) with every string longer than `keep` characters (as written, escapes counted
 * as written) cut to about its first `keep` — never inside an escape sequence — so it parses to the same
 * record with long texts shortened. It relies on JSON escaping every `"` inside a string: an unescaped
 * quote starts or ends one. A line with no such string, or one not well-formed enough to tell, is
 * returned as it is.
 *
 * @example
 * ```ts
 * const line = JSON.stringify({ type: "user", content: "x".repeat(5000) });
 * JSON.parse(cutLongStrings(line, 100)).content.length; // 100
 * ```
 */
export function cutLongStrings(line: string, keep: number): string {
  if (line.length <= keep) return line;
  let out = "";
  let copied = 0; // characters of `line` accounted for
  for (let open = line.indexOf('"'); open !== -1;) {
    let close = line.indexOf('"', open + 1);
    while (close !== -1 && escaped(line, close)) close = line.indexOf('"', close + 1);
    if (close === -1) return line;
    if (close - open - 1 > keep) {
      out += line.slice(copied, safeCut(line, open + 1, open + 1 + keep));
      copied = close;
    }
    open = line.indexOf('"', close + 1);
  }
  return copied === 0 ? line : out + line.slice(copied);
}

/** Whether the character at `at` is escaped: an odd run of backslashes before it. */
function escaped(line: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && line.charCodeAt(at - n - 1) === BACKSLASH) n++;
  return n % 2 === 1;
}

/** `cut` moved back (not before `start`) so the text before it ends on a whole escape sequence. */
function safeCut(line: string, start: number, cut: number): number {
  // A `\uXXXX` escape whose six characters would not all be kept.
  for (let p = cut - 1; p > start && p > cut - 5; p--) {
    if (line[p] === "u" && line.charCodeAt(p - 1) === BACKSLASH && !escaped(line, p - 1)) return p - 1;
  }
  // A two-character escape cut after its backslash.
  if (line.charCodeAt(cut - 1) === BACKSLASH && !escaped(line, cut - 1)) return cut - 1;
  return cut;
}
