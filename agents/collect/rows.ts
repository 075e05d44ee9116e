/**
 * Rows of the agent table: {@linkcode agentRow}, the one place an {@linkcode Agent} is built, and the
 * rows built from it: a live agent from its detected processes, a gone agent that left orphans, and a
 * recent session whose process is gone.
 *
 * @module
 */

import type { ProcessInfo, ProcessSource } from "../../platform/types.ts";
import { WRITING_FILES_LIMIT } from "../../platform/types.ts";
import type { Agent, AgentGit, AgentProcess, ProcessRole } from "../types.ts";
import type { Vendor } from "../vendor.ts";
import type { SessionFacts } from "../session.ts";
import type { Detection } from "../detect.ts";
import type { Orphan } from "../orphans.ts";
import { dangerousFlags } from "../danger.ts";
import { describeTerminal } from "../terminal.ts";
import { gitFacts } from "../git.ts";
import { identity, type Sampler } from "./sample.ts";
import { updaterPids } from "../self_update.ts";
import { mcpServerPids } from "../mcp_servers.ts";
import { userCommand } from "../wrappers.ts";
import { projectName } from "../project.ts";

/** What every row says; everything else has a default (no process, nothing known, `done`). */
export type AgentRowFields = Pick<Agent, "key" | "agent" | "label" | "cwd" | "startedAt" | "uptimeSec">;

/**
 * An agent row: `fields` over the defaults of a row without a live process (pid 0, `done`, no
 * session, nothing known); the project is the last component of `cwd` unless given.
 *
 * @example
 * ```ts
 * const row = agentRow({ key: "session:/x.jsonl", agent: "claude", label: "Claude Code", cwd: "/w/shop",
 *   startedAt: 0, uptimeSec: 0 });
 * row.project; // "shop"
 * ```
 */
export function agentRow(fields: AgentRowFields & Partial<Agent>): Agent {
  const row: Agent = {
    key: fields.key,
    agent: fields.agent,
    label: fields.label,
    pid: 0,
    ppid: 0,
    name: "",
    exe: null,
    argv: [],
    cwd: fields.cwd,
    project: projectName(fields.cwd),
    state: "dead",
    threads: 0,
    startedAt: fields.startedAt,
    uptimeSec: fields.uptimeSec,
    cpuPercent: 0,
    cpuTimeMs: 0,
    rssBytes: 0,
    readBytes: null,
    writeBytes: null,
    dangerous: false,
    dangerousFlags: [],
    processes: [],
    children: [],
    writingFiles: [],
    ports: [],
    tty: null,
    terminal: null,
    git: null,
    orphans: [],
    session: null,
    status: "done",
    statusSince: fields.startedAt,
    costUsd: null,
    costBasis: null,
    cacheSavedUsd: null,
    contextLimit: null,
    contextPercent: null,
    phrase: "",
    cache: null,
    burn: null,
  };
  return Object.assign(row, fields);
}

/** A live agent's row with what linking its session needs: its own environment and the files it writes. */
export interface LiveRow {
  agent: Agent;
  detection: Detection;
  /** The environment variables read from the main process (`envKeys`); empty when unreadable. */
  env: Record<string, string>;
  /** Files its processes have open for writing. */
  writing: string[];
}

/** Where a live row's facts come from. */
export interface RowSources {
  source: ProcessSource;
  sampler: Sampler;
  /** Environment variables to read from the main process. */
  envKeys: readonly string[];
  /** Every process of the tick, by pid (for the ancestors that make a flag dangerous). */
  byPid: ReadonlyMap<number, ProcessInfo>;
}

/**
 * The row of a detected agent: its processes, children, CPU, memory, counters, files, terminal and git.
 *
 * @example
 * ```ts
 * import type { ProcessInfo, ProcessSource } from "../../platform/types.ts";
 * import type { Detection } from "../detect.ts";
 * import type { Sampler } from "./sample.ts";
 *
 * declare const detection: Detection;
 * declare const source: ProcessSource;
 * declare const sampler: Sampler;
 * declare const byPid: ReadonlyMap<number, ProcessInfo>;
 * const { agent } = liveRow(detection, { source, sampler, envKeys: ["HOME"], byPid }, Date.now());
 * ```
 */
export function liveRow(d: Detection, from: RowSources, now: number): LiveRow {
  const { source, sampler } = from;
  const main = d.main;
  const view = (p: ProcessInfo, role: ProcessRole) => processView(p, role, sampler.cpu(p), p.threads);
  const own = [main, ...d.members.map((m) => m.process)];
  const details = own.map((p) => source.details(p.pid, p === main ? from.envKeys : []));
  const writing = new Set<string>();
  for (const p of own) for (const f of source.writingFiles(p.pid, WRITING_FILES_LIMIT)) writing.add(f);
  const ancestors: ProcessInfo[] = [];
  for (let p = from.byPid.get(main.ppid); p && ancestors.length < 64; p = from.byPid.get(p.ppid)) {
    ancestors.push(p);
    if (p.ppid === p.pid) break;
  }
  const flags = dangerousFlags(main.argv, ancestors);
  const updating = updaterPids(d.children, d.vendor.packages ?? []);
  const mcp = mcpServerPids(d.children);
  const child = (c: ProcessInfo) => {
    const v = view(c, updating.has(c.pid) ? "updater" : mcp.has(c.pid) ? "mcp" : "child");
    const command = userCommand(c.argv, d.vendor.shellWrappers);
    if (command !== null) v.command = command;
    return v;
  };
  const cwd = details[0].cwd;
  const counters = sampler.counters(own, details);
  const agent = agentRow({
    key: identity(main),
    agent: d.vendor.id,
    label: d.vendor.label,
    pid: main.pid,
    ppid: main.ppid,
    name: main.name,
    exe: main.exe,
    argv: main.argv,
    cwd,
    state: main.state,
    threads: own.reduce((s, p) => s + p.threads, 0),
    startedAt: main.startedAt,
    uptimeSec: Math.max(0, (now - main.startedAt) / 1000),
    cpuPercent: own.reduce((s, p) => s + sampler.cpu(p), 0),
    cpuTimeMs: counters.cpuTimeMs,
    rssBytes: own.reduce((s, p) => s + p.rssBytes, 0),
    readBytes: counters.readBytes,
    writeBytes: counters.writeBytes,
    dangerous: flags.length > 0,
    dangerousFlags: flags,
    processes: d.members.map((m) => view(m.process, m.role)),
    children: d.children.map(child),
    writingFiles: [...writing].sort().slice(0, WRITING_FILES_LIMIT),
    git: cwd ? gitOf(cwd) : null,
    status: "idle",
  });
  agent.tty = source.terminal?.(main.pid) ?? null;
  agent.terminal = (agent.terminalPlace = describeTerminal(agent.tty, details[0].env)).label;
  return { agent, detection: d, env: details[0].env, writing: [...writing] };
}

/**
 * A process as an agent row shows it.
 *
 * @example
 * ```ts
 * import type { Orphan } from "../orphans.ts";
 *
 * declare const orphan: Orphan;
 * processView(orphan, "orphan", 0.5, 0).role; // "orphan"
 * ```
 */
export function processView(
  p: Omit<AgentProcess, "role" | "cpuPercent" | "threads">,
  role: ProcessRole,
  cpuPercent: number,
  threads: number,
): AgentProcess {
  return {
    pid: p.pid,
    ppid: p.ppid,
    name: p.name,
    argv: p.argv,
    role,
    state: p.state,
    startedAt: p.startedAt,
    cpuPercent,
    rssBytes: p.rssBytes,
    threads,
  };
}

/**
 * A `done` row for an agent that is gone but left orphans running.
 *
 * @example
 * ```ts
 * import type { Orphan } from "../orphans.ts";
 *
 * declare const orphan: Orphan; // started by the agent "4242:17"
 * goneAgentRow("4242:17", orphan, Date.now()).pid; // 4242
 * ```
 */
export function goneAgentRow(key: string, o: Orphan, now: number): Agent {
  const pid = o.agentKey ? Number(o.agentKey.split(":")[0]) : 0;
  return { ...goneRow(key, o.agent, o.label, o.cwd, o.startedAt, now), pid };
}

/**
 * A row for a session whose process is gone (pid 0).
 *
 * @example
 * ```ts
 * import type { Vendor } from "../vendor.ts";
 * import type { SessionFacts } from "../session.ts";
 *
 * declare const vendor: Vendor;
 * declare const session: SessionFacts; // path "/home/me/.claude/projects/-w-shop/9f8a.jsonl"
 * sessionRow(vendor, session, Date.now()).key; // "session:/home/me/.claude/projects/-w-shop/9f8a.jsonl"
 * ```
 */
export function sessionRow(vendor: Vendor, session: SessionFacts, now: number): Agent {
  const started = session.startedAt ?? session.lastActivity ?? now;
  const row = goneRow(`session:${session.path}`, vendor.id, vendor.label, session.cwd, started, now);
  row.uptimeSec = Math.max(0, ((session.lastActivity ?? now) - started) / 1000);
  return row;
}

/** An agent row without a live process: status `done`, no process facts. */
function goneRow(
  key: string,
  agent: string,
  label: string,
  cwd: string | null,
  startedAt: number,
  now: number,
): Agent {
  const uptimeSec = Math.max(0, (now - startedAt) / 1000);
  return agentRow({ key, agent, label, cwd, startedAt, uptimeSec, git: cwd ? gitOf(cwd) : null });
}

/** Git facts of a directory in the shape agents carry. */
function gitOf(cwd: string): AgentGit | null {
  const g = gitFacts(cwd);
  return g ? { root: g.root, branch: g.branch, detached: g.detached, worktree: g.worktree } : null;
}
