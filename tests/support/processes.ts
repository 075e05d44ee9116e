/**
 * Process records for recogniser tests.
 *
 * @module
 */

import type { ProcessInfo } from "../../platform/types.ts";

/** A process with plausible defaults: pid, ppid, comm, exe, argv. */
export function proc(
  pid: number,
  ppid: number,
  name: string,
  exe: string | null,
  argv: string[],
): ProcessInfo {
  return {
    pid,
    ppid,
    name,
    exe,
    argv,
    state: "sleeping",
    threads: 4,
    startedAt: 1_780_000_000_000 + pid,
    startId: 1000 + pid,
    cpuTimeMs: 10,
    rssBytes: 50e6,
    uid: 1000,
  };
}
