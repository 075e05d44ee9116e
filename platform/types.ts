/**
 * The operating-system seam of agtop. Everything above `platform/` sees processes only through
 * {@linkcode ProcessSource}; nothing here knows what a coding agent is.
 *
 * @module
 */

/** Scheduler state of a process, named the way `top` users read it. */
export type ProcessState =
  | "running"
  | "sleeping"
  | "disk-sleep"
  | "stopped"
  | "zombie"
  | "idle"
  | "dead"
  | "unknown";

/**
 * The facts of one process that are cheap to read for every process on every tick.
 *
 * Static facts (argv, exe) are cached by the source per (pid, startId), so reading them costs
 * nothing after the first tick.
 *
 * @example
 * ```ts
 * const p: ProcessInfo = {
 *   pid: 42, ppid: 1, name: "claude", exe: "/usr/bin/claude", argv: ["claude"], state: "sleeping",
 *   threads: 12, startedAt: Date.now(), startId: 758200, cpuTimeMs: 1200, rssBytes: 180e6, uid: 1000,
 * };
 * ```
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Short name as the kernel keeps it (Linux `comm`, at most 15 bytes there). */
  name: string;
  /** Absolute path of the executable, or null when it cannot be read (permission, kernel thread). */
  exe: string | null;
  /** Command line; empty for kernel threads and zombies or when unreadable. */
  argv: string[];
  state: ProcessState;
  threads: number;
  /** Wall-clock start time in milliseconds since the Unix epoch. */
  startedAt: number;
  /**
   * Opaque start stamp, stable for one process across samples and different for a later process that
   * reuses the pid (Linux: `starttime` clock ticks since boot). Key caches by `(pid, startId)`.
   */
  startId: number;
  /** Cumulative user + system CPU time in milliseconds. */
  cpuTimeMs: number;
  /** Resident set size in bytes. */
  rssBytes: number;
  /** Real user id, or null when unknown. */
  uid: number | null;
}

/**
 * Facts that cost a syscall or more per process, read only for the processes that matter (agents and
 * their children).
 */
export interface ProcessDetails {
  /** Working directory, or null when it cannot be read. */
  cwd: string | null;
  /** The requested environment variables that are set; empty when the environment is unreadable. */
  env: Record<string, string>;
  /** Bytes read from storage so far, or null when not permitted. */
  readBytes: number | null;
  /** Bytes written to storage so far, or null when not permitted. */
  writeBytes: number | null;
}

/**
 * A socket a process listens on: a TCP socket in LISTEN state, or a bound UDP socket that is not
 * connected.
 *
 * @example
 * ```ts
 * const port: ListeningPort = { protocol: "tcp", address: "127.0.0.1", port: 5173 };
 * ```
 */
export interface ListeningPort {
  protocol: "tcp" | "udp";
  /** Local address as text; `0.0.0.0` and `::` mean every interface. */
  address: string;
  port: number;
}

/** Machine-wide facts. */
export interface SystemFacts {
  hostname: string;
  /** `Deno.build.os` of the running binary. */
  os: string;
  arch: string;
  cpuCount: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  /** Boot time in milliseconds since the Unix epoch. */
  bootTime: number;
  /** Scheduler clock ticks per second (Linux `CLK_TCK`). */
  clockTicks: number;
  pageSize: number;
}

/** What limits the processes agtop can see and read, for `agtop doctor`. */
export interface ProcessVisibility {
  /** The user agtop runs as (effective uid). */
  uid: number;
  /** The `hidepid` option of /proc (`1`/`noaccess`, `2`/`invisible`, `ptraceable`), null when unset. */
  hidepid: string | null;
  /** The group /proc's `hidepid` exempts (`gid=`), or null. */
  hidepidGid: number | null;
  /** Yama's `ptrace_scope` (0–3), null without Yama. */
  ptraceScope: number | null;
}

/**
 * One operating system's way of listing processes. Every method is synchronous, never throws, and
 * degrades a field (null, empty) rather than failing the whole call.
 */
export interface ProcessSource {
  /** Every visible process, in no particular order. */
  list(): ProcessInfo[];
  /**
   * The costlier facts of one process. `envKeys` names the environment variables to return.
   * A vanished process yields all-null/empty details.
   */
  details(pid: number, envKeys: readonly string[]): ProcessDetails;
  /**
   * Absolute paths of regular on-disk files the process holds open with write access
   * (no pipes, sockets, devices, anonymous or deleted files), at most `limit` of them, sorted.
   * Empty on any failure.
   */
  writingFiles(pid: number, limit?: number): string[];
  /** Machine-wide facts, read fresh on each call. */
  system(): SystemFacts;
  /**
   * One-line notices about fields this source cannot give on this machine (a missing library or
   * symbol on an old OS), for `--verbose`. Optional: sources that can always give everything omit it.
   */
  notices?(): string[];
  /**
   * The sockets each of `pids` listens on, sorted by port, protocol and address. Pass every pid of
   * interest in one call: the socket tables are read once per call. The map holds only the pids that
   * listen on something. Optional: a source that cannot tell leaves it out.
   */
  listeningPorts?(pids: readonly number[]): Map<number, ListeningPort[]>;
  /**
   * The device path of the process's controlling terminal (`/dev/pts/3`), or null when it has none or
   * it cannot be read. Optional: a source that cannot tell leaves it out.
   */
  terminal?(pid: number): string | null;
  /**
   * What limits which processes this source sees and reads (hidepid, the user, ptrace scope), for
   * `agtop doctor`. Optional: sources without such limits to report leave it out.
   */
  visibility?(): ProcessVisibility;
  /**
   * Ends process `pid`: SIGTERM on Linux, macOS and FreeBSD (the process may catch it and clean up), a
   * plain termination on Windows, which has no SIGTERM ({@linkcode TERMINATE_NAME}). The one thing agtop
   * ever changes: the call it needs (`kill`, `TerminateProcess`) is bound on the first call, never before.
   *
   * `same` says whether `pid` is still the process the caller means. Where the OS has a handle that
   * pins a process (Linux `pidfd_open`, Windows `OpenProcess`), the handle is taken first and `same`
   * asked after, and the signal goes through the handle: a pid reused in between is never signalled.
   * Elsewhere (`kill(2)` on macOS and FreeBSD) `same` is asked right before the signal, which narrows
   * the window to microseconds without closing it. A process that is not the same reports
   * `no-such-process` (the one meant has exited).
   */
  terminate(pid: number, same?: () => boolean): SignalResult;
}

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

/**
 * The outcome of ending one process, with the reason when it failed.
 *
 * @example
 * ```ts
 * const result: SignalResult = { outcome: "failed", detail: "invalid pid 0" };
 * ```
 */
export interface SignalResult {
  outcome: SignalOutcome;
  /** Why it failed, for `failed`; null otherwise. */
  detail: string | null;
}

/** How this OS ends a process ({@linkcode ProcessSource.terminate}), in words: `SIGTERM`, or `terminate` on Windows. */
export const TERMINATE_NAME: string = Deno.build.os === "windows" ? "terminate" : "SIGTERM";

/** No process can be read at all (missing permission or library); the message says what is needed. */
export class ProcessAccessError extends Error {
  override name = "ProcessAccessError";
}

/** Default cap for {@linkcode ProcessSource.writingFiles}. */
export const WRITING_FILES_LIMIT = 32;
