/**
 * Pure decoders for the Windows structures the ntdll/kernel32 calls fill in (64-bit layouts,
 * little-endian). Each takes the bytes a call wrote and returns plain data, or null / [] when the
 * bytes are too short or malformed. None of them throws.
 *
 * Pointers inside a buffer (UNICODE_STRING.Buffer) are absolute addresses into that same buffer, so
 * decoders that follow them take the buffer's base address and reject anything outside the buffer.
 *
 * Layouts (phnt `ntexapi.h`, `ntpsapi.h`; Win32 docs):
 *
 * `UNICODE_STRING`, 16 bytes: `0 u16 Length (bytes)`, `2 u16 MaximumLength`, `8 ptr Buffer`.
 *
 * `SYSTEM_PROCESS_INFORMATION`, 256 bytes, followed by NumberOfThreads × SYSTEM_THREAD_INFORMATION:
 * ```
 *   0 u32 NextEntryOffset        4 u32 NumberOfThreads        8 i64 WorkingSetPrivateSize
 *  16 u32 HardFaultCount        20 u32 NumberOfThreadsHighWatermark  24 u64 CycleTime
 *  32 i64 CreateTime (FILETIME) 40 i64 UserTime (100 ns)    48 i64 KernelTime (100 ns)
 *  56 UNICODE_STRING ImageName  72 i32 BasePriority         80 ptr UniqueProcessId
 *  88 ptr InheritedFromUniqueProcessId  96 u32 HandleCount  100 u32 SessionId
 * 104 ptr UniqueProcessKey     112 size PeakVirtualSize     120 size VirtualSize
 * 128 u32 PageFaultCount       136 size PeakWorkingSetSize  144 size WorkingSetSize
 * 152..200 quota/pagefile/private sizes   208..248 i64 Read/Write/Other Operation/Transfer counts
 * ```
 * `SYSTEM_THREAD_INFORMATION`, 80 bytes: `0 i64 KernelTime`, `8 i64 UserTime`, `16 i64 CreateTime`,
 * `24 u32 WaitTime`, `32 ptr StartAddress`, `40 CLIENT_ID ClientId (2 ptr)`, `56 i32 Priority`,
 * `60 i32 BasePriority`, `64 u32 ContextSwitches`, `68 u32 ThreadState (KTHREAD_STATE)`,
 * `72 u32 WaitReason (KWAIT_REASON)`.
 *
 * `SYSTEM_HANDLE_INFORMATION_EX`: `0 ptr NumberOfHandles`, `8 ptr Reserved`, then from 16
 * `SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX`, 40 bytes each: `0 ptr Object`, `8 ptr UniqueProcessId`,
 * `16 ptr HandleValue`, `24 u32 GrantedAccess`, `28 u16 CreatorBackTraceIndex`,
 * `30 u16 ObjectTypeIndex`, `32 u32 HandleAttributes`, `36 u32 Reserved`.
 *
 * `IO_COUNTERS`, 48 bytes: u64 Read/Write/Other OperationCount at 0/8/16, u64 ReadTransferCount 24,
 * WriteTransferCount 32, OtherTransferCount 40.
 *
 * `BY_HANDLE_FILE_INFORMATION`, 52 bytes: `0 u32 dwFileAttributes`, three FILETIMEs at 4/12/20,
 * `28 u32 dwVolumeSerialNumber`, `32/36 u32 nFileSizeHigh/Low`, `40 u32 nNumberOfLinks`,
 * `44/48 u32 nFileIndexHigh/Low`.
 *
 * `MEMORYSTATUSEX`, 64 bytes: `0 u32 dwLength`, `4 u32 dwMemoryLoad`, `8 u64 ullTotalPhys`,
 * `16 u64 ullAvailPhys`, …
 *
 * `SYSTEM_INFO`, 48 bytes: `0 u16 wProcessorArchitecture`, `4 u32 dwPageSize`, …,
 * `32 u32 dwNumberOfProcessors`, …
 *
 * `PROCESS_BASIC_INFORMATION`, 48 bytes: `0 i32 ExitStatus`, `8 ptr PebBaseAddress`,
 * `16 ptr AffinityMask`, `24 i32 BasePriority`, `32 ptr UniqueProcessId`,
 * `40 ptr InheritedFromUniqueProcessId`.
 *
 * `PEB` (phnt `ntpebteb.h`): `0x20 ptr ProcessParameters` (after four flag bytes padded to 8, Mutant,
 * ImageBaseAddress and Ldr).
 *
 * `RTL_USER_PROCESS_PARAMETERS` (phnt `ntrtl.h`): `0x38 CURDIR CurrentDirectory` (its DosPath
 * UNICODE_STRING first, then a HANDLE), `0x50 DllPath`, `0x60 ImagePathName`, `0x70 CommandLine`,
 * `0x80 ptr Environment`, … 32 RTL_DRIVE_LETTER_CURDIR (24 bytes each) from 0xF0, then
 * `0x3F0 ptr EnvironmentSize` (bytes; Windows 7 and later). The environment block is UTF-16
 * `NAME=value` strings, each NUL-terminated, ended by an empty one.
 *
 * @module
 */

import type { ProcessInfo, ProcessState } from "../types.ts";
import { u64, utf16, view } from "../ffi.ts";

/** Size of the fixed part of `SYSTEM_PROCESS_INFORMATION`. */
const SYSTEM_PROCESS_INFORMATION_SIZE = 256;
/** Size of `SYSTEM_THREAD_INFORMATION`. */
const SYSTEM_THREAD_INFORMATION_SIZE = 80;
/** Size of `SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX`. */
const HANDLE_ENTRY_SIZE = 40;
/** Offset of the first entry in `SYSTEM_HANDLE_INFORMATION_EX`. */
const HANDLE_TABLE_HEADER_SIZE = 16;
/** Size of `IO_COUNTERS`. */
export const IO_COUNTERS_SIZE = 48;
/** Size of `BY_HANDLE_FILE_INFORMATION`. */
export const BY_HANDLE_FILE_INFORMATION_SIZE = 52;
/** Size of `MEMORYSTATUSEX` (also the value its dwLength must hold). */
export const MEMORYSTATUSEX_SIZE = 64;
/** Size of `SYSTEM_INFO`. */
export const SYSTEM_INFO_SIZE = 48;
/** Size of `UNICODE_STRING`. */
const UNICODE_STRING_SIZE = 16;
/** Size of `PROCESS_BASIC_INFORMATION`. */
export const PROCESS_BASIC_INFORMATION_SIZE = 48;
/** Bytes of the PEB to read to reach ProcessParameters. */
export const PEB_PREFIX_SIZE = 0x28;
/** Bytes of `RTL_USER_PROCESS_PARAMETERS` to read to reach EnvironmentSize. */
export const PROCESS_PARAMETERS_PREFIX_SIZE = 0x3f8;

/** FILETIME of 1970-01-01T00:00:00Z (100 ns units since 1601). */
const UNIX_EPOCH_FILETIME = 116444736000000000n;
const FILE_WRITE_DATA = 0x2;
const FILE_APPEND_DATA = 0x4;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_DEVICE = 0x40;
/** KTHREAD_STATE values that mean "on or about to be on a CPU": Ready, Running, Standby, DeferredReady. */
const RUNNABLE_THREAD_STATES = new Set([1, 2, 3, 7]);
const THREAD_WAITING = 5;
const WAIT_REASON_SUSPENDED = 5;

/** Scheduler state of one thread. */
export interface ThreadState {
  /** KTHREAD_STATE. */
  state: number;
  /** KWAIT_REASON. */
  waitReason: number;
}

/** One process of a SystemProcessInformation snapshot. */
export interface WindowsProcessEntry {
  /** `UniqueProcessId`. */
  pid: number;
  /** `InheritedFromUniqueProcessId` (the creator; it may have exited and its pid been reused). */
  ppid: number;
  /** Image name (e.g. `node.exe`); empty for the idle process. */
  name: string;
  /** `NumberOfThreads`. */
  threadCount: number;
  /** FILETIME: 100 ns units since 1601-01-01 UTC; 0 for the idle process. */
  createTime: bigint;
  /** User + kernel time in 100 ns units. */
  cpuTime: number;
  /** `WorkingSetSize` in bytes. */
  workingSetBytes: number;
  /** Derived from the thread states by {@linkcode windowsState}. */
  state: ProcessState;
}

/**
 * Decodes a `UNICODE_STRING` at `offset` whose Buffer points into `bytes` (which starts at
 * `baseAddress`). Null when truncated or when the text lies outside the buffer; "" for an empty one.
 *
 * @example
 * ```ts
 * decodeUnicodeString(new Uint8Array(16), 0, 0x1000n); // ""
 * ```
 */
export function decodeUnicodeString(bytes: Uint8Array, offset: number, baseAddress: bigint): string | null {
  if (offset < 0 || bytes.length - offset < UNICODE_STRING_SIZE) return null;
  const d = view(bytes);
  const length = d.getUint16(offset, true);
  const pointer = d.getBigUint64(offset + 8, true);
  if (length === 0 || pointer === 0n) return "";
  const start = pointer - baseAddress;
  if (start < 0n || start + BigInt(length) > BigInt(bytes.length)) return null;
  return utf16(bytes, Number(start), length);
}

/**
 * Maps thread states to a process state: no thread left → zombie; any thread ready or running →
 * running; every thread suspended → stopped; otherwise sleeping.
 *
 * @example
 * ```ts
 * windowsState([{ state: 5, waitReason: 5 }]); // "stopped"
 * ```
 */
export function windowsState(threads: readonly ThreadState[]): ProcessState {
  if (threads.length === 0) return "zombie";
  if (threads.some((t) => RUNNABLE_THREAD_STATES.has(t.state))) return "running";
  if (threads.every((t) => t.state === THREAD_WAITING && t.waitReason === WAIT_REASON_SUSPENDED)) {
    return "stopped";
  }
  return "sleeping";
}

/**
 * Walks a SystemProcessInformation buffer along NextEntryOffset. Stops at the last entry, at a
 * truncated entry, or at an offset that does not move forward; threads beyond the buffer are ignored.
 *
 * @example
 * ```ts
 * decodeProcessList(new Uint8Array(100), 0n); // [] — shorter than one entry
 * ```
 */
export function decodeProcessList(bytes: Uint8Array, baseAddress: bigint): WindowsProcessEntry[] {
  const d = view(bytes);
  const out: WindowsProcessEntry[] = [];
  let offset = 0;
  while (offset + SYSTEM_PROCESS_INFORMATION_SIZE <= bytes.length) {
    const next = d.getUint32(offset, true);
    const threadCount = d.getUint32(offset + 4, true);
    const entryEnd = next === 0 ? bytes.length : Math.min(bytes.length, offset + next);
    const threads: ThreadState[] = [];
    for (let i = 0; i < threadCount; i++) {
      const at = offset + SYSTEM_PROCESS_INFORMATION_SIZE + i * SYSTEM_THREAD_INFORMATION_SIZE;
      if (at + SYSTEM_THREAD_INFORMATION_SIZE > entryEnd) break;
      threads.push({ state: d.getUint32(at + 68, true), waitReason: d.getUint32(at + 72, true) });
    }
    out.push({
      pid: u64(d, offset + 80),
      ppid: u64(d, offset + 88),
      name: decodeUnicodeString(bytes, offset + 56, baseAddress) ?? "",
      threadCount,
      createTime: d.getBigInt64(offset + 32, true),
      cpuTime: Number(d.getBigInt64(offset + 40, true) + d.getBigInt64(offset + 48, true)),
      workingSetBytes: u64(d, offset + 144),
      state: windowsState(threads),
    });
    if (next < SYSTEM_PROCESS_INFORMATION_SIZE) break;
    offset += next;
  }
  return out;
}

/**
 * Milliseconds since the Unix epoch of a FILETIME (0 for times before 1970, such as the idle
 * process's 0).
 *
 * @example
 * ```ts
 * fileTimeToUnixMs(116444736000000000n + 10_000n); // 1
 * ```
 */
export function fileTimeToUnixMs(fileTime: bigint): number {
  return fileTime <= UNIX_EPOCH_FILETIME ? 0 : Number((fileTime - UNIX_EPOCH_FILETIME) / 10_000n);
}

/**
 * The opaque start stamp of a process: its creation time in microseconds since the Unix epoch
 * (exact as a number until the year 2255).
 *
 * @example
 * ```ts
 * windowsStartId(116444736000000000n + 10n); // 1
 * ```
 */
export function windowsStartId(createTime: bigint): number {
  return createTime <= UNIX_EPOCH_FILETIME ? 0 : Number((createTime - UNIX_EPOCH_FILETIME) / 10n);
}

/**
 * Builds the {@linkcode ProcessInfo} of one SystemProcessInformation entry. Windows has no uid; the
 * idle process (pid 0, no image name) is named as Task Manager names it.
 *
 * @example
 * ```ts
 * // windowsProcessInfo(entry, "C:\\Windows\\System32\\cmd.exe", ["cmd.exe", "/c", "dir"]);
 * ```
 */
export function windowsProcessInfo(
  entry: WindowsProcessEntry,
  exe: string | null,
  argv: string[],
): ProcessInfo {
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    name: entry.name || (entry.pid === 0 ? "System Idle Process" : ""),
    exe,
    argv,
    state: entry.state,
    threads: entry.threadCount,
    startedAt: fileTimeToUnixMs(entry.createTime),
    startId: windowsStartId(entry.createTime),
    cpuTimeMs: entry.cpuTime / 10_000,
    rssBytes: entry.workingSetBytes,
    uid: null,
  };
}

/**
 * Decodes the ProcessCommandLineInformation result: a UNICODE_STRING whose text follows it in the
 * same buffer (which starts at `baseAddress`).
 *
 * @example
 * ```ts
 * decodeCommandLine(new Uint8Array(4), 0n); // null
 * ```
 */
export function decodeCommandLine(bytes: Uint8Array, baseAddress: bigint): string | null {
  return decodeUnicodeString(bytes, 0, baseAddress);
}

/**
 * Splits a command line into arguments the way `CommandLineToArgvW` and the MSVC runtime do: the
 * program name ends at the next quote or blank with no escapes; later arguments honour quotes,
 * `2n` backslashes + `"` → `n` backslashes and a quote toggle, `2n+1` backslashes + `"` → `n`
 * backslashes and a literal quote, and `""` inside quotes → a literal quote.
 *
 * @example
 * ```ts
 * splitCommandLine('"C:\\Program Files\\node.exe" -e "a \\"b\\""'); // ["C:\\Program Files\\node.exe", "-e", 'a "b"']
 * ```
 */
export function splitCommandLine(commandLine: string): string[] {
  const args: string[] = [];
  const text = commandLine;
  let i = 0;
  const isBlank = (c: string | undefined) => c === " " || c === "\t";
  if (text.length === 0) return args;
  // The program name.
  let program = "";
  if (text[0] === '"') {
    const end = text.indexOf('"', 1);
    program = end < 0 ? text.slice(1) : text.slice(1, end);
    i = end < 0 ? text.length : end + 1;
  }
  while (i < text.length && !isBlank(text[i])) program += text[i++];
  args.push(program);
  for (;;) {
    while (isBlank(text[i])) i++;
    if (i >= text.length) return args;
    let arg = "";
    let quoted = false;
    while (i < text.length && (quoted || !isBlank(text[i]))) {
      let slashes = 0;
      while (text[i] === "\\") {
        slashes++;
        i++;
      }
      if (text[i] === '"') {
        arg += "\\".repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) {
          arg += '"';
        } else if (quoted && text[i + 1] === '"') {
          arg += '"';
          i++;
        } else {
          quoted = !quoted;
        }
        i++;
      } else {
        arg += "\\".repeat(slashes);
        if (i < text.length && (quoted || !isBlank(text[i]))) arg += text[i++];
      }
    }
    args.push(arg);
  }
}

/** One handle of the system handle table. */
export interface HandleEntry {
  /** HandleValue in the owning process. */
  handle: bigint;
  /** GrantedAccess mask. */
  access: number;
  /** ObjectTypeIndex (the same for every File object during one boot). */
  typeIndex: number;
}

/**
 * The handles of `pid` in a SystemExtendedHandleInformation buffer (entries beyond the buffer or
 * beyond NumberOfHandles are ignored).
 *
 * @example
 * ```ts
 * decodeHandleTable(new Uint8Array(8), 4); // []
 * ```
 */
export function decodeHandleTable(bytes: Uint8Array, pid: number): HandleEntry[] {
  if (bytes.length < HANDLE_TABLE_HEADER_SIZE) return [];
  const d = view(bytes);
  const fits = Math.floor((bytes.length - HANDLE_TABLE_HEADER_SIZE) / HANDLE_ENTRY_SIZE);
  const count = Math.min(u64(d, 0), fits);
  const out: HandleEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HANDLE_TABLE_HEADER_SIZE + i * HANDLE_ENTRY_SIZE;
    if (u64(d, at + 8) !== pid) continue;
    out.push({
      handle: d.getBigUint64(at + 16, true),
      access: d.getUint32(at + 24, true),
      typeIndex: d.getUint16(at + 30, true),
    });
  }
  return out;
}

/**
 * True when a file handle's granted access can change the file's content (FILE_WRITE_DATA or
 * FILE_APPEND_DATA).
 *
 * @example
 * ```ts
 * canWrite(0x120116); // true — FILE_GENERIC_WRITE
 * ```
 */
export function canWrite(access: number): boolean {
  return (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) !== 0;
}

/**
 * True when `BY_HANDLE_FILE_INFORMATION` describes a regular file that still has a name (not a
 * directory, not a device, link count above 0).
 *
 * @example
 * ```ts
 * isRegularFile(new Uint8Array(52)); // false — no links
 * ```
 */
export function isRegularFile(bytes: Uint8Array): boolean {
  if (bytes.length < BY_HANDLE_FILE_INFORMATION_SIZE) return false;
  const d = view(bytes);
  const attributes = d.getUint32(0, true);
  if ((attributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE)) !== 0) return false;
  return d.getUint32(40, true) > 0;
}

/**
 * Turns a GetFinalPathNameByHandleW result into a user path: `\\?\C:\x` → `C:\x`,
 * `\\?\UNC\srv\share\x` → `\\srv\share\x`; anything else (`\Device\…`, volume GUID paths) → null.
 *
 * @example
 * ```ts
 * normalizeFinalPath("\\\\?\\C:\\Users\\me\\log.txt"); // "C:\\Users\\me\\log.txt"
 * ```
 */
export function normalizeFinalPath(raw: string): string | null {
  let path = raw;
  if (path.startsWith("\\\\?\\UNC\\")) path = "\\\\" + path.slice(8);
  else if (path.startsWith("\\\\?\\")) path = path.slice(4);
  if (/^[A-Za-z]:\\/.test(path)) return path;
  if (/^\\\\[^\\?.]/.test(path)) return path;
  return null;
}

/**
 * Decodes the storage bytes of `IO_COUNTERS` (all I/O the process issued, files and devices).
 *
 * @example
 * ```ts
 * decodeIoCounters(new Uint8Array(48)); // { readBytes: 0, writeBytes: 0 }
 * ```
 */
export function decodeIoCounters(bytes: Uint8Array): { readBytes: number; writeBytes: number } | null {
  if (bytes.length < IO_COUNTERS_SIZE) return null;
  const d = view(bytes);
  return { readBytes: u64(d, 24), writeBytes: u64(d, 32) };
}

/**
 * Decodes total and available physical memory from `MEMORYSTATUSEX`.
 *
 * @example
 * ```ts
 * decodeMemoryStatus(new Uint8Array(64)); // { totalBytes: 0, availableBytes: 0 }
 * ```
 */
export function decodeMemoryStatus(bytes: Uint8Array): { totalBytes: number; availableBytes: number } | null {
  if (bytes.length < MEMORYSTATUSEX_SIZE) return null;
  const d = view(bytes);
  return { totalBytes: u64(d, 8), availableBytes: u64(d, 16) };
}

/**
 * Decodes page size and processor count from `SYSTEM_INFO`.
 *
 * @example
 * ```ts
 * decodeSystemInfo(new Uint8Array(48)); // { pageSize: 0, processors: 0 }
 * ```
 */
export function decodeSystemInfo(bytes: Uint8Array): { pageSize: number; processors: number } | null {
  if (bytes.length < SYSTEM_INFO_SIZE) return null;
  const d = view(bytes);
  return { pageSize: d.getUint32(4, true), processors: d.getUint32(32, true) };
}

/**
 * The PEB address from `PROCESS_BASIC_INFORMATION`; null when truncated or 0.
 *
 * @example
 * ```ts
 * decodePebAddress(new Uint8Array(48)); // null
 * ```
 */
export function decodePebAddress(bytes: Uint8Array): bigint | null {
  if (bytes.length < PROCESS_BASIC_INFORMATION_SIZE) return null;
  return view(bytes).getBigUint64(8, true) || null;
}

/**
 * The ProcessParameters address from the first bytes of a PEB; null when truncated or 0.
 *
 * @example
 * ```ts
 * decodeProcessParametersAddress(new Uint8Array(40)); // null
 * ```
 */
export function decodeProcessParametersAddress(bytes: Uint8Array): bigint | null {
  if (bytes.length < PEB_PREFIX_SIZE) return null;
  return view(bytes).getBigUint64(0x20, true) || null;
}

/** Where a process keeps its working directory and environment (addresses in that process). */
export interface ProcessParameters {
  /** CurrentDirectory.DosPath.Buffer. */
  cwdAddress: bigint;
  /** CurrentDirectory.DosPath.Length, in bytes. */
  cwdBytes: number;
  /** Environment block address. */
  environmentAddress: bigint;
  /** EnvironmentSize, in bytes. */
  environmentBytes: number;
}

/**
 * Decodes the working directory and environment locations from `RTL_USER_PROCESS_PARAMETERS`.
 *
 * @example
 * ```ts
 * decodeProcessParameters(new Uint8Array(100)); // null — truncated
 * ```
 */
export function decodeProcessParameters(bytes: Uint8Array): ProcessParameters | null {
  if (bytes.length < PROCESS_PARAMETERS_PREFIX_SIZE) return null;
  const d = view(bytes);
  return {
    cwdAddress: d.getBigUint64(0x38 + 8, true),
    cwdBytes: d.getUint16(0x38, true),
    environmentAddress: d.getBigUint64(0x80, true),
    environmentBytes: u64(d, 0x3f0),
  };
}

/**
 * A Windows current directory as a user writes it: the trailing backslash Windows keeps is dropped
 * except at a drive root (`C:\`); empty → null.
 *
 * @example
 * ```ts
 * normalizeCurrentDirectory("C:\\Users\\me\\"); // "C:\\Users\\me"
 * ```
 */
export function normalizeCurrentDirectory(raw: string): string | null {
  if (raw === "") return null;
  return raw.endsWith("\\") && !/^[A-Za-z]:\\$/.test(raw) ? raw.slice(0, -1) : raw;
}

/**
 * Splits a UTF-16 environment block into its `NAME=value` strings, up to the empty string that ends
 * it; without that end (a cut block) the last, possibly partial string is dropped. Unpaired
 * surrogates become U+FFFD.
 *
 * @example
 * ```ts
 * // decodeEnvironmentBlock(bytesOf("A=1\0B=2\0\0")) → ["A=1", "B=2"]
 * ```
 */
export function decodeEnvironmentBlock(bytes: Uint8Array): string[] {
  const text = utf16(bytes, 0, bytes.length);
  const end = text.indexOf("\0\0");
  const entries = (end < 0 ? text : text.slice(0, end)).split("\0");
  if (end < 0) entries.pop();
  return entries.filter((entry) => entry !== "");
}
