/**
 * `--private`: a copy of a snapshot that is safe to show on a shared screen or paste into a bug report.
 * Only statuses, numbers and labels stay; every text that can hold what the user works on goes.
 *
 * Removed (free text → `null` where the field may be empty, `""` where it must be a string, `[]` for
 * command lines):
 * - prompts, titles, tasks, assistant and tool text of the activity tail (its kinds and times stay),
 *   tool arguments (the tool's name stays), subagent descriptions;
 * - paths: cwd, executable, transcript path, git root, files being written, the session's cwd;
 * - command lines (argv) of the agent, its launchers, helpers, tool children and orphans;
 * - git branches (the session's, and the project's, which reads `(private)` so a branch and a detached
 *   HEAD still differ).
 *
 * Replaced:
 * - project names become `project-1`, `project-2`, … numbered by the oldest agent in each project,
 *   the same name for the same project (so grouping and per-project totals still work);
 * - row keys that hold a path (rows of gone sessions) become `private-1`, `private-2`, …;
 * - a process name that is not a bare command name (`node`, `bash`, `pytest`) reads `(private)`;
 * - the terminal keeps its kind (`tmux pane %3`, `kitty`, `pts/3 over ssh`, else `terminal`);
 * - the phrase is rebuilt from what is left (`running a command`, `editing files`).
 *
 * Kept: statuses, numbers, times, agent ids and labels, model ids, tool names, subagent types, session
 * and call ids (random identifiers), rate-limit names and plans, dangerous flags (a fixed set of
 * option names), ports and the addresses they listen on, and the host facts with the hostname (the
 * user's own machine).
 *
 * @module
 */

import type { Aggregates } from "../agents/aggregates.ts";
import type { Agent, AgentProcess, Snapshot } from "../agents/types.ts";
import type { SessionFacts, SubagentFacts, ToolCall } from "../agents/session.ts";
import { doingPhrase } from "../agents/phrase.ts";

/** What a hidden value that still shows as a value reads. */
export const HIDDEN = "(private)";

/** A process name kept as it is: a bare command name such as `node`, `bash`, `pytest`. */
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,31}$/;

/** Terminal labels kept as they are: a multiplexer pane, a terminal device, an app name. */
const TERMINAL_LABEL =
  /^(?:(?:tmux|zellij) pane %?\d+|screen window \d+|pts\/\d+|tty[a-z]*\d+|[a-z][a-z0-9-]*)$/;

/** Controlling terminal devices kept as they are. */
const TTY = /^\/dev\/(?:pts\/\d+|tty[a-z]*\d+)$/;

/**
 * The replacements of one run of agtop: project names and row keys map to the same pseudonym every
 * time they are seen, so the live view stays stable from tick to tick. Keep one per view.
 */
export class Pseudonyms {
  #projects = new Map<string, string>();
  #keys = new Map<string, string>();

  /** `project-N` for a project name, N counting up from 1 in the order names are first seen. */
  project(name: string): string {
    return remember(this.#projects, name, "project");
  }

  /** A row key: `<pid>:<start>` as it is; others (which hold paths) as `private-N`. */
  key(key: string): string {
    return /^\d+:\d+$/.test(key) ? key : remember(this.#keys, key, "private");
  }
}

function remember(map: Map<string, string>, value: string, prefix: string): string {
  let out = map.get(value);
  if (out === undefined) map.set(value, out = `${prefix}-${map.size + 1}`);
  return out;
}

/**
 * A process name as `--private` shows it: a bare command name stays, anything else reads `(private)`.
 *
 * @example
 * ```ts
 * processName("node"); // "node"
 * ```
 */
export const processName = (name: string): string => (name === "" || COMMAND_NAME.test(name) ? name : HIDDEN);

function proc({ command: _, ...p }: AgentProcess): AgentProcess {
  return { ...p, name: processName(p.name), argv: [] };
}

function tool(t: ToolCall | null): ToolCall | null {
  return t && { name: t.name, arg: "", id: t.id, startedAt: t.startedAt };
}

function subagent(s: SubagentFacts): SubagentFacts {
  return {
    id: s.id,
    type: s.type,
    description: null,
    status: s.status,
    model: s.model,
    tokens: { ...s.tokens },
    currentTool: tool(s.currentTool),
    lastActivity: s.lastActivity,
  };
}

function session(s: SessionFacts): SessionFacts {
  const out: SessionFacts = {
    vendor: s.vendor,
    id: s.id,
    path: "",
    linkedBy: s.linkedBy,
    cwd: null,
    gitBranch: null,
    title: null,
    model: s.model,
    lastPrompt: null,
    currentTask: null,
    currentTool: tool(s.currentTool),
    subagents: s.subagents.map(subagent),
    turn: s.turn,
    stopReason: s.stopReason,
    startedAt: s.startedAt,
    lastActivity: s.lastActivity,
    tokens: { ...s.tokens },
    tokensByModel: structuredClone(s.tokensByModel),
    contextTokens: s.contextTokens,
    contextWindow: s.contextWindow,
    activity: s.activity.map((e) => ({ at: e.at, kind: e.kind, text: "" })),
    malformedLines: s.malformedLines,
  };
  // Optional facts: copied only when the reader set them, so the JSON keeps its shape.
  if (s.waitingFor !== undefined) {
    out.waitingFor = s.waitingFor &&
      (/permission|approv/i.test(s.waitingFor) ? "permission prompt" : "input");
  }
  if (s.costUsd !== undefined) out.costUsd = s.costUsd;
  if (s.rateLimits !== undefined) out.rateLimits = structuredClone(s.rateLimits);
  if (s.limitedUntil !== undefined) out.limitedUntil = s.limitedUntil;
  if (s.lastRequestAt !== undefined) out.lastRequestAt = s.lastRequestAt;
  if (s.cacheTtlMs !== undefined) out.cacheTtlMs = s.cacheTtlMs;
  if (s.recentUsage !== undefined) out.recentUsage = structuredClone(s.recentUsage);
  if (s.blockStart !== undefined) out.blockStart = s.blockStart;
  return out;
}

function terminal(label: string | null): string | null {
  if (label === null || label === "no terminal") return label;
  const ssh = label.endsWith(" over ssh");
  const where = ssh ? label.slice(0, -" over ssh".length) : label;
  const kept = TERMINAL_LABEL.test(where) ? where : /^(tmux|zellij|screen)\b/.exec(where)?.[1] ?? "terminal";
  return ssh ? `${kept} over ssh` : kept;
}

function agent(a: Agent, names: Pseudonyms, now: number): Agent {
  const out: Agent = {
    key: names.key(a.key),
    agent: a.agent,
    label: a.label,
    pid: a.pid,
    ppid: a.ppid,
    name: processName(a.name),
    exe: null,
    argv: [],
    cwd: null,
    project: a.project === null ? null : names.project(a.project),
    state: a.state,
    threads: a.threads,
    startedAt: a.startedAt,
    uptimeSec: a.uptimeSec,
    cpuPercent: a.cpuPercent,
    cpuTimeMs: a.cpuTimeMs,
    rssBytes: a.rssBytes,
    readBytes: a.readBytes,
    writeBytes: a.writeBytes,
    dangerous: a.dangerous,
    dangerousFlags: [...a.dangerousFlags],
    processes: a.processes.map(proc),
    children: a.children.map(proc),
    writingFiles: a.writingFiles.map(() => HIDDEN),
    ports: a.ports.map((p) => ({ ...p })),
    tty: a.tty !== null && TTY.test(a.tty) ? a.tty : null,
    terminal: terminal(a.terminal),
    git: a.git && {
      root: "",
      branch: a.git.branch === null ? null : HIDDEN,
      detached: a.git.detached === null ? null : HIDDEN,
      worktree: a.git.worktree,
    },
    orphans: a.orphans.map(proc),
    session: a.session && session(a.session),
    status: a.status,
    statusSince: a.statusSince,
    costUsd: a.costUsd,
    costBasis: a.costBasis,
    cacheSavedUsd: a.cacheSavedUsd,
    contextLimit: a.contextLimit,
    contextPercent: a.contextPercent,
    phrase: "",
    cache: a.cache && { ...a.cache },
    burn: structuredClone(a.burn),
  };
  out.phrase = doingPhrase(out, now);
  return out;
}

/**
 * The snapshot with everything private removed or replaced (see the module doc); a deep copy, the
 * input is not changed. Pass the same {@linkcode Pseudonyms} on every tick of a live view so project
 * names and keys stay put.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * import { renderJson } from "./json.ts";
 * declare const snapshot: Snapshot;
 * const names = new Pseudonyms();
 * renderJson(redact(snapshot, names)); // no prompts, paths, command lines or project names
 * ```
 */
export function redact(snap: Snapshot, names: Pseudonyms = new Pseudonyms()): Snapshot {
  // Projects are numbered by their oldest agent, so the numbers do not depend on the sort order.
  const byAge = [...snap.agents].sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid);
  for (const a of byAge) if (a.project !== null) names.project(a.project);
  return {
    schema: snap.schema,
    version: snap.version,
    takenAt: snap.takenAt,
    sampleMs: snap.sampleMs,
    host: { ...snap.host },
    agents: snap.agents.map((a) => agent(a, names, snap.takenAt)),
    pricesDate: snap.pricesDate,
  };
}

/**
 * `aggregates` with each project's name replaced by its pseudonym in `names` (as {@linkcode redact} gave
 * them), in the same order. The input is not changed.
 *
 * @example
 * ```ts
 * import { aggregate } from "../agents/aggregates.ts";
 * import type { Snapshot } from "../agents/types.ts";
 * import { renderJson } from "./json.ts";
 * declare const snapshot: Snapshot;
 * const names = new Pseudonyms();
 * const shown = redact(snapshot, names);
 * renderJson(shown, redactAggregates(aggregate(snapshot.agents), names));
 * ```
 */
export function redactAggregates(aggregates: Aggregates, names: Pseudonyms): Aggregates {
  const out = structuredClone(aggregates);
  for (const p of out.byProject) if (p.project !== null) p.project = names.project(p.project);
  return out;
}
