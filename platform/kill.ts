/**
 * Ending a process on Linux, macOS and FreeBSD: SIGTERM. The POSIX {@linkcode ProcessSource}s'
 * `terminate`. On Linux through a pid file descriptor (`pidfd_open` then `pidfd_send_signal`, called
 * through libc's `syscall`, Linux 5.3 and later), so the process checked is the process signalled even
 * if its pid is reused in between; on macOS and FreeBSD, and on older Linux kernels, through `kill(2)`
 * right after the check.
 *
 * Permissions: this goes through the FFI grant agtop already has for reading processes (libc on Linux
 * and FreeBSD, libSystem on macOS), not `Deno.kill`, which would need `--allow-run`. The symbols bound
 * here (`kill`, `errno` and a `memcpy` to read it, on Linux `syscall` and `close`) are bound in their
 * own library handle, opened on the first call: not at import, not when a source is made, and never in
 * a run that ends nothing. `syscall` could make any system call; agtop makes two with it.
 *
 * @module
 */

import type { ProcessSource, SignalResult } from "./types.ts";

const SIGTERM = 15;
const EPERM = 1;
const ESRCH = 3;
/** `ENOSYS` and `EINVAL` on Linux: the kernel has no pidfd calls (before 5.3), or refuses them. */
const NO_PIDFD = new Set([38, 22]);
/** Linux system call numbers, the same on x86_64 and aarch64 (asm-generic since 5.1/5.3). */
const SYS_PIDFD_SEND_SIGNAL = 424n;
const SYS_PIDFD_OPEN = 434n;

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

/**
 * `kill`, the thread's `errno` location (`errno` names the libc function that returns it) and `memcpy`;
 * with `pidfd`, `syscall` and `close` too (optional: a libc without them falls back to `kill`).
 */
function posixSymbols(errno: string, pidfd: boolean) {
  return {
    kill: { parameters: ["i32", "i32"], result: "i32" },
    errnoLocation: { name: errno, parameters: [], result: "pointer" },
    // Copies errno out: reading the pointer directly would need unscoped --allow-ffi.
    memcpy: { parameters: ["buffer", "pointer", "usize"], result: "pointer" },
    // Variadic in C; glibc and musl pass the arguments in registers, as a fixed call does on Linux.
    syscall: { parameters: ["i64", "i64", "i64", "i64", "i64"], result: "i64", optional: !pidfd },
    close: { parameters: ["i32"], result: "i32", optional: !pidfd },
  } as const;
}

type PosixLibrary = Deno.DynamicLibrary<ReturnType<typeof posixSymbols>>;

/** The first of `paths` that opens, or why none does. */
function openPosix(paths: readonly string[], errno: string, pidfd: boolean): PosixLibrary | string {
  let why: string | null = null;
  for (const path of paths) {
    try {
      return Deno.dlopen(path, posixSymbols(errno, pidfd));
    } catch (e) {
      // Absent here (another distribution's path), or FFI not granted for it.
      why ??= `cannot open ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
    }
  }
  return why ?? "no C library found";
}

/** The calling thread's `errno`. */
function errnoOf(lib: PosixLibrary): number {
  const error = new Int32Array(1);
  const at = lib.symbols.errnoLocation();
  if (at !== null) lib.symbols.memcpy(new Uint8Array(error.buffer), at, 4n);
  return error[0];
}

/** The answer when the process checked is not the one meant any more (it exited; another has its pid). */
const NOT_SAME: SignalResult = { outcome: "no-such-process", detail: "its pid is now another process's" };

/**
 * SIGTERM through a pid file descriptor: opened first, `same` asked while it pins the process, the
 * signal sent through it. Null when the kernel has no pidfd calls (the caller falls back to `kill`).
 */
function pidfdTerminate(lib: PosixLibrary, pid: number, same: () => boolean): SignalResult | null {
  const { syscall, close } = lib.symbols;
  if (!syscall || !close) return null;
  const fd = Number(syscall(SYS_PIDFD_OPEN, BigInt(pid), 0n, 0n, 0n));
  if (fd < 0) {
    const errno = errnoOf(lib);
    return NO_PIDFD.has(errno) ? null : killOutcome(-1, errno);
  }
  try {
    if (!same()) return NOT_SAME;
    const ret = Number(syscall(SYS_PIDFD_SEND_SIGNAL, BigInt(fd), BigInt(SIGTERM), 0n, 0n));
    return killOutcome(ret, ret === 0 ? 0 : errnoOf(lib));
  } finally {
    close(fd);
  }
}

/**
 * The `terminate` of a POSIX source: SIGTERM to `pid` (the process may catch it and clean up) through
 * the first of `paths` that opens (its thread's errno read through the function named `errno`); with
 * `pidfd` (Linux) through a pid file descriptor when the kernel has them. The library is opened on the
 * first call and kept. Never throws. See {@linkcode ProcessSource.terminate} for `same`.
 *
 * @example
 * ```ts
 * import { LIBC_PATHS } from "./linux/libc.ts";
 * const terminate = posixTerminate(LIBC_PATHS, "__errno_location", true);
 * terminate(12345, () => true).outcome; // "sent", "no-such-process", "permission-denied" or "failed"
 * ```
 */
export function posixTerminate(
  paths: readonly string[],
  errno: string,
  pidfd = false,
): ProcessSource["terminate"] {
  let lib: PosixLibrary | string | null = null;
  return (pid, same = () => true) => {
    if (!Number.isInteger(pid) || pid <= 0) return { outcome: "failed", detail: `invalid pid ${pid}` };
    lib ??= openPosix(paths, errno, pidfd);
    if (typeof lib === "string") return { outcome: "failed", detail: lib };
    if (pidfd) {
      const viaPidfd = pidfdTerminate(lib, pid, same);
      if (viaPidfd) return viaPidfd;
    }
    if (!same()) return NOT_SAME;
    const ret = lib.symbols.kill(pid, SIGTERM);
    return killOutcome(ret, ret === 0 ? 0 : errnoOf(lib));
  };
}
