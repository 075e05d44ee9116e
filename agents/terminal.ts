/**
 * Where an agent runs, in the user's words (`tmux pane %3`, `kitty`, `vscode`), from its controlling
 * terminal and the environment variables that terminal emulators, IDEs and multiplexers set. Pure.
 *
 * @module
 */

/** A terminal multiplexer the agent runs inside, with what identifies its pane. */
export interface Multiplexer {
  name: "tmux" | "screen" | "zellij";
  /** tmux pane id (`%3`), screen window number, zellij pane id; null when the variable is unset. */
  pane: string | null;
  /** screen session (`1234.pts-0.host`) or zellij session name; null for tmux or when unset. */
  session: string | null;
  /** tmux server socket path (from `TMUX`), to reach that server; null otherwise. */
  socket: string | null;
}

/** Where an agent runs. */
export interface TerminalPlace {
  /** Controlling terminal device (`/dev/pts/3`), or null when it has none. */
  tty: string | null;
  /** The innermost multiplexer, or null. */
  multiplexer: Multiplexer | null;
  /**
   * The terminal emulator or IDE (`kitty`, `vscode`, `cursor`, `iterm2`, …), or null when unknown.
   * Always null inside a multiplexer: panes inherit the variables of whatever terminal started the
   * multiplexer's server, which need not be the one the user looks at.
   */
  app: string | null;
  /** True when the terminal is an SSH login (`SSH_CONNECTION`), outside any multiplexer. */
  ssh: boolean;
  /** One short phrase: `tmux pane %3`, `kitty`, `pts/3 over ssh`, `no terminal`. */
  label: string;
}

/** Environment variables {@linkcode describeTerminal} reads; request them for the agent's main process. */
export const TERMINAL_ENV_KEYS: readonly string[] = [
  "TMUX",
  "TMUX_PANE",
  "STY",
  "WINDOW",
  "ZELLIJ",
  "ZELLIJ_SESSION_NAME",
  "ZELLIJ_PANE_ID",
  "TERM",
  "TERM_PROGRAM",
  "CURSOR_TRACE_ID",
  "WEZTERM_PANE",
  "KITTY_WINDOW_ID",
  "ALACRITTY_WINDOW_ID",
  "GHOSTTY_RESOURCES_DIR",
  "ITERM_SESSION_ID",
  "WT_SESSION",
  "TERMINAL_EMULATOR",
  "KONSOLE_VERSION",
  "VTE_VERSION",
  "INSIDE_EMACS",
  "SSH_CONNECTION",
];

/** `TERM` values that only one emulator sets; TERM is rewritten by the innermost one, so it wins. */
const BY_TERM: Readonly<Record<string, string>> = {
  "xterm-kitty": "kitty",
  "xterm-ghostty": "ghostty",
  "alacritty": "alacritty",
  "foot": "foot",
  "foot-extra": "foot",
  "wezterm": "wezterm",
};

/** `TERM_PROGRAM` values and the app names agtop shows for them. */
const BY_TERM_PROGRAM: Readonly<Record<string, string>> = {
  "vscode": "vscode",
  "iTerm.app": "iterm2",
  "Apple_Terminal": "apple-terminal",
  "WezTerm": "wezterm",
  "ghostty": "ghostty",
  "Hyper": "hyper",
  "WarpTerminal": "warp",
  "zed": "zed",
  "Tabby": "tabby",
  "rio": "rio",
};

/** `TERM_PROGRAM` values of multiplexers, left behind when a process leaves one: no app. */
const MULTIPLEXER_PROGRAMS = new Set(["tmux", "screen", "zellij"]);

/** Variables that one app sets, checked in order after TERM and TERM_PROGRAM. */
const BY_VARIABLE: readonly [string, string][] = [
  ["WEZTERM_PANE", "wezterm"],
  ["KITTY_WINDOW_ID", "kitty"],
  ["ALACRITTY_WINDOW_ID", "alacritty"],
  ["GHOSTTY_RESOURCES_DIR", "ghostty"],
  ["ITERM_SESSION_ID", "iterm2"],
  ["WT_SESSION", "windows-terminal"],
  ["KONSOLE_VERSION", "konsole"],
  ["INSIDE_EMACS", "emacs"],
  ["VTE_VERSION", "vte"],
];

/**
 * Describes where a process runs from its controlling terminal (`ProcessSource.terminal`) and its
 * environment (ask `details()` for {@linkcode TERMINAL_ENV_KEYS}). Multiplexers come first (they are
 * innermost); otherwise the app is taken from `TERM` (which the innermost emulator sets), then
 * `TERM_PROGRAM` (Cursor also says `vscode` and is told apart by `CURSOR_TRACE_ID`), then
 * app-specific variables. Without a controlling terminal nothing is claimed: inherited variables
 * would describe a terminal the process no longer uses.
 *
 * @example
 * ```ts
 * describeTerminal("/dev/pts/3", { TMUX: "/tmp/tmux-1000/default,812,0", TMUX_PANE: "%3" }).label;
 * // "tmux pane %3"
 * describeTerminal("/dev/pts/4", { TERM: "xterm-kitty" }).label; // "kitty"
 * describeTerminal(null, { TERM_PROGRAM: "vscode" }).label; // "no terminal"
 * ```
 */
export function describeTerminal(tty: string | null, env: Readonly<Record<string, string>>): TerminalPlace {
  if (tty === null) return { tty, multiplexer: null, app: null, ssh: false, label: "no terminal" };
  const multiplexer = multiplexerOf(env);
  if (multiplexer !== null) {
    return { tty, multiplexer, app: null, ssh: false, label: multiplexerLabel(multiplexer) };
  }
  const app = appOf(env);
  const ssh = Boolean(env.SSH_CONNECTION);
  const where = app ?? tty.replace(/^\/dev\//, "");
  return { tty, multiplexer: null, app, ssh, label: ssh ? `${where} over ssh` : where };
}

/** The multiplexer named by the environment, innermost first as each sets its own variables. */
function multiplexerOf(env: Readonly<Record<string, string>>): Multiplexer | null {
  const value = (key: string) => env[key] || null;
  if (env.TMUX) {
    return { name: "tmux", pane: value("TMUX_PANE"), session: null, socket: env.TMUX.split(",")[0] || null };
  }
  if (env.ZELLIJ !== undefined) {
    return {
      name: "zellij",
      pane: value("ZELLIJ_PANE_ID"),
      session: value("ZELLIJ_SESSION_NAME"),
      socket: null,
    };
  }
  if (env.STY) return { name: "screen", pane: value("WINDOW"), session: env.STY, socket: null };
  return null;
}

function multiplexerLabel(m: Multiplexer): string {
  if (m.pane === null) return m.name;
  return m.name === "screen" ? `screen window ${m.pane}` : `${m.name} pane ${m.pane}`;
}

/** The terminal emulator or IDE named by the environment, or null. */
function appOf(env: Readonly<Record<string, string>>): string | null {
  const byTerm = Object.hasOwn(BY_TERM, env.TERM ?? "") ? BY_TERM[env.TERM] : null;
  if (byTerm !== null) return byTerm;
  const program = env.TERM_PROGRAM;
  if (program === "vscode" && env.CURSOR_TRACE_ID) return "cursor";
  if (program && Object.hasOwn(BY_TERM_PROGRAM, program)) return BY_TERM_PROGRAM[program];
  if (env.TERMINAL_EMULATOR?.startsWith("JetBrains")) return "jetbrains";
  for (const [key, app] of BY_VARIABLE) if (env[key]) return app;
  return program && !MULTIPLEXER_PROGRAMS.has(program) ? program.toLowerCase() : null;
}
