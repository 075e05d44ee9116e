/**
 * Ending a process on Windows: `OpenProcess(PROCESS_TERMINATE)` and `TerminateProcess` from kernel32.
 * Windows has no SIGTERM: the process is terminated at once, without a chance to clean up (its
 * children keep running). Only these calls are bound; no file or network access.
 *
 * @module
 */

import type { SignalResult } from "../types.ts";
import { system32 } from "./symbols.ts";

const SYMBOLS = {
  /** `HANDLE OpenProcess(DWORD access, BOOL inherit, DWORD pid)` → NULL on failure. */
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "usize" },
  /** `BOOL TerminateProcess(HANDLE process, UINT exitCode)`. */
  TerminateProcess: { parameters: ["usize", "u32"], result: "i32" },
  /** `BOOL CloseHandle(HANDLE h)`. */
  CloseHandle: { parameters: ["usize"], result: "i32" },
  /** `DWORD GetLastError(void)`. */
  GetLastError: { parameters: [], result: "u32" },
} as const;

const PROCESS_TERMINATE = 0x0001;
const ERROR_ACCESS_DENIED = 5;
/** What OpenProcess reports for a pid no process has. */
const ERROR_INVALID_PARAMETER = 87;
/** Exit status the terminated process gets: 128 + SIGTERM, as a POSIX shell reports a SIGTERM. */
const EXIT_CODE = 143;

/**
 * The outcome of a failed OpenProcess or TerminateProcess from `GetLastError`.
 *
 * @example
 * ```ts
 * windowsOutcome(87).outcome; // "no-such-process"
 * windowsOutcome(5).outcome; // "permission-denied"
 * ```
 */
export function windowsOutcome(lastError: number): SignalResult {
  if (lastError === ERROR_INVALID_PARAMETER) return { outcome: "no-such-process", detail: null };
  if (lastError === ERROR_ACCESS_DENIED) return { outcome: "permission-denied", detail: null };
  return { outcome: "failed", detail: `TerminateProcess failed (error ${lastError})` };
}

let opened: Deno.DynamicLibrary<typeof SYMBOLS> | string | null = null;

/**
 * Terminates process `pid` (exit status 143): the Windows source's `terminate`. The process handle is
 * opened first and `same` asked while it pins the process, so a reused pid is never terminated. Never
 * throws.
 *
 * @example
 * ```ts
 * terminateWindowsProcess(4242).outcome; // "sent" once it is terminated
 * ```
 */
export function terminateWindowsProcess(pid: number, same: () => boolean = () => true): SignalResult {
  if (!Number.isInteger(pid) || pid <= 0) return { outcome: "failed", detail: `invalid pid ${pid}` };
  if (opened === null) {
    const path = system32("kernel32.dll");
    try {
      opened = Deno.dlopen(path, SYMBOLS);
    } catch (e) {
      opened = `cannot open ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
    }
  }
  if (typeof opened === "string") return { outcome: "failed", detail: opened };
  const k = opened.symbols;
  const handle = k.OpenProcess(PROCESS_TERMINATE, 0, pid);
  if (handle === 0n) return windowsOutcome(k.GetLastError());
  try {
    if (!same()) return { outcome: "no-such-process", detail: "its pid is now another process's" };
    return k.TerminateProcess(handle, EXIT_CODE) !== 0
      ? { outcome: "sent", detail: null }
      : windowsOutcome(k.GetLastError());
  } finally {
    k.CloseHandle(handle);
  }
}
