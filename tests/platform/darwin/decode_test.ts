/**
 * Decoders of platform/darwin/decode.ts against hand-built buffers. Offsets below are written out
 * from apple-oss-distributions/xnu `bsd/sys/proc_info.h`, `bsd/sys/resource.h` and
 * `osfmk/mach/vm_statistics.h`, independently of the constants in the decoder.
 */

import assert from "node:assert/strict";
import {
  darwinProcessInfo,
  darwinState,
  decodeBsdInfo,
  decodeFdList,
  decodePids,
  decodeProcArgs2,
  decodeRusageV2,
  decodeSysctlInt,
  decodeTaskAllInfo,
  decodeTimebase,
  decodeTimevalMs,
  decodeVmStatistics64,
  decodeVnodeFdInfo,
  decodeVnodePathInfo,
  machToMs,
  writablePath,
} from "../../../platform/darwin/decode.ts";
import { DarwinProcessSource } from "../../../platform/darwin/source.ts";
import { Struct } from "../../support/bytes.ts";

const encoder = new TextEncoder();

/** struct proc_taskallinfo: proc_bsdinfo (136) + proc_taskinfo (96). */
function taskAllInfo(): Struct {
  return new Struct(232)
    .u32(4, 2) // pbi_status SRUN
    .u32(12, 4242) // pbi_pid
    .u32(16, 1) // pbi_ppid
    .u32(20, 0) // pbi_uid (effective)
    .u32(28, 501) // pbi_ruid
    .text(48, "claude") // pbi_comm[16]
    .text(64, "claude-code-agent") // pbi_name[32]
    .u64(120, 1_700_000_000) // pbi_start_tvsec
    .u64(128, 250_000) // pbi_start_tvusec
    .u64(136 + 8, 180_000_000) // pti_resident_size
    .u64(136 + 16, 18_000_000) // pti_total_user (Mach units)
    .u64(136 + 24, 6_000_000) // pti_total_system
    .i32(136 + 84, 12) // pti_threadnum
    .i32(136 + 88, 0); // pti_numrunning
}

Deno.test("proc_taskallinfo decodes BSD and task parts into a ProcessInfo", () => {
  const all = decodeTaskAllInfo(taskAllInfo().bytes);
  assert.ok(all);
  assert.deepEqual(all.bsd, {
    pid: 4242,
    ppid: 1,
    status: 2,
    ruid: 501,
    comm: "claude",
    name: "claude-code-agent",
    startSec: 1_700_000_000,
    startUsec: 250_000,
  });
  assert.deepEqual(all.task, {
    residentBytes: 180_000_000,
    totalUser: 18_000_000,
    totalSystem: 6_000_000,
    threads: 12,
    runningThreads: 0,
  });
  // Apple silicon timebase 125/3: 24e6 ticks = 1e9 ns = 1000 ms.
  const info = darwinProcessInfo(all, "/usr/local/bin/claude", ["claude", "-p"], { numer: 125, denom: 3 });
  assert.deepEqual(info, {
    pid: 4242,
    ppid: 1,
    name: "claude-code-agent",
    exe: "/usr/local/bin/claude",
    argv: ["claude", "-p"],
    state: "sleeping",
    threads: 12,
    startedAt: 1_700_000_000_250,
    startId: 1_700_000_000_250_000,
    cpuTimeMs: 1000,
    rssBytes: 180_000_000,
    uid: 501,
  });
});

Deno.test("proc_taskallinfo truncated: BSD part alone, or null; name falls back to comm", () => {
  const full = taskAllInfo().text(64, new Uint8Array(32)).bytes; // no registered name
  assert.equal(decodeTaskAllInfo(full.subarray(0, 135)), null);
  assert.equal(decodeTaskAllInfo(new Uint8Array(0)), null);
  const bsdOnly = decodeTaskAllInfo(full.subarray(0, 136));
  assert.ok(bsdOnly);
  assert.equal(bsdOnly.task, null);
  assert.equal(decodeTaskAllInfo(full.subarray(0, 231))?.task, null);
  const info = darwinProcessInfo(bsdOnly, null, [], { numer: 1, denom: 1 });
  assert.equal(info.name, "claude");
  assert.equal(info.state, "running", "SRUN with unknown running threads stays running");
  assert.deepEqual([info.cpuTimeMs, info.rssBytes, info.threads], [0, 0, 0]);
});

Deno.test("proc_bsdinfo with non-UTF-8 comm decodes with replacement characters", () => {
  const bytes = new Struct(136).text(48, new Uint8Array([0x6e, 0xff, 0xfe, 0x64])).bytes;
  assert.equal(decodeBsdInfo(bytes)?.comm, "n\ufffd\ufffdd");
  const full16 = new Struct(136).text(48, "abcdefghijklmnop").text(64, "NAME").bytes;
  assert.equal(decodeBsdInfo(full16)?.comm, "abcdefghijklmnop", "comm without NUL stops at 16 bytes");
});

Deno.test("darwinState maps p_stat and running-thread counts", () => {
  assert.equal(darwinState(2, 3), "running");
  assert.equal(darwinState(2, 0), "sleeping");
  assert.equal(darwinState(2, null), "running");
  assert.equal(darwinState(3, null), "sleeping");
  assert.equal(darwinState(4, 0), "stopped");
  assert.equal(darwinState(5, null), "zombie");
  assert.equal(darwinState(1, null), "unknown");
  assert.equal(darwinState(99, null), "unknown");
});

Deno.test("mach timebase and conversion", () => {
  assert.deepEqual(decodeTimebase(new Struct(8).u32(0, 125).u32(4, 3).bytes), { numer: 125, denom: 3 });
  assert.equal(decodeTimebase(new Struct(8).u32(0, 1).bytes), null, "denom 0");
  assert.equal(decodeTimebase(new Uint8Array(7)), null);
  assert.equal(machToMs(2_000_000, { numer: 1, denom: 1 }), 2);
});

Deno.test("pid list and fd list decode, clamped to the buffer", () => {
  const pids = new Struct(16).i32(0, 0).i32(4, 1).i32(8, 4242).i32(12, -1).bytes;
  assert.deepEqual(decodePids(pids, 4), [0, 1, 4242], "negative entries are dropped");
  assert.deepEqual(decodePids(pids, 100), [0, 1, 4242]);
  assert.deepEqual(decodePids(pids.subarray(0, 6), 4), [0]);
  const fds = new Struct(20).i32(0, 0).u32(4, 1).i32(8, 5).u32(12, 2).i32(16, 9).bytes;
  assert.deepEqual(decodeFdList(fds, 20), [{ fd: 0, type: 1 }, { fd: 5, type: 2 }], "partial entry ignored");
  assert.deepEqual(decodeFdList(fds, 8), [{ fd: 0, type: 1 }]);
  assert.deepEqual(decodeFdList(fds, 0), []);
});

/** struct vnode_fdinfowithpath: proc_fileinfo (24) + vnode_info (152) + vip_path[1024]. */
function vnodeFd(openFlags: number, vtype: number, nlink: number, path: string | Uint8Array): Struct {
  return new Struct(1200)
    .u32(0, openFlags) // fi_openflags
    .u16(24 + 6, nlink) // vi_stat.vst_nlink
    .i32(24 + 136, vtype) // vi_type
    .text(24 + 152, path); // vip_path
}

Deno.test("vnode_fdinfowithpath: writable regular linked files only", () => {
  const FREAD = 1, FWRITE = 2, VREG = 1, VDIR = 2, VCHR = 4;
  const rw = decodeVnodeFdInfo(vnodeFd(FREAD | FWRITE, VREG, 1, "/Users/me/notes.md").bytes);
  assert.deepEqual(rw, { openFlags: 3, vnodeType: 1, links: 1, path: "/Users/me/notes.md" });
  assert.equal(writablePath(rw), "/Users/me/notes.md");
  const cases: [number, number, number, string][] = [
    [FREAD, VREG, 1, "/Users/me/read-only"],
    [FWRITE, VDIR, 1, "/Users/me"],
    [FWRITE, VCHR, 1, "/dev/ttys001"],
    [FWRITE, VREG, 0, "/private/tmp/deleted"],
    [FWRITE, VREG, 1, "/dev/fd-like-regular"],
    [FWRITE, VREG, 1, ""],
  ];
  for (const [flags, type, links, path] of cases) {
    const info = decodeVnodeFdInfo(vnodeFd(flags, type, links, path).bytes);
    assert.ok(info);
    assert.equal(writablePath(info), null, path);
  }
  assert.equal(decodeVnodeFdInfo(vnodeFd(FWRITE, VREG, 1, "/x").bytes.subarray(0, 176)), null);
  const short = decodeVnodeFdInfo(vnodeFd(FWRITE, VREG, 1, "/tmp/abc").bytes.subarray(0, 176 + 4));
  assert.equal(short?.path, "/tmp", "path truncated with the buffer, no throw");
});

Deno.test("vnode path with non-UTF-8 bytes decodes with replacement; a full 1024-byte path is bounded", () => {
  const raw = new Uint8Array([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0xe9, 0x74, 0xe9]); // "/tmp/" + latin-1 "été"
  const info = decodeVnodeFdInfo(vnodeFd(2, 1, 1, raw).bytes);
  assert.equal(info?.path, "/tmp/\ufffdt\ufffd");
  const long = "/" + "a".repeat(1023);
  assert.equal(decodeVnodeFdInfo(vnodeFd(2, 1, 1, long).bytes)?.path, long);
});

Deno.test("proc_vnodepathinfo: cwd is pvi_cdir.vip_path at 152", () => {
  const bytes = new Struct(2352).text(152, "/Users/me/project").text(1176 + 152, "/").bytes;
  assert.equal(decodeVnodePathInfo(bytes), "/Users/me/project");
  assert.equal(decodeVnodePathInfo(new Uint8Array(2352)), null, "empty path");
  assert.equal(decodeVnodePathInfo(bytes.subarray(0, 100)), null);
});

Deno.test("rusage_info_v2: disk I/O bytes at 144 and 152", () => {
  const bytes = new Struct(160).u64(16, 999).u64(144, 1 << 20).u64(152, 12345).bytes;
  assert.deepEqual(decodeRusageV2(bytes), { readBytes: 1 << 20, writeBytes: 12345 });
  assert.equal(decodeRusageV2(bytes.subarray(0, 159)), null);
});

/** A KERN_PROCARGS2 buffer: argc, exec path, padding, argv, env, empty string, apple strings. */
function procArgs(argc: number, parts: (string | Uint8Array)[]): Uint8Array {
  const head = new Struct(4).i32(0, argc).bytes;
  const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
  const out = new Uint8Array(4 + chunks.reduce((n, c) => n + c.length, 0));
  out.set(head);
  let at = 4;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

Deno.test("KERN_PROCARGS2 with padding NULs, an empty argument, env and apple strings", () => {
  const bytes = procArgs(4, [
    "/usr/local/bin/node\0",
    "\0\0\0\0\0\0\0", // alignment padding after the exec path
    "node\0",
    "/opt/claude/cli.js\0",
    "\0", // an empty argument
    "--verbose\0",
    "HOME=/Users/me\0",
    "ANTHROPIC_MODEL=opus\0",
    "EQ=a=b\0",
    "\0",
    "executable_path=/usr/local/bin/node\0",
    "ptr_munge=\0",
  ]);
  assert.deepEqual(decodeProcArgs2(bytes), {
    execPath: "/usr/local/bin/node",
    argv: ["node", "/opt/claude/cli.js", "", "--verbose"],
    env: ["HOME=/Users/me", "ANTHROPIC_MODEL=opus", "EQ=a=b"],
  });
});

Deno.test("KERN_PROCARGS2 truncated or malformed never throws", () => {
  const bytes = procArgs(2, ["/bin/sleep\0\0\0", "sleep\0", "30\0", "PATH=/bin\0", "TERM=xte"]);
  assert.deepEqual(decodeProcArgs2(bytes), {
    execPath: "/bin/sleep",
    argv: ["sleep", "30"],
    env: ["PATH=/bin"],
  });
  assert.deepEqual(decodeProcArgs2(bytes.subarray(0, 4 + 13 + 3)), {
    execPath: "/bin/sleep",
    argv: [],
    env: [],
  }, "argv cut mid-string");
  assert.deepEqual(decodeProcArgs2(procArgs(9, ["/bin/ls\0\0", "ls\0"])), {
    execPath: "/bin/ls",
    argv: ["ls"],
    env: [],
  }, "argc larger than the strings present");
  assert.equal(decodeProcArgs2(new Uint8Array(3)), null);
  assert.equal(decodeProcArgs2(procArgs(-1, ["/x\0"])), null);
  assert.deepEqual(decodeProcArgs2(procArgs(0, [])), { execPath: "", argv: [], env: [] });
  const latin1 = decodeProcArgs2(procArgs(1, ["/bin/x\0\0", new Uint8Array([0x63, 0xe9, 0]), "K=\xff\0"]));
  assert.deepEqual(latin1?.argv, ["c\ufffd"]);
});

Deno.test("vm_statistics64, kern.boottime timeval and sysctl integers", () => {
  const vm = new Struct(152).u32(0, 1000).u32(4, 2000).u32(8, 3000).u32(12, 400).u32(92, 50).bytes;
  assert.deepEqual(decodeVmStatistics64(vm), {
    free: 1000,
    active: 2000,
    inactive: 3000,
    wired: 400,
    speculative: 50,
  });
  assert.equal(decodeVmStatistics64(vm.subarray(0, 151)), null);
  assert.equal(
    decodeTimevalMs(new Struct(16).i64(0, 1_700_000_000).i32(8, 999_999).bytes),
    1_700_000_000_999,
  );
  assert.equal(decodeTimevalMs(new Uint8Array(15)), null);
  assert.equal(decodeSysctlInt(new Struct(8).i32(0, 10).bytes, 4), 10);
  assert.equal(decodeSysctlInt(new Struct(8).u64(0, 64n << 30n).bytes, 8), 64 * 2 ** 30);
  assert.equal(decodeSysctlInt(new Uint8Array(8), 2), null);
});

Deno.test("DarwinProcessSource without libSystem degrades to empty results and a notice", () => {
  using source = new DarwinProcessSource({ libSystem: "/nonexistent/libSystem.B.dylib" });
  assert.deepEqual(source.list(), []);
  assert.deepEqual(source.details(Deno.pid, ["HOME"]), {
    cwd: null,
    env: {},
    readBytes: null,
    writeBytes: null,
  });
  assert.deepEqual(source.writingFiles(Deno.pid), []);
  const facts = source.system();
  assert.equal(facts.os, Deno.build.os);
  assert.ok(facts.cpuCount >= 1);
  assert.equal(source.notices().length, 1);
  assert.match(source.notices()[0], /cannot open \/nonexistent\/libSystem\.B\.dylib/);
});
