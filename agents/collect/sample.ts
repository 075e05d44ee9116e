/**
 * Sampling: CPU% of every process from the CPU time it used between two ticks, and an agent's
 * counters (CPU time, IO bytes) summed over its processes so that they never fall.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, SystemFacts } from "../../platform/types.ts";
import type { HostFacts } from "../types.ts";
import { AgentCounters, type ProcessCounters } from "../counters.ts";

/**
 * A process's identity across ticks: pid and start time, so a reused pid is another process.
 *
 * @example
 * ```ts
 * identity({ pid: 4242, startId: 17 }); // "4242:17"
 * ```
 */
export const identity = (p: Pick<ProcessInfo, "pid" | "startId">): string => `${p.pid}:${p.startId}`;

interface Sample {
  cpuTimeMs: number;
  at: number;
}

/**
 * CPU% and counters across ticks. Call {@linkcode Sampler.begin} with each tick's process list,
 * {@linkcode Sampler.counters} for every agent, then {@linkcode Sampler.end}.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../platform/types.ts";
 *
 * declare const processes: ProcessInfo[];
 * const sampler = new Sampler();
 * const sampleMs = sampler.begin(processes, Date.now()); // 0 on the first tick
 * sampler.cpu(processes[0]); // lifetime average on the first tick, then the share since the last one
 * sampler.end();
 * ```
 */
export class Sampler {
  #samples = new Map<string, Sample>();
  #cpu = new Map<string, number>();
  #lastTick: number | null = null;
  #counters = new AgentCounters();

  /**
   * Starts a tick: CPU% of each process from the CPU time it used since the last tick over the wall
   * time between them (its lifetime average when it is new). Returns the ms since the last tick, 0 on
   * the first.
   */
  begin(processes: readonly ProcessInfo[], now: number): number {
    const next = new Map<string, Sample>();
    this.#cpu = new Map();
    for (const p of processes) {
      const id = identity(p);
      const prev = this.#samples.get(id);
      const dt = prev ? now - prev.at : now - p.startedAt;
      const used = prev ? p.cpuTimeMs - prev.cpuTimeMs : p.cpuTimeMs;
      this.#cpu.set(id, dt > 0 ? Math.max(0, (used / dt) * 100) : 0);
      next.set(id, { cpuTimeMs: p.cpuTimeMs, at: now });
    }
    this.#samples = next;
    const sampleMs = this.#lastTick === null ? 0 : now - this.#lastTick;
    this.#lastTick = now;
    return sampleMs;
  }

  /** CPU% of a process in this tick; 0 for one not in the tick's list. */
  cpu(p: Pick<ProcessInfo, "pid" | "startId">): number {
    return this.#cpu.get(identity(p)) ?? 0;
  }

  /**
   * An agent's counters: the sum over `own` (its main process first, with each one's details), plus
   * what its processes that exited used while agtop watched.
   */
  counters(own: readonly ProcessInfo[], details: readonly ProcessDetails[]): ProcessCounters {
    return this.#counters.total(
      identity(own[0]),
      new Map(own.map((p, i) => {
        const { readBytes, writeBytes } = details[i];
        return [identity(p), { cpuTimeMs: p.cpuTimeMs, readBytes, writeBytes }];
      })),
    );
  }

  /** Ends the tick: agents not counted in it are forgotten. */
  end(): void {
    this.#counters.endTick();
  }
}

/**
 * The machine facts of a snapshot.
 *
 * @example
 * ```ts
 * import { processSource } from "../../platform/mod.ts";
 *
 * hostFacts(processSource().system(), Date.now()).uptimeSec;
 * ```
 */
export function hostFacts(sys: SystemFacts, now: number): HostFacts {
  return {
    hostname: sys.hostname,
    os: sys.os,
    arch: sys.arch,
    cpuCount: sys.cpuCount,
    memTotalBytes: sys.memTotalBytes,
    memAvailableBytes: sys.memAvailableBytes,
    bootTime: sys.bootTime,
    uptimeSec: Math.max(0, (now - sys.bootTime) / 1000),
  };
}
