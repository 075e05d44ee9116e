/**
 * One tick of collection: processes from the platform, agents from the detector, CPU% from the
 * difference between two samples, sessions from the vendors. Produces the {@linkcode Snapshot}.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, ProcessSource } from "../platform/types.ts";
import { WRITING_FILES_LIMIT } from "../platform/types.ts";
import type { Agent, AgentProcess, HostFacts, ProcessRole, Snapshot } from "./types.ts";
import type { Vendor } from "./vendor.ts";
import { detect, type Detection } from "./detect.ts";
import { dangerousFlags } from "./danger.ts";
import type { PriceTable } from "./pricing/table.ts";

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
  /** Clock, for tests. */
  now?: () => number;
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
 * c.tick(); // primes the CPU sample
 * await new Promise((r) => setTimeout(r, 250));
 * const snap = c.tick();
 * ```
 */
export class Collector {
  #opts: CollectorOptions;
  #samples = new Map<string, Sample>();
  #lastTick: number | null = null;
  #envKeys: string[];

  constructor(opts: CollectorOptions) {
    this.#opts = opts;
    const keys = new Set(BASE_ENV_KEYS);
    for (const v of opts.vendors) for (const k of v.sessions?.envKeys ?? []) keys.add(k);
    this.#envKeys = [...keys];
  }

  /** Takes a sample and builds the snapshot. Never throws for a process or file that misbehaves. */
  tick(): Snapshot {
    const now = (this.#opts.now ?? Date.now)();
    const { source, vendors } = this.#opts;
    const processes = source.list();
    const sys = source.system();
    const cpu = this.#cpuPercents(processes, now);
    const sampleMs = this.#lastTick === null ? 0 : now - this.#lastTick;
    this.#lastTick = now;

    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const agents = detect(processes, vendors).map((d) => this.#agent(d, byPid, cpu, now));
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

  #agent(d: Detection, byPid: Map<number, ProcessInfo>, cpu: Map<string, number>, now: number): Agent {
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
      cpuTimeMs: own.reduce((s, p) => s + p.cpuTimeMs, 0),
      rssBytes: own.reduce((s, p) => s + p.rssBytes, 0),
      readBytes: sumKnown(details.map((x) => x.readBytes)),
      writeBytes: sumKnown(details.map((x) => x.writeBytes)),
      dangerous: flags.length > 0,
      dangerousFlags: flags,
      processes: d.members.map((m) => view(m.process, m.role)),
      children,
      writingFiles: [...writing].sort().slice(0, WRITING_FILES_LIMIT),
      session: null,
      status: "idle",
      costUsd: null,
      costBasis: null,
      contextLimit: null,
      contextPercent: null,
    };
    agent.status = processStatus(cpuPercent, children);
    return agent;
  }
}

/** CPU% at or above which an agent counts as busy from process facts alone. */
export const BUSY_CPU_PERCENT = 5;

/** Status from process facts alone: busy while it uses CPU or runs a tool child, idle otherwise. */
function processStatus(cpuPercent: number, children: AgentProcess[]): Agent["status"] {
  const running = children.some((c) => c.state !== "zombie");
  return cpuPercent >= BUSY_CPU_PERCENT || running ? "busy" : "idle";
}

/** The project an agent works in: the last component of its working directory. */
export function projectName(cwd: string | null): string | null {
  if (!cwd) return null;
  const parts = cwd.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : cwd;
}

function sumKnown(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((s, v) => s + v, 0) : null;
}
