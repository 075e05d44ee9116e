/**
 * The FreeBSD {@linkcode ProcessSource}: libprocstat (over the kern.proc sysctls) and libc sysctl
 * through `Deno.dlopen`. Thin calls only; every structure is decoded by `./decode.ts`, and memory
 * behind the pointers libprocstat returns is copied out with libc's `memcpy`. Every procstat handle,
 * process array, file list, argv and envv is freed in `finally` blocks.
 *
 * Not provided, by design: FreeBSD keeps no cumulative per-process I/O byte counters (rusage has
 * block counts only), so `details().readBytes` / `writeBytes` are null.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, ProcessSource, SignalResult, SystemFacts } from "../types.ts";
import { posixTerminate } from "../kill.ts";
import { WRITING_FILES_LIMIT } from "../types.ts";
import {
  cString,
  encodeCString,
  foreignMemory,
  type MemoryReader,
  pickEnv,
  portableSystemFacts,
  readCStringArray,
  sortedCapped,
  tryDlopen,
} from "../ffi.ts";
import { Notices } from "../notices.ts";
import {
  FREEBSD_LIBC_SYMBOLS,
  type FreeBsdLibcLibrary,
  KERN_PROC_PID,
  KERN_PROC_PROC,
  LIBC_PATH,
  LIBPROCSTAT_PATH,
  PATH_MAX,
  PROCSTAT_ERRBUF_SIZE,
  PROCSTAT_SYMBOLS,
  type ProcstatLibrary,
  SC_CLK_TCK,
  SC_PAGESIZE,
} from "./symbols.ts";
import {
  cwdOf,
  decodeKinfoProc,
  decodeSysctlInt,
  decodeTimevalMs,
  decodeVnstatType,
  type Filestat,
  freebsdProcessInfo,
  freebsdStartId,
  isWritableVnode,
  KINFO_PROC_SIZE,
  PS_FST_VTYPE_VREG,
  VNSTAT_BUFFER_SIZE,
  walkFilestats,
} from "./decode.ts";

type Procstat = ProcstatLibrary["symbols"];
type Libc = FreeBsdLibcLibrary["symbols"];

/** Caps on what one call reads from libprocstat's results. */
const MAX_PROCESSES = 1 << 20;
const MAX_FILES = 1 << 16;
const MAX_STRINGS = 1 << 16;
const MAX_STRING_BYTES = 1 << 20;

/** One open procstat handle with the symbols and the memory access to use it. */
interface ProcstatCall {
  sym: Procstat;
  /** The `struct procstat *`. */
  ps: bigint;
  memory: MemoryReader;
}

/** Facts of a process that cannot change while it runs the same image. */
interface StaticFacts {
  exe: string | null;
  argv: string[];
}

/** Options of {@linkcode FreeBsdProcessSource}. */
export interface FreeBsdSourceOptions {
  /** Path of libprocstat; defaults to `/usr/lib/libprocstat.so.1`. */
  libprocstat?: string;
  /** Path of libc; defaults to `/lib/libc.so.7`. */
  libc?: string;
}

/**
 * Processes of FreeBSD through libprocstat (`procstat_getprocs`, `procstat_getargv`,
 * `procstat_getenvv`, `procstat_getfiles`, `procstat_get_vnode_info`, `procstat_getpathname`) and
 * libc `sysctlbyname`. Libraries are opened on first use; when one or a symbol is missing the affected
 * fields degrade and {@linkcode FreeBsdProcessSource.notices} says why.
 *
 * @example
 * ```ts
 * const source = new FreeBsdProcessSource();
 * const mine = source.list().find((p) => p.pid === Deno.pid);
 * console.log(mine?.argv, source.writingFiles(Deno.pid), source.notices());
 * ```
 */
export class FreeBsdProcessSource implements ProcessSource, Disposable {
  readonly #procstatPath: string;
  readonly #libcPath: string;
  readonly #terminate: ProcessSource["terminate"];
  readonly #notices = new Notices();
  #procstat: ProcstatLibrary | null | undefined;
  #libc: FreeBsdLibcLibrary | null | undefined;
  #pageSize: number | undefined;
  #static = new Map<string, StaticFacts>();

  /** Creates the source; nothing is opened until the first call. */
  constructor(options: FreeBsdSourceOptions = {}) {
    this.#procstatPath = options.libprocstat ?? LIBPROCSTAT_PATH;
    this.#libcPath = options.libc ?? LIBC_PATH;
    this.#terminate = posixTerminate([this.#libcPath], "__error");
  }

  /** Why fields are missing: one line per missing library or symbol or unexpected failure. */
  notices(): string[] {
    return this.#notices.list();
  }

  /** Every process (KERN_PROC_PROC); [] when libprocstat or libc is unavailable. */
  list(): ProcessInfo[] {
    try {
      return this.#withProcstat((call) => this.#list(call)) ?? [];
    } catch (error) {
      this.#notices.failure("list", error);
      return [];
    }
  }

  /** cwd (the PS_FST_UFLAG_CDIR entry) and requested env (procstat_getenvv); I/O bytes are null. */
  details(pid: number, envKeys: readonly string[]): ProcessDetails {
    const details: ProcessDetails = { cwd: null, env: {}, readBytes: null, writeBytes: null };
    try {
      this.#withProcess(pid, (call, kp) => {
        details.cwd = cwdOf(this.#files(call, kp, () => true));
        const { sym, ps, memory } = call;
        if (envKeys.length === 0 || sym.procstat_getenvv === null || sym.procstat_freeenvv === null) return;
        const envv = sym.procstat_getenvv(ps, kp, 0n);
        if (envv === 0n) return;
        try {
          details.env = pickEnv(readCStringArray(memory, envv, MAX_STRINGS, MAX_STRING_BYTES), envKeys);
        } finally {
          sym.procstat_freeenvv(ps);
        }
      });
    } catch (error) {
      this.#notices.failure("details", error);
    }
    return details;
  }

  /** Regular files `pid` holds open with PS_FST_FFLAG_WRITE, from procstat_getfiles; [] on any failure. */
  writingFiles(pid: number, limit: number = WRITING_FILES_LIMIT): string[] {
    try {
      if (limit <= 0) return [];
      const paths = this.#withProcess(pid, (call, kp) => {
        const getVnode = call.sym.procstat_get_vnode_info;
        if (getVnode === null) return [];
        const vnstat = new Uint8Array(VNSTAT_BUFFER_SIZE);
        const errbuf = new Uint8Array(PROCSTAT_ERRBUF_SIZE);
        const isRegular = (fst: Filestat) =>
          getVnode(call.ps, fst.address, vnstat, errbuf) === 0 &&
          decodeVnstatType(vnstat) === PS_FST_VTYPE_VREG;
        const files = this.#files(call, kp, (fst) => isWritableVnode(fst) && isRegular(fst));
        return files.flatMap((f) => (f.path === null ? [] : [f.path]));
      });
      return sortedCapped(paths ?? [], limit);
    } catch (error) {
      this.#notices.failure("writingFiles", error);
      return [];
    }
  }

  /** hw.ncpu, hw.physmem, kern.boottime, free + inactive pages (vm.stats.vm), sysconf. */
  system(): SystemFacts {
    const facts = portableSystemFacts(128, this.#pageSizeOf());
    try {
      const libc = this.#libcSymbols();
      if (libc === null) return facts;
      const clockTicks = libc.sysconf === null ? 0 : Number(libc.sysconf(SC_CLK_TCK));
      if (clockTicks > 0) facts.clockTicks = clockTicks;
      const cpus = this.#sysctlInt(libc, "hw.ncpu");
      if (cpus !== null && cpus > 0) facts.cpuCount = cpus;
      const physmem = this.#sysctlInt(libc, "hw.physmem");
      if (physmem !== null && physmem > 0) facts.memTotalBytes = physmem;
      const boot = this.#sysctlBytes(libc, "kern.boottime", 16);
      const bootTime = boot === null ? null : decodeTimevalMs(boot);
      if (bootTime !== null && bootTime > 0) facts.bootTime = bootTime;
      const free = this.#sysctlInt(libc, "vm.stats.vm.v_free_count");
      const inactive = this.#sysctlInt(libc, "vm.stats.vm.v_inactive_count");
      if (free !== null && inactive !== null) facts.memAvailableBytes = (free + inactive) * facts.pageSize;
    } catch (error) {
      this.#notices.failure("system", error);
    }
    return facts;
  }

  /** SIGTERM through libc's `kill(2)` (bound on the first call). */
  terminate(pid: number, same?: () => boolean): SignalResult {
    return this.#terminate(pid, same);
  }

  /** Closes libprocstat and libc (no procstat handle stays open between calls); a later call reopens. */
  [Symbol.dispose](): void {
    this.#procstat?.close();
    this.#libc?.close();
    this.#procstat = undefined;
    this.#libc = undefined;
  }

  #symbols(): Procstat | null {
    if (this.#procstat === undefined) {
      this.#procstat = tryDlopen(this.#procstatPath, PROCSTAT_SYMBOLS, this.#notices);
    }
    return this.#procstat?.symbols ?? null;
  }

  #libcSymbols(): Libc | null {
    if (this.#libc === undefined) this.#libc = tryDlopen(this.#libcPath, FREEBSD_LIBC_SYMBOLS, this.#notices);
    return this.#libc?.symbols ?? null;
  }

  #pageSizeOf(): number {
    if (this.#pageSize === undefined) {
      const sysconf = this.#libcSymbols()?.sysconf ?? null;
      const size = sysconf === null ? 0 : Number(sysconf(SC_PAGESIZE));
      this.#pageSize = size > 0 ? size : 4096;
    }
    return this.#pageSize;
  }

  /**
   * Opens a procstat handle, runs `use` with it, always closes it; null when libprocstat or libc's
   * memory access is unusable.
   */
  #withProcstat<T>(use: (call: ProcstatCall) => T): T | null {
    const sym = this.#symbols();
    const libc = this.#libcSymbols();
    const memory = libc === null ? null : foreignMemory(libc);
    if (sym?.procstat_open_sysctl == null || sym.procstat_close === null || memory === null) return null;
    const ps = sym.procstat_open_sysctl();
    if (ps === 0n) return null;
    try {
      return use({ sym, ps, memory });
    } finally {
      sym.procstat_close(ps);
    }
  }

  /** Runs `use` with the kinfo_proc of `pid` (its address), freeing it afterwards; null when gone. */
  #withProcess<T>(pid: number, use: (call: ProcstatCall, kp: bigint) => T): T | null {
    return this.#withProcstat((call) => {
      const { sym, ps, memory } = call;
      if (sym.procstat_getprocs === null || sym.procstat_freeprocs === null) return null;
      const count = new Uint32Array(1);
      const kp = sym.procstat_getprocs(ps, KERN_PROC_PID, pid, count);
      if (kp === 0n) return null;
      try {
        const bytes = count[0] === 1 ? memory.bytes(kp, KINFO_PROC_SIZE) : null;
        return bytes !== null && decodeKinfoProc(bytes) !== null ? use(call, kp) : null;
      } finally {
        sym.procstat_freeprocs(ps, kp);
      }
    });
  }

  #list(call: ProcstatCall): ProcessInfo[] {
    const { sym, ps, memory } = call;
    if (sym.procstat_getprocs === null || sym.procstat_freeprocs === null) return [];
    const count = new Uint32Array(1);
    const procs = sym.procstat_getprocs(ps, KERN_PROC_PROC, 0, count);
    if (procs === 0n) return [];
    try {
      const n = Math.min(count[0], MAX_PROCESSES);
      const bytes = memory.bytes(procs, n * KINFO_PROC_SIZE) ?? new Uint8Array(0);
      const pageSize = this.#pageSizeOf();
      const seen = new Map<string, StaticFacts>();
      const out: ProcessInfo[] = [];
      for (let i = 0; i < n; i++) {
        const kp = decodeKinfoProc(bytes, i * KINFO_PROC_SIZE);
        if (kp === null) {
          this.#notices.add(`kinfo_proc is not the ${KINFO_PROC_SIZE}-byte layout; processes skipped`);
          break;
        }
        const key = `${kp.pid}:${freebsdStartId(kp)}:${kp.comm}`;
        const facts = this.#static.get(key) ?? this.#staticFacts(call, procs + BigInt(i * KINFO_PROC_SIZE));
        seen.set(key, facts);
        out.push(freebsdProcessInfo(kp, facts.exe, facts.argv, pageSize));
      }
      this.#static = seen;
      return out;
    } finally {
      sym.procstat_freeprocs(ps, procs);
    }
  }

  #staticFacts({ sym, ps, memory }: ProcstatCall, kp: bigint): StaticFacts {
    const facts: StaticFacts = { exe: null, argv: [] };
    if (sym.procstat_getpathname !== null) {
      const buf = new Uint8Array(PATH_MAX);
      if (sym.procstat_getpathname(ps, kp, buf, BigInt(buf.length)) === 0) facts.exe = cString(buf) || null;
    }
    if (sym.procstat_getargv !== null && sym.procstat_freeargv !== null) {
      const argv = sym.procstat_getargv(ps, kp, 0n);
      if (argv !== 0n) {
        try {
          facts.argv = readCStringArray(memory, argv, MAX_STRINGS, MAX_STRING_BYTES);
        } finally {
          sym.procstat_freeargv(ps);
        }
      }
    }
    return facts;
  }

  /** The entries of procstat_getfiles that `keep` accepts; the list is always freed. */
  #files({ sym, ps, memory }: ProcstatCall, kp: bigint, keep: (fst: Filestat) => boolean): Filestat[] {
    if (sym.procstat_getfiles === null || sym.procstat_freefiles === null) return [];
    const head = sym.procstat_getfiles(ps, kp, 0);
    if (head === 0n) return [];
    try {
      return walkFilestats(memory, head, MAX_FILES).filter(keep);
    } finally {
      sym.procstat_freefiles(ps, head);
    }
  }

  #sysctlBytes(libc: Libc, name: string, size: number): Uint8Array | null {
    if (libc.sysctlbyname === null) return null;
    const buf = new Uint8Array(size);
    const length = new BigUint64Array([BigInt(size)]);
    if (libc.sysctlbyname(encodeCString(name), buf, length, 0n, 0n) !== 0) return null;
    return buf.subarray(0, Math.min(size, Number(length[0])));
  }

  #sysctlInt(libc: Libc, name: string): number | null {
    const bytes = this.#sysctlBytes(libc, name, 8);
    return bytes === null ? null : decodeSysctlInt(bytes, bytes.length);
  }
}
