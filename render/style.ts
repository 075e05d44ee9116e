/**
 * Colours for terminal output, from a theme's palette (`render/themes.ts`). Loaded only when colour is
 * on, so piped output and `NO_COLOR` never pay for the colour library.
 *
 * @module
 */

import type { Ansis } from "ansis";
import { AGENT_STATUSES, type AgentStatus } from "../agents/types.ts";
import { isThemeName, type Palette, themeError, THEMES, type Tint } from "./themes.ts";

/** The styles agtop uses. Each returns its input unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  /** The theme the colours come from (a name in `THEME_NAMES`). */
  readonly theme: string;
  bold(s: string): string;
  dim(s: string): string;
  inverse(s: string): string;
  danger(s: string): string;
  status(status: AgentStatus, s: string): string;
  /** Column headings and section titles. */
  header(s: string): string;
  /** The selected row of the live view (the default theme: inverse video). */
  selection(s: string): string;
}

const same = (s: string) => s;

const PLAIN: Omit<Style, "theme"> = {
  enabled: false,
  bold: same,
  dim: same,
  inverse: same,
  danger: same,
  status: (_st, s) => s,
  header: same,
  selection: same,
};

/**
 * Whether to colour a stream: only a terminal, never with `NO_COLOR` set or `--no-color`.
 */
export function wantColor(isTerminal: boolean, noColorFlag: boolean): boolean {
  if (noColorFlag || !isTerminal) return false;
  return !(Deno.env.get("NO_COLOR") ?? "");
}

/** Terminals that show 24-bit colour without saying so in `COLORTERM` (`TERM_PROGRAM` values). */
const TRUECOLOR_PROGRAMS = new Set(["iTerm.app", "WezTerm", "vscode", "ghostty", "WarpTerminal"]);

/**
 * How many colours the terminal shows: 3 = 24-bit, 2 = 256, 1 = 16; theme colours are reduced to the
 * nearest the terminal has. From `COLORTERM` (`truecolor`, `24bit`), Windows Terminal, terminals known
 * to draw 24-bit colour, and `TERM` (`*-256color`, `*-direct`).
 *
 * @example
 * ```ts
 * colorLevel((k) => ({ TERM: "tmux-256color" } as Record<string, string>)[k]); // 2
 * ```
 */
export function colorLevel(env: (key: string) => string | undefined = (k) => Deno.env.get(k)): 1 | 2 | 3 {
  const term = env("TERM") ?? "";
  if (/^(truecolor|24bit)$/i.test(env("COLORTERM") ?? "") || term.endsWith("-direct")) return 3;
  if (env("WT_SESSION") || TRUECOLOR_PROGRAMS.has(env("TERM_PROGRAM") ?? "")) return 3;
  return term.includes("256") ? 2 : 1;
}

type Painter = InstanceType<typeof Ansis>;

/** The function that draws text in `t`. */
function painter(c: Painter, t: Tint): (s: string) => string {
  const steps: ((x: Painter) => Painter)[] = [];
  if (t.bold) steps.push((x) => x.bold);
  if (t.dim) steps.push((x) => x.dim);
  if (t.underline) steps.push((x) => x.underline);
  if (t.inverse) steps.push((x) => x.inverse);
  const { fg, bg } = t;
  if (fg) steps.push((x) => (fg.startsWith("#") ? x.hex(fg) : x[fg as Exclude<typeof fg, `#${string}`>]));
  if (bg) steps.push((x) => x.bgHex(bg));
  if (!steps.length) return same;
  const p = steps.reduce((x, step) => step(x), c);
  return (s) => p(s);
}

/**
 * The style to use: plain, or the colours of `theme` through `ansis` at the terminal's
 * {@linkcode colorLevel}. Call it again with another theme to switch (the library loads once).
 *
 * @throws {RangeError} when `theme` is not a theme name (the message is one line listing the names).
 * @example
 * ```ts
 * const style = await loadStyle(wantColor(Deno.stdout.isTerminal(), false), "nord");
 * style.status("busy", "● busy");
 * ```
 */
export async function loadStyle(enabled: boolean, theme = "default"): Promise<Style> {
  if (!isThemeName(theme)) throw new RangeError(themeError(theme));
  if (!enabled) return { ...PLAIN, theme };
  const { Ansis } = await import("ansis");
  const c = new Ansis(colorLevel());
  const palette: Palette = THEMES[theme];
  const byStatus = {} as Record<AgentStatus, (s: string) => string>;
  for (const st of AGENT_STATUSES) {
    byStatus[st] = painter(c, palette[st]);
  }
  return {
    enabled: true,
    theme,
    bold: (s) => c.bold(s),
    dim: painter(c, palette.dim),
    inverse: (s) => c.inverse(s),
    danger: painter(c, palette.danger),
    status: (st, s) => byStatus[st](s),
    header: painter(c, palette.header),
    selection: painter(c, palette.selection),
  };
}
