/**
 * The macOS {@linkcode ProcessSource}: libproc and sysctl through `Deno.dlopen` on libSystem. Thin
 * calls only; every structure is decoded by `./decode.ts`.
 *
 * What macOS does not give an unprivileged caller: task info (CPU, RSS, threads), KERN_PROCARGS2 and
 * rusage of other users' processes — those report 0 / empty / null, the rest of the row stays.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, ProcessSource, SignalResult, SystemFacts } from "../types.ts";
import { posixTerminate } from "../kill.ts";
import { WRITING_FILES_LIMIT } from "../types.ts";
import {
  cString,
  encodeCString,
  growBuffer,
  pickEnv,
  portableSystemFacts,
  sortedCapped,
  tryDlopen,
} from "../ffi.ts";
import { Notices } from "../notices.ts";
import {
  CTL_KERN,
  DARWIN_SYMBOLS,
  type DarwinLibrary,
  HOST_VM_INFO64,
  HOST_VM_INFO64_COUNT,
  KERN_PROCARGS2,
  LIBSYSTEM_PATH,
  PROC_PIDFDVNODEPATHINFO,
  PROC_PIDLISTFDS,
  PROC_PIDPATHINFO_MAXSIZE,
  PROC_PIDTASKALLINFO,
  PROC_PIDTBSDINFO,
  PROC_PIDVNODEPATHINFO,
  RUSAGE_INFO_V2,
  SC_CLK_TCK,
  SC_PAGESIZE,
} from "./symbols.ts";
import {
  darwinProcessInfo,
  darwinStartId,
  decodeFdList,
  decodePids,
  decodeProcArgs2,
  decodeRusageV2,
  decodeSysctlInt,
  decodeTaskAllInfo,
  decodeTimebase,
  decodeTimevalMs,
  decodeVmStatistics64,
  decodeVnodeFdInfo,
  decodeVnodePathInfo,
  PROC_BSDINFO_SIZE,
  PROC_FDINFO_SIZE,
  PROC_TASKALLINFO_SIZE,
  PROC_VNODEPATHINFO_SIZE,
  type ProcArgs,
  PROX_FDTYPE_VNODE,
  RUSAGE_INFO_V2_SIZE,
  type Timebase,
  VM_STATISTICS64_SIZE,
  VNODE_FDINFOWITHPATH_SIZE,
  writablePath,
} from "./decode.ts";

type Symbols = DarwinLibrary["symbols"];

/** Cap of the pid list buffer (a million pids). */
const MAX_PID_BYTES = 4 * 1024 * 1024;
/** Cap of one process's descriptor list buffer (a million descriptors). */
const MAX_FD_BYTES = 8 * 1024 * 1024;
/** KERN_PROCARGS2 buffer size when kern.argmax cannot be read, and the bounds applied to it. */
const DEFAULT_ARGMAX = 1024 * 1024;
const MIN_ARGMAX = 64 * 1024;
const MAX_ARGMAX = 16 * 1024 * 1024;

/** Facts of a process that cannot change while it runs the same image. */
interface StaticFacts {
  exe: string | null;
  argv: string[];
}

/** Options of {@linkcode DarwinProcessSource}. */
export interface DarwinSourceOptions {
  /** Path of libSystem; defaults to `/usr/lib/libSystem.B.dylib`. */
  libSystem?: string;
}

/**
 * Processes of macOS through libproc (`proc_listallpids`, `proc_pidinfo`, `proc_pidfdinfo`,
 * `proc_pidpath`, `proc_pid_rusage`) and sysctl (KERN_PROCARGS2, hw.*, kern.boottime). The library is
 * opened on first use; when it or a symbol is missing the affected fields degrade and
 * {@linkcode DarwinProcessSource.notices} says why.
 *
 * @example
 * ```ts
 * const source = new DarwinProcessSource();
 * const mine = source.list().find((p) => p.pid === Deno.pid);
 * console.log(mine?.argv, source.writingFiles(Deno.pid), source.notices());
 * ```
 */
export class DarwinProcessSource implements ProcessSource, Disposable {
  readonly #path: string;
  readonly #terminate: ProcessSource["terminate"];
  readonly #notices = new Notices();
  #library: DarwinLibrary | null | undefined;
  #timebase: Timebase | undefined;
  #host: number | undefined;
  #argsBuffer: Uint8Array<ArrayBuffer> | undefined;
  #static = new Map<string, StaticFacts>();
  readonly #info = new Uint8Array(PROC_TASKALLINFO_SIZE);
  readonly #pathBuffer = new Uint8Array(PROC_PIDPATHINFO_MAXSIZE);

  /** Creates the source; nothing is opened until the first call. */
  constructor(options: DarwinSourceOptions = {}) {
    this.#path = options.libSystem ?? LIBSYSTEM_PATH;
    this.#terminate = posixTerminate([this.#path], "__error");
  }

  /** Why fields are missing: one line per missing library or symbol or unexpected failure. */
  notices(): string[] {
    return this.#notices.list();
  }

  /** Every visible process; [] when libproc is unavailable. */
  list(): ProcessInfo[] {
    try {
      return this.#list();
    } catch (error) {
      this.#notices.failure("list", error);
      return [];
    }
  }

  /** cwd (PROC_PIDVNODEPATHINFO), requested env (KERN_PROCARGS2) and disk I/O (rusage v2). */
  details(pid: number, envKeys: readonly string[]): ProcessDetails {
    const details: ProcessDetails = { cwd: null, env: {}, readBytes: null, writeBytes: null };
    try {
      const sym = this.#symbols();
      if (sym === null) return details;
      if (sym.proc_pidinfo !== null) {
        const buf = new Uint8Array(PROC_VNODEPATHINFO_SIZE);
        const n = sym.proc_pidinfo(pid, PROC_PIDVNODEPATHINFO, 0n, buf, buf.length);
        if (n === buf.length) details.cwd = decodeVnodePathInfo(buf);
      }
      if (envKeys.length > 0) details.env = pickEnv(this.#procArgs(sym, pid)?.env ?? [], envKeys);
      if (sym.proc_pid_rusage !== null) {
        const buf = new Uint8Array(RUSAGE_INFO_V2_SIZE);
        const io = sym.proc_pid_rusage(pid, RUSAGE_INFO_V2, buf) === 0 ? decodeRusageV2(buf) : null;
        if (io !== null) Object.assign(details, io);
      }
    } catch (error) {
      this.#notices.failure("details", error);
    }
    return details;
  }

  /** Regular files `pid` holds open with FWRITE, from its vnode descriptors; [] on any failure. */
  writingFiles(pid: number, limit: number = WRITING_FILES_LIMIT): string[] {
    try {
      const sym = this.#symbols();
      if (limit <= 0 || sym?.proc_pidinfo == null || sym.proc_pidfdinfo === null) return [];
      const pidinfo = sym.proc_pidinfo;
      const estimate = pidinfo(pid, PROC_PIDLISTFDS, 0n, null, 0);
      if (estimate <= 0) return [];
      const fds = growBuffer(estimate + 32 * PROC_FDINFO_SIZE, MAX_FD_BYTES, (buf) => {
        const n = pidinfo(pid, PROC_PIDLISTFDS, 0n, buf, buf.length);
        if (n <= 0) return null;
        return n + PROC_FDINFO_SIZE > buf.length ? { need: buf.length * 2 } : { value: decodeFdList(buf, n) };
      }) ?? [];
      const buf = new Uint8Array(VNODE_FDINFOWITHPATH_SIZE);
      const paths: string[] = [];
      for (const { fd, type } of fds) {
        if (type !== PROX_FDTYPE_VNODE) continue;
        if (sym.proc_pidfdinfo(pid, fd, PROC_PIDFDVNODEPATHINFO, buf, buf.length) !== buf.length) continue;
        const info = decodeVnodeFdInfo(buf);
        const path = info === null ? null : writablePath(info);
        if (path !== null) paths.push(path);
      }
      return sortedCapped(paths, limit);
    } catch (error) {
      this.#notices.failure("writingFiles", error);
      return [];
    }
  }

  /** hw.ncpu, hw.memsize, kern.boottime, host_statistics64 (free + inactive pages), sysconf. */
  system(): SystemFacts {
    let facts: SystemFacts = portableSystemFacts(100, 4096);
    try {
      const sym = this.#symbols();
      if (sym === null) return facts;
      const clockTicks = sym.sysconf === null ? 0 : Number(sym.sysconf(SC_CLK_TCK));
      const pageSize = sym.sysconf === null ? 0 : Number(sym.sysconf(SC_PAGESIZE));
      facts = {
        ...facts,
        clockTicks: clockTicks > 0 ? clockTicks : 100,
        pageSize: pageSize > 0 ? pageSize : 4096,
      };
      const cpus = this.#sysctlInt(sym, "hw.ncpu");
      if (cpus !== null && cpus > 0) facts.cpuCount = cpus;
      const memsize = this.#sysctlInt(sym, "hw.memsize");
      if (memsize !== null && memsize > 0) facts.memTotalBytes = memsize;
      const boot = this.#sysctlBytes(sym, "kern.boottime", 16);
      const bootTime = boot === null ? null : decodeTimevalMs(boot);
      if (bootTime !== null && bootTime > 0) facts.bootTime = bootTime;
      const vm = this.#vmStatistics(sym);
      if (vm !== null) facts.memAvailableBytes = (vm.free + vm.inactive) * facts.pageSize;
    } catch (error) {
      this.#notices.failure("system", error);
    }
    return facts;
  }

  /** SIGTERM through libSystem's `kill(2)` (bound on the first call). */
  terminate(pid: number, same?: () => boolean): SignalResult {
    return this.#terminate(pid, same);
  }

  /** Releases the host port and closes libSystem; a later call opens it again. */
  [Symbol.dispose](): void {
    const sym = this.#library?.symbols;
    if (sym && this.#host && sym.mach_task_self_ !== null && sym.mach_port_deallocate !== null) {
      sym.mach_port_deallocate(sym.mach_task_self_, this.#host);
    }
    this.#host = undefined;
    this.#library?.close();
    this.#library = undefined;
  }

  #symbols(): Symbols | null {
    if (this.#library === undefined) this.#library = tryDlopen(this.#path, DARWIN_SYMBOLS, this.#notices);
    return this.#library?.symbols ?? null;
  }

  #list(): ProcessInfo[] {
    const sym = this.#symbols();
    if (sym?.proc_listallpids == null || sym.proc_pidinfo === null) return [];
    const timebase = this.#timebaseOf(sym);
    const seen = new Map<string, StaticFacts>();
    const out: ProcessInfo[] = [];
    for (const pid of this.#pids(sym.proc_listallpids)) {
      const all = this.#taskAllInfo(sym.proc_pidinfo, pid);
      if (all === null) continue;
      const key = `${pid}:${darwinStartId(all.bsd)}:${all.bsd.comm}`;
      const facts = this.#static.get(key) ?? {
        exe: this.#exe(sym, pid),
        argv: this.#procArgs(sym, pid)?.argv ?? [],
      };
      seen.set(key, facts);
      out.push(darwinProcessInfo(all, facts.exe, facts.argv, timebase));
    }
    this.#static = seen;
    return out;
  }

  #pids(listAll: NonNullable<Symbols["proc_listallpids"]>): number[] {
    const count = listAll(null, 0);
    if (count <= 0) return [];
    return growBuffer((count + 64) * 4, MAX_PID_BYTES, (buf) => {
      const n = listAll(buf, buf.length);
      if (n <= 0) return null;
      return (n + 1) * 4 > buf.length ? { need: (n + 64) * 8 } : { value: decodePids(buf, n) };
    }) ?? [];
  }

  /** PROC_PIDTASKALLINFO, or PROC_PIDTBSDINFO alone for processes whose task port is refused. */
  #taskAllInfo(pidinfo: NonNullable<Symbols["proc_pidinfo"]>, pid: number) {
    const buf = this.#info;
    if (pidinfo(pid, PROC_PIDTASKALLINFO, 0n, buf, PROC_TASKALLINFO_SIZE) === PROC_TASKALLINFO_SIZE) {
      return decodeTaskAllInfo(buf);
    }
    if (pidinfo(pid, PROC_PIDTBSDINFO, 0n, buf, PROC_BSDINFO_SIZE) === PROC_BSDINFO_SIZE) {
      return decodeTaskAllInfo(buf.subarray(0, PROC_BSDINFO_SIZE));
    }
    return null;
  }

  #exe(sym: Symbols, pid: number): string | null {
    if (sym.proc_pidpath === null) return null;
    const n = sym.proc_pidpath(pid, this.#pathBuffer, this.#pathBuffer.length);
    return n > 0 ? cString(this.#pathBuffer, 0, n) : null;
  }

  #procArgs(sym: Symbols, pid: number): ProcArgs | null {
    if (sym.sysctl === null) return null;
    this.#argsBuffer ??= new Uint8Array(this.#argmax(sym));
    const buf = this.#argsBuffer;
    const mib = new Int32Array([CTL_KERN, KERN_PROCARGS2, pid]);
    const length = new BigUint64Array([BigInt(buf.length)]);
    if (sym.sysctl(mib, mib.length, buf, length, 0n, 0n) !== 0) return null;
    return decodeProcArgs2(buf.subarray(0, Math.min(buf.length, Number(length[0]))));
  }

  #argmax(sym: Symbols): number {
    const argmax = this.#sysctlInt(sym, "kern.argmax") ?? DEFAULT_ARGMAX;
    return Math.min(MAX_ARGMAX, Math.max(MIN_ARGMAX, argmax));
  }

  #timebaseOf(sym: Symbols): Timebase {
    if (this.#timebase === undefined) {
      const buf = new Uint8Array(8);
      const ok = sym.mach_timebase_info !== null && sym.mach_timebase_info(buf) === 0;
      const timebase = ok ? decodeTimebase(buf) : null;
      if (timebase === null) {
        this.#notices.add("mach_timebase_info unavailable; CPU time assumes 1 tick = 1 ns");
      }
      this.#timebase = timebase ?? { numer: 1, denom: 1 };
    }
    return this.#timebase;
  }

  #vmStatistics(sym: Symbols) {
    if (sym.mach_host_self === null || sym.host_statistics64 === null) return null;
    this.#host ??= sym.mach_host_self();
    if (this.#host === 0) return null;
    const buf = new Uint8Array(VM_STATISTICS64_SIZE);
    const count = new Uint32Array([HOST_VM_INFO64_COUNT]);
    return sym.host_statistics64(this.#host, HOST_VM_INFO64, buf, count) === 0
      ? decodeVmStatistics64(buf)
      : null;
  }

  #sysctlBytes(sym: Symbols, name: string, size: number): Uint8Array | null {
    if (sym.sysctlbyname === null) return null;
    const buf = new Uint8Array(size);
    const length = new BigUint64Array([BigInt(size)]);
    if (sym.sysctlbyname(encodeCString(name), buf, length, 0n, 0n) !== 0) return null;
    return buf.subarray(0, Math.min(size, Number(length[0])));
  }

  #sysctlInt(sym: Symbols, name: string): number | null {
    const bytes = this.#sysctlBytes(sym, name, 8);
    return bytes === null ? null : decodeSysctlInt(bytes, bytes.length);
  }
}
