/**
 * The Windows {@linkcode ProcessSource}: the native API (ntdll) and kernel32 through `Deno.dlopen`.
 * Thin calls only; every structure is decoded by `./decode.ts`. 64-bit Windows only.
 *
 * The working directory and environment of a process live only in its PEB, so `details()` reads
 * them as psutil does: NtQueryInformationProcess(ProcessBasicInformation) for the PEB address, then
 * ReadProcessMemory (read-only, failing cleanly on unmapped or protected memory) of
 * RTL_USER_PROCESS_PARAMETERS and of the CurrentDirectory and Environment it points to. That needs
 * PROCESS_VM_READ, so other users' and protected processes keep cwd null and env {}. For a 32-bit
 * (WOW64) process the 64-bit parameters are read, whose directory is the one it started in.
 *
 * Windows has no numeric user id (`uid` is null). I/O bytes are IO_COUNTERS transfer counts, which
 * include device and network-file I/O, not only disk.
 *
 * @module
 */

import type { ProcessDetails, ProcessInfo, ProcessSource, SignalResult, SystemFacts } from "../types.ts";
import { terminateWindowsProcess } from "./terminate.ts";
import { WRITING_FILES_LIMIT } from "../types.ts";
import {
  bufferAddress,
  encodeCString,
  growBuffer,
  pickEnv,
  portableSystemFacts,
  sortedCapped,
  tryDlopen,
  utf16,
} from "../ffi.ts";
import { Notices } from "../notices.ts";
import {
  ALL_PROCESSOR_GROUPS,
  DUPLICATE_SAME_ACCESS,
  FILE_TYPE_DISK,
  FILE_TYPE_PROBE_TIMEOUT_MS,
  KERNEL32_SYMBOLS,
  type Kernel32Library,
  MAX_LONG_PATH,
  NTDLL_SYMBOLS,
  type NtdllLibrary,
  PROCESS_BASIC_INFORMATION,
  PROCESS_COMMAND_LINE_INFORMATION,
  PROCESS_DUP_HANDLE,
  PROCESS_QUERY_LIMITED_INFORMATION,
  PROCESS_VM_READ,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INFO_LENGTH_MISMATCH,
  STATUS_SUCCESS,
  system32,
  SYSTEM_EXTENDED_HANDLE_INFORMATION,
  SYSTEM_PROCESS_INFORMATION,
  WAIT_OBJECT_0,
} from "./symbols.ts";
import {
  BY_HANDLE_FILE_INFORMATION_SIZE,
  canWrite,
  decodeCommandLine,
  decodeEnvironmentBlock,
  decodeHandleTable,
  decodeIoCounters,
  decodeMemoryStatus,
  decodePebAddress,
  decodeProcessList,
  decodeProcessParameters,
  decodeProcessParametersAddress,
  decodeSystemInfo,
  IO_COUNTERS_SIZE,
  isRegularFile,
  MEMORYSTATUSEX_SIZE,
  normalizeCurrentDirectory,
  normalizeFinalPath,
  PEB_PREFIX_SIZE,
  PROCESS_BASIC_INFORMATION_SIZE,
  PROCESS_PARAMETERS_PREFIX_SIZE,
  type ProcessParameters,
  splitCommandLine,
  SYSTEM_INFO_SIZE,
  windowsProcessInfo,
  windowsStartId,
} from "./decode.ts";

type Nt = NtdllLibrary["symbols"];
type K32 = Kernel32Library["symbols"];

/** Hard cap of any NtQuerySystemInformation buffer. */
const MAX_SYSTEM_INFO_BYTES = 64 * 1024 * 1024;
/** Cap of an environment block read from another process. */
const MAX_ENVIRONMENT_BYTES = 1024 * 1024;
/** Cap of a command line buffer: UNICODE_STRING + 32767 UTF-16 units, with room to spare. */
const MAX_COMMAND_LINE_BYTES = 128 * 1024;
/**
 * How long one snapshot of the system handle table (megabytes, tens of milliseconds to take) serves
 * the writingFiles calls of several processes in the same tick.
 */
const HANDLE_TABLE_MAX_AGE_MS = 500;
/** How long a handle whose GetFileType probe timed out is skipped before it is probed again. */
const BUSY_HANDLE_TTL_MS = 60_000;
/** Clock of Windows CPU times: 100 ns units. */
const WINDOWS_TICKS_PER_SECOND = 10_000_000;

/** Facts of a process that cannot change while it runs. */
interface StaticFacts {
  exe: string | null;
  argv: string[];
}

/** Options of {@linkcode WindowsProcessSource}. */
export interface WindowsSourceOptions {
  /** Path of ntdll; defaults to `%SystemRoot%\System32\ntdll.dll`. */
  ntdll?: string;
  /** Path of kernel32; defaults to `%SystemRoot%\System32\kernel32.dll`. */
  kernel32?: string;
}

/**
 * Processes of Windows through NtQuerySystemInformation (SystemProcessInformation,
 * SystemExtendedHandleInformation), NtQueryInformationProcess (command line),
 * QueryFullProcessImageNameW, GetProcessIoCounters and the file-handle calls. Libraries are opened on
 * first use; when one or a symbol is missing the affected fields degrade and
 * {@linkcode WindowsProcessSource.notices} says why.
 *
 * @example
 * ```ts
 * const source = new WindowsProcessSource();
 * const mine = source.list().find((p) => p.pid === Deno.pid);
 * console.log(mine?.argv, source.writingFiles(Deno.pid), source.notices());
 * ```
 */
export class WindowsProcessSource implements ProcessSource, Disposable {
  readonly #ntdllPath: string;
  readonly #kernel32Path: string;
  readonly #notices = new Notices();
  #ntdll: NtdllLibrary | null | undefined;
  #kernel32: Kernel32Library | null | undefined;
  #static = new Map<string, StaticFacts>();
  /** Last buffer size each NtQuerySystemInformation class needed, to start the next call there. */
  readonly #sizeHints = new Map<number, number>();
  /** ObjectTypeIndex of File objects, learned from the first handle that proved to be a disk file. */
  #fileTypeIndex: number | undefined;
  #pathBuffer: Uint8Array<ArrayBuffer> | undefined;
  /** Address of kernel32's GetFileType, the probe thread's start routine (0n: unavailable). */
  #getFileType: bigint | undefined;
  /** `pid:handle` whose probe timed out (a busy synchronous pipe or console), until when to skip it. */
  readonly #busy = new Map<string, number>();
  #handleTable: { bytes: Uint8Array; takenAt: number } | undefined;

  /** Creates the source; nothing is opened until the first call. */
  constructor(options: WindowsSourceOptions = {}) {
    this.#ntdllPath = options.ntdll ?? system32("ntdll.dll");
    this.#kernel32Path = options.kernel32 ?? system32("kernel32.dll");
  }

  /** Why fields are missing: one line per missing library or symbol or unexpected failure. */
  notices(): string[] {
    return this.#notices.list();
  }

  /** Every process of a SystemProcessInformation snapshot; [] when ntdll is unavailable. */
  list(): ProcessInfo[] {
    try {
      return this.#list();
    } catch (error) {
      this.#notices.failure("list", error);
      return [];
    }
  }

  /**
   * cwd and the requested env (case-insensitive names, as Windows has them) from the PEB, and I/O
   * transfer bytes (GetProcessIoCounters).
   */
  details(pid: number, envKeys: readonly string[]): ProcessDetails {
    const details: ProcessDetails = { cwd: null, env: {}, readBytes: null, writeBytes: null };
    try {
      const k32 = this.#k32();
      const nt = this.#nt();
      if (k32 === null) return details;
      const getIo = k32.GetProcessIoCounters;
      if (getIo !== null) {
        const buf = new Uint8Array(IO_COUNTERS_SIZE);
        const ok = this.#withProcess(k32, pid, PROCESS_QUERY_LIMITED_INFORMATION, (h) => getIo(h, buf) !== 0);
        const io = ok ? decodeIoCounters(buf) : null;
        if (io !== null) Object.assign(details, io);
      }
      if (nt === null) return details;
      this.#withProcess(k32, pid, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, (process) => {
        const parameters = this.#processParameters(nt, k32, process);
        if (parameters === null) return false;
        const cwd = this.#readRemote(k32, process, parameters.cwdAddress, parameters.cwdBytes);
        details.cwd = cwd === null ? null : normalizeCurrentDirectory(utf16(cwd, 0, cwd.length));
        if (envKeys.length > 0) {
          const size = Math.min(parameters.environmentBytes, MAX_ENVIRONMENT_BYTES);
          const block = this.#readRemote(k32, process, parameters.environmentAddress, size);
          if (block !== null) details.env = pickEnv(decodeEnvironmentBlock(block), envKeys, true);
        }
        return true;
      });
    } catch (error) {
      this.#notices.failure("details", error);
    }
    return details;
  }

  /**
   * Disk files `pid` holds with FILE_WRITE_DATA or FILE_APPEND_DATA: its entries of the system
   * handle table, each duplicated into this process, kept only when GetFileType says FILE_TYPE_DISK
   * and it is a linked non-directory, then named with GetFinalPathNameByHandleW. Every duplicated
   * handle is closed. [] on any failure. One handle-table snapshot serves the calls of 500 ms.
   *
   * Any query on a synchronous file object waits while another thread of its owner has I/O pending
   * on it (a pipe or console being read blocks indefinitely), and GetFileType is no exception. So
   * GetFileType runs on a short-lived thread given {@linkcode FILE_TYPE_PROBE_TIMEOUT_MS}; a handle
   * that does not answer is abandoned (the thread terminated, as psutil and Sysinternals Handle do)
   * and skipped for a minute. A handle that answered was idle, so the name queries that follow only
   * ever wait for disk I/O already under way.
   */
  writingFiles(pid: number, limit: number = WRITING_FILES_LIMIT): string[] {
    try {
      const nt = this.#nt();
      const k32 = this.#k32();
      if (limit <= 0 || nt === null || k32 === null) return [];
      const now = Date.now();
      if (this.#handleTable === undefined || now - this.#handleTable.takenAt > HANDLE_TABLE_MAX_AGE_MS) {
        const table = this.#systemInformation(nt, SYSTEM_EXTENDED_HANDLE_INFORMATION);
        this.#handleTable = table === null ? undefined : { bytes: table.bytes, takenAt: now };
      }
      if (this.#handleTable === undefined) return [];
      const handles = decodeHandleTable(this.#handleTable.bytes, pid).filter((h) => canWrite(h.access));
      if (handles.length === 0) return [];
      const paths: string[] = [];
      for (const [key, until] of this.#busy) if (until <= now) this.#busy.delete(key);
      this.#withProcess(k32, pid, PROCESS_DUP_HANDLE, (process) => {
        for (const entry of handles) {
          if (this.#fileTypeIndex !== undefined && entry.typeIndex !== this.#fileTypeIndex) continue;
          const key = `${pid}:${entry.handle}`;
          if (this.#busy.has(key)) continue;
          const path = this.#duplicatedPath(k32, process, entry.handle, entry.typeIndex, key);
          if (path !== null) paths.push(path);
        }
        return true;
      });
      return sortedCapped(paths, limit);
    } catch (error) {
      this.#notices.failure("writingFiles", error);
      return [];
    }
  }

  /** CPU count, memory and page size from kernel32; boot time from GetTickCount64. */
  system(): SystemFacts {
    const facts = portableSystemFacts(WINDOWS_TICKS_PER_SECOND, 4096);
    try {
      const k32 = this.#k32();
      if (k32 === null) return facts;
      if (k32.GetSystemInfo !== null) {
        const buf = new Uint8Array(SYSTEM_INFO_SIZE);
        k32.GetSystemInfo(buf);
        const info = decodeSystemInfo(buf);
        if (info !== null && info.pageSize > 0) facts.pageSize = info.pageSize;
        if (info !== null && info.processors > 0) facts.cpuCount = info.processors;
      }
      const cpus = k32.GetActiveProcessorCount?.(ALL_PROCESSOR_GROUPS) ?? 0;
      if (cpus > 0) facts.cpuCount = cpus;
      if (k32.GlobalMemoryStatusEx !== null) {
        const buf = new Uint8Array(MEMORYSTATUSEX_SIZE);
        new DataView(buf.buffer).setUint32(0, MEMORYSTATUSEX_SIZE, true);
        const memory = k32.GlobalMemoryStatusEx(buf) !== 0 ? decodeMemoryStatus(buf) : null;
        if (memory !== null && memory.totalBytes > 0) {
          facts.memTotalBytes = memory.totalBytes;
          facts.memAvailableBytes = memory.availableBytes;
        }
      }
      if (k32.GetTickCount64 !== null) facts.bootTime = Date.now() - Number(k32.GetTickCount64());
    } catch (error) {
      this.#notices.failure("system", error);
    }
    return facts;
  }

  /** `TerminateProcess` from kernel32 (bound on the first call). */
  terminate(pid: number, same?: () => boolean): SignalResult {
    return terminateWindowsProcess(pid, same);
  }

  /** Closes ntdll and kernel32 (no handle stays open between calls); a later call opens them again. */
  [Symbol.dispose](): void {
    this.#ntdll?.close();
    this.#kernel32?.close();
    this.#ntdll = undefined;
    this.#kernel32 = undefined;
  }

  #nt(): Nt | null {
    if (this.#ntdll === undefined) this.#ntdll = tryDlopen(this.#ntdllPath, NTDLL_SYMBOLS, this.#notices);
    return this.#ntdll?.symbols ?? null;
  }

  #k32(): K32 | null {
    if (this.#kernel32 === undefined) {
      this.#kernel32 = tryDlopen(this.#kernel32Path, KERNEL32_SYMBOLS, this.#notices);
    }
    return this.#kernel32?.symbols ?? null;
  }

  #list(): ProcessInfo[] {
    const nt = this.#nt();
    if (nt === null) return [];
    const snapshot = this.#systemInformation(nt, SYSTEM_PROCESS_INFORMATION);
    if (snapshot === null) return [];
    const k32 = this.#k32();
    const seen = new Map<string, StaticFacts>();
    const out: ProcessInfo[] = [];
    for (const entry of decodeProcessList(snapshot.bytes, snapshot.base)) {
      const key = `${entry.pid}:${windowsStartId(entry.createTime)}:${entry.name}`;
      const facts = this.#static.get(key) ?? this.#staticFacts(nt, k32, entry.pid);
      seen.set(key, facts);
      out.push(windowsProcessInfo(entry, facts.exe, facts.argv));
    }
    this.#static = seen;
    return out;
  }

  /**
   * NtQuerySystemInformation of `infoClass`, growing from the last size that class needed up to
   * 64 MiB. Returns the filled bytes and the address they start at (for pointers inside them).
   */
  #systemInformation(nt: Nt, infoClass: number): { bytes: Uint8Array; base: bigint } | null {
    const query = nt.NtQuerySystemInformation;
    if (query === null) return null;
    const needed = new Uint32Array(1);
    const result = growBuffer(this.#sizeHints.get(infoClass) ?? 256 * 1024, MAX_SYSTEM_INFO_BYTES, (buf) => {
      const status = query(infoClass, buf, buf.length, needed);
      if (status === STATUS_INFO_LENGTH_MISMATCH) return { need: needed[0] + 64 * 1024 };
      if (status !== STATUS_SUCCESS) return null;
      return { value: { bytes: buf, base: bufferAddress(nt, buf) } };
    });
    if (result === null) {
      this.#notices.add(`NtQuerySystemInformation(${infoClass}) failed or needed over 64 MiB`);
      return null;
    }
    this.#sizeHints.set(infoClass, result.bytes.length);
    return result;
  }

  #staticFacts(nt: Nt, k32: K32 | null, pid: number): StaticFacts {
    const facts: StaticFacts = { exe: null, argv: [] };
    if (k32 === null || pid === 0) return facts;
    this.#withProcess(k32, pid, PROCESS_QUERY_LIMITED_INFORMATION, (process) => {
      facts.exe = this.#imagePath(k32, process);
      const commandLine = this.#commandLine(nt, process);
      facts.argv = commandLine === null ? [] : splitCommandLine(commandLine);
      return true;
    });
    return facts;
  }

  #imagePath(k32: K32, process: bigint): string | null {
    if (k32.QueryFullProcessImageNameW === null) return null;
    const buf = this.#pathBuffer ??= new Uint8Array(MAX_LONG_PATH * 2);
    const size = new Uint32Array([MAX_LONG_PATH]);
    if (k32.QueryFullProcessImageNameW(process, 0, buf, size) === 0) return null;
    return utf16(buf, 0, Math.min(size[0], MAX_LONG_PATH) * 2) || null;
  }

  #commandLine(nt: Nt, process: bigint): string | null {
    const query = nt.NtQueryInformationProcess;
    if (query === null) return null;
    const needed = new Uint32Array(1);
    return growBuffer(4096, MAX_COMMAND_LINE_BYTES, (buf) => {
      const status = query(process, PROCESS_COMMAND_LINE_INFORMATION, buf, buf.length, needed);
      if (
        status === STATUS_INFO_LENGTH_MISMATCH || status === STATUS_BUFFER_TOO_SMALL ||
        status === STATUS_BUFFER_OVERFLOW
      ) {
        return { need: needed[0] };
      }
      if (status !== STATUS_SUCCESS) return null;
      const text = decodeCommandLine(buf, bufferAddress(nt, buf));
      return text === null ? null : { value: text };
    });
  }

  /**
   * GetFileType of `handle`, run on a helper thread (GetFileType has a thread start routine's
   * signature; its result is the thread's exit code). "busy" when it did not answer within the
   * timeout — the thread is then terminated — and null when the probe could not run.
   */
  #probeFileType(k32: K32, handle: bigint): number | "busy" | null {
    const { CreateThread, WaitForSingleObject, GetExitCodeThread, TerminateThread, CloseHandle } = k32;
    if (
      CreateThread === null || WaitForSingleObject === null || GetExitCodeThread === null ||
      TerminateThread === null || CloseHandle === null
    ) {
      return null;
    }
    if (this.#getFileType === undefined) {
      const module = k32.GetModuleHandleA?.(encodeCString(this.#kernel32Path)) ?? 0n;
      this.#getFileType = module === 0n
        ? 0n
        : k32.GetProcAddress?.(module, encodeCString("GetFileType")) ?? 0n;
      if (this.#getFileType === 0n) this.#notices.add("GetFileType address unavailable; no files listed");
    }
    if (this.#getFileType === 0n) return null;
    const thread = CreateThread(0n, 0n, this.#getFileType, handle, 0, 0n);
    if (thread === 0n) return null;
    try {
      if (WaitForSingleObject(thread, FILE_TYPE_PROBE_TIMEOUT_MS) !== WAIT_OBJECT_0) {
        TerminateThread(thread, 0);
        WaitForSingleObject(thread, FILE_TYPE_PROBE_TIMEOUT_MS);
        return "busy";
      }
      const code = new Uint32Array(1);
      return GetExitCodeThread(thread, code) === 0 ? null : code[0];
    } finally {
      CloseHandle(thread);
    }
  }

  /** PEB → RTL_USER_PROCESS_PARAMETERS of `process`; null when any step cannot be read. */
  #processParameters(nt: Nt, k32: K32, process: bigint): ProcessParameters | null {
    if (nt.NtQueryInformationProcess === null) return null;
    const basic = new Uint8Array(PROCESS_BASIC_INFORMATION_SIZE);
    const status = nt.NtQueryInformationProcess(
      process,
      PROCESS_BASIC_INFORMATION,
      basic,
      basic.length,
      null,
    );
    const peb = status === STATUS_SUCCESS ? decodePebAddress(basic) : null;
    const pebBytes = peb === null ? null : this.#readRemote(k32, process, peb, PEB_PREFIX_SIZE);
    const address = pebBytes === null ? null : decodeProcessParametersAddress(pebBytes);
    const bytes = address === null
      ? null
      : this.#readRemote(k32, process, address, PROCESS_PARAMETERS_PREFIX_SIZE);
    return bytes === null ? null : decodeProcessParameters(bytes);
  }

  /** Exactly `length` bytes at `address` in `process`, or null (nothing partial). */
  #readRemote(k32: K32, process: bigint, address: bigint, length: number): Uint8Array | null {
    if (k32.ReadProcessMemory === null || address === 0n || length <= 0) return null;
    const buf = new Uint8Array(length);
    const read = new BigUint64Array(1);
    const ok = k32.ReadProcessMemory(process, address, buf, BigInt(length), read) !== 0;
    return ok && read[0] === BigInt(length) ? buf : null;
  }

  /** Opens `pid` with `access`, runs `use`, always closes; false when the process cannot be opened. */
  #withProcess(
    k32: K32,
    pid: number,
    access: number,
    use: (process: bigint) => boolean,
  ): boolean {
    if (k32.OpenProcess === null || k32.CloseHandle === null) return false;
    const process = k32.OpenProcess(access, 0, pid);
    if (process === 0n) return false;
    try {
      return use(process);
    } finally {
      k32.CloseHandle(process);
    }
  }

  /** The path of handle `value` of `process` when it is a writable regular disk file, else null. */
  #duplicatedPath(
    k32: K32,
    process: bigint,
    value: bigint,
    typeIndex: number,
    key: string,
  ): string | null {
    const { DuplicateHandle, CloseHandle, GetCurrentProcess } = k32;
    if (DuplicateHandle === null || CloseHandle === null || GetCurrentProcess === null) return null;
    const out = new BigUint64Array(1);
    if (DuplicateHandle(process, value, GetCurrentProcess(), out, 0, 0, DUPLICATE_SAME_ACCESS) === 0) {
      return null;
    }
    const handle = out[0];
    if (handle === 0n) return null;
    try {
      const type = this.#probeFileType(k32, handle);
      if (type === "busy") this.#busy.set(key, Date.now() + BUSY_HANDLE_TTL_MS);
      if (type !== FILE_TYPE_DISK) return null;
      this.#fileTypeIndex ??= typeIndex;
      const info = new Uint8Array(BY_HANDLE_FILE_INFORMATION_SIZE);
      if ((k32.GetFileInformationByHandle?.(handle, info) ?? 0) === 0 || !isRegularFile(info)) return null;
      if (k32.GetFinalPathNameByHandleW === null) return null;
      const buf = this.#pathBuffer ??= new Uint8Array(MAX_LONG_PATH * 2);
      const length = k32.GetFinalPathNameByHandleW(handle, buf, MAX_LONG_PATH, 0);
      if (length === 0 || length >= MAX_LONG_PATH) return null;
      return normalizeFinalPath(utf16(buf, 0, length * 2));
    } finally {
      CloseHandle(handle);
    }
  }
}
