/**
 * Decoders of platform/freebsd/decode.ts against hand-built buffers and a fake address space.
 * Offsets below are written out from freebsd/freebsd-src `sys/sys/user.h` (struct kinfo_proc,
 * KINFO_PROC_SIZE 1088 on LP64) and `lib/libprocstat/libprocstat.h` (struct filestat, struct vnstat),
 * independently of the decoder's constants.
 */

import assert from "node:assert/strict";
import { type MemoryReader, pickEnv, readCStringArray } from "../../../platform/ffi.ts";
import {
  cwdOf,
  decodeFilestat,
  decodeKinfoProc,
  decodeSysctlInt,
  decodeTimevalMs,
  decodeVnstatType,
  type Filestat,
  freebsdProcessInfo,
  freebsdState,
  isWritableVnode,
  walkFilestats,
} from "../../../platform/freebsd/decode.ts";
import { FreeBsdProcessSource } from "../../../platform/freebsd/source.ts";
import { Struct } from "../../support/bytes.ts";

/** A fake address space: regions of bytes at given addresses. */
class FakeMemory implements MemoryReader {
  readonly #regions = new Map<bigint, Uint8Array>();
  map(address: bigint, bytes: Uint8Array): bigint {
    this.#regions.set(address, bytes);
    return address;
  }
  #find(address: bigint): [Uint8Array, number] | null {
    for (const [start, bytes] of this.#regions) {
      if (address >= start && address < start + BigInt(bytes.length)) return [bytes, Number(address - start)];
    }
    return null;
  }
  bytes(address: bigint, length: number): Uint8Array | null {
    const hit = this.#find(address);
    if (hit === null || hit[1] + length > hit[0].length) return null;
    return hit[0].slice(hit[1], hit[1] + length);
  }
  cString(address: bigint, maxLength: number): string | null {
    const hit = this.#find(address);
    if (hit === null) return null;
    const [bytes, at] = hit;
    let end = bytes.indexOf(0, at);
    if (end < 0) end = bytes.length;
    return new TextDecoder().decode(bytes.subarray(at, Math.min(end, at + maxLength)));
  }
}

/** struct kinfo_proc (1088 bytes on LP64) with the fields agtop reads. */
function kinfoProc(pid: number, comm: string | Uint8Array, stat: number, tdflags = 0): Struct {
  return new Struct(1088)
    .i32(0, 1088) // ki_structsize
    .i32(72, pid) // ki_pid
    .i32(76, 1) // ki_ppid
    .i32(168, 0) // ki_uid (effective)
    .i32(172, 1001) // ki_ruid
    .i64(264, 2560) // ki_rssize (pages)
    .u64(328, 2_500_000) // ki_runtime (µs)
    .i64(336, 1_700_000_000) // ki_start.tv_sec
    .i64(344, 654_321) // ki_start.tv_usec
    .i8(388, stat) // ki_stat
    .text(447, comm) // ki_comm[20]
    .i32(596, 7) // ki_numthreads
    .i64(1080, tdflags); // ki_tdflags
}

Deno.test("kinfo_proc array decodes per 1088-byte stride into ProcessInfo", () => {
  const array = new Uint8Array(2 * 1088);
  array.set(kinfoProc(100, "sh", 3, 0x8).bytes, 0);
  array.set(kinfoProc(4242, "claude", 2).bytes, 1088);
  const first = decodeKinfoProc(array, 0);
  const second = decodeKinfoProc(array, 1088);
  assert.deepEqual(first, {
    pid: 100,
    ppid: 1,
    ruid: 1001,
    rssPages: 2560,
    runtimeUs: 2_500_000,
    startSec: 1_700_000_000,
    startUsec: 654_321,
    stat: 3,
    comm: "sh",
    threads: 7,
    tdflags: 8,
  });
  assert.ok(second);
  assert.deepEqual(freebsdProcessInfo(second, "/usr/local/bin/claude", ["claude"], 4096), {
    pid: 4242,
    ppid: 1,
    name: "claude",
    exe: "/usr/local/bin/claude",
    argv: ["claude"],
    state: "running",
    threads: 7,
    startedAt: 1_700_000_000_654,
    startId: 1_700_000_000_654_321,
    cpuTimeMs: 2500,
    rssBytes: 2560 * 4096,
    uid: 1001,
  });
});

Deno.test("kinfo_proc: truncated, foreign layout and odd names never throw", () => {
  const bytes = kinfoProc(7, "x", 2).bytes;
  assert.equal(decodeKinfoProc(bytes.subarray(0, 1087)), null);
  assert.equal(decodeKinfoProc(bytes, 1), null);
  assert.equal(decodeKinfoProc(new Struct(1088).i32(0, 768).bytes), null, "i386 layout");
  assert.equal(decodeKinfoProc(kinfoProc(7, new Uint8Array([0x61, 0xff, 0x62]), 2).bytes)?.comm, "a\ufffdb");
  const full = "n".repeat(20); // COMMLEN + 1 bytes with no NUL: bounded by the field
  assert.equal(decodeKinfoProc(kinfoProc(7, full, 2).bytes)?.comm, full);
});

Deno.test("freebsdState follows ps: stat plus TDF_SINTR", () => {
  assert.equal(freebsdState(1, 0), "running");
  assert.equal(freebsdState(2, 0), "running");
  assert.equal(freebsdState(3, 0x8), "sleeping");
  assert.equal(freebsdState(3, 0), "disk-sleep");
  assert.equal(freebsdState(4, 0), "stopped");
  assert.equal(freebsdState(5, 0), "zombie");
  assert.equal(freebsdState(6, 0), "idle");
  assert.equal(freebsdState(7, 0), "disk-sleep");
  assert.equal(freebsdState(0, 0), "unknown");
});

/** struct filestat (72 bytes) at `address` in `memory`, pointing at `next`. */
function filestat(
  memory: FakeMemory,
  address: bigint,
  f: { type: number; fflags: number; uflags: number; fd: number; path: bigint; next: bigint },
): void {
  memory.map(
    address,
    new Struct(72)
      .i32(0, f.type) // fs_type
      .i32(4, 0) // fs_flags
      .i32(8, f.fflags) // fs_fflags
      .i32(12, f.uflags) // fs_uflags
      .i32(16, f.fd) // fs_fd
      .i32(20, 1) // fs_ref_count
      .i64(24, 0) // fs_offset
      .u64(32, 0xdead_0000n) // fs_typedep
      .u64(40, f.path) // fs_path
      .u64(48, f.next) // next.stqe_next
      .bytes,
  );
}

function fileList(): { memory: FakeMemory; head: bigint } {
  const memory = new FakeMemory();
  const text = (address: bigint, value: string | Uint8Array) =>
    memory.map(address, new Struct(64).text(0, value).bytes);
  text(0x9000n, "/home/me/project");
  text(0x9100n, "/home/me/project/log.txt");
  text(0x9200n, "/etc/passwd");
  text(0x9300n, new Uint8Array([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0xe9])); // "/tmp/" + latin-1 é
  text(0x9400n, "/dev/null");
  const VNODE = 1, PIPE = 4, READ = 1, WRITE = 2, CDIR = 2, TEXT = 0x10;
  filestat(memory, 0x1000n, { type: VNODE, fflags: READ, uflags: TEXT, fd: -1, path: 0n, next: 0x1100n });
  filestat(memory, 0x1100n, {
    type: VNODE,
    fflags: READ,
    uflags: CDIR,
    fd: -1,
    path: 0x9000n,
    next: 0x1200n,
  });
  filestat(memory, 0x1200n, {
    type: VNODE,
    fflags: READ | WRITE,
    uflags: 0,
    fd: 3,
    path: 0x9100n,
    next: 0x1300n,
  });
  filestat(memory, 0x1300n, { type: VNODE, fflags: READ, uflags: 0, fd: 4, path: 0x9200n, next: 0x1400n });
  filestat(memory, 0x1400n, { type: PIPE, fflags: WRITE, uflags: 0, fd: 5, path: 0n, next: 0x1500n });
  filestat(memory, 0x1500n, { type: VNODE, fflags: WRITE, uflags: 0, fd: 6, path: 0x9300n, next: 0x1600n });
  filestat(memory, 0x1600n, { type: VNODE, fflags: WRITE, uflags: 0, fd: 7, path: 0x9400n, next: 0n });
  const head = memory.map(0x500n, new Struct(16).u64(0, 0x1000n).u64(8, 0x1648n).bytes); // STAILQ_HEAD
  return { memory, head };
}

Deno.test("filestat_list STAILQ traversal: cwd, writable vnodes, paths with bad bytes", () => {
  const { memory, head } = fileList();
  const files = walkFilestats(memory, head, 100);
  assert.deepEqual(files.map((f) => [f.address, f.fd, f.path]), [
    [0x1000n, -1, null],
    [0x1100n, -1, "/home/me/project"],
    [0x1200n, 3, "/home/me/project/log.txt"],
    [0x1300n, 4, "/etc/passwd"],
    [0x1400n, 5, null],
    [0x1500n, 6, "/tmp/\ufffd"],
    [0x1600n, 7, "/dev/null"],
  ]);
  assert.equal(cwdOf(files), "/home/me/project");
  assert.deepEqual(files.filter(isWritableVnode).map((f) => f.path), [
    "/home/me/project/log.txt",
    "/tmp/\ufffd",
  ]);
  assert.deepEqual(walkFilestats(memory, head, 2).length, 2, "capped");
});

Deno.test("filestat_list traversal stops at cycles, unreadable nodes and empty lists", () => {
  const { memory, head } = fileList();
  filestat(memory, 0x1300n, { type: 1, fflags: 2, uflags: 0, fd: 4, path: 0n, next: 0x1100n }); // cycle
  assert.deepEqual(walkFilestats(memory, head, 100).map((f) => f.address), [
    0x1000n,
    0x1100n,
    0x1200n,
    0x1300n,
  ]);
  filestat(memory, 0x1300n, { type: 1, fflags: 2, uflags: 0, fd: 4, path: 0n, next: 0xbad0n }); // unmapped
  assert.equal(walkFilestats(memory, head, 100).length, 4);
  memory.map(0x600n, new Uint8Array(16));
  assert.deepEqual(walkFilestats(memory, 0x600n, 100), [], "stqh_first == NULL");
  assert.deepEqual(walkFilestats(memory, 0x7777n, 100), [], "unreadable head");
  assert.equal(decodeFilestat(new Uint8Array(71)), null);
  assert.equal(cwdOf([]), null);
});

Deno.test("procstat argv/envv: NULL-terminated char** read through memory", () => {
  const memory = new FakeMemory();
  memory.map(0x2000n, new Struct(8).text(0, "node\0").bytes);
  memory.map(0x2100n, new Struct(8).text(0, new Uint8Array([0x63, 0xff, 0x6c, 0x69, 0])).bytes);
  memory.map(0x2200n, new Struct(32).text(0, "ANTHROPIC_MODEL=opus\0").bytes);
  memory.map(0x3000n, new Struct(32).u64(0, 0x2000n).u64(8, 0x2100n).u64(16, 0x2200n).u64(24, 0n).bytes);
  const strings = readCStringArray(memory, 0x3000n, 100, 4096);
  assert.deepEqual(strings, ["node", "c\ufffdli", "ANTHROPIC_MODEL=opus"]);
  assert.deepEqual(pickEnv(strings, ["ANTHROPIC_MODEL"]), { ANTHROPIC_MODEL: "opus" });
  memory.map(0x4000n, new Struct(12).u64(0, 0x2000n).bytes); // array runs off its mapping
  assert.deepEqual(readCStringArray(memory, 0x4000n, 100, 4096), ["node"]);
});

Deno.test("vnstat type, timeval and sysctl integers", () => {
  const vn = new Struct(304).u64(0, 77).u64(8, 1234).u64(32, 0x5000n).i32(40, 2).bytes; // vn_type VREG
  assert.equal(decodeVnstatType(vn), 2);
  assert.equal(decodeVnstatType(vn.subarray(0, 43)), null);
  assert.equal(
    decodeTimevalMs(new Struct(16).i64(0, 1_700_000_000).i64(8, 500_000).bytes),
    1_700_000_000_500,
  );
  assert.equal(decodeTimevalMs(new Uint8Array(8)), null);
  assert.equal(decodeSysctlInt(new Struct(8).i32(0, 4).bytes, 4), 4);
  assert.equal(decodeSysctlInt(new Struct(8).u64(0, 8n << 30n).bytes, 8), 8 * 2 ** 30);
  assert.equal(decodeSysctlInt(new Uint8Array(2), 4), null);
});

Deno.test("isWritableVnode needs a vnode, write access, a descriptor and a path outside /dev", () => {
  const base: Filestat = { address: 1n, type: 1, fflags: 2, uflags: 0, fd: 3, path: "/var/log/x" };
  assert.equal(isWritableVnode(base), true);
  assert.equal(isWritableVnode({ ...base, type: 3 }), false);
  assert.equal(isWritableVnode({ ...base, fflags: 1 }), false);
  assert.equal(isWritableVnode({ ...base, fd: -1 }), false);
  assert.equal(isWritableVnode({ ...base, path: null }), false);
  assert.equal(isWritableVnode({ ...base, path: "/dev/ttyv0" }), false);
  assert.equal(isWritableVnode({ ...base, path: "relative" }), false);
});

Deno.test("FreeBsdProcessSource without libprocstat/libc degrades to empty results and notices", () => {
  using source = new FreeBsdProcessSource({
    libprocstat: "/nonexistent/libprocstat.so.1",
    libc: "/nonexistent/libc.so.7",
  });
  assert.deepEqual(source.list(), []);
  assert.deepEqual(source.details(Deno.pid, ["HOME"]), {
    cwd: null,
    env: {},
    readBytes: null,
    writeBytes: null,
  });
  assert.deepEqual(source.writingFiles(Deno.pid), []);
  const facts = source.system();
  assert.equal(facts.pageSize, 4096);
  assert.ok(facts.cpuCount >= 1);
  assert.equal(source.notices().length, 2);
});
