/**
 * One tick of collection: processes from the platform, agents from the detector, CPU% from the
 * difference between two samples, sessions from the vendors. Produces the {@linkcode Snapshot}.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, ProcessSource } from "../platform/types.ts";
import { WRITING_FILES_LIMIT } from "../platform/types.ts";
import type { Agent, AgentGit, AgentPort, AgentProcess, HostFacts, ProcessRole, Snapshot } from "./types.ts";
import type { LinkContext, SessionLink, SessionSource, Vendor } from "./vendor.ts";
import type { SessionFacts } from "./session.ts";
import { detect, type Detection } from "./detect.ts";
import { dangerousFlags } from "./danger.ts";
import type { PriceTable } from "./pricing/table.ts";
import { contextLimit, sessionCost } from "./pricing/cost.ts";
import { isLocalModel, lookupModel, type ModelPrice } from "./pricing/table.ts";
import { agentStatus } from "./status.ts";
import { cacheWarmth } from "./cache.ts";
import { sessionBurn } from "./burn.ts";
import { doingPhrase } from "./phrase.ts";
import { describeTerminal, TERMINAL_ENV_KEYS } from "./terminal.ts";
import { gitFacts } from "./git.ts";
import { familyOf, type Orphan, OrphanTracker } from "./orphans.ts";
import { AgentCounters } from "./counters.ts";
import { Notices } from "../platform/notices.ts";

/** Snapshot JSON schema version. */
export const SCHEMA_VERSION = 1;

/** Environment variables every agent process is asked for (data directories). */
export const BASE_ENV_KEYS = [
  "HOME",
  "USER",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_STATE_HOME",
  "XDG_CACHE_HOME",
];

/** What a collector needs. */
export interface CollectorOptions {
  source: ProcessSource;
  vendors: readonly Vendor[];
  version: string;
  /** Prices for cost and context windows (the bundled table, with any overrides). */
  prices: PriceTable;
  /**
   * Also list sessions active within this many ms whose process is gone (`ls --all`), as `done` rows
   * with pid 0; null lists live agents only.
   */
  recentMs?: number | null;
  /**
   * More environments to look for recent sessions in, per vendor id (several profiles of one agent,
   * e.g. `{ claude: [{ CLAUDE_CONFIG_DIR: "/home/me/.claude-work" }] }`).
   */
  profiles?: Readonly<Record<string, readonly Record<string, string>[]>>;
  /** Clock, for tests. */
  now?: () => number;
}

/** The rates of a model that runs locally. */
const FREE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, maxInputTokens: null };

/** Most tool children whose environment is read for session links, per agent and tick. */
const CHILD_ENV_LIMIT = 16;

/** What linking a session needs besides the agent row. */
interface Pending {
  agent: Agent;
  detection: Detection;
  vendor: Vendor;
  ctx: Omit<LinkContext, "claimed">;
}

interface Sample {
  cpuTimeMs: number;
  at: number;
}

const identity = (p: ProcessInfo) => `${p.pid}:${p.startId}`;

/**
 * Collects snapshots. Keep one instance across ticks: CPU% is the CPU time used between two ticks
 * over the wall time between them, per (pid, start time), so a reused pid never yields a false delta.
 *
 * @example
 * ```ts
 * const c = new Collector({ source: processSource(), vendors: VENDORS, version: "0.1.0" });
 * await c.tick(); // primes the CPU sample
 * await new Promise((r) => setTimeout(r, 250));
 * const snap = await c.tick();
 * ```
 */
export class Collector {
  #opts: CollectorOptions;
  #samples = new Map<string, Sample>();
  #lastTick: number | null = null;
  #envKeys: string[] = [...BASE_ENV_KEYS, ...TERMINAL_ENV_KEYS];
  #orphans: OrphanTracker;
  #counters = new AgentCounters();
  /** Session readers loaded so far, by vendor. */
  #sources = new Map<Vendor, SessionSource>();
  /** Vendors whose session reader failed to load (tried once). */
  #failed = new Set<Vendor>();
  #notices = new Notices();

  constructor(opts: CollectorOptions) {
    this.#opts = opts;
    this.#orphans = new OrphanTracker({ source: opts.source, vendors: opts.vendors });
  }

  /**
   * Takes a sample and builds the snapshot. Never throws for a process or file that misbehaves.
   * `recentMs` overrides the option of the same name for this tick (the live view's `a` toggle).
   * Asynchronous only to load the session readers of agents seen for the first time.
   */
  async tick(recentMs: number | null = this.#opts.recentMs ?? null): Promise<Snapshot> {
    const now = (this.#opts.now ?? Date.now)();
    const { source, vendors } = this.#opts;
    const processes = source.list();
    const sys = source.system();
    const cpu = this.#cpuPercents(processes, now);
    const sampleMs = this.#lastTick === null ? 0 : now - this.#lastTick;
    this.#lastTick = now;

    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const detections = detect(processes, vendors);
    await this.#loadSources(recentMs ? vendors : detections.map((d) => d.vendor));
    const pending = detections.map((d) => this.#agent(d, byPid, cpu, now));
    this.#counters.endTick();
    const claimed = this.#linkSessions(pending, now);
    const agents = pending.map((p) => p.agent);
    const orphans = this.#orphans.update(pending.map((p) => familyOf(p.agent, p.detection)), processes);
    agents.push(...this.#orphanRows(orphans, agents, cpu, now));
    this.#assignPorts(agents);
    if (recentMs) agents.push(...this.#recent(pending, claimed, now, now - recentMs));
    const host: HostFacts = {
      hostname: sys.hostname,
      os: sys.os,
      arch: sys.arch,
      cpuCount: sys.cpuCount,
      memTotalBytes: sys.memTotalBytes,
      memAvailableBytes: sys.memAvailableBytes,
      bootTime: sys.bootTime,
      uptimeSec: Math.max(0, (now - sys.bootTime) / 1000),
    };
    return {
      schema: SCHEMA_VERSION,
      version: this.#opts.version,
      takenAt: now,
      sampleMs,
      host,
      agents,
      pricesDate: this.#opts.prices.snapshot,
    };
  }

  /** CPU% per process identity; the first sample of a process uses its lifetime average. */
  #cpuPercents(processes: ProcessInfo[], now: number): Map<string, number> {
    const out = new Map<string, number>();
    const next = new Map<string, Sample>();
    for (const p of processes) {
      const id = identity(p);
      const prev = this.#samples.get(id);
      const dt = prev ? now - prev.at : now - p.startedAt;
      const used = prev ? p.cpuTimeMs - prev.cpuTimeMs : p.cpuTimeMs;
      out.set(id, dt > 0 ? Math.max(0, (used / dt) * 100) : 0);
      next.set(id, { cpuTimeMs: p.cpuTimeMs, at: now });
    }
    this.#samples = next;
    return out;
  }

  /**
   * Why some fields are missing: session readers that failed to load or threw, once per vendor and
   * step (`ls --verbose` prints them).
   */
  notices(): string[] {
    return this.#notices.list();
  }

  /**
   * Loads the session readers of `vendors` not loaded yet; a reader that fails to load becomes a notice
   * and that vendor's agents are shown without sessions.
   */
  async #loadSources(vendors: readonly Vendor[]): Promise<void> {
    const missing = [...new Set(vendors)].filter((v) =>
      v.sessions && !this.#sources.has(v) && !this.#failed.has(v)
    );
    if (!missing.length) return;
    const loaded = await Promise.allSettled(missing.map((v) => v.sessions!()));
    loaded.forEach((r, i) => {
      if (r.status === "fulfilled") this.#sources.set(missing[i], r.value);
      else {
        this.#failed.add(missing[i]);
        this.#notices.failure(`loading the ${missing[i].label} session reader`, r.reason);
      }
    });
    const keys = new Set(this.#envKeys);
    for (const s of this.#sources.values()) for (const k of s.envKeys) keys.add(k);
    this.#envKeys = [...keys];
  }

  /**
   * Links each agent to its session and reads it, newest-started agent first: the cwd fallback takes
   * the newest unclaimed transcript, so two agents in one directory pair up by start order. Then sets
   * status, cost and context fill. Returns the transcript paths linked.
   */
  #linkSessions(pending: Pending[], now: number): Set<string> {
    const claimed = new Set<string>();
    const order = [...pending].sort((a, b) => b.agent.startedAt - a.agent.startedAt);
    for (const { agent, vendor, ctx } of order) {
      const sessions = this.#sources.get(vendor);
      const link = sessions ? this.#guard(vendor, "linking", () => sessions.link({ ...ctx, claimed })) : null;
      if (link) claimed.add(link.path);
      const session = link ? this.#read(vendor, sessions!, link, now) : null;
      this.#settle(agent, session, now, true);
    }
    return claimed;
  }

  /** The facts of a linked session, stamped with vendor, path and how it was linked; null when the reader fails. */
  #read(vendor: Vendor, sessions: SessionSource, link: SessionLink, now: number): SessionFacts | null {
    const read = this.#guard(vendor, "reading", () => sessions.read(link, now));
    return read ? { ...read, vendor: vendor.id, path: link.path, linkedBy: link.linkedBy } : null;
  }

  /** `step()`, or null (and a notice) when it throws: one reader's failure costs one field. */
  #guard<T>(vendor: Vendor, what: string, step: () => T): T | null {
    try {
      return step();
    } catch (error) {
      this.#notices.failure(`${what} ${vendor.label} sessions`, error);
      return null;
    }
  }

  /** Fills in session, status, what it is doing, cost, context, cache warmth and burn of an agent. */
  #settle(agent: Agent, session: SessionFacts | null, now: number, alive: boolean): void {
    agent.session = session;
    agent.status = agentStatus({
      cpuPercent: agent.cpuPercent,
      toolChildren: agent.children.filter((c) => c.state !== "zombie").length,
      session,
      now,
      alive,
    });
    agent.phrase = doingPhrase(agent, now);
    if (!session) return;
    const { prices } = this.#opts;
    const priceOf = (model: string) => isLocalModel(model) ? FREE : lookupModel(prices, model)?.price ?? null;
    agent.cache = cacheWarmth(session, now, session.model ? priceOf(session.model) : null);
    agent.burn = sessionBurn(session, now, priceOf);
    const cost = sessionCost(session.tokensByModel, prices);
    const context = contextLimit(session.model, session.contextTokens, prices, session.contextWindow);
    const recorded = session.costUsd ?? null;
    agent.costUsd = recorded ?? cost.usd;
    agent.costBasis = recorded === null ? cost.basis : cost.basis === "local" ? "local" : "api";
    agent.contextLimit = context.limit;
    agent.contextPercent = context.fill === null ? null : context.fill * 100;
  }

  /**
   * Attaches orphans to their agents: a live agent holding the orphan's session keeps it; otherwise
   * the orphans of one gone agent share a `done` row.
   */
  #orphanRows(orphans: Orphan[], live: Agent[], cpu: Map<string, number>, now: number): Agent[] {
    const rows = new Map<string, Agent>();
    for (const o of orphans) {
      const view: AgentProcess = {
        pid: o.pid,
        ppid: o.ppid,
        name: o.name,
        argv: o.argv,
        role: "orphan",
        state: o.state,
        startedAt: o.startedAt,
        cpuPercent: cpu.get(`${o.pid}:${o.startId}`) ?? 0,
        rssBytes: o.rssBytes,
        threads: 0,
      };
      const owner = live.find((a) => a.key === o.agentKey || (o.sessionId && a.session?.id === o.sessionId));
      if (owner) {
        owner.orphans.push(view);
        continue;
      }
      const key = o.agentKey ?? `orphans:${o.agent}:${o.sessionId ?? o.cwd ?? ""}`;
      let row = rows.get(key);
      if (!row) {
        row = goneAgentRow(key, o, now);
        rows.set(key, row);
      }
      row.orphans.push(view);
      row.cpuPercent += view.cpuPercent;
      row.rssBytes += view.rssBytes;
    }
    for (const row of rows.values()) row.phrase = doingPhrase(row, now);
    return [...rows.values()];
  }

  /** Listening ports of every agent's processes, descendants and orphans, read in one call. */
  #assignPorts(agents: Agent[]): void {
    const listeningPorts = this.#opts.source.listeningPorts;
    if (!listeningPorts) return;
    const owner = new Map<number, Agent>();
    for (const a of agents) {
      for (const p of [a.pid, ...a.processes.map((x) => x.pid), ...a.children.map((x) => x.pid)]) {
        if (p > 0 && !owner.has(p)) owner.set(p, a);
      }
      for (const o of a.orphans) if (!owner.has(o.pid)) owner.set(o.pid, a);
    }
    if (owner.size === 0) return;
    for (const [pid, ports] of listeningPorts.call(this.#opts.source, [...owner.keys()])) {
      owner.get(pid)!.ports.push(...ports.map((p): AgentPort => ({ ...p, pid })));
    }
    for (const a of agents) a.ports.sort((x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol));
  }

  /** Sessions active within `recentMs` that no live agent holds: `done` rows without a process. */
  #recent(pending: Pending[], claimed: Set<string>, now: number, since: number): Agent[] {
    const own = ownEnv(this.#envKeys);
    const rows: Agent[] = [];
    for (const vendor of this.#opts.vendors) {
      const sessions = this.#sources.get(vendor);
      if (!sessions) continue;
      const envs = [
        own,
        ...(this.#opts.profiles?.[vendor.id] ?? []).map((e) => ({ ...own, ...e })),
        ...pending.filter((p) => p.vendor === vendor).map((p) => p.ctx.env),
      ];
      for (const link of this.#guard(vendor, "listing", () => sessions.recent(envs, since)) ?? []) {
        if (claimed.has(link.path)) continue;
        claimed.add(link.path);
        const session = this.#read(vendor, sessions, link, now);
        if (!session) continue;
        const row = sessionRow(vendor, session, now);
        this.#settle(row, session, now, false);
        rows.push(row);
      }
    }
    return rows;
  }

  #agent(d: Detection, byPid: Map<number, ProcessInfo>, cpu: Map<string, number>, now: number): Pending {
    const { source } = this.#opts;
    const main = d.main;
    const view = (p: ProcessInfo, role: ProcessRole): AgentProcess => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      argv: p.argv,
      role,
      state: p.state,
      startedAt: p.startedAt,
      cpuPercent: cpu.get(identity(p)) ?? 0,
      rssBytes: p.rssBytes,
      threads: p.threads,
    });
    const own = [main, ...d.members.map((m) => m.process)];
    const details = own.map((p) => source.details(p.pid, p === main ? this.#envKeys : []));
    const mainDetails: ProcessDetails = details[0];
    const writing = new Set<string>();
    for (const p of own) for (const f of source.writingFiles(p.pid, WRITING_FILES_LIMIT)) writing.add(f);
    const children = d.children.map((c) => view(c, "child"));
    const cpuPercent = own.reduce((s, p) => s + (cpu.get(identity(p)) ?? 0), 0);
    const ancestors: ProcessInfo[] = [];
    for (let p = byPid.get(main.ppid); p && ancestors.length < 64; p = byPid.get(p.ppid)) {
      ancestors.push(p);
      if (p.ppid === p.pid) break;
    }
    const flags = dangerousFlags(main.argv, ancestors);
    const cwd = mainDetails.cwd;
    const counters = this.#counters.total(
      identity(main),
      new Map(own.map((p, i) => {
        const { readBytes, writeBytes } = details[i];
        return [identity(p), { cpuTimeMs: p.cpuTimeMs, readBytes, writeBytes }];
      })),
    );
    const agent: Agent = {
      key: identity(main),
      agent: d.vendor.id,
      label: d.vendor.label,
      pid: main.pid,
      ppid: main.ppid,
      name: main.name,
      exe: main.exe,
      argv: main.argv,
      cwd,
      project: projectName(cwd),
      state: main.state,
      threads: own.reduce((s, p) => s + p.threads, 0),
      startedAt: main.startedAt,
      uptimeSec: Math.max(0, (now - main.startedAt) / 1000),
      cpuPercent,
      cpuTimeMs: counters.cpuTimeMs,
      rssBytes: own.reduce((s, p) => s + p.rssBytes, 0),
      readBytes: counters.readBytes,
      writeBytes: counters.writeBytes,
      dangerous: flags.length > 0,
      dangerousFlags: flags,
      processes: d.members.map((m) => view(m.process, m.role)),
      children,
      writingFiles: [...writing].sort().slice(0, WRITING_FILES_LIMIT),
      ports: [],
      tty: null,
      terminal: null,
      git: cwd ? gitOf(cwd) : null,
      orphans: [],
      session: null,
      status: "idle",
      costUsd: null,
      costBasis: null,
      contextLimit: null,
      contextPercent: null,
      phrase: "",
      cache: null,
      burn: null,
    };
    const sessions = this.#sources.get(d.vendor);
    const childEnv = sessions
      ? d.children.slice(0, CHILD_ENV_LIMIT).map((c) => source.details(c.pid, sessions.envKeys).env)
      : [];
    const env = Object.keys(mainDetails.env).length ? mainDetails.env : ownEnv(this.#envKeys);
    agent.tty = source.terminal?.(main.pid) ?? null;
    agent.terminal = (agent.terminalPlace = describeTerminal(agent.tty, mainDetails.env)).label;
    const ctx = {
      pid: main.pid,
      startedAt: main.startedAt,
      startId: main.startId,
      argv: main.argv,
      cwd,
      env,
      home: env.HOME ?? Deno.env.get("HOME") ?? "",
      openFiles: [...writing],
      childEnv,
      now,
    };
    return { agent, detection: d, vendor: d.vendor, ctx };
  }
}

/** agtop's own values of `keys`: the fallback when an agent's environment cannot be read. */
function ownEnv(keys: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of keys) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** Git facts of a directory in the shape agents carry. */
function gitOf(cwd: string): AgentGit | null {
  const g = gitFacts(cwd);
  return g ? { root: g.root, branch: g.branch, detached: g.detached, worktree: g.worktree } : null;
}

/** A `done` row for an agent that is gone but left orphans running. */
function goneAgentRow(key: string, o: Orphan, now: number): Agent {
  const pid = o.agentKey ? Number(o.agentKey.split(":")[0]) : 0;
  return { ...goneRow(key, o.agent, o.label, o.cwd, o.startedAt, now), pid };
}

/** A row for a session whose process is gone (pid 0). */
function sessionRow(vendor: Vendor, session: SessionFacts, now: number): Agent {
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
  started: number,
  now: number,
): Agent {
  return {
    key,
    agent,
    label,
    pid: 0,
    ppid: 0,
    name: "",
    exe: null,
    argv: [],
    cwd,
    project: projectName(cwd),
    state: "dead",
    threads: 0,
    startedAt: started,
    uptimeSec: Math.max(0, (now - started) / 1000),
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
    git: cwd ? gitOf(cwd) : null,
    orphans: [],
    session: null,
    status: "done",
    costUsd: null,
    costBasis: null,
    contextLimit: null,
    contextPercent: null,
    phrase: "",
    cache: null,
    burn: null,
  };
}

/** The project an agent works in: the last component of its working directory. */
export function projectName(cwd: string | null): string | null {
  if (!cwd) return null;
  const parts = cwd.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : cwd;
}
