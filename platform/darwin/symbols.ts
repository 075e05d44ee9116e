/**
 * The libSystem symbols and constants the macOS process source calls. Every symbol is optional: a
 * missing one costs the fields it provides, never the whole source.
 *
 * Sources: apple-oss-distributions/xnu `bsd/sys/proc_info.h`, `libsyscall/wrappers/libproc/libproc.h`,
 * `bsd/sys/sysctl.h`, `bsd/sys/resource.h`, `osfmk/mach/host_info.h`, and the macOS SDK `<unistd.h>`.
 *
 * @module
 */

/**
 * Where libSystem lives (served from the dyld shared cache on macOS 11 and later). Absolute, so a
 * scoped `--allow-ffi=/usr/lib/libSystem.B.dylib` grant matches it.
 */
export const LIBSYSTEM_PATH = "/usr/lib/libSystem.B.dylib";

/** The libSystem functions used, with C signatures in the comments. */
export const DARWIN_SYMBOLS = {
  /** `int proc_listallpids(void *buffer, int buffersize)` → number of pids (buffersize in bytes). */
  proc_listallpids: { parameters: ["buffer", "i32"], result: "i32", optional: true },
  /** `int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize)` → bytes. */
  proc_pidinfo: { parameters: ["i32", "i32", "u64", "buffer", "i32"], result: "i32", optional: true },
  /** `int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize)` → bytes. */
  proc_pidfdinfo: { parameters: ["i32", "i32", "i32", "buffer", "i32"], result: "i32", optional: true },
  /** `int proc_pidpath(int pid, void *buffer, uint32_t buffersize)` → path length, 0 on error. */
  proc_pidpath: { parameters: ["i32", "buffer", "u32"], result: "i32", optional: true },
  /** `int proc_pid_rusage(int pid, int flavor, rusage_info_t *buffer)` → 0 on success. */
  proc_pid_rusage: { parameters: ["i32", "i32", "buffer"], result: "i32", optional: true },
  /** `int sysctl(int *name, u_int namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen)`. */
  sysctl: {
    parameters: ["buffer", "u32", "buffer", "buffer", "usize", "usize"],
    result: "i32",
    optional: true,
  },
  /** `int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)`. */
  sysctlbyname: {
    parameters: ["buffer", "buffer", "buffer", "usize", "usize"],
    result: "i32",
    optional: true,
  },
  /** `kern_return_t mach_timebase_info(mach_timebase_info_t info)`. */
  mach_timebase_info: { parameters: ["buffer"], result: "i32", optional: true },
  /** `mach_port_t mach_host_self(void)` — one send right, taken once per source. */
  mach_host_self: { parameters: [], result: "u32", optional: true },
  /**
   * `kern_return_t host_statistics64(host_t host, host_flavor_t flavor, host_info64_t info,
   * mach_msg_type_number_t *count)`.
   */
  host_statistics64: { parameters: ["u32", "i32", "buffer", "buffer"], result: "i32", optional: true },
  /** `long sysconf(int name)`. */
  sysconf: { parameters: ["i32"], result: "i64", optional: true },
  /** `mach_port_t mach_task_self_` — the global that the `mach_task_self()` macro reads. */
  mach_task_self_: { type: "u32", optional: true },
  /** `kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)`. */
  mach_port_deallocate: { parameters: ["u32", "u32"], result: "i32", optional: true },
} as const;

/** The opened libSystem, as {@linkcode DARWIN_SYMBOLS} describes it. */
export type DarwinLibrary = Deno.DynamicLibrary<typeof DARWIN_SYMBOLS>;

/** `proc_pidinfo` flavor: array of `struct proc_fdinfo`. */
export const PROC_PIDLISTFDS = 1;
/** `proc_pidinfo` flavor: `struct proc_taskallinfo` (needs the task port: same user or root). */
export const PROC_PIDTASKALLINFO = 2;
/** `proc_pidinfo` flavor: `struct proc_bsdinfo` alone (works for other users' processes too). */
export const PROC_PIDTBSDINFO = 3;
/** `proc_pidinfo` flavor: `struct proc_vnodepathinfo` (cwd and root directory). */
export const PROC_PIDVNODEPATHINFO = 9;
/** `proc_pidfdinfo` flavor: `struct vnode_fdinfowithpath`. */
export const PROC_PIDFDVNODEPATHINFO = 2;
/** `PROC_PIDPATHINFO_MAXSIZE` = 4 * MAXPATHLEN. */
export const PROC_PIDPATHINFO_MAXSIZE = 4096;
/** `proc_pid_rusage` flavor for `struct rusage_info_v2` (the first with disk I/O bytes). */
export const RUSAGE_INFO_V2 = 2;
/** `CTL_KERN` top-level sysctl identifier. */
export const CTL_KERN = 1;
/** `KERN_PROCARGS2`: argc, exec path, argv and environment of a process. */
export const KERN_PROCARGS2 = 49;
/** `host_statistics64` flavor for `vm_statistics64_data_t`. */
export const HOST_VM_INFO64 = 4;
/** `HOST_VM_INFO64_COUNT` = sizeof(vm_statistics64_data_t) / sizeof(integer_t) = 152 / 4. */
export const HOST_VM_INFO64_COUNT = 38;
/** `sysconf` name `_SC_CLK_TCK` on macOS. */
export const SC_CLK_TCK = 3;
/** `sysconf` name `_SC_PAGESIZE` on macOS. */
export const SC_PAGESIZE = 29;
