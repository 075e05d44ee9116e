/**
 * Ending the processes a snapshot showed, safely: a pid is signalled only while it still belongs to
 * the process the user saw (same start time), never pid 1 or below, and never agtop itself.
 *
 * @module
 */

import type { ProcessInfo, ProcessSource, SignalOutcome } from "../platform/types.ts";

/** A process to end, as the snapshot showed it. */
export interface SignalTarget {
  pid: number;
  /** Its start time in the snapshot (ms since epoch): a different start time means the pid was reused. */
  startedAt: number;
}

/** What happened to one target. */
export interface SignalReport {
  pid: number;
  /** What the signal did, or `refused` when agtop did not send it. */
  outcome: SignalOutcome | "refused";
  /** Why it was refused or failed; null otherwise. */
  detail: string | null;
}

/** Start times closer than this are one process (both come from one source; this absorbs float noise). */
const SAME_START_MS = 1;

/**
 * Why `target` must not be signalled, given the process that has its pid now (undefined when none)
 * and agtop's own pid; null when it may be.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * refusal({ pid: 1, startedAt: 0 }, undefined, 999); // "pid 1 is never signalled"
 * refusal({ pid: 42, startedAt: 1000 }, { pid: 42, startedAt: 5000 } as ProcessInfo, 999);
 * // "pid 42 is now another process"
 * ```
 */
export function refusal(target: SignalTarget, now: ProcessInfo | undefined, self: number): string | null {
  if (!Number.isInteger(target.pid) || target.pid <= 1) return `pid ${target.pid} is never signalled`;
  if (target.pid === self) return "that is agtop itself";
  if (now && Math.abs(now.startedAt - target.startedAt) >= SAME_START_MS) {
    return `pid ${target.pid} is now another process`;
  }
  return null;
}

/**
 * Ends each target through `source.terminate` (SIGTERM; Windows: terminate) after reading the
 * process list once more, so a pid that exited or was reused since the snapshot is not signalled: a
 * gone pid reports `no-such-process` without a signal, a reused or forbidden one `refused`. Never
 * throws.
 *
 * @example
 * ```ts
 * import type { ProcessSource } from "../platform/types.ts";
 * import type { Agent } from "./types.ts";
 * declare const agent: Agent;
 * declare const source: ProcessSource;
 * const [report] = endProcesses([{ pid: agent.pid, startedAt: agent.startedAt }], source);
 * report.outcome; // "sent"
 * ```
 */
export function endProcesses(
  targets: readonly SignalTarget[],
  source: Pick<ProcessSource, "list" | "terminate">,
  self: number = Deno.pid,
): SignalReport[] {
  let byPid: Map<number, ProcessInfo>;
  try {
    byPid = new Map(source.list().map((p) => [p.pid, p]));
  } catch (e) {
    const detail = `cannot read the process list: ${e instanceof Error ? e.message : String(e)}`;
    return targets.map(({ pid }) => ({ pid, outcome: "failed", detail }));
  }
  return targets.map(({ pid, startedAt }): SignalReport => {
    const now = byPid.get(pid);
    const refused = refusal({ pid, startedAt }, now, self);
    if (refused !== null) return { pid, outcome: "refused", detail: refused };
    if (!now) return { pid, outcome: "no-such-process", detail: null };
    // Asked again once the OS has pinned the process (Linux pidfd, Windows handle): still the one meant?
    const same = () => {
      try {
        const again = source.list().find((p) => p.pid === pid);
        return again !== undefined && refusal({ pid, startedAt }, again, self) === null;
      } catch {
        return false;
      }
    };
    return { pid, ...source.terminate(pid, same) };
  });
}
