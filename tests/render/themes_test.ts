/**
 * Themes: every name has a complete palette, the default theme draws what agtop always drew, other
 * themes draw in 24-bit colour reduced to what the terminal has, and the colour-blind themes keep their
 * states apart as people with that deficiency see them.
 */
import assert from "node:assert/strict";
import { isThemeName, type Palette, THEME_NAMES, themeError, THEMES } from "../../render/themes.ts";
import { colorLevel, loadStyle } from "../../render/style.ts";
import { renderTable } from "../../render/table.ts";
import { parseCommandLine } from "../../cli/args.ts";
import { makeAgent, makeSnapshot } from "../support/agents.ts";

const STATES = ["busy", "waiting", "subagents", "limited"] as const;

Deno.test("every theme has a complete palette of valid colours", () => {
  assert.deepEqual(Object.keys(THEMES), [...THEME_NAMES]);
  const keys: (keyof Palette)[] = [
    ...STATES,
    "idle",
    "done",
    "danger",
    "dim",
    "header",
    "selection",
  ];
  for (const name of THEME_NAMES) {
    assert.ok(isThemeName(name));
    for (const key of keys) {
      const tint = THEMES[name][key];
      assert.ok(tint, `${name}.${key}`);
      for (const c of [tint.fg, tint.bg]) {
        if (c?.startsWith("#")) assert.match(c, /^#[0-9a-f]{6}$/, `${name}.${key}`);
      }
    }
  }
  assert.equal(isThemeName("solarized"), false);
  assert.equal(themeError("solarized"), `unknown theme 'solarized' (expected ${THEME_NAMES.join(", ")})`);
});

Deno.test("loadStyle: plain without colour, the default theme's escape codes, unknown names rejected", async () => {
  const plain = await loadStyle(false, "nord");
  assert.equal(plain.theme, "nord");
  assert.equal(plain.status("busy", "x") + plain.header("h") + plain.selection("s"), "xhs");
  assert.equal((await loadStyle(false)).theme, "default");

  const c = await loadStyle(true);
  assert.equal(c.theme, "default");
  assert.equal(c.status("waiting", "w"), "\x1b[1m\x1b[33mw\x1b[39m\x1b[22m");
  assert.equal(c.status("busy", "b"), "\x1b[32mb\x1b[39m");
  assert.equal(c.danger("!"), "\x1b[31m!\x1b[39m");
  assert.equal(c.header("H"), "\x1b[1mH\x1b[22m");
  assert.equal(c.selection("S"), "\x1b[7mS\x1b[27m");

  await assert.rejects(() => loadStyle(true, "solarized"), new RangeError(themeError("solarized")));
});

Deno.test("colorLevel: 24-bit, 256 or 16 colours from the terminal's variables", () => {
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  assert.equal(colorLevel(env({ COLORTERM: "truecolor", TERM: "xterm-256color" })), 3);
  assert.equal(colorLevel(env({ COLORTERM: "24bit" })), 3);
  assert.equal(colorLevel(env({ TERM: "xterm-direct" })), 3);
  assert.equal(colorLevel(env({ TERM_PROGRAM: "iTerm.app", TERM: "xterm-256color" })), 3);
  assert.equal(colorLevel(env({ WT_SESSION: "1" })), 3);
  assert.equal(colorLevel(env({ TERM: "tmux-256color" })), 2);
  assert.equal(colorLevel(env({ TERM: "xterm" })), 1);
  assert.equal(colorLevel(env({})), 1);
});

Deno.test("a theme's colours in 24-bit, 256 and 16 colours; the table uses the header and status tints", async () => {
  const saved = ["COLORTERM", "TERM", "TERM_PROGRAM", "WT_SESSION"].map((k) => [k, Deno.env.get(k)] as const);
  const set = (vars: Record<string, string>) => {
    for (const [k] of saved) Deno.env.delete(k);
    for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  };
  try {
    set({ COLORTERM: "truecolor" });
    const dracula = await loadStyle(true, "dracula");
    assert.equal(dracula.status("busy", "b"), "\x1b[38;2;80;250;123mb\x1b[39m");
    assert.equal(dracula.selection("s"), "\x1b[38;2;248;248;242m\x1b[48;2;68;71;90ms\x1b[49m\x1b[39m");
    const table = renderTable(makeSnapshot([makeAgent({ status: "busy" })]), { width: 120, style: dracula });
    assert.ok(table.startsWith("\x1b[1m\x1b[38;2;255;121;198mSTATUS"), JSON.stringify(table.slice(0, 40)));
    assert.ok(table.includes("\x1b[38;2;80;250;123m● busy"));

    set({ TERM: "screen-256color" });
    assert.equal((await loadStyle(true, "dracula")).status("busy", "b"), "\x1b[38;5;120mb\x1b[39m");
    set({ TERM: "xterm" });
    assert.equal((await loadStyle(true, "dracula")).status("busy", "b"), "\x1b[92mb\x1b[39m");
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});

Deno.test("--theme takes the theme names; a wrong one is a one-line usage error", () => {
  assert.equal(parseCommandLine(["ls", "--theme", "gruvbox"]).values.theme, "gruvbox");
  assert.throws(
    () => parseCommandLine(["ls", "--theme", "solarized"]),
    { message: `invalid value 'solarized' for --theme (expected ${THEME_NAMES.join(", ")})` },
  );
});

// Colour science for the checks below: sRGB → linear RGB → (simulated deficiency) → CIELAB.

/** Machado, Oliveira & Fernandes (2009), severity 1, applied to linear RGB. */
const SIMULATION: Record<"protanopia" | "deuteranopia" | "tritanopia", number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [
    -0.003882,
    -0.048116,
    1.051998,
  ]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [
    -0.01182,
    0.04294,
    0.968881,
  ]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [
    0.004733,
    0.691367,
    0.3039,
  ]],
};

function linear(hex: string): number[] {
  return [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
}

function lab([r, g, b]: number[]): number[] {
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

function seen(hex: string, matrix: number[][] | null): number[] {
  const rgb = linear(hex);
  if (!matrix) return lab(rgb);
  return lab(
    matrix.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]))),
  );
}

/** WCAG contrast ratio of a colour against black. */
function contrastOnBlack(hex: string): number {
  const [r, g, b] = linear(hex);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05) / 0.05;
}

Deno.test("colour-blind themes keep busy, waiting, subagents and limited apart for their viewers", () => {
  for (const [name, matrix] of Object.entries(SIMULATION)) {
    const palette = THEMES[name as keyof typeof SIMULATION];
    const colours = STATES.map((st) => palette[st].fg!);
    for (let i = 0; i < colours.length; i++) {
      assert.ok(contrastOnBlack(colours[i]) >= 4.5, `${name}.${STATES[i]} readable on a dark background`);
      for (let j = i + 1; j < colours.length; j++) {
        const pair = `${name}: ${STATES[i]}/${STATES[j]}`;
        const [a, b] = [seen(colours[i], matrix), seen(colours[j], matrix)];
        assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) >= 40, `${pair} as simulated`);
        const [c, d] = [seen(colours[i], null), seen(colours[j], null)];
        assert.ok(Math.hypot(c[0] - d[0], c[1] - d[1], c[2] - d[2]) >= 30, `${pair} in full colour`);
      }
    }
  }
});
