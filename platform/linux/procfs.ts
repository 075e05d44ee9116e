/**
 * Pure parsers of Linux procfs text and bytes. Nothing here touches the OS: each function takes what
 * was read from `/proc` and returns data, so every format quirk is pinned by unit tests.
 *
 * @module
 */

import type { ProcessState } from "../types.ts";

/** The fields agtop needs from one `/proc/PID/stat` line. */
export interface ProcStat {
  /** `comm`: the text between the first `(` and the last `)`. */
  name: string;
  state: ProcessState;
  ppid: number;
  threads: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** starttime: clock ticks after boot. */
  startTicks: number;
  /** Resident set size, in pages. */
  rssPages: number;
  /** A kernel thread (`PF_KTHREAD` in the flags): no command line, no executable, no environment. */
  kernelThread: boolean;
}

/** Bytes of storage IO from `/proc/PID/io`; a missing field is null. */
export interface ProcIo {
  readBytes: number | null;
  writeBytes: number | null;
}

/** Memory totals from `/proc/meminfo`, in bytes. */
export interface MemInfo {
  memTotalBytes: number;
  memAvailableBytes: number;
}

/** Machine facts from `/proc/stat`. */
export interface KernelStat {
  /** `btime` in milliseconds since the Unix epoch, or null when the line is missing. */
  bootTime: number | null;
  /** Number of `cpuN` lines (online CPUs). */
  cpuCount: number;
}

/** Scheduler and memory units from the ELF auxiliary vector. */
export interface AuxvFacts {
  /** AT_CLKTCK, or 100 when absent. */
  clockTicks: number;
  /** AT_PAGESZ, or 4096 when absent. */
  pageSize: number;
}

const STATES: Readonly<Record<string, ProcessState>> = {
  R: "running",
  S: "sleeping",
  D: "disk-sleep",
  T: "stopped",
  t: "stopped",
  Z: "zombie",
  X: "dead",
  x: "dead",
  I: "idle",
};

/**
 * Maps a `/proc/PID/stat` state letter to a {@linkcode ProcessState}; unknown letters give `"unknown"`.
 *
 * @example
 * ```ts
 * parseStateLetter("Z"); // "zombie"
 * ```
 */
export function parseStateLetter(letter: string): ProcessState {
  return STATES[letter] ?? "unknown";
}

/** `PF_KTHREAD` of the kernel's task flags. */
const PF_KTHREAD = 0x00200000;

// Indexes into the fields after "comm)": field 3 (state) is index 0.
const F_STATE = 0;
const F_PPID = 1;
const F_FLAGS = 6;
const F_UTIME = 11;
const F_STIME = 12;
const F_THREADS = 17;
const F_STARTTIME = 19;
const F_RSS = 21;

/**
 * Parses `/proc/PID/stat`. `comm` may hold spaces and parentheses, so the fields are read after the
 * last `)`. Returns null for truncated or malformed text.
 *
 * @example
 * ```ts
 * const s = parseStat("7 (my (weird) proc) S 1 7 7 0 -1 0 0 0 0 0 5 3 0 0 20 0 2 0 900 0 12");
 * s?.name; // "my (weird) proc"
 * s?.cpuTicks; // 8
 * ```
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 2).trimEnd().split(" ", F_RSS + 1);
  if (fields.length <= F_RSS) return null;
  const ppid = toCount(fields[F_PPID]);
  const utime = toCount(fields[F_UTIME]);
  const stime = toCount(fields[F_STIME]);
  const threads = toCount(fields[F_THREADS]);
  const startTicks = toCount(fields[F_STARTTIME]);
  const rssPages = toCount(fields[F_RSS]);
  const flags = toCount(fields[F_FLAGS]);
  if (
    ppid === null || utime === null || stime === null || threads === null || startTicks === null ||
    rssPages === null
  ) return null;
  return {
    name: text.slice(open + 1, close),
    state: parseStateLetter(fields[F_STATE]),
    ppid,
    threads,
    cpuTicks: utime + stime,
    startTicks,
    rssPages,
    // Bitwise operators work on 32 bits; the flags fit.
    kernelThread: flags !== null && (flags & PF_KTHREAD) !== 0,
  };
}

/** A non-negative decimal integer, or null. */
function toCount(field: string): number | null {
  if (field.length === 0) return null;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(field);
}

/** `Key: number …` lines → Map of each key's leading integer. */
function parseKeyedNumbers(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const value = toCount(line.slice(at + 1).trim().split(/\s+/, 1)[0]);
    if (value !== null) values.set(line.slice(0, at), value);
  }
  return values;
}

/**
 * Splits `/proc/PID/cmdline` on NUL. Trailing empty arguments (the terminating NUL, and the NUL padding
 * left by processes that rewrite their argv into one space-joined title) are dropped; the title itself
 * is kept as one argument. Kernel threads and zombies give `[]`.
 *
 * @example
 * ```ts
 * parseCmdline("node\0/usr/bin/claude\0"); // ["node", "/usr/bin/claude"]
 * ```
 */
export function parseCmdline(text: string): string[] {
  const args = text.split("\0");
  let end = args.length;
  while (end > 0 && args[end - 1] === "") end--;
  return args.slice(0, end);
}

/**
 * Picks the requested variables out of `/proc/PID/environ` (NUL-separated `KEY=value`). The first
 * occurrence of a key wins, as with `getenv`.
 *
 * @example
 * ```ts
 * parseEnviron("HOME=/root\0TERM=xterm\0", ["TERM", "LANG"]); // { TERM: "xterm" }
 * ```
 */
export function parseEnviron(text: string, keys: readonly string[]): Record<string, string> {
  const wanted = new Set(keys);
  const env: Record<string, string> = {};
  if (wanted.size === 0) return env;
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (wanted.has(key) && !Object.hasOwn(env, key)) env[key] = entry.slice(eq + 1);
  }
  return env;
}

/**
 * Reads `read_bytes` and `write_bytes` from `/proc/PID/io`.
 *
 * @example
 * ```ts
 * parseIo("rchar: 9\nread_bytes: 4096\nwrite_bytes: 0\n"); // { readBytes: 4096, writeBytes: 0 }
 * ```
 */
export function parseIo(text: string): ProcIo {
  const fields = parseKeyedNumbers(text);
  return { readBytes: fields.get("read_bytes") ?? null, writeBytes: fields.get("write_bytes") ?? null };
}

/**
 * Reads the `flags:` line of `/proc/PID/fdinfo/N` (octal open flags), or null when it is missing.
 *
 * @example
 * ```ts
 * parseFdinfoFlags("pos:\t0\nflags:\t0100001\nmnt_id:\t24\n"); // 0o100001
 * ```
 */
export function parseFdinfoFlags(text: string): number | null {
  const match = /^flags:\s*([0-7]+)\s*$/m.exec(text);
  return match ? parseInt(match[1], 8) : null;
}

/**
 * Whether open flags grant write access: the access mode (`flags & 3`) is O_WRONLY (1) or O_RDWR (2).
 *
 * @example
 * ```ts
 * hasWriteAccess(0o100001); // true
 * hasWriteAccess(0o100000); // false
 * ```
 */
export function hasWriteAccess(flags: number): boolean {
  const mode = flags & 3;
  return mode === 1 || mode === 2;
}

/**
 * Reads MemTotal and MemAvailable from `/proc/meminfo` (kB) as bytes. Kernels older than 3.14 lack
 * MemAvailable; MemFree stands in then. A missing value is 0.
 *
 * @example
 * ```ts
 * parseMeminfo("MemTotal: 2048 kB\nMemFree: 512 kB\nMemAvailable: 1024 kB\n");
 * // { memTotalBytes: 2097152, memAvailableBytes: 1048576 }
 * ```
 */
export function parseMeminfo(text: string): MemInfo {
  const kb = parseKeyedNumbers(text);
  return {
    memTotalBytes: (kb.get("MemTotal") ?? 0) * 1024,
    memAvailableBytes: (kb.get("MemAvailable") ?? kb.get("MemFree") ?? 0) * 1024,
  };
}

/**
 * Reads `btime` and counts the `cpuN` lines of `/proc/stat`.
 *
 * @example
 * ```ts
 * parseKernelStat("cpu  1 2\ncpu0 1 1\ncpu1 0 1\nbtime 1700000000\n"); // { bootTime: 1700000000000, cpuCount: 2 }
 * ```
 */
export function parseKernelStat(text: string): KernelStat {
  let bootTime: number | null = null;
  let cpuCount = 0;
  for (const line of text.split("\n")) {
    if (/^cpu\d+\s/.test(line)) cpuCount++;
    else if (line.startsWith("btime ")) {
      const seconds = toCount(line.slice(6).trim());
      if (seconds !== null) bootTime = seconds * 1000;
    }
  }
  return { bootTime, cpuCount };
}

const AT_NULL = 0n;
const AT_PAGESZ = 6n;
const AT_CLKTCK = 17n;

/**
 * Reads AT_CLKTCK and AT_PAGESZ from `/proc/self/auxv` bytes (64-bit little-endian type/value pairs),
 * falling back to Linux's 100 Hz and 4096-byte pages when absent.
 *
 * @example
 * ```ts
 * parseAuxv(new Uint8Array(0)); // { clockTicks: 100, pageSize: 4096 }
 * ```
 */
export function parseAuxv(bytes: Uint8Array): AuxvFacts {
  const facts: AuxvFacts = { clockTicks: 100, pageSize: 4096 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 16 <= bytes.byteLength; at += 16) {
    const type = view.getBigUint64(at, true);
    if (type === AT_NULL) break;
    const value = Number(view.getBigUint64(at + 8, true));
    if (value <= 0) continue;
    if (type === AT_CLKTCK) facts.clockTicks = value;
    else if (type === AT_PAGESZ) facts.pageSize = value;
  }
  return facts;
}

const PSEUDO_ROOTS = ["/dev", "/proc", "/sys"];
const DELETED = " (deleted)";

/**
 * Whether an fd link target (`readlink /proc/PID/fd/N`) may name an on-disk file worth showing: an
 * absolute path that is not a memfd, not deleted and not under /dev, /proc or /sys. Pipes, sockets and
 * anonymous inodes (`pipe:[…]`, `socket:[…]`, `anon_inode:…`) are not absolute and so never pass.
 *
 * @example
 * ```ts
 * isFileTarget("/home/u/app/main.ts"); // true
 * isFileTarget("pipe:[5873]"); // false
 * isFileTarget("/tmp/x.log (deleted)"); // false
 * ```
 */
export function isFileTarget(target: string): boolean {
  if (!target.startsWith("/")) return false;
  if (target.startsWith("/memfd:") || target.endsWith(DELETED)) return false;
  return !PSEUDO_ROOTS.some((root) => target === root || target.startsWith(root + "/"));
}

/**
 * The executable path from `readlink /proc/PID/exe`. When the binary was replaced or removed while
 * running (an upgrade), the kernel appends ` (deleted)`; the path it ran from is kept.
 *
 * @example
 * ```ts
 * exeFromLink("/usr/bin/claude (deleted)"); // "/usr/bin/claude"
 * ```
 */
export function exeFromLink(link: string): string {
  return link.endsWith(DELETED) ? link.slice(0, -DELETED.length) : link;
}

/**
 * Reads the soft limit of open files from `/proc/PID/limits`: a number, `Infinity` for "unlimited",
 * or null when the line is missing or malformed.
 *
 * @example
 * ```ts
 * parseOpenFilesLimit("Max open files            1024                 524288               files\n"); // 1024
 * ```
 */
export function parseOpenFilesLimit(text: string): number | null {
  const match = /^Max open files\s+(\S+)/m.exec(text);
  if (match === null) return null;
  return match[1] === "unlimited" ? Infinity : toCount(match[1]);
}

/**
 * The `hidepid` and `gid` options /proc is mounted with, from `/proc/self/mountinfo`: each null when
 * not set (everyone sees every process).
 *
 * @example
 * ```ts
 * parseProcMount("22 26 0:21 / /proc rw,nosuid shared:12 - proc proc rw,hidepid=invisible,gid=27\n");
 * // { hidepid: "invisible", gid: 27 }
 * ```
 */
export function parseProcMount(mountinfo: string): { hidepid: string | null; gid: number | null } {
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    if (fields[4] !== "/proc" || dash < 0 || fields[dash + 1] !== "proc") continue;
    const options = (fields[dash + 3] ?? "").split(",");
    const value = (key: string) =>
      options.find((o) => o.startsWith(`${key}=`))?.slice(key.length + 1) ?? null;
    const gid = value("gid");
    return { hidepid: value("hidepid"), gid: gid === null ? null : toCount(gid) };
  }
  return { hidepid: null, gid: null };
}
