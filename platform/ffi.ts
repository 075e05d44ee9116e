/**
 * Small helpers shared by the native (`Deno.dlopen`) process sources of macOS, Windows and FreeBSD:
 * opening a library without crashing, reading C and UTF-16 strings out of byte buffers, growing a
 * buffer within a hard cap, and walking foreign memory through a {@linkcode MemoryReader} so that
 * pointer-chasing decoders stay pure and testable.
 *
 * The native sources must work under `--allow-ffi` scoped to the libraries they open. Deno then
 * (a) resolves a bare library name against the working directory, so libraries are opened by
 * absolute path, and (b) refuses every `Deno.UnsafePointer*` helper, so addresses travel as `usize`
 * integers and memory is read with the C library's own `memcpy`/`strnlen` ({@linkcode MEMORY_SYMBOLS}).
 *
 * @module
 */

import type { SystemFacts } from "./types.ts";
import { firstLine, type Notices } from "./notices.ts";

const utf8 = new TextDecoder("utf-8");
const utf16le = new TextDecoder("utf-16le");
const encoder = new TextEncoder();

/**
 * Opens a shared library, or returns null and records a one-line notice when the library cannot be
 * opened (absent, wrong OS, `--allow-ffi` not granted). Symbols declared `optional: true` that the
 * library lacks come back as null, and each one also records a notice, so callers degrade to fewer
 * fields instead of failing.
 *
 * @example
 * ```ts
 * import { Notices } from "./notices.ts";
 * const notices = new Notices();
 * const libc = tryDlopen("libc.so.6", {
 *   getpid: { parameters: [], result: "i32", optional: true },
 * } as const, notices);
 * const pid = libc?.symbols.getpid?.() ?? null;
 * ```
 */
export function tryDlopen<const S extends Deno.ForeignLibraryInterface>(
  path: string,
  symbols: S,
  notices: Notices,
): Deno.DynamicLibrary<S> | null {
  let library: Deno.DynamicLibrary<S>;
  try {
    library = Deno.dlopen(path, symbols);
  } catch (error) {
    notices.add(`cannot open ${path}: ${firstLine(error)}`);
    return null;
  }
  const opened = library.symbols as Record<string, unknown>;
  for (const name of Object.keys(symbols)) {
    if (opened[name] === null) notices.add(`${path} lacks ${symbols[name].name ?? name}; fewer fields`);
  }
  return library;
}

/**
 * A `DataView` over exactly the bytes of `bytes` (respecting its offset into a larger buffer).
 *
 * @example
 * ```ts
 * const v = view(new Uint8Array([1, 0, 0, 0]));
 * v.getUint32(0, true); // 1
 * ```
 */
export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads a little-endian unsigned 64-bit integer as a number (exact below 2^53, which covers byte
 * counts, times and addresses' low ranges we compare).
 *
 * @example
 * ```ts
 * u64(view(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])), 0); // 1
 * ```
 */
export function u64(data: DataView, offset: number): number {
  return Number(data.getBigUint64(offset, true));
}

/**
 * Decodes the NUL-terminated byte string starting at `offset`, reading at most `maxLength` bytes and
 * never past the end of `bytes`. Invalid UTF-8 becomes U+FFFD; it never throws.
 *
 * @example
 * ```ts
 * cString(new Uint8Array([104, 105, 0, 120]), 0, 4); // "hi"
 * ```
 */
export function cString(bytes: Uint8Array, offset = 0, maxLength = bytes.length - offset): string {
  if (offset < 0 || offset >= bytes.length || maxLength <= 0) return "";
  const end = Math.min(bytes.length, offset + maxLength);
  let stop = bytes.indexOf(0, offset);
  if (stop < 0 || stop > end) stop = end;
  return utf8.decode(bytes.subarray(offset, stop));
}

/**
 * Decodes `byteLength` bytes of UTF-16LE at `offset`, clamped to the buffer and to an even length.
 * Unpaired surrogates become U+FFFD; it never throws.
 *
 * @example
 * ```ts
 * utf16(new Uint8Array([0x68, 0, 0x69, 0]), 0, 4); // "hi"
 * ```
 */
export function utf16(bytes: Uint8Array, offset: number, byteLength: number): string {
  if (offset < 0 || offset >= bytes.length || byteLength <= 0) return "";
  let end = Math.min(bytes.length, offset + byteLength);
  end -= (end - offset) % 2;
  return utf16le.decode(bytes.subarray(offset, end));
}

/**
 * Encodes a string as NUL-terminated UTF-8, for C parameters such as `sysctlbyname` names.
 *
 * @example
 * ```ts
 * encodeCString("hw.ncpu").at(-1); // 0
 * ```
 */
export function encodeCString(text: string): Uint8Array<ArrayBuffer> {
  const body = encoder.encode(text);
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

/**
 * What one attempt of {@linkcode growBuffer} reports about the buffer it was given: `{ value }` on
 * success, `{ need }` when the buffer was too small (`need` is the size the OS asked for, 0 when it
 * did not say), or null when the call failed for another reason.
 */
export type FillResult<T> = { value: T; need?: undefined } | { need: number; value?: undefined } | null;

/**
 * Calls `fill` with a buffer of `initial` bytes and, while it reports "too small", retries with a
 * larger one (what the OS asked for, or double) — never above `max` bytes. Returns the value of the
 * first successful fill, or null when the call failed or would need more than `max`.
 *
 * @example
 * ```ts
 * const data = growBuffer(16, 1024, (buf) => buf.length < 100 ? { need: 100 } : { value: buf.length });
 * // data === 100
 * ```
 */
export function growBuffer<T>(
  initial: number,
  max: number,
  fill: (buffer: Uint8Array<ArrayBuffer>) => FillResult<T>,
): T | null {
  let size = Math.max(1, Math.min(Math.ceil(initial), max));
  for (;;) {
    const result = fill(new Uint8Array(size));
    if (result === null) return null;
    if (result.need === undefined) return result.value;
    if (size >= max) return null;
    size = Math.min(max, Math.max(Math.ceil(result.need), size * 2));
  }
}

/**
 * Read access to foreign memory by address, so decoders that chase pointers (linked lists, `char **`
 * arrays) stay pure: the sources pass a {@linkcode foreignMemory} reader, tests a fake built from a map.
 */
export interface MemoryReader {
  /** A copy of `length` bytes at `address`, or null for address 0 or when memory cannot be read. */
  bytes(address: bigint, length: number): Uint8Array | null;
  /**
   * The NUL-terminated string at `address` (at most `maxLength` bytes, UTF-8 with U+FFFD for
   * invalid bytes), or null for address 0 or when memory cannot be read.
   */
  cString(address: bigint, maxLength: number): string | null;
}

/**
 * C library functions that give access to memory by address without Deno's pointer API
 * (`Deno.UnsafePointer*` needs an unscoped `--allow-ffi`; these work under a grant scoped to the
 * library): `memcpy` bound twice — to copy foreign memory into a buffer and, as `memcpy(b, b, 0)`, to
 * learn a buffer's own address — and `strnlen`. Spread into a library's symbol table.
 */
export const MEMORY_SYMBOLS = {
  /** `void *memcpy(void *dst, const void *src, size_t n)` with `src` an address. */
  memcpyFrom: { name: "memcpy", parameters: ["buffer", "usize", "usize"], result: "usize", optional: true },
  /** `void *memcpy(void *dst, const void *src, size_t n)` called with n = 0: returns `dst`'s address. */
  memcpyAddress: {
    name: "memcpy",
    parameters: ["buffer", "buffer", "usize"],
    result: "usize",
    optional: true,
  },
  /** `size_t strnlen(const char *s, size_t max)`. */
  strnlen: { parameters: ["usize", "usize"], result: "usize", optional: true },
} as const;

/** The {@linkcode MEMORY_SYMBOLS} of an opened library (each null when the library lacks it). */
export type MemorySymbols = Deno.StaticForeignLibraryInterface<typeof MEMORY_SYMBOLS>;

/**
 * A {@linkcode MemoryReader} over this process's memory built on the C library's `memcpy` and
 * `strnlen`; null when `memcpy` is missing (without `strnlen` strings read as null). Only ever given
 * addresses that a C library just returned.
 *
 * @example
 * ```ts
 * import { Notices } from "./notices.ts";
 * const libc = tryDlopen("/lib/x86_64-linux-gnu/libc.so.6", MEMORY_SYMBOLS, new Notices());
 * const memory = libc === null ? null : foreignMemory(libc.symbols);
 * ```
 */
export function foreignMemory(symbols: MemorySymbols): MemoryReader | null {
  const { memcpyFrom, strnlen } = symbols;
  if (memcpyFrom === null) return null;
  const copy = (address: bigint, length: number): Uint8Array => {
    const out = new Uint8Array(Math.max(0, length));
    if (out.length > 0) memcpyFrom(out, address, BigInt(out.length));
    return out;
  };
  return {
    bytes: (address, length) => (address === 0n ? null : copy(address, length)),
    cString(address, maxLength) {
      if (address === 0n || strnlen === null) return null;
      return utf8.decode(copy(address, Number(strnlen(address, BigInt(Math.max(0, maxLength))))));
    },
  };
}

/**
 * The address of a buffer as the C library sees it (`memcpy(buffer, buffer, 0)`), to translate
 * pointers that a call wrote into that same buffer; 0n when `memcpy` is missing.
 *
 * @example
 * ```ts
 * declare const ntdll: { symbols: MemorySymbols };
 * const buffer = new Uint8Array(4096);
 * const base = bufferAddress(ntdll.symbols, buffer);
 * // after a call wrote pointers into `buffer`, a pointer `ptr` there points at `buffer[Number(ptr - base)]`
 * ```
 */
export function bufferAddress(symbols: Pick<MemorySymbols, "memcpyAddress">, buffer: Uint8Array): bigint {
  return symbols.memcpyAddress === null || buffer.length === 0
    ? 0n
    : symbols.memcpyAddress(buffer, buffer, 0n);
}

/**
 * Reads a NULL-terminated C array of strings (`char **`, as `argv`/`environ`), at most `maxCount`
 * entries of at most `maxLength` bytes each. A null array yields `[]`.
 *
 * @example
 * ```ts
 * declare const memory: MemoryReader;
 * declare const argvAddress: bigint; // a `char **` a C library just returned
 * const argv = readCStringArray(memory, argvAddress, 4096, 65536); // ["sleep", "30"]
 * ```
 */
export function readCStringArray(
  memory: MemoryReader,
  address: bigint,
  maxCount: number,
  maxLength: number,
): string[] {
  const out: string[] = [];
  for (let i = 0; address !== 0n && i < maxCount; i++) {
    const slot = memory.bytes(address + BigInt(i * 8), 8);
    if (slot === null || slot.length < 8) break;
    const item = view(slot).getBigUint64(0, true);
    if (item === 0n) break;
    out.push(memory.cString(item, maxLength) ?? "");
  }
  return out;
}

/**
 * Picks the requested variables out of `NAME=value` strings (the first occurrence of a name wins,
 * as `getenv` does). With `ignoreCase` (Windows) names match case-insensitively and come back spelled
 * as requested.
 *
 * @example
 * ```ts
 * pickEnv(["HOME=/root", "TERM=xterm"], ["TERM"]); // { TERM: "xterm" }
 * ```
 */
export function pickEnv(
  entries: Iterable<string>,
  keys: readonly string[],
  ignoreCase = false,
): Record<string, string> {
  const fold = (name: string) => (ignoreCase ? name.toUpperCase() : name);
  const wanted = new Map(keys.map((key) => [fold(key), key]));
  const env: Record<string, string> = {};
  if (wanted.size === 0) return env;
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const key = wanted.get(fold(entry.slice(0, eq)));
    if (key !== undefined && !Object.hasOwn(env, key)) env[key] = entry.slice(eq + 1);
  }
  return env;
}

/**
 * Sorts, de-duplicates and caps a list of paths, the shape every `writingFiles` returns.
 *
 * @example
 * ```ts
 * sortedCapped(["/b", "/a", "/b"], 1); // ["/a"]
 * ```
 */
export function sortedCapped(paths: Iterable<string>, limit: number): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.slice(0, Math.max(0, Math.floor(limit)));
}

/**
 * Machine facts from Deno's own APIs (`--allow-sys`), the fallback each native source starts from
 * and overrides field by field with what its OS calls return. Never throws.
 *
 * @example
 * ```ts
 * const facts = portableSystemFacts(100, 4096);
 * facts.os === Deno.build.os; // true
 * ```
 */
export function portableSystemFacts(clockTicks: number, pageSize: number): SystemFacts {
  const facts: SystemFacts = {
    hostname: "",
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpuCount: navigator.hardwareConcurrency ?? 1,
    memTotalBytes: 0,
    memAvailableBytes: 0,
    bootTime: 0,
    clockTicks,
    pageSize,
  };
  try {
    facts.hostname = Deno.hostname();
  } catch { /* hostname stays empty without --allow-sys */ }
  try {
    const memory = Deno.systemMemoryInfo();
    facts.memTotalBytes = memory.total;
    facts.memAvailableBytes = memory.available;
  } catch { /* memory stays 0 without --allow-sys */ }
  try {
    facts.bootTime = Date.now() - Deno.osUptime() * 1000;
  } catch { /* boot time stays 0 without --allow-sys */ }
  return facts;
}
