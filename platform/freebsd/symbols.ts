/**
 * The libprocstat and libc symbols and constants the FreeBSD process source calls (LP64: amd64,
 * arm64, riscv64). Every symbol is optional: a missing one costs the fields it provides, never the
 * whole source. Pointers travel as `usize` integers (the same registers in the LP64 ABIs), because
 * Deno's pointer objects need an unscoped `--allow-ffi`; memory behind them is read with libc's
 * `memcpy`/`strnlen` (see ffi.ts). libprocstat exports versioned symbols; `dlsym` resolves the default (newest) version,
 * whose structure layouts `./decode.ts` documents.
 *
 * Sources: freebsd/freebsd-src `lib/libprocstat/libprocstat.h`, `sys/sys/sysctl.h`,
 * `include/unistd.h`.
 *
 * @module
 */

import { MEMORY_SYMBOLS } from "../ffi.ts";

/**
 * libprocstat's shared object in the base system. Absolute, because under a scoped
 * `--allow-ffi=<path>` grant Deno resolves a bare library name against the working directory.
 */
export const LIBPROCSTAT_PATH = "/usr/lib/libprocstat.so.1";
/** The C library (sysctlbyname, sysconf) in the base system; absolute for the same reason. */
export const LIBC_PATH = "/lib/libc.so.7";

/** libprocstat functions used, with C signatures in the comments. */
export const PROCSTAT_SYMBOLS = {
  /** `struct procstat *procstat_open_sysctl(void)`. */
  procstat_open_sysctl: { parameters: [], result: "usize", optional: true },
  /** `void procstat_close(struct procstat *procstat)`. */
  procstat_close: { parameters: ["usize"], result: "void", optional: true },
  /** `struct kinfo_proc *procstat_getprocs(struct procstat *, int what, int arg, unsigned int *count)`. */
  procstat_getprocs: { parameters: ["usize", "i32", "i32", "buffer"], result: "usize", optional: true },
  /** `void procstat_freeprocs(struct procstat *, struct kinfo_proc *p)`. */
  procstat_freeprocs: { parameters: ["usize", "usize"], result: "void", optional: true },
  /** `char **procstat_getargv(struct procstat *, struct kinfo_proc *p, size_t nchr)`. */
  procstat_getargv: { parameters: ["usize", "usize", "usize"], result: "usize", optional: true },
  /** `void procstat_freeargv(struct procstat *)`. */
  procstat_freeargv: { parameters: ["usize"], result: "void", optional: true },
  /** `char **procstat_getenvv(struct procstat *, struct kinfo_proc *p, size_t nchr)`. */
  procstat_getenvv: { parameters: ["usize", "usize", "usize"], result: "usize", optional: true },
  /** `void procstat_freeenvv(struct procstat *)`. */
  procstat_freeenvv: { parameters: ["usize"], result: "void", optional: true },
  /** `struct filestat_list *procstat_getfiles(struct procstat *, struct kinfo_proc *kp, int mmapped)`. */
  procstat_getfiles: { parameters: ["usize", "usize", "i32"], result: "usize", optional: true },
  /** `void procstat_freefiles(struct procstat *, struct filestat_list *head)`. */
  procstat_freefiles: { parameters: ["usize", "usize"], result: "void", optional: true },
  /**
   * `int procstat_get_vnode_info(struct procstat *, struct filestat *fst, struct vnstat *vn,
   * char *errbuf)` → 0 on success.
   */
  procstat_get_vnode_info: {
    parameters: ["usize", "usize", "buffer", "buffer"],
    result: "i32",
    optional: true,
  },
  /** `int procstat_getpathname(struct procstat *, struct kinfo_proc *kp, char *path, size_t maxlen)`. */
  procstat_getpathname: {
    parameters: ["usize", "usize", "buffer", "usize"],
    result: "i32",
    optional: true,
  },
} as const;

/** libc functions used, with C signatures in the comments, plus the memory access of ffi.ts. */
export const FREEBSD_LIBC_SYMBOLS = {
  /** `int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen)`. */
  sysctlbyname: {
    parameters: ["buffer", "buffer", "buffer", "usize", "usize"],
    result: "i32",
    optional: true,
  },
  /** `long sysconf(int name)`. */
  sysconf: { parameters: ["i32"], result: "i64", optional: true },
  ...MEMORY_SYMBOLS,
} as const;

/** The opened libprocstat. */
export type ProcstatLibrary = Deno.DynamicLibrary<typeof PROCSTAT_SYMBOLS>;
/** The opened libc. */
export type FreeBsdLibcLibrary = Deno.DynamicLibrary<typeof FREEBSD_LIBC_SYMBOLS>;

/** `KERN_PROC_PID`: the one process `arg`. */
export const KERN_PROC_PID = 1;
/** `KERN_PROC_PROC`: every process, one entry per process (not per thread). */
export const KERN_PROC_PROC = 8;
/** `sysconf` name `_SC_CLK_TCK` on FreeBSD. */
export const SC_CLK_TCK = 3;
/** `sysconf` name `_SC_PAGESIZE` on FreeBSD. */
export const SC_PAGESIZE = 47;
/** `_POSIX2_LINE_MAX`: size of the error buffer libprocstat writes into. */
export const PROCSTAT_ERRBUF_SIZE = 2048;
/** `PATH_MAX`. */
export const PATH_MAX = 1024;
