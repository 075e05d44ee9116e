/**
 * One tick of collection, as its stages: sample the processes, detect agents, build their rows, link
 * and read their sessions, derive status and cost, attach orphans and ports, add recent sessions.
 * Produces the {@linkcode Snapshot}, each row stamped with how long it has been in its status. {@linkcode createCollector} is how every command builds one.
 *
 * @module
 */

import type { ProcessSource } from "../../platform/types.ts";
import type { Snapshot } from "../types.ts";
import type { LinkContext, LinkTrace, Vendor } from "../vendor.ts";
import type { PriceTable } from "../pricing/table.ts";
import { detect } from "../detect.ts";
import { familyOf, OrphanTracker } from "../orphans.ts";
import { parseMatchers } from "../custom.ts";
import { profileEnvs } from "../profiles.ts";
import { VENDORS } from "../vendors/mod.ts";
import { hostFacts, Sampler } from "./sample.ts";
import { liveRow, sessionRow } from "./rows.ts";
import { SessionLinker } from "./link.ts";
import { derive, toolProcesses } from "./derive.ts";
import { orphanRows } from "./orphans.ts";
import { assignPorts } from "./ports.ts";
import { StatusClock } from "./since.ts";
import { RunningCalls } from "./running.ts";

/** Snapshot JSON schema version. */
export const SCHEMA_VERSION = 1;

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
  /**
   * For `agtop doctor`: asked, per live agent and tick, for a {@linkcode LinkTrace} told the session
   * candidates its reader passed over and the one linked; given what linking that agent used.
   */
  linkTrace?: (ctx: Omit<LinkContext, "claimed">) => LinkTrace | undefined;
}

/**
 * Collects snapshots. Keep one instance across ticks: CPU% is the CPU time used between two ticks
 * over the wall time between them, per (pid, start time), so a reused pid never yields a false delta.
 *
 * @example
 * ```ts
 * import { processSource } from "../../platform/mod.ts";
 * import { VENDORS } from "../vendors/mod.ts";
 * import { bundledTable } from "../pricing/table.ts";
 *
 * const c = new Collector({ source: processSource(), vendors: VENDORS, version: "0.1.0", prices: bundledTable() });
 * await c.tick(); // primes the CPU sample
 * await new Promise((r) => setTimeout(r, 250));
 * const snap = await c.tick();
 * ```
 */
export class Collector {
  #opts: CollectorOptions;
  #sampler = new Sampler();
  #linker: SessionLinker;
  #orphans: OrphanTracker;
  #clock = new StatusClock();
  #running = new RunningCalls();

  constructor(opts: CollectorOptions) {
    this.#opts = opts;
    this.#linker = new SessionLinker(opts.vendors, opts.profiles);
    this.#orphans = new OrphanTracker({ source: opts.source, vendors: opts.vendors });
  }

  /**
   * Takes a sample and builds the snapshot. Never throws for a process or file that misbehaves.
   * `recentMs` overrides the option of the same name for this tick (the live view's `a` toggle).
   * Asynchronous only to load the session readers of agents seen for the first time.
   */
  async tick(recentMs: number | null = this.#opts.recentMs ?? null): Promise<Snapshot> {
    const now = (this.#opts.now ?? Date.now)();
    const { source, vendors, prices } = this.#opts;
    const processes = source.list();
    const host = hostFacts(source.system(), now);
    const sampleMs = this.#sampler.begin(processes, now);
    const detections = detect(processes, vendors);
    await this.#linker.load(recentMs ? vendors : detections.map((d) => d.vendor));

    const from = { source, sampler: this.#sampler, envKeys: this.#linker.envKeys, byPid: byPid(processes) };
    const live = detections.map((d) => liveRow(d, from, now));
    this.#sampler.end();
    const pending = live.map((row) => this.#linker.pending(row, source, now));
    const trace = this.#opts.linkTrace;
    const { sessions, claimed } = this.#linker.link(pending, now, trace && ((p) => trace(p.ctx)));
    pending.forEach((p, i) => {
      const seen = this.#running.note(p.agent.key, sessions[i], toolProcesses(p.agent));
      Object.assign(p.agent, derive(p.agent, sessions[i], now, true, prices, seen));
    });
    this.#running.endTick();

    const agents = live.map((row) => row.agent);
    const orphans = this.#orphans.update(live.map((r) => familyOf(r.agent, r.detection)), processes);
    agents.push(...orphanRows(orphans, agents, this.#sampler, now));
    assignPorts(agents, source);
    let moreSessions: number | undefined;
    if (recentMs) {
      const recent = this.#linker.recent(pending, claimed, now, now - recentMs);
      for (const { vendor, session } of recent.found) {
        const row = sessionRow(vendor, session, now);
        agents.push(Object.assign(row, derive(row, session, now, false, prices)));
      }
      moreSessions = recent.more;
    }
    this.#clock.stamp(agents, now);
    return {
      schema: SCHEMA_VERSION,
      version: this.#opts.version,
      takenAt: now,
      sampleMs,
      host,
      agents,
      pricesDate: prices.snapshot,
      ...(moreSessions === undefined ? {} : { moreSessions }),
    };
  }

  /**
   * Why some fields are missing: session readers that failed to load or threw, once per vendor and
   * step (`ls --verbose` prints them).
   */
  notices(): string[] {
    return this.#linker.notices();
  }
}

function byPid<P extends { pid: number }>(processes: readonly P[]): Map<number, P> {
  return new Map(processes.map((p) => [p.pid, p]));
}

/**
 * What every command collects with, resolved from flags and the config file. Plain data, so the live
 * view can post it to its collection worker.
 */
export interface CollectorSettings {
  /** Custom recognisers, `LABEL=REGEX` (`--match`, `AGTOP_MATCH`). */
  matchSpecs: readonly string[];
  /** Prices (the bundled table, with the overrides of `--prices`). */
  prices: PriceTable;
  /** More data directories per vendor id (config `[data_dirs]`): several profiles of one agent. */
  dataDirs: Readonly<Record<string, readonly string[]>>;
  /** agtop's version, for the snapshot. */
  version: string;
  /** Also list sessions active this recently whose process is gone (`--all`); null: live agents only. */
  recentMs?: number | null;
}

/**
 * The built-in vendors plus the custom recognisers of `matchSpecs`.
 *
 * @throws {MatchSpecError} on a bad spec.
 * @example
 * ```ts
 * vendorsFor(["Hermes=hermes-agent"]).at(-1)?.label; // "Hermes"
 * ```
 */
export function vendorsFor(matchSpecs: readonly string[]): Vendor[] {
  return [...VENDORS, ...parseMatchers(matchSpecs)];
}

/**
 * The collector `ls`, `serve`, the live view's worker and the benches use, built one way from the
 * resolved settings (`extra`: what only `agtop doctor` asks for).
 *
 * @throws {MatchSpecError} on a bad `--match` spec.
 * @example
 * ```ts
 * import { processSource } from "../../platform/mod.ts";
 * import { bundledTable } from "../pricing/table.ts";
 *
 * const collector = createCollector(
 *   { matchSpecs: [], prices: bundledTable(), dataDirs: {}, version: "0.1.0" },
 *   processSource(),
 * );
 * ```
 */
export function createCollector(
  settings: CollectorSettings,
  source: ProcessSource,
  extra: Pick<CollectorOptions, "linkTrace"> = {},
): Collector {
  return new Collector({
    ...extra,
    source,
    vendors: vendorsFor(settings.matchSpecs),
    version: settings.version,
    prices: settings.prices,
    profiles: profileEnvs(settings.dataDirs),
    recentMs: settings.recentMs ?? null,
  });
}
