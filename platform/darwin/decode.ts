/**
 * Pure decoders for the macOS structures the libSystem calls fill in. Each takes the bytes a call
 * wrote (little-endian, LP64: x86_64 and arm64 share these layouts) and returns plain data, or null
 * when the bytes are too short. None of them throws.
 *
 * Layouts from apple-oss-distributions/xnu:
 *
 * `struct proc_bsdinfo` (bsd/sys/proc_info.h), 136 bytes:
 * ```
 *   0 u32 pbi_flags        4 u32 pbi_status      8 u32 pbi_xstatus    12 u32 pbi_pid
 *  16 u32 pbi_ppid        20 u32 pbi_uid        24 u32 pbi_gid       28 u32 pbi_ruid
 *  32 u32 pbi_rgid        36 u32 pbi_svuid      40 u32 pbi_svgid     44 u32 rfu_1
 *  48 char pbi_comm[16]   64 char pbi_name[32]  96 u32 pbi_nfiles   100 u32 pbi_pgid
 * 104 u32 pbi_pjobc      108 u32 e_tdev        112 u32 e_tpgid      116 i32 pbi_nice
 * 120 u64 pbi_start_tvsec                      128 u64 pbi_start_tvusec
 * ```
 * `struct proc_taskinfo` (bsd/sys/proc_info.h), 96 bytes; follows proc_bsdinfo at 136 in
 * `struct proc_taskallinfo` (232 bytes). Times are in Mach absolute time units:
 * ```
 *   0 u64 pti_virtual_size  8 u64 pti_resident_size  16 u64 pti_total_user  24 u64 pti_total_system
 *  32 u64 pti_threads_user 40 u64 pti_threads_system 48 i32 pti_policy      52 i32 pti_faults
 *  56 i32 pti_pageins      60 i32 pti_cow_faults     64 i32 pti_messages_sent 68 i32 pti_messages_received
 *  72 i32 pti_syscalls_mach 76 i32 pti_syscalls_unix 80 i32 pti_csw         84 i32 pti_threadnum
 *  88 i32 pti_numrunning   92 i32 pti_priority
 * ```
 * `struct proc_fdinfo`, 8 bytes: `0 i32 proc_fd, 4 u32 proc_fdtype` (PROX_FDTYPE_VNODE = 1).
 *
 * `struct vnode_fdinfowithpath`, 1200 bytes = `struct proc_fileinfo` (24) + `struct vnode_info_path`:
 * ```
 * proc_fileinfo:   0 u32 fi_openflags  4 u32 fi_status  8 i64 fi_offset  16 i32 fi_type  20 u32 fi_guardflags
 * vnode_info_path (at 24): vnode_info (152) then char vip_path[1024] at +152
 * vnode_info:      0 vinfo_stat vi_stat (136)  136 i32 vi_type  140 i32 vi_pad  144 fsid_t vi_fsid (8)
 * vinfo_stat:      0 u32 vst_dev  4 u16 vst_mode  6 u16 vst_nlink  8 u64 vst_ino ... 88 i64 vst_size ...
 * ```
 * fi_openflags carries the kernel file flags FREAD = 1, FWRITE = 2 (bsd/sys/fcntl.h); vi_type is
 * `enum vtype` (VREG = 1).
 *
 * `struct proc_vnodepathinfo`, 2352 bytes: `vnode_info_path pvi_cdir` (cwd path at 152) then
 * `vnode_info_path pvi_rdir`.
 *
 * `struct rusage_info_v2` (bsd/sys/resource.h), 160 bytes: `0 u8 ri_uuid[16]`, then u64 fields from
 * 16 (ri_user_time) … `144 ri_diskio_bytesread`, `152 ri_diskio_byteswritten`.
 *
 * `struct vm_statistics64` (osfmk/mach/vm_statistics.h), 152 bytes: `0 u32 free_count`,
 * `4 u32 active_count`, `8 u32 inactive_count`, `12 u32 wire_count`, … `88 u32 purgeable_count`,
 * `92 u32 speculative_count`, …
 *
 * `struct mach_timebase_info`: `0 u32 numer, 4 u32 denom`. `struct timeval` (kern.boottime):
 * `0 i64 tv_sec, 8 i32 tv_usec` (16 bytes).
 *
 * KERN_PROCARGS2 buffer (bsd/kern/kern_sysctl.c sysctl_procargsx): `i32 argc`, the exec path
 * NUL-terminated, NUL padding, then argc NUL-terminated argv strings, then the environment strings up
 * to an empty string, then the "apple" strings.
 *
 * @module
 */

import type { ProcessInfo, ProcessState } from "../types.ts";
import { cString, u64, view } from "../ffi.ts";

/** Size of `struct proc_bsdinfo`. */
export const PROC_BSDINFO_SIZE = 136;
/** Size of `struct proc_taskinfo`. */
const PROC_TASKINFO_SIZE = 96;
/** Size of `struct proc_taskallinfo`. */
export const PROC_TASKALLINFO_SIZE: number = PROC_BSDINFO_SIZE + PROC_TASKINFO_SIZE;
/** Size of `struct proc_fdinfo`. */
export const PROC_FDINFO_SIZE = 8;
/** Size of `struct vnode_fdinfowithpath`. */
export const VNODE_FDINFOWITHPATH_SIZE = 1200;
/** Size of `struct proc_vnodepathinfo`. */
export const PROC_VNODEPATHINFO_SIZE = 2352;
/** Size of `struct rusage_info_v2`. */
export const RUSAGE_INFO_V2_SIZE = 160;
/** Size of `vm_statistics64_data_t`. */
export const VM_STATISTICS64_SIZE = 152;
/** `PROX_FDTYPE_VNODE`: the descriptor refers to a vnode (file, directory, device, fifo). */
export const PROX_FDTYPE_VNODE = 1;

const MAXPATHLEN = 1024;
const VNODE_INFO_SIZE = 152;
const PROC_FILEINFO_SIZE = 24;
const FWRITE = 0x2;
const VREG = 1;

/** `struct proc_bsdinfo`, the fields agtop uses. */
export interface BsdInfo {
  /** `pbi_pid`. */
  pid: number;
  /** `pbi_ppid`. */
  ppid: number;
  /** `p_stat`: SIDL 1, SRUN 2, SSLEEP 3, SSTOP 4, SZOMB 5. */
  status: number;
  /** Real user id. */
  ruid: number;
  /** Up to 16 bytes of the executable name. */
  comm: string;
  /** Up to 32 bytes; empty when no longer name is registered. */
  name: string;
  /** `pbi_start_tvsec`: start time, seconds since the epoch. */
  startSec: number;
  /** `pbi_start_tvusec`: microseconds part of the start time. */
  startUsec: number;
}

/** `struct proc_taskinfo`, the fields agtop uses (times in Mach absolute time units). */
export interface TaskInfo {
  /** `pti_resident_size` in bytes. */
  residentBytes: number;
  /** `pti_total_user`: user time of live and exited threads, Mach units. */
  totalUser: number;
  /** `pti_total_system`: system time of live and exited threads, Mach units. */
  totalSystem: number;
  /** `pti_threadnum`. */
  threads: number;
  /** `pti_numrunning`. */
  runningThreads: number;
}

/**
 * Decodes `struct proc_bsdinfo` at `offset`.
 *
 * @example
 * ```ts
 * decodeBsdInfo(new Uint8Array(10)); // null — too short
 * ```
 */
export function decodeBsdInfo(bytes: Uint8Array, offset = 0): BsdInfo | null {
  if (offset < 0 || bytes.length - offset < PROC_BSDINFO_SIZE) return null;
  const d = view(bytes);
  return {
    pid: d.getUint32(offset + 12, true),
    ppid: d.getUint32(offset + 16, true),
    status: d.getUint32(offset + 4, true),
    ruid: d.getUint32(offset + 28, true),
    comm: cString(bytes, offset + 48, 16),
    name: cString(bytes, offset + 64, 32),
    startSec: u64(d, offset + 120),
    startUsec: u64(d, offset + 128),
  };
}

/**
 * Decodes `struct proc_taskinfo` at `offset`.
 *
 * @example
 * ```ts
 * decodeTaskInfo(new Uint8Array(96))?.threads; // 0
 * ```
 */
export function decodeTaskInfo(bytes: Uint8Array, offset = 0): TaskInfo | null {
  if (offset < 0 || bytes.length - offset < PROC_TASKINFO_SIZE) return null;
  const d = view(bytes);
  return {
    residentBytes: u64(d, offset + 8),
    totalUser: u64(d, offset + 16),
    totalSystem: u64(d, offset + 24),
    threads: d.getInt32(offset + 84, true),
    runningThreads: d.getInt32(offset + 88, true),
  };
}

/**
 * Decodes `struct proc_taskallinfo`: the BSD part (null when even that is truncated) and the task
 * part (null when the bytes stop after the BSD part, as with a PROC_PIDTBSDINFO fallback).
 *
 * @example
 * ```ts
 * decodeTaskAllInfo(new Uint8Array(136))?.task; // null
 * ```
 */
export function decodeTaskAllInfo(bytes: Uint8Array): { bsd: BsdInfo; task: TaskInfo | null } | null {
  const bsd = decodeBsdInfo(bytes);
  if (bsd === null) return null;
  return { bsd, task: decodeTaskInfo(bytes, PROC_BSDINFO_SIZE) };
}

/** `struct mach_timebase_info`: Mach absolute time units × numer / denom = nanoseconds. */
export interface Timebase {
  /** Numerator. */
  numer: number;
  /** Denominator (never 0). */
  denom: number;
}

/**
 * Decodes `struct mach_timebase_info`; null when truncated or when denom is 0.
 *
 * @example
 * ```ts
 * decodeTimebase(new Uint8Array([125, 0, 0, 0, 3, 0, 0, 0])); // { numer: 125, denom: 3 }
 * ```
 */
export function decodeTimebase(bytes: Uint8Array): Timebase | null {
  if (bytes.length < 8) return null;
  const d = view(bytes);
  const numer = d.getUint32(0, true);
  const denom = d.getUint32(4, true);
  return numer === 0 || denom === 0 ? null : { numer, denom };
}

/**
 * Converts Mach absolute time units to milliseconds.
 *
 * @example
 * ```ts
 * machToMs(3_000_000, { numer: 125, denom: 3 }); // 125
 * ```
 */
export function machToMs(ticks: number, timebase: Timebase): number {
  return ticks * timebase.numer / timebase.denom / 1e6;
}

/**
 * Maps `pbi_status` to a {@linkcode ProcessState}. macOS reports almost every live process as SRUN,
 * so when the task's running-thread count is known, SRUN with no running thread reads as sleeping.
 *
 * @example
 * ```ts
 * darwinState(2, 0); // "sleeping"
 * ```
 */
export function darwinState(status: number, runningThreads: number | null): ProcessState {
  switch (status) {
    case 2:
      return runningThreads === 0 ? "sleeping" : "running";
    case 3:
      return "sleeping";
    case 4:
      return "stopped";
    case 5:
      return "zombie";
    default:
      return "unknown";
  }
}

/**
 * Builds the {@linkcode ProcessInfo} of one process from its decoded structures. A process whose task
 * info is unreadable (another user's, a zombie) keeps its BSD facts and reports 0 CPU, RSS and threads.
 *
 * @example
 * ```ts
 * // const info = darwinProcessInfo(decodeTaskAllInfo(bytes)!, "/bin/zsh", ["zsh"], { numer: 1, denom: 1 });
 * ```
 */
export function darwinProcessInfo(
  all: { bsd: BsdInfo; task: TaskInfo | null },
  exe: string | null,
  argv: string[],
  timebase: Timebase,
): ProcessInfo {
  const { bsd, task } = all;
  return {
    pid: bsd.pid,
    ppid: bsd.ppid,
    name: bsd.name || bsd.comm,
    exe,
    argv,
    state: darwinState(bsd.status, task?.runningThreads ?? null),
    threads: task?.threads ?? 0,
    startedAt: bsd.startSec * 1000 + Math.floor(bsd.startUsec / 1000),
    startId: darwinStartId(bsd),
    cpuTimeMs: task === null ? 0 : machToMs(task.totalUser + task.totalSystem, timebase),
    rssBytes: task?.residentBytes ?? 0,
    uid: bsd.ruid,
  };
}

/**
 * The opaque start stamp of a process: its start time in microseconds since the epoch.
 *
 * @example
 * ```ts
 * darwinStartId({ startSec: 2, startUsec: 5 } as BsdInfo); // 2000005
 * ```
 */
export function darwinStartId(bsd: Pick<BsdInfo, "startSec" | "startUsec">): number {
  return bsd.startSec * 1e6 + bsd.startUsec;
}

/**
 * Decodes the `int32` pids `proc_listallpids` wrote (`count` of them, clamped to the buffer).
 *
 * @example
 * ```ts
 * decodePids(new Uint8Array([1, 0, 0, 0]), 1); // [1]
 * ```
 */
export function decodePids(bytes: Uint8Array, count: number): number[] {
  const d = view(bytes);
  const n = Math.max(0, Math.min(count, Math.floor(bytes.length / 4)));
  const pids: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = d.getInt32(i * 4, true);
    if (pid >= 0) pids.push(pid);
  }
  return pids;
}

/** One `struct proc_fdinfo`. */
export interface FdInfo {
  /** `proc_fd`: the descriptor number. */
  fd: number;
  /** `PROX_FDTYPE_*`. */
  type: number;
}

/**
 * Decodes the `struct proc_fdinfo` array PROC_PIDLISTFDS wrote (`byteCount` bytes of it).
 *
 * @example
 * ```ts
 * decodeFdList(new Uint8Array([3, 0, 0, 0, 1, 0, 0, 0]), 8); // [{ fd: 3, type: 1 }]
 * ```
 */
export function decodeFdList(bytes: Uint8Array, byteCount: number): FdInfo[] {
  const d = view(bytes);
  const n = Math.floor(Math.max(0, Math.min(byteCount, bytes.length)) / PROC_FDINFO_SIZE);
  const out: FdInfo[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ fd: d.getInt32(i * 8, true), type: d.getUint32(i * 8 + 4, true) });
  }
  return out;
}

/** `struct vnode_fdinfowithpath`, the fields agtop uses. */
export interface VnodeFdInfo {
  /** `fi_openflags` (FREAD 1, FWRITE 2, …). */
  openFlags: number;
  /** `vi_type` (`enum vtype`: VREG 1, VDIR 2, VCHR 4, …). */
  vnodeType: number;
  /** `vst_nlink`; 0 once the file was unlinked. */
  links: number;
  /** `vip_path`: the path the kernel last resolved for the vnode. */
  path: string;
}

/**
 * Decodes `struct vnode_fdinfowithpath`.
 *
 * @example
 * ```ts
 * decodeVnodeFdInfo(new Uint8Array(100)); // null — truncated
 * ```
 */
export function decodeVnodeFdInfo(bytes: Uint8Array): VnodeFdInfo | null {
  if (bytes.length <= PROC_FILEINFO_SIZE + VNODE_INFO_SIZE) return null;
  const d = view(bytes);
  const vi = PROC_FILEINFO_SIZE;
  return {
    openFlags: d.getUint32(0, true),
    vnodeType: d.getInt32(vi + 136, true),
    links: d.getUint16(vi + 6, true),
    path: cString(bytes, vi + VNODE_INFO_SIZE, MAXPATHLEN),
  };
}

/**
 * The path of a descriptor that is a regular, still-linked file opened with write access, else null
 * (Linux `writingFiles` semantics).
 *
 * @example
 * ```ts
 * writablePath({ openFlags: 3, vnodeType: 1, links: 1, path: "/tmp/x" }); // "/tmp/x"
 * ```
 */
export function writablePath(info: VnodeFdInfo): string | null {
  if ((info.openFlags & FWRITE) === 0 || info.vnodeType !== VREG || info.links === 0) return null;
  if (!info.path.startsWith("/") || info.path.startsWith("/dev/")) return null;
  return info.path;
}

/**
 * Decodes the current directory from `struct proc_vnodepathinfo`; null when truncated or empty.
 *
 * @example
 * ```ts
 * decodeVnodePathInfo(new Uint8Array(10)); // null
 * ```
 */
export function decodeVnodePathInfo(bytes: Uint8Array): string | null {
  if (bytes.length < VNODE_INFO_SIZE + 1) return null;
  return cString(bytes, VNODE_INFO_SIZE, MAXPATHLEN) || null;
}

/**
 * Decodes disk I/O bytes from `struct rusage_info_v2`.
 *
 * @example
 * ```ts
 * decodeRusageV2(new Uint8Array(160)); // { readBytes: 0, writeBytes: 0 }
 * ```
 */
export function decodeRusageV2(bytes: Uint8Array): { readBytes: number; writeBytes: number } | null {
  if (bytes.length < RUSAGE_INFO_V2_SIZE) return null;
  const d = view(bytes);
  return { readBytes: u64(d, 144), writeBytes: u64(d, 152) };
}

/** What KERN_PROCARGS2 holds. */
export interface ProcArgs {
  /** The executable path the kernel recorded at exec. */
  execPath: string;
  /** The argc arguments, argv[0] first. */
  argv: string[];
  /** `NAME=value` strings of the environment at exec. */
  env: string[];
}

/**
 * Decodes a KERN_PROCARGS2 buffer: argc, the exec path, the NUL padding after it, argc arguments,
 * then environment strings up to the first empty one. A truncated buffer gives the strings that were
 * complete (an unterminated last string is dropped).
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array([1, 0, 0, 0, ...new TextEncoder().encode("/bin/ls\0\0ls\0A=1\0\0")]);
 * decodeProcArgs2(bytes); // { execPath: "/bin/ls", argv: ["ls"], env: ["A=1"] }
 * ```
 */
export function decodeProcArgs2(bytes: Uint8Array): ProcArgs | null {
  if (bytes.length < 4) return null;
  const argc = view(bytes).getInt32(0, true);
  if (argc < 0) return null;
  let pos = 4;
  const next = (): string | null => {
    if (pos >= bytes.length) return null;
    const end = bytes.indexOf(0, pos);
    if (end < 0) return null;
    const text = cString(bytes, pos, end - pos);
    pos = end + 1;
    return text;
  };
  const execPath = next() ?? "";
  while (pos < bytes.length && bytes[pos] === 0) pos++;
  const argv: string[] = [];
  while (argv.length < argc) {
    const arg = next();
    if (arg === null) break;
    argv.push(arg);
  }
  const env: string[] = [];
  for (let entry = next(); entry; entry = next()) env.push(entry);
  return { execPath, argv, env };
}

/** Page counts from `vm_statistics64`. */
export interface VmStatistics {
  /** `free_count` (includes speculative pages). */
  free: number;
  /** `active_count`. */
  active: number;
  /** `inactive_count`: reclaimable without paging anything out first. */
  inactive: number;
  /** `wire_count`. */
  wired: number;
  /** `speculative_count`. */
  speculative: number;
}

/**
 * Decodes `vm_statistics64_data_t` page counts.
 *
 * @example
 * ```ts
 * decodeVmStatistics64(new Uint8Array(152))?.free; // 0
 * ```
 */
export function decodeVmStatistics64(bytes: Uint8Array): VmStatistics | null {
  if (bytes.length < VM_STATISTICS64_SIZE) return null;
  const d = view(bytes);
  return {
    free: d.getUint32(0, true),
    active: d.getUint32(4, true),
    inactive: d.getUint32(8, true),
    wired: d.getUint32(12, true),
    speculative: d.getUint32(92, true),
  };
}

/**
 * Decodes a `struct timeval` (as kern.boottime returns it) to milliseconds since the epoch.
 *
 * @example
 * ```ts
 * decodeTimevalMs(new Uint8Array(16)); // 0
 * ```
 */
export function decodeTimevalMs(bytes: Uint8Array): number | null {
  if (bytes.length < 16) return null;
  const d = view(bytes);
  return Number(d.getBigInt64(0, true)) * 1000 + Math.floor(d.getInt32(8, true) / 1000);
}

/**
 * Decodes an integer sysctl value by the length the kernel reported: 4 bytes (int) or 8 (quad).
 *
 * @example
 * ```ts
 * decodeSysctlInt(new Uint8Array([8, 0, 0, 0]), 4); // 8
 * ```
 */
export function decodeSysctlInt(bytes: Uint8Array, length: number): number | null {
  const d = view(bytes);
  if (length === 4 && bytes.length >= 4) return d.getInt32(0, true);
  if (length === 8 && bytes.length >= 8) return Number(d.getBigInt64(0, true));
  return null;
}
