/**
 * Every command and option of agtop, defined once. `--help`, the argument parser, shell completions
 * and the man page are all generated from these definitions.
 *
 * @module
 */

import { THEME_NAMES } from "../render/themes.ts";
import { REPORT_FORMATS, REPORT_KINDS, WEEKDAYS } from "../agents/history/kinds.ts";
import { VENDORS } from "../agents/vendors/mod.ts";

/** One command-line option. */
export interface OptionDef {
  /** Long name without dashes. */
  name: string;
  /** One-letter alias. */
  short?: string;
  type: "boolean" | "string";
  /** May be given more than once. */
  multiple?: boolean;
  /** Placeholder for the value in help, e.g. `FILE`. */
  value?: string;
  /** Allowed values, for validation and completion. */
  choices?: readonly string[];
  /** Default value, shown in help. */
  default?: string;
  description: string;
}

/** One subcommand. */
export interface CommandDef {
  name: string;
  summary: string;
  /** Positional arguments in usage, e.g. `[SHELL]`. */
  args?: string;
  /** Allowed positional values (completion). */
  argChoices?: readonly string[];
  options: readonly OptionDef[];
  /** Exit statuses worth knowing, beyond 0 and 2 (usage error), for help and the man page. */
  exits?: readonly (readonly [number, string])[];
}

/** Sort keys of the agent table. */
export const SORT_KEYS = [
  "cpu",
  "mem",
  "uptime",
  "agent",
  "pid",
  "status",
  "tokens",
  "cost",
  "project",
] as const;

/** Output formats of `events --format`. */
export const EVENT_FORMATS = ["json", "text"] as const;

/** What `wait --for` waits for. */
export const WAIT_STATES = ["waiting", "done", "idle", "any"] as const;

/** Exit statuses of `agtop wait`. */
export const WAIT_EXIT = { met: 0, timedOut: 3, noSuchAgent: 4, gone: 5 } as const;

/** Output formats of `ls --format`. */
export const LS_FORMATS = ["table", "csv", "json", "openmetrics", "prometheus"] as const;

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionDef[] = [
  {
    name: "match",
    short: "m",
    type: "string",
    multiple: true,
    value: "LABEL=REGEX",
    description:
      "also treat processes whose command line matches REGEX as agent LABEL (repeatable; env AGTOP_MATCH, ';'-separated)",
  },
  {
    name: "prices",
    type: "string",
    value: "FILE",
    description: "TOML file of model prices merged over the bundled table (env AGTOP_PRICES)",
  },
  { name: "no-color", type: "boolean", description: "never colour output (NO_COLOR is honoured too)" },
  {
    name: "theme",
    type: "string",
    value: "NAME",
    choices: THEME_NAMES,
    default: "default",
    description: "colour theme (the config file may set one too)",
  },
  {
    name: "private",
    type: "boolean",
    description: "show no prompts, tool arguments, paths, command lines or project names (for sharing)",
  },
  {
    name: "verbose",
    short: "v",
    type: "boolean",
    description: "print notices about fields that could not be read",
  },
  { name: "help", short: "h", type: "boolean", description: "show help" },
];

const SELECTION: readonly OptionDef[] = [
  {
    name: "filter",
    short: "f",
    type: "string",
    value: "TEXT",
    description: "only agents whose row contains TEXT (case-insensitive)",
  },
  {
    name: "sort",
    short: "s",
    type: "string",
    value: "KEY",
    choices: SORT_KEYS,
    default: "cpu",
    description: "sort rows by KEY",
  },
  { name: "reverse", short: "r", type: "boolean", description: "reverse the sort order" },
];

const RECENT: readonly OptionDef[] = [
  {
    name: "all",
    short: "a",
    type: "boolean",
    description: "also list recent sessions whose process is gone (status done)",
  },
  {
    name: "since",
    type: "string",
    value: "DUR",
    default: "24h",
    description: "with --all: how far back, e.g. 30m, 2h, 7d",
  },
];

/** How often `events` and `wait` look. */
const LOOK_INTERVAL: OptionDef = {
  name: "interval",
  short: "i",
  type: "string",
  value: "S",
  default: "1.5",
  description: "seconds between looks (at least 0.2)",
};

/** All subcommands. */
export const COMMANDS: readonly CommandDef[] = [
  {
    name: "watch",
    summary: "the live view: a full-screen table of agents that redraws on an interval",
    options: [
      {
        name: "interval",
        short: "i",
        type: "string",
        value: "S",
        default: "1.5",
        description: "seconds between refreshes (at least 0.2)",
      },
      ...SELECTION,
      {
        name: "all",
        short: "a",
        type: "boolean",
        description: "start with recent sessions whose process is gone shown (key a toggles)",
      },
      {
        name: "no-notify",
        type: "boolean",
        description:
          "no bell, desktop notification or title when an agent starts waiting (see config [notify])",
      },
    ],
  },
  {
    name: "ls",
    summary: "list the running coding agents once (table, csv, json or metrics)",
    options: [
      {
        name: "format",
        short: "o",
        type: "string",
        value: "FMT",
        choices: LS_FORMATS,
        default: "table",
        description:
          "output format (openmetrics/prometheus: metrics text, e.g. for node_exporter's textfile collector)",
      },
      ...SELECTION,
      { name: "top", short: "n", type: "string", value: "N", description: "show at most N agents" },
      ...RECENT,
      {
        name: "sample",
        type: "string",
        value: "MS",
        default: "250",
        description: "CPU sample window in milliseconds (0 = lifetime average)",
      },
    ],
  },
  {
    name: "serve",
    summary: "serve metrics for Prometheus over HTTP: /metrics, /snapshot.json, /healthz",
    options: [
      {
        name: "listen",
        short: "l",
        type: "string",
        value: "ADDR:PORT",
        default: "127.0.0.1:9464",
        description: "address to listen on ([::]:PORT for every IPv6 and IPv4 address)",
      },
      {
        name: "interval",
        short: "i",
        type: "string",
        value: "S",
        default: "5",
        description: "seconds between collections (at least 0.2); scrapes read the newest one",
      },
      {
        name: "host",
        type: "string",
        multiple: true,
        value: "NAME",
        description:
          "also answer requests for Host NAME (repeatable; config [serve] hosts); addresses, localhost and this machine's name always",
      },
      {
        name: "timeout",
        type: "string",
        value: "S",
        default: "30",
        description: "seconds a collection may run before its worker is restarted (/healthz says stale)",
      },
    ],
  },
  {
    name: "events",
    summary:
      "print one line per change as it happens: agents appearing and exiting, status, tools, subagents, alerts",
    options: [
      {
        name: "format",
        short: "o",
        type: "string",
        value: "FMT",
        choices: EVENT_FORMATS,
        default: "json",
        description: "one JSON object per line, or one line of text",
      },
      SELECTION[0],
      LOOK_INTERVAL,
    ],
  },
  {
    name: "wait",
    summary:
      "wait until an agent (or any matching agent) is in a state, e.g. `agtop wait --pid 4242 && notify-send …`",
    options: [
      { name: "pid", short: "p", type: "string", value: "PID", description: "the agent with this pid" },
      {
        ...SELECTION[0],
        description:
          "any agent whose row contains TEXT (case-insensitive); without --pid or --filter: any agent",
      },
      {
        name: "for",
        type: "string",
        value: "STATE",
        choices: WAIT_STATES,
        default: "waiting",
        description: "the state to wait for; any: not working any more (waiting, idle, limited or done)",
      },
      {
        name: "timeout",
        short: "t",
        type: "string",
        value: "DUR",
        description: "give up after DUR, e.g. 90s, 30m, 2h",
      },
      LOOK_INTERVAL,
    ],
    exits: [
      [WAIT_EXIT.met, "the state was reached (done: also when the process exited)"],
      [WAIT_EXIT.timedOut, "timed out (--timeout)"],
      [WAIT_EXIT.noSuchAgent, "no such agent when wait started"],
      [WAIT_EXIT.gone, "the agent exited before it reached the state"],
    ],
  },
  {
    name: "doctor",
    summary:
      "explain which processes are agents, where their sessions are looked for and how they were linked",
    options: [
      {
        name: "pid",
        short: "p",
        type: "string",
        value: "PID",
        description: "explain this one process: why it is or is not an agent, and its session link",
      },
      {
        name: "format",
        short: "o",
        type: "string",
        value: "FMT",
        choices: ["text", "json"],
        default: "text",
        description: "text, or versioned JSON for bug reports (with --private: no paths or command lines)",
      },
    ],
  },
  {
    name: "report",
    summary:
      "what every agent's sessions cost: by day, week, month, session, project, model or agent; or their tools",
    args: "[KIND]",
    argChoices: REPORT_KINDS,
    options: [
      {
        name: "format",
        short: "o",
        type: "string",
        value: "FMT",
        choices: REPORT_FORMATS,
        default: "table",
        description: "output format",
      },
      {
        name: "since",
        type: "string",
        value: "WHEN",
        description: "from this date (2026-11-01) or this long ago (7d, 12w); default: all history",
      },
      {
        name: "until",
        type: "string",
        value: "WHEN",
        description: "up to this date (included) or this long ago",
      },
      {
        name: "agent",
        type: "string",
        multiple: true,
        value: "ID",
        choices: VENDORS.filter((v) => v.sessions).map((v) => v.id),
        description: "only this agent's sessions (repeatable)",
      },
      {
        name: "project",
        type: "string",
        value: "TEXT",
        description: "only projects whose name or path contains TEXT",
      },
      {
        name: "tz",
        type: "string",
        value: "ZONE",
        description: "time zone days and weeks are cut in (default: local)",
      },
      {
        name: "week-start",
        type: "string",
        value: "DAY",
        choices: WEEKDAYS,
        default: "monday",
        description: "the day weeks start on",
      },
      {
        name: "breakdown",
        type: "boolean",
        description: "a sub-row per agent and model (tools: per agent, and tool of an MCP server)",
      },
    ],
  },
  {
    name: "matchers",
    summary: "list the built-in agent recognisers and the custom ones given",
    options: [],
  },
  {
    name: "completions",
    summary: "print a shell completion script",
    args: "SHELL",
    argChoices: ["bash", "zsh", "fish"],
    options: [],
  },
  {
    name: "man",
    summary: "print the manual page (roff)",
    options: [],
  },
  {
    name: "help",
    summary: "show help for agtop or one command",
    args: "[COMMAND]",
    options: [],
  },
];

/** Finds a command by name. */
export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}
