/**
 * Pure decoders for the FreeBSD structures libprocstat returns (LP64, little-endian: amd64, arm64,
 * riscv64). Each takes bytes (or a {@linkcode MemoryReader} for linked lists) and returns plain data,
 * or null / [] when the bytes are too short. None of them throws.
 *
 * `struct kinfo_proc` (freebsd/freebsd-src `sys/sys/user.h`, FreeBSD 12 and later; KINFO_PROC_SIZE
 * 1088 on every LP64 platform), the fields agtop reads:
 * ```
 *    0 i32 ki_structsize     72 i32 ki_pid          76 i32 ki_ppid        168 u32 ki_uid
 *  172 u32 ki_ruid          264 i64 ki_rssize (pages)                     328 u64 ki_runtime (µs)
 *  336 timeval ki_start (i64 tv_sec, i64 tv_usec)   388 char ki_stat       447 char ki_comm[20]
 *  596 i32 ki_numthreads   1080 long ki_tdflags
 * ```
 * (between them: 8 kernel pointers from 8, pgid/tpgid/sid/tsid at 80–92, four 16-byte sigsets from
 * 104, groups at 192, sizes at 256–296, u_short/u_int counters at 304–324, ki_childtime 352,
 * ki_flag 368, ki_kiflag 376, ki_traceflag 384, char fields 389–393, ki_tdname[17] 394,
 * ki_wmesg[9] 411, ki_login[18] 420, ki_lockname[9] 438, ki_emul[17] 467, ki_loginclass[18] 484,
 * ki_moretdname[4] 502, ki_sparestrings[46] 506, ki_spareints[2] 552, ki_tdev 560, ints 568–592,
 * ki_tid 600, ki_pri 604, ki_rusage 608, ki_rusage_ch 752, pointers 896–968, ki_sparelongs 976,
 * ki_sflag 1072.)
 *
 * `struct filestat` (`lib/libprocstat/libprocstat.h`), 72 bytes:
 * ```
 *  0 i32 fs_type   4 i32 fs_flags   8 i32 fs_fflags   12 i32 fs_uflags   16 i32 fs_fd
 * 20 i32 fs_ref_count   24 i64 fs_offset   32 ptr fs_typedep   40 ptr fs_path
 * 48 ptr next.stqe_next (STAILQ_ENTRY)     56 cap_rights_t fs_cap_rights (u64[2])
 * ```
 * `struct filestat_list` (STAILQ_HEAD): `0 ptr stqh_first`, `8 ptr stqh_last`.
 *
 * `struct vnstat` (FreeBSD 12 and later): `0 u64 vn_fileid`, `8 u64 vn_size`, `16 u64 vn_dev`,
 * `24 u64 vn_fsid`, `32 ptr vn_mntdir`, `40 i32 vn_type`, `44 u16 vn_mode`, `46 char vn_devname[256]`.
 *
 * `struct timeval` (kern.boottime): `0 i64 tv_sec`, `8 i64 tv_usec`.
 *
 * @module
 */

import type { ProcessInfo, ProcessState } from "../types.ts";
import { cString, type MemoryReader, u64, view } from "../ffi.ts";

/** `sizeof(struct kinfo_proc)` on LP64 FreeBSD. */
export const KINFO_PROC_SIZE = 1088;
/** `sizeof(struct filestat)` on LP64. */
const FILESTAT_SIZE = 72;
/** Bytes to reserve for `struct vnstat` (304 on FreeBSD 13/14, with room to spare). */
export const VNSTAT_BUFFER_SIZE = 512;
/** `PS_FST_TYPE_VNODE`. */
const PS_FST_TYPE_VNODE = 1;
/** `PS_FST_FFLAG_WRITE`. */
const PS_FST_FFLAG_WRITE = 0x2;
/** `PS_FST_UFLAG_CDIR`: the entry is the current working directory. */
const PS_FST_UFLAG_CDIR = 0x2;
/** `PS_FST_VTYPE_VREG` (libprocstat's own numbering, not the kernel's `enum vtype`). */
export const PS_FST_VTYPE_VREG = 2;

const COMMLEN = 19;
const TDF_SINTR = 0x8;

/** `struct kinfo_proc`, the fields agtop uses. */
export interface KinfoProc {
  /** `ki_pid`. */
  pid: number;
  /** `ki_ppid`. */
  ppid: number;
  /** `ki_ruid`: real user id. */
  ruid: number;
  /** `ki_rssize`: resident set size in pages. */
  rssPages: number;
  /** CPU time in microseconds. */
  runtimeUs: number;
  /** `ki_start.tv_sec`. */
  startSec: number;
  /** `ki_start.tv_usec`. */
  startUsec: number;
  /** `ki_stat`: SIDL 1, SRUN 2, SSLEEP 3, SSTOP 4, SZOMB 5, SWAIT 6, SLOCK 7. */
  stat: number;
  /** `ki_comm`: up to 19 bytes of the command name. */
  comm: string;
  /** `ki_numthreads`. */
  threads: number;
  /** `ki_tdflags` of the first thread (TDF_SINTR tells interruptible sleep). */
  tdflags: number;
}

/**
 * Decodes the `struct kinfo_proc` at `offset`; null when truncated or when ki_structsize is not the
 * LP64 layout this decoder knows.
 *
 * @example
 * ```ts
 * decodeKinfoProc(new Uint8Array(1088)); // null — ki_structsize is 0
 * ```
 */
export function decodeKinfoProc(bytes: Uint8Array, offset = 0): KinfoProc | null {
  if (offset < 0 || bytes.length - offset < KINFO_PROC_SIZE) return null;
  const d = view(bytes);
  if (d.getInt32(offset, true) !== KINFO_PROC_SIZE) return null;
  return {
    pid: d.getInt32(offset + 72, true),
    ppid: d.getInt32(offset + 76, true),
    ruid: d.getUint32(offset + 172, true),
    rssPages: Number(d.getBigInt64(offset + 264, true)),
    runtimeUs: u64(d, offset + 328),
    startSec: Number(d.getBigInt64(offset + 336, true)),
    startUsec: Number(d.getBigInt64(offset + 344, true)),
    stat: d.getInt8(offset + 388),
    comm: cString(bytes, offset + 447, COMMLEN + 1),
    threads: d.getInt32(offset + 596, true),
    tdflags: Number(d.getBigInt64(offset + 1080, true)),
  };
}

/**
 * Maps `ki_stat` (and the TDF_SINTR flag for sleeps) to a {@linkcode ProcessState}, as `ps` reads
 * them: SIDL/SRUN running, interruptible SSLEEP sleeping, uninterruptible SSLEEP and SLOCK
 * disk-sleep, SSTOP stopped, SZOMB zombie, SWAIT (interrupt threads) idle.
 *
 * @example
 * ```ts
 * freebsdState(3, 0x8); // "sleeping"
 * ```
 */
export function freebsdState(stat: number, tdflags: number): ProcessState {
  switch (stat) {
    case 1:
    case 2:
      return "running";
    case 3:
      return (tdflags & TDF_SINTR) !== 0 ? "sleeping" : "disk-sleep";
    case 4:
      return "stopped";
    case 5:
      return "zombie";
    case 6:
      return "idle";
    case 7:
      return "disk-sleep";
    default:
      return "unknown";
  }
}

/**
 * The opaque start stamp of a process: its start time in microseconds since the epoch.
 *
 * @example
 * ```ts
 * freebsdStartId({ startSec: 1, startUsec: 2 }); // 1000002
 * ```
 */
export function freebsdStartId(kp: Pick<KinfoProc, "startSec" | "startUsec">): number {
  return kp.startSec * 1e6 + kp.startUsec;
}

/**
 * Builds the {@linkcode ProcessInfo} of one decoded `kinfo_proc`.
 *
 * @example
 * ```ts
 * // freebsdProcessInfo(decodeKinfoProc(bytes)!, "/bin/sh", ["sh"], 4096);
 * ```
 */
export function freebsdProcessInfo(
  kp: KinfoProc,
  exe: string | null,
  argv: string[],
  pageSize: number,
): ProcessInfo {
  return {
    pid: kp.pid,
    ppid: kp.ppid,
    name: kp.comm,
    exe,
    argv,
    state: freebsdState(kp.stat, kp.tdflags),
    threads: kp.threads,
    startedAt: kp.startSec * 1000 + Math.floor(kp.startUsec / 1000),
    startId: freebsdStartId(kp),
    cpuTimeMs: kp.runtimeUs / 1000,
    rssBytes: kp.rssPages * pageSize,
    uid: kp.ruid,
  };
}

/** One `struct filestat` of a `filestat_list`, with its own address and its path read. */
export interface Filestat {
  /** Address of the node (what `procstat_get_vnode_info` takes). */
  address: bigint;
  /** `PS_FST_TYPE_*`. */
  type: number;
  /** `PS_FST_FFLAG_*` access flags. */
  fflags: number;
  /** `PS_FST_UFLAG_*` usage (cwd, root, text, …). */
  uflags: number;
  /** Descriptor number; -1 for non-descriptor entries (cwd, root, text, …). */
  fd: number;
  /** Path from the kernel name cache, or null when the kernel did not know it. */
  path: string | null;
}

/**
 * Decodes one `struct filestat` (without following its pointers).
 *
 * @example
 * ```ts
 * decodeFilestat(new Uint8Array(10)); // null
 * ```
 */
export function decodeFilestat(
  bytes: Uint8Array,
): { type: number; fflags: number; uflags: number; fd: number; pathAddress: bigint; next: bigint } | null {
  if (bytes.length < FILESTAT_SIZE) return null;
  const d = view(bytes);
  return {
    type: d.getInt32(0, true),
    fflags: d.getInt32(8, true),
    uflags: d.getInt32(12, true),
    fd: d.getInt32(16, true),
    pathAddress: d.getBigUint64(40, true),
    next: d.getBigUint64(48, true),
  };
}

/**
 * Walks the STAILQ `filestat_list` at `headAddress` (following `next.stqe_next`), reading at most
 * `maxEntries` nodes and stopping at a node it already visited or cannot read.
 *
 * @example
 * ```ts
 * // walkFilestats(foreignMemory(libc.symbols)!, headAddress, 65536)
 * ```
 */
export function walkFilestats(memory: MemoryReader, headAddress: bigint, maxEntries: number): Filestat[] {
  const head = memory.bytes(headAddress, 16);
  if (head === null || head.length < 8) return [];
  const out: Filestat[] = [];
  const visited = new Set<bigint>();
  let address = view(head).getBigUint64(0, true);
  while (address !== 0n && out.length < maxEntries && !visited.has(address)) {
    visited.add(address);
    const node = memory.bytes(address, FILESTAT_SIZE);
    const fst = node === null ? null : decodeFilestat(node);
    if (fst === null) break;
    const path = fst.pathAddress === 0n ? null : memory.cString(fst.pathAddress, 4096);
    out.push({ address, type: fst.type, fflags: fst.fflags, uflags: fst.uflags, fd: fst.fd, path });
    address = fst.next;
  }
  return out;
}

/**
 * True for a descriptor entry that is a vnode opened for writing with an absolute path outside
 * /dev (the vnode type still has to be checked with {@linkcode decodeVnstatType}).
 *
 * @example
 * ```ts
 * isWritableVnode({ address: 1n, type: 1, fflags: 3, uflags: 0, fd: 4, path: "/tmp/x" }); // true
 * ```
 */
export function isWritableVnode(fst: Filestat): boolean {
  return fst.type === PS_FST_TYPE_VNODE && (fst.fflags & PS_FST_FFLAG_WRITE) !== 0 && fst.fd >= 0 &&
    fst.path !== null && fst.path.startsWith("/") && !fst.path.startsWith("/dev/");
}

/**
 * The working directory among the entries (the one flagged PS_FST_UFLAG_CDIR), or null.
 *
 * @example
 * ```ts
 * cwdOf([{ address: 1n, type: 1, fflags: 1, uflags: 2, fd: -1, path: "/home/me" }]); // "/home/me"
 * ```
 */
export function cwdOf(files: readonly Filestat[]): string | null {
  return files.find((f) => (f.uflags & PS_FST_UFLAG_CDIR) !== 0 && f.path)?.path ?? null;
}

/**
 * Decodes `vn_type` (PS_FST_VTYPE_*) from a `struct vnstat`.
 *
 * @example
 * ```ts
 * decodeVnstatType(new Uint8Array(44)); // 0
 * ```
 */
export function decodeVnstatType(bytes: Uint8Array): number | null {
  if (bytes.length < 44) return null;
  return view(bytes).getInt32(40, true);
}

/**
 * Decodes a FreeBSD `struct timeval` to milliseconds since the epoch.
 *
 * @example
 * ```ts
 * decodeTimevalMs(new Uint8Array(16)); // 0
 * ```
 */
export function decodeTimevalMs(bytes: Uint8Array): number | null {
  if (bytes.length < 16) return null;
  const d = view(bytes);
  return Number(d.getBigInt64(0, true)) * 1000 + Math.floor(Number(d.getBigInt64(8, true)) / 1000);
}

/**
 * Decodes an integer sysctl value by the length the kernel reported: 4 bytes (int, u_int) or 8
 * (long, u_long).
 *
 * @example
 * ```ts
 * decodeSysctlInt(new Uint8Array([4, 0, 0, 0]), 4); // 4
 * ```
 */
export function decodeSysctlInt(bytes: Uint8Array, length: number): number | null {
  const d = view(bytes);
  if (length === 4 && bytes.length >= 4) return d.getUint32(0, true);
  if (length === 8 && bytes.length >= 8) return Number(d.getBigUint64(0, true));
  return null;
}
