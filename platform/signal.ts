/**
 * Ending a process: the one thing agtop ever changes. POSIX systems get SIGTERM through libc's
 * `kill(2)`; Windows has no SIGTERM, so the process is terminated (`TerminateProcess`).
 *
 * Permissions: this goes through the FFI grant agtop already has for reading processes (libc on Linux
 * and FreeBSD, libSystem on macOS, kernel32 on Windows), not `Deno.kill`, which would need
 * `--allow-run`. Only `kill` (plus `errno` and a `memcpy` to read it) is bound here: it sends signals,
 * never touches files or the network. Libraries are opened on the first call, not at import.
 *
 * @module
 */

import { LIBC_PATHS } from "./linux/libc.ts";
import { LIBSYSTEM_PATH } from "./darwin/symbols.ts";
import { LIBC_PATH as FREEBSD_LIBC_PATH } from "./freebsd/symbols.ts";
import { terminateWindowsProcess } from "./windows/terminate.ts";

/** What an attempt to end a process did. */
export type SignalOutcome =
  /** The signal was delivered (Windows: the process was terminated). */
  | "sent"
  /** No process has that pid (it exited). */
  | "no-such-process"
  /** The process belongs to another user (or is protected). */
  | "permission-denied"
  /** The call could not be made (library not available, FFI not permitted) or failed otherwise. */
  | "failed";

/** The outcome of ending one process, with the reason when it failed. */
export interface SignalResult {
  outcome: SignalOutcome;
  /** Why it failed, for `failed`; null otherwise. */
  detail: string | null;
}

/** How this OS ends a process, in words: `SIGTERM`, or `terminate` on Windows. */
export const TERMINATE_NAME: string = Deno.build.os === "windows" ? "terminate" : "SIGTERM";

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

/** The libraries to try and the name of their errno accessor, per POSIX OS. */
function posixLibrary(): { paths: readonly string[]; errno: string } | null {
  switch (Deno.build.os) {
    case "linux":
      return { paths: LIBC_PATHS, errno: "__errno_location" };
    case "darwin":
      return { paths: [LIBSYSTEM_PATH], errno: "__error" };
    case "freebsd":
      return { paths: [FREEBSD_LIBC_PATH], errno: "__error" };
  }
  return null;
}

let opened: PosixLibrary | string | null = null;

/** The POSIX library, opened once; a string says why it cannot be. */
function openPosix(): PosixLibrary | string {
  if (opened !== null) return opened;
  const lib = posixLibrary();
  if (lib === null) return opened = `ending processes is not supported on ${Deno.build.os}`;
  let why: string | null = null;
  for (const path of lib.paths) {
    try {
      return opened = Deno.dlopen(path, posixSymbols(lib.errno));
    } catch (e) {
      // Absent here (another distribution's path), or FFI not granted for it.
      why ??= `cannot open ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
    }
  }
  return opened = why ?? "no C library found";
}

/**
 * Ends process `pid`: SIGTERM on Linux, macOS and FreeBSD (the process may catch it and clean up), a
 * plain termination on Windows, which has no SIGTERM. Never throws. The caller checks that `pid` is
 * still the process it means (see `agents/signals.ts`); this function signals whatever has the pid.
 *
 * @example
 * ```ts
 * const { outcome } = terminateProcess(12345); // "sent", "no-such-process", "permission-denied" or "failed"
 * ```
 */
export function terminateProcess(pid: number): SignalResult {
  if (!Number.isInteger(pid) || pid <= 0) return { outcome: "failed", detail: `invalid pid ${pid}` };
  if (Deno.build.os === "windows") return terminateWindowsProcess(pid);
  const lib = openPosix();
  if (typeof lib === "string") return { outcome: "failed", detail: lib };
  const ret = lib.symbols.kill(pid, SIGTERM);
  if (ret === 0) return killOutcome(0, 0);
  const errno = new Int32Array(1);
  const at = lib.symbols.errnoLocation();
  if (at !== null) lib.symbols.memcpy(new Uint8Array(errno.buffer), at, 4n);
  return killOutcome(ret, errno[0]);
}
