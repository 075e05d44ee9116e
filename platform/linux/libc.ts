/**
 * Reads procfs through libc. Deno (since 1.43) requires `--allow-all` for any read under `/proc`, so
 * agtop reads it with `open`/`read`/`readlink`/`opendir` from libc over FFI instead: the process keeps
 * `--allow-read --allow-env --allow-sys` plus `--allow-ffi` for libc only, and Deno's own network,
 * write and subprocess APIs stay denied. Only calls that read are bound here, and `open` only ever with
 * `O_RDONLY`; ending a process binds its own calls, on demand (`platform/kill.ts`). FFI itself is outside
 * Deno's sandbox: the grant names the library, not these symbols (see README, Permissions).
 *
 * @module
 */

/** Where distributions keep the C library (glibc and musl), most common first. */
export const LIBC_PATHS: readonly string[] = [
  "/lib/x86_64-linux-gnu/libc.so.6",
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/lib/aarch64-linux-gnu/libc.so.6",
  "/usr/lib/aarch64-linux-gnu/libc.so.6",
  "/lib64/libc.so.6",
  "/usr/lib64/libc.so.6",
  "/usr/lib/libc.so.6",
  "/lib/libc.so.6",
  "/lib/ld-musl-x86_64.so.1",
  "/lib/ld-musl-aarch64.so.1",
];

const SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "isize" },
  opendir: { parameters: ["buffer"], result: "pointer" },
  readdir: { parameters: ["pointer"], result: "pointer" },
  closedir: { parameters: ["pointer"], result: "i32" },
  memcpy: { parameters: ["buffer", "pointer", "usize"], result: "pointer" },
  statx: { parameters: ["i32", "buffer", "i32", "u32", "buffer"], result: "i32", optional: true },
} as const;

const AT_FDCWD = -100;
const STATX_TYPE_MODE_UID = 0x1 | 0x2 | 0x8;
/** `struct statx` (linux/stat.h): `20 u32 stx_uid`, `28 u16 stx_mode`; 256 bytes in all. */
const STATX_SIZE = 256;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

const O_RDONLY_CLOEXEC = 0o2000000;
/** Largest file read whole (environments and command lines can be big, procfs files have no size). */
const MAX_READ = 16 * 1024 * 1024;
/** `struct dirent` (glibc and musl, 64-bit): `0 u64 d_ino`, `8 i64 d_off`, `16 u16 d_reclen`, `18 u8 d_type`, `19 char d_name[256]`. */
const DIRENT_NAME = 19;
const DIRENT_SIZE = 280;

/** Read-only file access that works under `/proc`. Every method returns null on any failure. */
export interface ProcFiles {
  /** The whole file (procfs files report size 0, so it is read until EOF), at most `max` bytes. */
  read(path: string, max?: number): Uint8Array | null;
  /** The whole file as UTF-8 text (invalid bytes replaced). */
  readText(path: string, max?: number): string | null;
  /** The target of a symbolic link. */
  readLink(path: string): string | null;
  /** Entry names of a directory, without `.` and `..`. */
  list(path: string): string[] | null;
  /** Opens a file to re-read it with {@linkcode ProcFiles.reread}; returns the descriptor, or -1. */
  open(path: string): number;
  /** The file from offset 0 again (one `pread`), as text; null when it fails (the process is gone). */
  reread(fd: number): string | null;
  /** Closes a descriptor from {@linkcode ProcFiles.open}. */
  close(fd: number): void;
  /** Owner uid and whether it is a regular file (symlinks followed); null when it cannot be stat'ed. */
  stat(path: string): { uid: number; regular: boolean } | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const pathBuf = new Uint8Array(8192);

/** `s` as a NUL-terminated C string in a reused buffer (valid until the next call). */
function cString(s: string): Uint8Array<ArrayBuffer> {
  const { written } = encoder.encodeInto(s, pathBuf.subarray(0, pathBuf.length - 1));
  pathBuf[written] = 0;
  return pathBuf;
}

/**
 * Opens libc and returns the reader, or null (with the reason) when libc or FFI is unavailable.
 *
 * @example
 * ```ts
 * const files = openProcFiles();
 * if (!("reason" in files)) files.readText("/proc/self/stat");
 * ```
 */
export function openProcFiles(paths: readonly string[] = LIBC_PATHS): ProcFiles | { reason: string } {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS> | null = null;
  let lastError = "no libc found";
  for (const p of paths) {
    try {
      Deno.statSync(p);
    } catch {
      continue;
    }
    try {
      lib = Deno.dlopen(p, SYMBOLS);
      break;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  if (!lib) return { reason: lastError };
  const c = lib.symbols;
  let scratch = new Uint8Array(64 * 1024);
  const linkBuf = new Uint8Array(4096);
  const statxBuf = new Uint8Array(STATX_SIZE);
  const direntBuf = new Uint8Array(DIRENT_SIZE);
  const statxView = new DataView(statxBuf.buffer);

  /** Reads into the shared scratch buffer; returns the byte count, or -1. */
  const readScratch = (path: string, max: number): number => {
    const fd = c.open(cString(path), O_RDONLY_CLOEXEC);
    if (fd < 0) return -1;
    let len = 0;
    try {
      for (;;) {
        if (len === scratch.length) {
          if (scratch.length >= max) break;
          const bigger = new Uint8Array(Math.min(max, scratch.length * 2));
          bigger.set(scratch);
          scratch = bigger;
        }
        const n = Number(c.read(fd, scratch.subarray(len), BigInt(scratch.length - len)));
        if (n < 0) return len ? len : -1;
        if (n === 0) break;
        len += n;
      }
    } finally {
      c.close(fd);
    }
    return Math.min(len, max);
  };

  return {
    read(path, max = MAX_READ) {
      const n = readScratch(path, max);
      return n < 0 ? null : scratch.slice(0, n);
    },
    readText(path, max = MAX_READ) {
      const n = readScratch(path, max);
      return n < 0 ? null : decoder.decode(scratch.subarray(0, n));
    },
    open(path) {
      return c.open(cString(path), O_RDONLY_CLOEXEC);
    },
    reread(fd) {
      const n = Number(c.pread(fd, scratch, BigInt(scratch.length), 0n));
      return n > 0 ? decoder.decode(scratch.subarray(0, n)) : null;
    },
    close(fd) {
      c.close(fd);
    },
    stat(path) {
      if (!c.statx) return null;
      if (c.statx(AT_FDCWD, cString(path), 0, STATX_TYPE_MODE_UID, statxBuf) !== 0) return null;
      return {
        uid: statxView.getUint32(20, true),
        regular: (statxView.getUint16(28, true) & S_IFMT) === S_IFREG,
      };
    },
    readLink(path) {
      const n = Number(c.readlink(cString(path), linkBuf, BigInt(linkBuf.length)));
      return n < 0 ? null : decoder.decode(linkBuf.subarray(0, n));
    },
    list(path) {
      const dir = c.opendir(cString(path));
      if (dir === null) return null;
      const names: string[] = [];
      try {
        // Copied out with memcpy: reading the pointer directly would need unscoped --allow-ffi.
        for (let ent = c.readdir(dir); ent !== null; ent = c.readdir(dir)) {
          c.memcpy(direntBuf, ent, BigInt(DIRENT_NAME));
          const size = Math.min(direntBuf[16] | (direntBuf[17] << 8), DIRENT_SIZE);
          c.memcpy(direntBuf, ent, BigInt(size));
          const end = direntBuf.indexOf(0, DIRENT_NAME);
          const name = decoder.decode(direntBuf.subarray(DIRENT_NAME, end < 0 || end > size ? size : end));
          if (name !== "." && name !== "..") names.push(name);
        }
      } finally {
        c.closedir(dir);
      }
      return names;
    },
  };
}
