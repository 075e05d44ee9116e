/**
 * Ending a process on Linux, macOS and FreeBSD: SIGTERM through libc's `kill(2)`. The POSIX
 * {@linkcode ProcessSource}s' `terminate`.
 *
 * Permissions: this goes through the FFI grant agtop already has for reading processes (libc on Linux
 * and FreeBSD, libSystem on macOS), not `Deno.kill`, which would need `--allow-run`. Only `kill`
 * (plus `errno` and a `memcpy` to read it) is bound here: it sends signals, never touches files or the
 * network. The library is opened on the first call, not at import nor when a source is made.
 *
 * @module
 */

import type { ProcessSource, SignalResult } from "./types.ts";

const SIGTERM = 15;
const EPERM = 1;
const ESRCH = 3;

/**
 * The outcome of `kill(2)` from its return value and `errno` (EPERM and ESRCH are 1 and 3 on Linux,
 * macOS and FreeBSD alike).
 *
 * @example
 * ```ts
 * killOutcome(0, 0).outcome; // "sent"
 * killOutcome(-1, 3).outcome; // "no-such-process"
 * killOutcome(-1, 1).outcome; // "permission-denied"
 * ```
 */
export function killOutcome(ret: number, errno: number): SignalResult {
  if (ret === 0) return { outcome: "sent", detail: null };
  if (errno === ESRCH) return { outcome: "no-such-process", detail: null };
  if (errno === EPERM) return { outcome: "permission-denied", detail: null };
  return { outcome: "failed", detail: `kill failed (errno ${errno})` };
}

/** `kill`, the thread's `errno` location (`errno` names the libc function that returns it) and `memcpy`. */
function posixSymbols(errno: string) {
  return {
    kill: { parameters: ["i32", "i32"], result: "i32" },
    errnoLocation: { name: errno, parameters: [], result: "pointer" },
    // Copies errno out: reading the pointer directly would need unscoped --allow-ffi.
    memcpy: { parameters: ["buffer", "pointer", "usize"], result: "pointer" },
  } as const;
}

type PosixLibrary = Deno.DynamicLibrary<ReturnType<typeof posixSymbols>>;

/** The first of `paths` that opens, or why none does. */
function openPosix(paths: readonly string[], errno: string): PosixLibrary | string {
  let why: string | null = null;
  for (const path of paths) {
    try {
      return Deno.dlopen(path, posixSymbols(errno));
    } catch (e) {
      // Absent here (another distribution's path), or FFI not granted for it.
      why ??= `cannot open ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
    }
  }
  return why ?? "no C library found";
}

/**
 * The `terminate` of a POSIX source: SIGTERM to `pid` through `kill(2)` of the first of `paths` that
 * opens (its thread's errno read through the function named `errno`), the process may catch it and
 * clean up. The library is opened on the first call and kept. Never throws. The caller checks that
 * `pid` is still the process it means; this signals whatever has the pid.
 *
 * @example
 * ```ts
 * import { LIBC_PATHS } from "./linux/libc.ts";
 * const terminate = posixTerminate(LIBC_PATHS, "__errno_location");
 * terminate(12345).outcome; // "sent", "no-such-process", "permission-denied" or "failed"
 * ```
 */
export function posixTerminate(paths: readonly string[], errno: string): ProcessSource["terminate"] {
  let lib: PosixLibrary | string | null = null;
  return (pid) => {
    if (!Number.isInteger(pid) || pid <= 0) return { outcome: "failed", detail: `invalid pid ${pid}` };
    lib ??= openPosix(paths, errno);
    if (typeof lib === "string") return { outcome: "failed", detail: lib };
    const ret = lib.symbols.kill(pid, SIGTERM);
    if (ret === 0) return killOutcome(0, 0);
    const error = new Int32Array(1);
    const at = lib.symbols.errnoLocation();
    if (at !== null) lib.symbols.memcpy(new Uint8Array(error.buffer), at, 4n);
    return killOutcome(ret, error[0]);
  };
}
