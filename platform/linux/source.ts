/**
 * {@linkcode ProcessSource} for Linux, read straight from procfs with no subprocesses.
 *
 * Deno (since 1.43) opens anything under `/proc` only with every permission (`--allow-all`). agtop
 * keeps its least permissions instead and reads procfs through libc (`platform/linux/libc.ts`), so
 * it needs `--allow-ffi` for libc beside `--allow-read --allow-env --allow-sys`.
 *
 * @module
 */

import {
  type ListeningPort,
  ProcessAccessError,
  type ProcessDetails,
  type ProcessInfo,
  type ProcessSource,
  type ProcessVisibility,
  type SignalResult,
  type SystemFacts,
  WRITING_FILES_LIMIT,
} from "../types.ts";
import {
  type AuxvFacts,
  exeFromLink,
  hasWriteAccess,
  isFileTarget,
  parseAuxv,
  parseCmdline,
  parseEnviron,
  parseFdinfoFlags,
  parseIo,
  parseKernelStat,
  parseMeminfo,
  parseOpenFilesLimit,
  parseProcMount,
  parseStat,
} from "./procfs.ts";
import { LIBC_PATHS, openProcFiles, type ProcFiles } from "./libc.ts";
import { posixTerminate } from "../kill.ts";
import { type NetSocket, parseNetTable, socketInode } from "./net.ts";
import { parseTtyNr, ttyDevicePath } from "./tty.ts";

/** Facts of a process that do not change while it runs the same program, read once per process. */
interface StaticFacts {
  startId: number;
  name: string;
  exe: string | null;
  argv: string[];
  uid: number | null;
  /** The environment subset read once (`/proc/PID/environ` holds the environment at exec, which never changes). */
  env?: { keys: string; values: Record<string, string> };
}

/** What the source remembers about one live process between {@linkcode LinuxProcessSource.list} calls. */
interface Tracked {
  facts: StaticFacts;
  /** `/proc/PID/stat` kept open for re-reading, or -1 beyond the held-file budget. */
  stat: number;
}

/** Upper bound on `/proc/PID/stat` files held open between ticks (each pins ~4 KiB of kernel memory). */
const HELD_STAT_FILES_MAX = 2048;
/** Assumed soft limit of open files when `/proc/self/limits` is unreadable. */
const DEFAULT_OPEN_FILES_LIMIT = 1024;

/**
 * Lists processes from `/proc`.
 *
 * Each {@linkcode LinuxProcessSource.list} call reads `/proc/PID/stat` once per process. Those files are
 * kept open between calls (up to a quarter of the open-files limit, at most 2,048) and re-read from
 * offset 0 with one `pread`: on Linux that regenerates the line and costs about a third of an
 * open/read/close. A held
 * file also stays bound to its process, so a recycled pid is noticed. argv, exe and uid are read only
 * when a (pid, start time, name) is first seen, so exec-ing a new program (which changes the name)
 * refreshes them. Dispose the source (`using`) to close the held files; it stays usable afterwards.
 *
 * @example
 * ```ts
 * using source = new LinuxProcessSource();
 * const mine = source.list().filter((p) => p.ppid === Deno.pid);
 * ```
 */
export class LinuxProcessSource implements ProcessSource, Disposable {
  readonly #files: ProcFiles;
  readonly #units: AuxvFacts;
  readonly #bootTime: number;
  readonly #heldLimit: number;
  #tracked = new Map<number, Tracked>();
  /** fd links read this tick, per pid (see {@linkcode LinuxProcessSource.list}). */
  #fdLinks = new Map<number, [string, string][] | null>();
  #held = 0;
  readonly #terminate = posixTerminate(LIBC_PATHS, "__errno_location", true);

  /**
   * Reads clock ticks and page size (`/proc/self/auxv`), boot time and the open-files limit once.
   * `heldStatFiles` caps the stat files kept open between calls (default: a quarter of the open-files
   * limit, at most 2,048); 0 keeps none, trading speed for holding no handles.
   */
  constructor(options: { heldStatFiles?: number } = {}) {
    this.#files = procFiles();
    this.#units = parseAuxv(this.#files.read("/proc/self/auxv") ?? new Uint8Array(0));
    const stat = this.#read("/proc/stat");
    this.#bootTime = (stat === null ? null : parseKernelStat(stat).bootTime) ??
      Date.now() - (attempt(() => Deno.osUptime()) ?? 0) * 1000;
    this.#heldLimit = options.heldStatFiles ?? this.#defaultHeldLimit();
  }

  /** Every process in `/proc`; processes that exit while being read are left out. */
  list(): ProcessInfo[] {
    this.#fdLinks.clear();
    const entries = this.#files.list("/proc");
    if (entries === null) return [];
    const { clockTicks, pageSize } = this.#units;
    const previous = this.#tracked;
    const tracked = new Map<number, Tracked>();
    const processes: ProcessInfo[] = [];
    for (const name of entries) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const pid = Number(name);
      const known = previous.get(pid);
      previous.delete(pid);
      const current = this.#readStat(pid, known?.stat ?? -1);
      if (current === null) continue;
      const { text, file } = current;
      const stat = parseStat(text);
      if (stat === null) {
        this.#close(file);
        continue;
      }
      let facts = known?.facts;
      if (facts === undefined || facts.startId !== stat.startTicks || facts.name !== stat.name) {
        facts = stat.kernelThread
          ? kernelThreadFacts(stat.startTicks, stat.name)
          : this.#readStaticFacts(pid, stat.startTicks, stat.name);
      }
      tracked.set(pid, { facts, stat: file });
      processes.push({
        pid,
        ppid: stat.ppid,
        name: stat.name,
        exe: facts.exe,
        argv: facts.argv,
        state: stat.state,
        threads: stat.threads,
        startedAt: this.#bootTime + stat.startTicks / clockTicks * 1000,
        startId: stat.startTicks,
        cpuTimeMs: stat.cpuTicks / clockTicks * 1000,
        rssBytes: stat.rssPages * pageSize,
        uid: facts.uid,
      });
    }
    for (const gone of previous.values()) this.#close(gone.stat);
    this.#tracked = tracked;
    return processes;
  }

  /** cwd, the requested environment variables and storage IO; each degrades on its own. */
  details(pid: number, envKeys: readonly string[]): ProcessDetails {
    const dir = `/proc/${pid}`;
    const io = this.#read(`${dir}/io`);
    return {
      cwd: this.#files.readLink(`${dir}/cwd`),
      env: this.#env(pid, envKeys),
      ...(io === null ? { readBytes: null, writeBytes: null } : parseIo(io)),
    };
  }

  /** The requested environment variables, read once per process and set of keys. */
  #env(pid: number, envKeys: readonly string[]): Record<string, string> {
    if (envKeys.length === 0) return {};
    const facts = this.#tracked.get(pid)?.facts;
    const keys = envKeys.join("\0");
    if (facts?.env?.keys === keys) return facts.env.values;
    const environ = this.#read(`/proc/${pid}/environ`);
    const values = environ === null ? {} : parseEnviron(environ, envKeys);
    // An unreadable environment is not remembered: it may be a race with exec.
    if (facts && environ !== null) facts.env = { keys, values };
    return values;
  }

  /** `[fd, link target]` of a process, read once per tick (`list()` starts a tick) for every use. */
  #links(pid: number): [string, string][] | null {
    const known = this.#fdLinks.get(pid);
    if (known !== undefined) return known;
    const fds = this.#files.list(`/proc/${pid}/fd`);
    const links = fds === null ? null : fds.flatMap((fd): [string, string][] => {
      const target = this.#files.readLink(`/proc/${pid}/fd/${fd}`);
      return target === null ? [] : [[fd, target]];
    });
    this.#fdLinks.set(pid, links);
    return links;
  }

  /** Regular files open with O_WRONLY or O_RDWR, from `/proc/PID/fd` and `/proc/PID/fdinfo`. */
  writingFiles(pid: number, limit: number = WRITING_FILES_LIMIT): string[] {
    if (!(limit > 0)) return [];
    const dir = `/proc/${pid}`;
    const links = this.#links(pid);
    if (links === null) return [];
    const files = new Set<string>();
    for (const [fd, target] of links) {
      const link = `${dir}/fd/${fd}`;
      if (files.has(target) || !isFileTarget(target)) continue;
      const info = this.#read(`${dir}/fdinfo/${fd}`);
      const flags = info === null ? null : parseFdinfoFlags(info);
      if (flags === null || !hasWriteAccess(flags)) continue;
      // Stat through the fd link: it reaches the open inode even from another mount namespace.
      if (this.#files.stat(link)?.regular) files.add(target);
    }
    return [...files].sort().slice(0, limit);
  }

  /**
   * Listening sockets per pid: the socket inodes in each `/proc/PID/fd`, matched against the TCP and
   * UDP tables of the process's network namespace. Each namespace's four tables are read once per
   * call (through `/proc/PID/net` of one of its processes), and only when some pid holds a socket.
   */
  listeningPorts(pids: readonly number[]): Map<number, ListeningPort[]> {
    const inodes = new Map<number, Set<number>>();
    const namespaces = new Map<string, number[]>();
    for (const pid of new Set(pids)) {
      const owned = new Set<number>();
      for (const [, target] of this.#links(pid) ?? []) {
        const inode = socketInode(target);
        if (inode !== null) owned.add(inode);
      }
      if (owned.size === 0) continue;
      inodes.set(pid, owned);
      const ns = this.#files.readLink(`/proc/${pid}/ns/net`) ?? `pid ${pid}`;
      namespaces.set(ns, [...namespaces.get(ns) ?? [], pid]);
    }
    const ports = new Map<number, ListeningPort[]>();
    for (const members of namespaces.values()) {
      const sockets = new Map<number, NetSocket>();
      for (const [file, protocol] of NET_TABLES) {
        const text = this.#read(`/proc/${members[0]}/net/${file}`);
        for (const s of text === null ? [] : parseNetTable(text, protocol)) sockets.set(s.inode, s);
      }
      for (const pid of members) {
        const found: ListeningPort[] = [];
        for (const inode of inodes.get(pid)!) {
          const s = sockets.get(inode);
          if (s) found.push({ protocol: s.protocol, address: s.address, port: s.port });
        }
        if (found.length > 0) ports.set(pid, found.sort(byPortProtocolAddress));
      }
    }
    return ports;
  }

  /** The controlling terminal from `tty_nr` in `/proc/PID/stat`. */
  terminal(pid: number): string | null {
    const stat = this.#read(`/proc/${pid}/stat`);
    const ttyNr = stat === null ? null : parseTtyNr(stat);
    return ttyNr === null ? null : ttyDevicePath(ttyNr);
  }

  /** SIGTERM through libc's `kill(2)` (bound on the first call). */
  terminate(pid: number, same?: () => boolean): SignalResult {
    return this.#terminate(pid, same);
  }

  /** The hidepid option of /proc, agtop's user and Yama's ptrace scope. */
  visibility(): ProcessVisibility {
    const mount = parseProcMount(this.#read("/proc/self/mountinfo") ?? "");
    const scope = Number.parseInt(this.#read("/proc/sys/kernel/yama/ptrace_scope") ?? "", 10);
    return {
      uid: Deno.uid() ?? -1,
      hidepid: mount.hidepid,
      hidepidGid: mount.gid,
      ptraceScope: Number.isNaN(scope) ? null : scope,
    };
  }

  /** Hostname, OS, CPU count, memory and boot time, read now. */
  system(): SystemFacts {
    const stat = this.#read("/proc/stat");
    const kernel = stat === null ? null : parseKernelStat(stat);
    const meminfo = this.#read("/proc/meminfo");
    return {
      hostname: attempt(() => Deno.hostname()) ?? "",
      os: Deno.build.os,
      arch: Deno.build.arch,
      cpuCount: kernel?.cpuCount || navigator.hardwareConcurrency,
      ...(meminfo === null ? { memTotalBytes: 0, memAvailableBytes: 0 } : parseMeminfo(meminfo)),
      bootTime: kernel?.bootTime ?? this.#bootTime,
      clockTicks: this.#units.clockTicks,
      pageSize: this.#units.pageSize,
    };
  }

  /** Closes the `/proc/PID/stat` files held between calls; the next `list()` starts afresh. */
  [Symbol.dispose](): void {
    for (const { stat } of this.#tracked.values()) this.#close(stat);
    this.#tracked = new Map();
  }

  #defaultHeldLimit(): number {
    const limits = this.#read("/proc/self/limits");
    const openFiles = (limits === null ? null : parseOpenFilesLimit(limits)) ?? DEFAULT_OPEN_FILES_LIMIT;
    return Math.min(HELD_STAT_FILES_MAX, Math.floor(openFiles / 4));
  }

  /**
   * The stat line of `pid`, re-read from the held file when there is one. A held file that fails
   * belonged to a process that is gone (the pid may be new), so it is closed and the path opened
   * afresh. Null when the process has vanished.
   */
  #readStat(pid: number, held: number): { text: string; file: number } | null {
    if (held >= 0) {
      const text = this.#files.reread(held);
      if (text !== null) return { text, file: held };
      this.#close(held);
    }
    if (this.#held >= this.#heldLimit) {
      const text = this.#read(`/proc/${pid}/stat`);
      return text === null ? null : { text, file: -1 };
    }
    const file = this.#files.open(`/proc/${pid}/stat`);
    if (file < 0) return null;
    this.#held++;
    const text = this.#files.reread(file);
    if (text !== null) return { text, file };
    this.#close(file);
    return null;
  }

  #close(file: number): void {
    if (file < 0) return;
    this.#held--;
    this.#files.close(file);
  }

  /** A whole procfs file as text, or null on any error (vanished process, denied read). */
  #read(path: string): string | null {
    return this.#files.readText(path);
  }

  /**
   * argv, exe and uid of a process just seen; each null/empty when unreadable. The uid is the owner
   * of `/proc/PID`: the effective uid (root for a non-dumpable process), as `top`'s USER column shows.
   */
  #readStaticFacts(pid: number, startId: number, name: string): StaticFacts {
    const dir = `/proc/${pid}`;
    const cmdline = this.#read(`${dir}/cmdline`);
    const exe = this.#files.readLink(`${dir}/exe`);
    return {
      startId,
      name,
      exe: exe === null ? null : exeFromLink(exe),
      argv: cmdline === null ? [] : parseCmdline(cmdline),
      uid: this.#files.stat(dir)?.uid ?? null,
    };
  }
}

/** The socket tables of a network namespace under `/proc/PID/net`, with their protocol. */
const NET_TABLES: readonly [string, "tcp" | "udp"][] = [
  ["tcp", "tcp"],
  ["tcp6", "tcp"],
  ["udp", "udp"],
  ["udp6", "udp"],
];

/** Orders listening ports by port, then protocol, then address. */
function byPortProtocolAddress(a: ListeningPort, b: ListeningPort): number {
  return a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address);
}

/**
 * What a kernel thread has, known without reading its files: no command line, no executable, and root
 * as its owner. A third of the processes of a typical Linux host; none can be an agent.
 */
function kernelThreadFacts(startId: number, name: string): StaticFacts {
  return { startId, name, exe: null, argv: [], uid: 0 };
}

/** libc's file access, or an error saying what agtop needs (see the module doc). */
function procFiles(): ProcFiles {
  const opened = openProcFiles();
  if ("reason" in opened) throw new ProcessAccessError(`cannot open libc to read /proc: ${opened.reason}`);
  return opened;
}

/** The value of `read`, or null when it throws (a vanished process, a denied read). */
function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
