/**
 * The `Vendor` seam: one file per agent in `agents/vendors/` implements it. A vendor says how to
 * recognise the agent's processes and, where the agent writes sessions, how to find and read them.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import type { ProcessRole } from "./types.ts";
import type { SessionFacts } from "./session.ts";
import type { ShellWrapper } from "./wrappers.ts";

/** The role a recogniser gives a process: never `child`, `updater` or `mcp` (found through the tree). */
export type RecognisedRole = Exclude<ProcessRole, "child" | "updater" | "mcp">;

/** The rule of a recogniser that matched a process (or that it nearly matched). */
export type RecognitionRule =
  | "binary name"
  | "npm package path"
  | "install path"
  | "process title"
  | "runtime + script"
  | "runtime + module"
  | "custom match";

/** Why a process is, or is not, one agent's: what `agtop doctor` says about it. */
export interface Recognition {
  /** The role it gets; null when it looked like the agent's and was turned down. */
  role: RecognisedRole | null;
  rule: RecognitionRule;
  /** In words; names only the agent's own names, packages and subcommands, never the process's paths. */
  why: string;
}

/** Everything a vendor may use to find the session of one live agent. */
export interface LinkContext {
  pid: number;
  startedAt: number;
  startId: number;
  argv: string[];
  cwd: string | null;
  /** The agent process's own environment (the vendor's `envKeys` plus HOME), agtop's own as fallback. */
  env: Record<string, string>;
  /** HOME of the agent process (or agtop's). */
  home: string;
  /** Files held open for writing by the agent's processes (main, launchers, helpers). */
  openFiles: string[];
  /** Environment subsets of the agent's descendants (tool processes carry session ids). */
  childEnv: Record<string, string>[];
  /** Transcript paths already linked to other agents in this tick; never link one twice. */
  claimed: ReadonlySet<string>;
  now: number;
}

/** A found session: where it is and how it was found. */
export interface SessionLink {
  path: string;
  id: string;
  /** `registry`, `fd`, `env`, `argv`, `cwd`, `start` (written last since the process started) or `recent`. */
  linkedBy: string;
  /** When the session was last written, as the listing saw it (ms; recent links only). */
  at?: number;
}

/** The sessions `recent()` found, newest first and at most a cap of them, and how many more it left out. */
export interface RecentSessions {
  links: SessionLink[];
  /** Sessions active in the window that are not in `links` (some may be subagents, never listed). */
  more: number;
}

/** A place an agent keeps its sessions, and what named it (for `agtop doctor`). */
export interface DataDir {
  /** Absolute; relative to each project's folder when `inProject`. */
  path: string;
  /** The environment variable (or option) that named it, or `default`. */
  from: string;
  /** True when the place is inside each project's folder (Aider's history, Crush's database). */
  inProject?: boolean;
}

/** One place a session reader looked while linking an agent, for `agtop doctor`. */
export interface LinkCandidate {
  /** The way it was looked for: `registry`, `env`, `argv`, `cwd`, … */
  by: string;
  /** The transcript (or registry entry) considered; null when the way gave nothing to consider. */
  path: string | null;
  /** Why it was passed over; null for the one linked. */
  skipped: string | null;
}

/**
 * Told each place a reader looked while linking (`agtop doctor`). Readers call it only when given
 * one, so the per-tick link allocates nothing for it.
 */
export type LinkTrace = (candidate: LinkCandidate) => void;

/**
 * At most this many recent sessions are listed (`ls --all`, the live view's `a`): the newest, of each
 * source and of all together; the others are only counted. Also the row limit of one database's query.
 */
export const RECENT_SESSIONS_MAX = 500;

/**
 * What a session reader returns: the facts of a session, without what the collector stamps on them once
 * for every reader (the vendor id, the path and how the session was linked, all known from the link).
 */
export type SessionRead = Omit<SessionFacts, "vendor" | "path" | "linkedBy">;

/**
 * How a vendor finds and reads its sessions. Implementations cache parse state per file (see
 * `agents/formats/parse_cache.ts`), so each collector has readers of its own. The collector catches what
 * a reader throws (a notice, shown by `--verbose`), so a failing reader costs one field: readers do not
 * guard every step themselves.
 */
export interface SessionSource {
  /** Environment variables needed from agent processes and their children. */
  readonly envKeys: readonly string[];
  /**
   * Finds the session a live agent is writing, or null. With `trace`, tells it each candidate
   * considered and why it was passed over (readers that do not report candidates ignore it).
   */
  link(ctx: LinkContext, trace?: LinkTrace): SessionLink | null;
  /** Where its sessions are kept for an environment and home, and what named each place. */
  dataDirs?(env: Record<string, string>, home: string): DataDir[];
  /** Reads (incrementally: only appended bytes after the first call) the facts of a linked session. */
  read(link: SessionLink, now: number): SessionRead | null;
  /**
   * Sessions active since `sinceMs` under the given homes/env (for `ls --all`), newest first, at most
   * the reader's `max` (`RECENT_SESSIONS_MAX` by default, see `agents/formats/recent.ts`); old files are
   * not read.
   */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions;
}

/** How a session reader is made. */
export interface ReaderOptions {
  /**
   * Also keep each session's usage over its whole life ({@linkcode SessionFacts.usageHistory}), for
   * `agtop report`; `ls` and the live view leave it out and do not pay for it.
   */
  history?: boolean;
  /**
   * Most sessions `recent` lists (the newest): {@linkcode RECENT_SESSIONS_MAX} when absent (`ls`, the
   * live view); `Infinity` for `agtop report`, which reads every session in its window.
   */
  max?: number;
}

/** One tool call as a session's transcript recorded it, for `agtop report tools` (never its arguments). */
export interface ToolCallRecord {
  /** The tool's name as the agent calls it; for an MCP tool, its name on its server (`search_issues`). */
  name: string;
  /** The MCP server of an MCP tool (`github`), else null. */
  server: string | null;
  /** When the call was made (ms since epoch), when recorded. */
  startedAt: number | null;
  /** When its result was recorded; null when it has none or the store keeps no time. */
  endedAt: number | null;
  /** True when it has a result; false while it runs, or when it was interrupted before one. */
  answered: boolean;
  /** True when its result is marked as an error. */
  failed: boolean;
}

/**
 * Reads every tool call of the session at `path` (a path the session listing gave), oldest first. Throws
 * when the store cannot be read; a malformed record is skipped.
 */
export type ToolCallReader = (path: string) => ToolCallRecord[];

/** An environment variable an agent sets on the commands it runs, so their orphans can be told apart. */
export interface OrphanMarker {
  /** The variable's name, e.g. `CODEX_THREAD_ID`. */
  readonly env: string;
  /** True when its value is the agent's session (thread) id. */
  readonly session: boolean;
}

/** The command-line flags that turn an agent's permission checks off. */
export interface BypassFlags {
  /** Flags that do it on their own, e.g. `--yolo`. */
  readonly flags?: readonly string[];
  /** Options whose value does it (`--opt value` or `--opt=value`), e.g. `{ "--sandbox": "danger-full-access" }`. */
  readonly values?: Readonly<Record<string, string>>;
}

/** Where a vendor's sessions live by default (see {@linkcode Vendor.sessionHome}). */
export interface SessionHome {
  /** Folders under the home directory (`.claude`, `.local/share/amp`). */
  dirs: readonly string[];
  /** Variables that move them (`CLAUDE_CONFIG_DIR`, `XDG_DATA_HOME`). */
  env: readonly string[];
}

/** One coding agent product. */
export interface Vendor {
  /** Short stable id, e.g. `claude`, `codex`. */
  readonly id: string;
  /** Display label, e.g. `Claude Code`. */
  readonly label: string;
  /**
   * Classifies a process: its role in this agent, or null when it is not this agent's.
   * `script` is the real path (symlinks resolved) of the script a runtime process runs
   * (`node`, `bun`, `deno`, `python`: its first non-option argument), or null.
   */
  recognise(p: ProcessInfo, script: string | null): RecognisedRole | null;
  /**
   * `recognise` with its reasons (for `agtop doctor`; slower, never on the per-tick path): the role and
   * the rule that gave it, or why a process that looks like this agent's is not; null when nothing
   * about the process looks like it. Vendors without it are explained by `recognise` alone.
   */
  explain?(p: ProcessInfo, script: string | null): Recognition | null;
  /** Options of its command line that take the next argument as their value, e.g. `--model`. */
  readonly valued?: readonly string[];
  /** The environment variable that moves its data directory (a profile), e.g. `CLAUDE_CONFIG_DIR`. */
  readonly dataDirEnv?: string;
  /** The variables it sets on the commands it runs, most telling first. */
  readonly orphanMarkers?: readonly OrphanMarker[];
  /** The flags that make it run without permission checks. */
  readonly dangerousFlags?: BypassFlags;
  /** The npm packages it ships as (a global install of one is the agent updating itself). */
  readonly packages?: readonly string[];
  /** The wrappers it puts around the commands its tools run (unwrapped by `userCommand`). */
  readonly shellWrappers?: readonly ShellWrapper[];
  /**
   * Loads the agent's session reader module and returns a new reader, when agtop can read this agent's
   * sessions. Loaded on first use, so start-up pays only for the readers of the agents that are
   * present; each call makes a reader of its own (one per collector). Readers that cannot keep a
   * session's whole usage history ignore `options.history`.
   */
  readonly sessions?: (options?: ReaderOptions) => Promise<SessionSource>;
  /**
   * Where its sessions live by default, as folders under the home directory (`dirs`), and the variables
   * that move them (`env`): a history read (`agtop report`) loads the session reader only when one of
   * the folders exists or one of the variables is set, in agtop's environment or a profile's. Absent:
   * always loaded. Empty `dirs` and `env`: its reader lists only stores a live agent showed it, so a
   * history read has nothing to list. `tests/agents/vendors/session_home_test.ts` holds every reader's
   * data directories under it.
   */
  readonly sessionHome?: SessionHome;
  /**
   * Loads the reader of the tool calls in its session files, where its transcripts record them (only
   * `agtop report tools` loads it).
   */
  readonly tools?: () => Promise<ToolCallReader>;
}
