import assert from "node:assert/strict";
import { decodeKeys, type Key } from "../../../render/watch/keys.ts";

const named = (...names: string[]) => names.map((name) => ({ name })) as Key[];
const chars = (s: string) => [...s].map((char) => ({ name: "char", char })) as Key[];

Deno.test("printable characters, UTF-8 included, from bytes or text", () => {
  assert.deepEqual(decodeKeys("jk/S?"), chars("jk/S?"));
  assert.deepEqual(decodeKeys(new TextEncoder().encode("é日🙂")), chars("é日🙂"));
  assert.deepEqual(decodeKeys(" "), chars(" "));
  assert.deepEqual(decodeKeys(""), []);
});

Deno.test("control keys; other control bytes are dropped", () => {
  assert.deepEqual(
    decodeKeys("\r\n\t\x7f\x08\x03\x0c\x15"),
    named(
      "enter",
      "enter",
      "tab",
      "backspace",
      "backspace",
      "ctrl-c",
      "ctrl-l",
      "ctrl-u",
    ),
  );
  assert.deepEqual(decodeKeys("\x00\x1a\x01a"), chars("a"));
});

Deno.test("arrows in CSI, SS3 and modified forms", () => {
  assert.deepEqual(decodeKeys("\x1b[A\x1b[B\x1b[C\x1b[D"), named("up", "down", "right", "left"));
  assert.deepEqual(decodeKeys("\x1bOA\x1bOB\x1bOC\x1bOD"), named("up", "down", "right", "left"));
  assert.deepEqual(decodeKeys("\x1b[1;5A\x1b[1;2B"), named("up", "down"));
});

Deno.test("Home, End, PgUp, PgDn and Delete in every common variant", () => {
  for (const seq of ["\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x1b[1;5H"]) {
    assert.deepEqual(decodeKeys(seq), named("home"), JSON.stringify(seq));
  }
  for (const seq of ["\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~"]) {
    assert.deepEqual(decodeKeys(seq), named("end"), JSON.stringify(seq));
  }
  assert.deepEqual(
    decodeKeys("\x1b[5~\x1b[6~\x1b[5;5~\x1b[3~"),
    named("pageup", "pagedown", "pageup", "delete"),
  );
  assert.deepEqual(decodeKeys("\x1bOM"), named("enter"), "keypad Enter");
});

Deno.test("Escape alone vs escape sequences", () => {
  assert.deepEqual(decodeKeys("\x1b"), named("escape"));
  assert.deepEqual(decodeKeys("\x1b\x1b"), named("escape", "escape"));
  assert.deepEqual(decodeKeys("\x1bq"), [...named("escape"), ...chars("q")]);
  assert.deepEqual(decodeKeys("\x1b[Aq\x1b"), [...named("up"), ...chars("q"), ...named("escape")]);
});

Deno.test("unknown sequences are consumed whole and never typed", () => {
  assert.deepEqual(decodeKeys("\x1b[200~x\x1b[201~"), chars("x"), "bracketed paste markers");
  assert.deepEqual(decodeKeys("\x1b[I\x1b[O"), [], "focus in/out");
  assert.deepEqual(decodeKeys("\x1b[[A\x1b[15~\x1bOP"), [], "function keys");
  assert.deepEqual(decodeKeys("\x1b[2~"), [], "Insert");
});

Deno.test("SGR mouse: left click with 0-based cell, wheel; release, right button and motion ignored", () => {
  assert.deepEqual(decodeKeys("\x1b[<0;12;5M"), [{ name: "click", x: 11, y: 4 }]);
  assert.deepEqual(decodeKeys("\x1b[<0;12;5M\x1b[<0;12;5m"), [{ name: "click", x: 11, y: 4 }]);
  assert.deepEqual(decodeKeys("\x1b[<2;1;1M\x1b[<1;1;1M\x1b[<32;3;3M"), []);
  assert.deepEqual(decodeKeys("\x1b[<64;3;4M\x1b[<65;3;4M"), [
    { name: "wheelup", x: 2, y: 3 },
    { name: "wheeldown", x: 2, y: 3 },
  ]);
  assert.deepEqual(decodeKeys("\x1b[<4;200;60M"), [], "shift+click is the terminal's own selection");
  assert.deepEqual(decodeKeys("\x1b[<0;;5M\x1b[<0;3M"), [], "malformed reports");
});

Deno.test("X10 mouse reports (terminals without SGR mode)", () => {
  const x10 = (b: number, x: number, y: number) => `\x1b[M${String.fromCharCode(32 + b, 32 + x, 32 + y)}`;
  assert.deepEqual(decodeKeys(x10(0, 12, 5)), [{ name: "click", x: 11, y: 4 }]);
  assert.deepEqual(decodeKeys(x10(3, 12, 5) + "j"), chars("j"), "release");
});

Deno.test("a chunk with several keys keeps their order", () => {
  assert.deepEqual(decodeKeys("j\x1b[Bk\x1b[6~\r"), [
    ...chars("j"),
    ...named("down"),
    ...chars("k"),
    ...named("pagedown", "enter"),
  ]);
});
