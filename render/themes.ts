/**
 * Colour themes: one palette per theme, as plain data, so the option table, the config file and the
 * live view can list and check theme names without loading the colour library. `render/style.ts`
 * turns a palette into escape codes.
 *
 * Every theme except `light` and `high-contrast` is drawn for a dark terminal background. Status
 * words always carry a symbol (`● busy`, `◆ waiting`), so no theme relies on colour alone.
 *
 * @module
 */

import type { AgentStatus } from "../agents/types.ts";

type Base = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "white";

/**
 * A colour: `#rrggbb` (drawn in truecolor, or as the nearest of 256 or 16 colours on terminals with
 * fewer), or an ANSI colour name (the terminal's own palette).
 */
export type Colour = `#${string}` | "black" | "gray" | Base | `${Base}Bright`;

/** How one kind of text is drawn. */
export interface Tint {
  fg?: Colour;
  /** Background, `#rrggbb`. */
  bg?: `#${string}`;
  bold?: boolean;
  dim?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** The tints of one theme: a status word each, the danger mark, secondary text, headings, the selected row. */
export interface Palette extends Record<AgentStatus, Tint> {
  danger: Tint;
  dim: Tint;
  header: Tint;
  selection: Tint;
}

/** Every theme name, in the order the live view cycles through them; `default` first. */
export const THEME_NAMES = [
  "default",
  "dracula",
  "nord",
  "gruvbox",
  "catppuccin",
  "light",
  "high-contrast",
  "protanopia",
  "deuteranopia",
  "tritanopia",
] as const;

/** A theme's name. */
export type ThemeName = (typeof THEME_NAMES)[number];

const NEUTRAL_SELECTION: Tint = { fg: "#ffffff", bg: "#3a3a3a" };

/** What the three colour-blind themes share: greys for the quiet states and text, a cyan header. */
const COLOUR_BLIND_NEUTRALS = {
  idle: { fg: "#999999" },
  done: { fg: "#777777" },
  dim: { fg: "#888888" },
  header: { fg: "#66ccee", bold: true },
  selection: NEUTRAL_SELECTION,
} as const satisfies Partial<Palette>;

/** The palettes. Colours of the named themes are their published palettes. */
export const THEMES: Readonly<Record<ThemeName, Palette>> = {
  /** The terminal's own 16 colours: what agtop has always looked like. */
  default: {
    busy: { fg: "green" },
    waiting: { fg: "yellow", bold: true },
    subagents: { fg: "cyan" },
    limited: { fg: "magenta" },
    idle: { dim: true },
    done: { fg: "gray" },
    danger: { fg: "red" },
    dim: { dim: true },
    header: { bold: true },
    selection: { inverse: true },
  },
  /** draculatheme.com/contribute: green, yellow, cyan, orange, purple, comment, red, pink, current line. */
  dracula: {
    busy: { fg: "#50fa7b" },
    waiting: { fg: "#f1fa8c", bold: true },
    subagents: { fg: "#8be9fd" },
    limited: { fg: "#ffb86c" },
    idle: { fg: "#bd93f9" },
    done: { fg: "#6272a4" },
    danger: { fg: "#ff5555" },
    dim: { fg: "#6272a4" },
    header: { fg: "#ff79c6", bold: true },
    selection: { fg: "#f8f8f2", bg: "#44475a" },
  },
  /** nordtheme.com: Aurora for states (nord14, 13, 12, 11), Frost (nord8, 9), nord3 brightened for comments. */
  nord: {
    busy: { fg: "#a3be8c" },
    waiting: { fg: "#ebcb8b", bold: true },
    subagents: { fg: "#88c0d0" },
    limited: { fg: "#d08770" },
    idle: { fg: "#81a1c1" },
    done: { fg: "#616e88" },
    danger: { fg: "#bf616a" },
    dim: { fg: "#616e88" },
    header: { fg: "#88c0d0", bold: true },
    selection: { fg: "#eceff4", bg: "#434c5e" },
  },
  /** gruvbox dark (morhetz/gruvbox), bright accents. */
  gruvbox: {
    busy: { fg: "#b8bb26" },
    waiting: { fg: "#fabd2f", bold: true },
    subagents: { fg: "#8ec07c" },
    limited: { fg: "#fe8019" },
    idle: { fg: "#a89984" },
    done: { fg: "#928374" },
    danger: { fg: "#fb4934" },
    dim: { fg: "#928374" },
    header: { fg: "#83a598", bold: true },
    selection: { fg: "#fbf1c7", bg: "#504945" },
  },
  /** Catppuccin Mocha (catppuccin.com/palette). */
  catppuccin: {
    busy: { fg: "#a6e3a1" },
    waiting: { fg: "#f9e2af", bold: true },
    subagents: { fg: "#89dceb" },
    limited: { fg: "#fab387" },
    idle: { fg: "#b4befe" },
    done: { fg: "#6c7086" },
    danger: { fg: "#f38ba8" },
    dim: { fg: "#7f849c" },
    header: { fg: "#cba6f7", bold: true },
    selection: { fg: "#cdd6f4", bg: "#45475a" },
  },
  /** For light backgrounds: GitHub Primer light (dark, saturated foregrounds; a pale blue selection). */
  light: {
    busy: { fg: "#1a7f37" },
    waiting: { fg: "#9a6700", bold: true },
    subagents: { fg: "#0969da" },
    limited: { fg: "#8250df" },
    idle: { fg: "#57606a" },
    done: { fg: "#6e7781" },
    danger: { fg: "#cf222e", bold: true },
    dim: { fg: "#6e7781" },
    header: { fg: "#24292f", bold: true },
    selection: { fg: "#24292f", bg: "#ddf4ff" },
  },
  /**
   * Readable on any background: states that need you are black or white on a saturated block (contrast
   * ratio ≥ 7:1, WCAG AAA), the rest in the terminal's own foreground; nothing is dimmed.
   */
  "high-contrast": {
    busy: { fg: "#000000", bg: "#00ff00", bold: true },
    waiting: { fg: "#000000", bg: "#ffff00", bold: true },
    subagents: { fg: "#000000", bg: "#00ffff", bold: true },
    limited: { fg: "#ffffff", bg: "#800080", bold: true },
    idle: { bold: true },
    done: {},
    danger: { fg: "#ffffff", bg: "#b00000", bold: true },
    dim: {},
    header: { bold: true, underline: true },
    selection: { inverse: true, bold: true },
  },
  /**
   * The three colour-blind themes take their colours from published colour-blind-safe palettes:
   * Okabe & Ito's "Color Universal Design" (2002; OI), IBM Design Library's (IBM) and Paul Tol's
   * "bright" scheme (Tol). Each assigns them so that the four states that matter (busy, waiting,
   * subagents, limited) stay far apart (CIELAB ΔE ≥ 40) as a person with that deficiency sees them,
   * simulated with Machado, Oliveira & Fernandes (2009), and for everyone else too (tests/themes_test.ts
   * checks both). Danger (the agent's name, another column) is vermillion or magenta in bold.
   *
   * Protanopia: Tol green, OI yellow, IBM indigo, IBM magenta; OI vermillion.
   */
  protanopia: {
    busy: { fg: "#228833" },
    waiting: { fg: "#f0e442", bold: true },
    subagents: { fg: "#785ef0" },
    limited: { fg: "#dc267f" },
    danger: { fg: "#d55e00", bold: true },
    ...COLOUR_BLIND_NEUTRALS,
  },
  /** Deuteranopia: Tol cyan, OI orange, IBM indigo, Tol red; IBM magenta. */
  deuteranopia: {
    busy: { fg: "#66ccee" },
    waiting: { fg: "#e69f00", bold: true },
    subagents: { fg: "#785ef0" },
    limited: { fg: "#ee6677" },
    danger: { fg: "#dc267f", bold: true },
    ...COLOUR_BLIND_NEUTRALS,
  },
  /** Tritanopia: Tol cyan, OI yellow, IBM indigo, Tol red; OI vermillion. */
  tritanopia: {
    busy: { fg: "#66ccee" },
    waiting: { fg: "#f0e442", bold: true },
    subagents: { fg: "#785ef0" },
    limited: { fg: "#ee6677" },
    danger: { fg: "#d55e00", bold: true },
    ...COLOUR_BLIND_NEUTRALS,
  },
};

/** Whether `name` is a theme. */
export function isThemeName(name: string): name is ThemeName {
  return (THEME_NAMES as readonly string[]).includes(name);
}

/**
 * The one-line message for an unknown theme name.
 *
 * @example
 * ```ts
 * themeError("solarized"); // "unknown theme 'solarized' (expected default, dracula, …)"
 * ```
 */
export function themeError(name: string): string {
  return `unknown theme '${name}' (expected ${THEME_NAMES.join(", ")})`;
}
