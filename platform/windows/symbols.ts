/**
 * The ntdll and kernel32 symbols and constants the Windows process source calls (64-bit Windows:
 * x64 and arm64 share these layouts). Every symbol is optional: a missing one costs the fields it
 * provides, never the whole source. HANDLEs and addresses travel as `usize` integers (the same
 * registers as pointers in the Win64 ABI), because Deno's pointer objects need an unscoped `--allow-ffi`.
 *
 * Sources: Microsoft Win32 documentation (processthreadsapi.h, fileapi.h, handleapi.h, sysinfoapi.h,
 * winternl.h) and phnt `ntexapi.h` / `ntpsapi.h` (System Informer) for the native API.
 *
 * @module
 */

import { MEMORY_SYMBOLS } from "../ffi.ts";

/**
 * The absolute path of a DLL in the Windows system directory (`%SystemRoot%\System32`, `C:\Windows`
 * when SystemRoot cannot be read). Absolute, because under a scoped `--allow-ffi=<path>` grant Deno
 * resolves a bare library name against the working directory.
 *
 * @example
 * ```ts
 * system32("ntdll.dll"); // "C:\Windows\System32\ntdll.dll" on a default installation
 * ```
 */
export function system32(dll: string): string {
  let root = "C:\\Windows";
  try {
    root = Deno.env.get("SystemRoot") || root;
  } catch { /* without --allow-env the default installation directory is assumed */ }
  return `${root}\\System32\\${dll}`;
}

/** ntdll functions used, with C signatures in the comments. */
export const NTDLL_SYMBOLS = {
  /**
   * `NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS cls, PVOID buf, ULONG len,
   * PULONG returnLength)`.
   */
  NtQuerySystemInformation: { parameters: ["i32", "buffer", "u32", "buffer"], result: "u32", optional: true },
  /**
   * `NTSTATUS NtQueryInformationProcess(HANDLE process, PROCESSINFOCLASS cls, PVOID buf, ULONG len,
   * PULONG returnLength)`.
   */
  NtQueryInformationProcess: {
    parameters: ["usize", "i32", "buffer", "u32", "buffer"],
    result: "u32",
    optional: true,
  },
  /** ntdll's `memcpy`, called as `memcpy(b, b, 0)` for the address of a buffer (see ffi.ts). */
  memcpyAddress: MEMORY_SYMBOLS.memcpyAddress,
} as const;

/** kernel32 functions used, with C signatures in the comments. */
export const KERNEL32_SYMBOLS = {
  /** `HANDLE OpenProcess(DWORD access, BOOL inherit, DWORD pid)` → NULL on failure. */
  OpenProcess: { parameters: ["u32", "i32", "u32"], result: "usize", optional: true },
  /** `BOOL CloseHandle(HANDLE h)`. */
  CloseHandle: { parameters: ["usize"], result: "i32", optional: true },
  /** `HANDLE GetCurrentProcess(void)` → the pseudo-handle -1 (never closed). */
  GetCurrentProcess: { parameters: [], result: "usize", optional: true },
  /**
   * `BOOL DuplicateHandle(HANDLE srcProcess, HANDLE src, HANDLE dstProcess, LPHANDLE dst,
   * DWORD access, BOOL inherit, DWORD options)`.
   */
  DuplicateHandle: {
    parameters: ["usize", "usize", "usize", "buffer", "u32", "i32", "u32"],
    result: "i32",
    optional: true,
  },
  /** `HMODULE GetModuleHandleA(LPCSTR name)` — to find GetFileType's address for the probe thread. */
  GetModuleHandleA: { parameters: ["buffer"], result: "usize", optional: true },
  /** `FARPROC GetProcAddress(HMODULE module, LPCSTR name)`. */
  GetProcAddress: { parameters: ["usize", "buffer"], result: "usize", optional: true },
  /**
   * `HANDLE CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack, LPTHREAD_START_ROUTINE start,
   * LPVOID param, DWORD flags, LPDWORD threadId)` — runs `DWORD GetFileType(HANDLE)`, whose signature
   * is a thread start routine's, so a file object that blocks cannot block agtop.
   */
  CreateThread: {
    parameters: ["usize", "usize", "usize", "usize", "u32", "usize"],
    result: "usize",
    optional: true,
  },
  /** `DWORD WaitForSingleObject(HANDLE h, DWORD milliseconds)`. */
  WaitForSingleObject: { parameters: ["usize", "u32"], result: "u32", optional: true },
  /** `BOOL GetExitCodeThread(HANDLE thread, LPDWORD code)`. */
  GetExitCodeThread: { parameters: ["usize", "buffer"], result: "i32", optional: true },
  /** `BOOL TerminateThread(HANDLE thread, DWORD code)` — only for a probe stuck past its timeout. */
  TerminateThread: { parameters: ["usize", "u32"], result: "i32", optional: true },
  /** `BOOL GetFileInformationByHandle(HANDLE file, LPBY_HANDLE_FILE_INFORMATION info)`. */
  GetFileInformationByHandle: { parameters: ["usize", "buffer"], result: "i32", optional: true },
  /** `DWORD GetFinalPathNameByHandleW(HANDLE file, LPWSTR path, DWORD cch, DWORD flags)` → chars. */
  GetFinalPathNameByHandleW: {
    parameters: ["usize", "buffer", "u32", "u32"],
    result: "u32",
    optional: true,
  },
  /** `BOOL QueryFullProcessImageNameW(HANDLE process, DWORD flags, LPWSTR name, PDWORD size)`. */
  QueryFullProcessImageNameW: {
    parameters: ["usize", "u32", "buffer", "buffer"],
    result: "i32",
    optional: true,
  },
  /**
   * `BOOL ReadProcessMemory(HANDLE process, LPCVOID address, LPVOID buffer, SIZE_T size,
   * SIZE_T *read)` — only to read the PEB's process parameters (cwd, environment); fails cleanly on
   * an address that is not mapped.
   */
  ReadProcessMemory: {
    parameters: ["usize", "usize", "buffer", "usize", "buffer"],
    result: "i32",
    optional: true,
  },
  /** `BOOL GetProcessIoCounters(HANDLE process, PIO_COUNTERS counters)`. */
  GetProcessIoCounters: { parameters: ["usize", "buffer"], result: "i32", optional: true },
  /** `BOOL GlobalMemoryStatusEx(LPMEMORYSTATUSEX status)` — dwLength must be set to 64 first. */
  GlobalMemoryStatusEx: { parameters: ["buffer"], result: "i32", optional: true },
  /** `void GetSystemInfo(LPSYSTEM_INFO info)`. */
  GetSystemInfo: { parameters: ["buffer"], result: "void", optional: true },
  /** `DWORD GetActiveProcessorCount(WORD group)` — group ALL_PROCESSOR_GROUPS counts every group. */
  GetActiveProcessorCount: { parameters: ["u16"], result: "u32", optional: true },
  /** `ULONGLONG GetTickCount64(void)` → milliseconds since boot. */
  GetTickCount64: { parameters: [], result: "u64", optional: true },
} as const;

/** The opened ntdll. */
export type NtdllLibrary = Deno.DynamicLibrary<typeof NTDLL_SYMBOLS>;
/** The opened kernel32. */
export type Kernel32Library = Deno.DynamicLibrary<typeof KERNEL32_SYMBOLS>;

/** `SystemProcessInformation` class of NtQuerySystemInformation. */
export const SYSTEM_PROCESS_INFORMATION = 5;
/** `SystemExtendedHandleInformation` class of NtQuerySystemInformation. */
export const SYSTEM_EXTENDED_HANDLE_INFORMATION = 64;
/** `ProcessBasicInformation` class of NtQueryInformationProcess (PROCESS_BASIC_INFORMATION). */
export const PROCESS_BASIC_INFORMATION = 0;
/** `ProcessCommandLineInformation` class of NtQueryInformationProcess (Windows 8.1 and later). */
export const PROCESS_COMMAND_LINE_INFORMATION = 60;
/** NTSTATUS `STATUS_SUCCESS`. */
export const STATUS_SUCCESS = 0;
/** NTSTATUS `STATUS_INFO_LENGTH_MISMATCH`: the buffer is too small. */
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;
/** NTSTATUS `STATUS_BUFFER_TOO_SMALL`. */
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
/** NTSTATUS `STATUS_BUFFER_OVERFLOW` (a warning: partial data written). */
export const STATUS_BUFFER_OVERFLOW = 0x80000005;
/** `PROCESS_DUP_HANDLE` access right. */
export const PROCESS_DUP_HANDLE = 0x0040;
/** `PROCESS_VM_READ` access right (ReadProcessMemory). */
export const PROCESS_VM_READ = 0x0010;
/** `PROCESS_QUERY_LIMITED_INFORMATION` access right. */
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
/** `DUPLICATE_SAME_ACCESS` option of DuplicateHandle. */
export const DUPLICATE_SAME_ACCESS = 0x2;
/** `WAIT_OBJECT_0` result of WaitForSingleObject. */
export const WAIT_OBJECT_0 = 0;
/** How long the GetFileType probe thread may take before it is abandoned, in milliseconds. */
export const FILE_TYPE_PROBE_TIMEOUT_MS = 100;
/** `FILE_TYPE_DISK` result of GetFileType. */
export const FILE_TYPE_DISK = 0x1;
/** `ALL_PROCESSOR_GROUPS` for GetActiveProcessorCount. */
export const ALL_PROCESSOR_GROUPS = 0xffff;
/** Longest path GetFinalPathNameByHandleW / QueryFullProcessImageNameW can return, in UTF-16 units. */
export const MAX_LONG_PATH = 32768;
