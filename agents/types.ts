/**
 * The domain of agtop: agents, the processes they are made of, and the {@linkcode Snapshot} that is
 * the one contract between collection and output.
 *
 * @module
 */

import type { ListeningPort, ProcessState } from "../platform/types.ts";
import type { SessionFacts } from "./session.ts";
import type { CostBasis } from "./pricing/cost.ts";
import type { CacheWarmth } from "./cache.ts";
import type { Burn } from "./burn.ts";
import type { TerminalPlace } from "./terminal.ts";

/**
 * One word for what an agent is doing (documented in the README):
 * - `busy`: a tool runs or the model generates;
 * - `waiting`: the turn ended and the agent waits for the user;
 * - `idle`: alive and quiet for minutes;
 * - `subagents`: subagents are in flight;
 * - `limited`: rate-limited until a reset time (the newest event is a usage-limit error);
 * - `done`: the session ended or its process exited.
 */
export type AgentStatus = "busy" | "waiting" | "idle" | "subagents" | "limited" | "done";

/** Every {@linkcode AgentStatus}, most urgent first (the order of totals and legends). */
export const AGENT_STATUSES: readonly AgentStatus[] = [
  "busy",
  "waiting",
  "subagents",
  "limited",
  "idle",
  "done",
];

/** How a process relates to the agent it belongs to. */
export type ProcessRole =
  /** The process that does the agent's work (the row's pid). */
  | "main"
  /** Starts the main process and waits (npm shim, node loader, the parent of a self-relaunch). */
  | "launcher"
  /** Infrastructure the agent runs beside itself (e.g. Codex's app-server daemon). */
  | "helper"
  /** A descendant that is not part of the agent: the commands its tools run. */
  | "child"
  /** A descendant that updates the agent (a global install of its own package) and what that runs. */
  | "updater"
  /** An MCP server the agent runs as its helper (`npx …-mcp-server`, `uvx mcp-…`) and what that runs. */
  | "mcp"
  /** A process the agent started that outlived it. */
  | "orphan";

/** A process shown as part of an agent. */
export interface AgentProcess {
  pid: number;
  ppid: number;
  name: string;
  argv: string[];
  role: ProcessRole;
  /**
   * The user's command this process runs, taken out of the agent's shell wrapper (`bash -c …`,
   * Claude Code's `eval '<cmd>'`, Codex's sandbox launcher); absent when it is no wrapper.
   */
  command?: string;
  state: ProcessState;
  startedAt: number;
  /** CPU use over the sample window, percent of one core. */
  cpuPercent: number;
  rssBytes: number;
  threads: number;
}

/** A listening socket and the process that holds it. */
export interface AgentPort extends ListeningPort {
  pid: number;
}

/** Git facts of an agent's project. */
export interface AgentGit {
  /** Repository root (the worktree's top directory). */
  root: string;
  /** Checked-out branch, or null when detached. */
  branch: string | null;
  /** Short commit when HEAD is detached. */
  detached: string | null;
  /** True when the cwd is a linked worktree (`git worktree add`), not the main checkout. */
  worktree: boolean;
}

/** One coding agent: one row in every output. */
export interface Agent {
  /** Stable identity across ticks: `<pid>:<startId>` of the main process. */
  key: string;
  /** Vendor id, e.g. `claude`, `codex`, or a custom matcher's label. */
  agent: string;
  /** Display label, e.g. `Claude Code`. */
  label: string;
  pid: number;
  ppid: number;
  name: string;
  exe: string | null;
  argv: string[];
  cwd: string | null;
  /** Project name derived from cwd (its last path component), or null. */
  project: string | null;
  state: ProcessState;
  threads: number;
  startedAt: number;
  uptimeSec: number;
  /** CPU percent of one core, summed over the main process and its launchers and helpers. */
  cpuPercent: number;
  cpuTimeMs: number;
  /** Resident memory summed over the main process and its launchers and helpers. */
  rssBytes: number;
  readBytes: number | null;
  writeBytes: number | null;
  /** True when the agent runs without permission checks. */
  dangerous: boolean;
  /** The argv flags (or `sudo`) that made it dangerous. */
  dangerousFlags: string[];
  /** Launchers and helpers folded into this agent (not the main process). */
  processes: AgentProcess[];
  /** Descendants that are not part of the agent (the tools it runs), in tree order. */
  children: AgentProcess[];
  /** Regular files the agent's processes hold open for writing. */
  writingFiles: string[];
  /** Ports the agent and its descendants listen on (the dev server it started), with the pid that holds each. */
  ports: AgentPort[];
  /** Controlling terminal device, e.g. `/dev/pts/3`; null when none or unknown. */
  tty: string | null;
  /** Where it runs, in words: `tmux pane %3`, `kitty`, `pts/7 over ssh`, `no terminal`. */
  terminal: string | null;
  /**
   * Where it runs, in detail: the multiplexer with its pane and tmux socket (to jump there), the
   * terminal app, ssh. Absent on rows without a live process.
   */
  terminalPlace?: TerminalPlace;
  /** The project's git state, read from the repository files; null outside a repository. */
  git: AgentGit | null;
  /** Processes the agent started that outlived it (on `done` rows), with what they use. */
  orphans: AgentProcess[];
  session: SessionFacts | null;
  status: AgentStatus;
  /**
   * Since when (ms since epoch) the agent has had this status: when the collector saw it change; on the
   * first tick it sees the agent, the session's last activity for a quiet status (`waiting`, `idle`,
   * `done`), else that first sight.
   */
  statusSince: number;
  /** Estimated cost of the session in USD (subagents included); null when unknown or no session. */
  costUsd: number | null;
  /** How the cost was reached: list prices, a local model (free), or unknown; null without a session. */
  costBasis: CostBasis | null;
  /** USD the prompt cache saved this session at list prices (reads priced as input minus their cost); null when unknown. */
  cacheSavedUsd: number | null;
  /** Context window of the session's model in tokens, when known. */
  contextLimit: number | null;
  /** Newest prompt size over the context window, 0–100; null when unknown. */
  contextPercent: number | null;
  /** What it is doing in a few words: `running npm test`, `waiting for you`, `idle for 12m`. */
  phrase: string;
  /** Whether the provider still holds the session's prompt cache; null without a known last request. */
  cache: CacheWarmth | null;
  /** Tokens per minute, USD per hour and the 5-hour usage block; null without a usage timeline. */
  burn: Burn | null;
}

export type { Burn, CacheWarmth, CostBasis };

/** Machine facts in a snapshot. */
export interface HostFacts {
  hostname: string;
  os: string;
  arch: string;
  cpuCount: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  bootTime: number;
  uptimeSec: number;
}

/** Everything one tick collected. Renderers only read this. */
export interface Snapshot {
  /** JSON schema version; bumped on incompatible changes. */
  schema: number;
  /** agtop version. */
  version: string;
  /** ms since epoch. */
  takenAt: number;
  /** Length of the CPU sample window in ms (0 = lifetime averages). */
  sampleMs: number;
  host: HostFacts;
  agents: Agent[];
  /** Snapshot date of the bundled price table, when prices are loaded. */
  pricesDate: string | null;
  /**
   * With recent sessions listed (`--all`): how many more were active in the window than the newest
   * listed (the cap, `RECENT_SESSIONS_MAX`); absent otherwise.
   */
  moreSessions?: number;
}
