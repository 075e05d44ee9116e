/**
 * Exercises the FFI wrapper of platform/ffi.ts for real on Linux: opens libc with Deno.dlopen through
 * tryDlopen and checks sysconf/getpid against /proc/self/auxv and Deno.pid, so the wrapper the
 * macOS, Windows and FreeBSD sources rely on runs on every Linux test run too.
 */

import assert from "node:assert/strict";
import {
  bufferAddress,
  cString,
  encodeCString,
  foreignMemory,
  growBuffer,
  MEMORY_SYMBOLS,
  pickEnv,
  readCStringArray,
  sortedCapped,
  tryDlopen,
  utf16,
} from "../../platform/ffi.ts";
import { Notices } from "../../platform/notices.ts";

const onLinux = Deno.build.os === "linux";
if (!onLinux) {
  console.log(`ffi_libc_test: libc checks skipped — they need glibc's libc.so.6 (OS: ${Deno.build.os})`);
}

const LIBC = {
  sysconf: { parameters: ["i32"], result: "i64", optional: true },
  getpid: { parameters: [], result: "i32", optional: true },
  open: { parameters: ["buffer", "i32"], result: "i32", optional: true },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize", optional: true },
  close: { parameters: ["i32"], result: "i32", optional: true },
  agtop_no_such_symbol: { parameters: [], result: "void", optional: true },
  ...MEMORY_SYMBOLS,
} as const;

const SC_CLK_TCK = 2;
const SC_PAGESIZE = 30;
const AT_PAGESZ = 6n;
const AT_CLKTCK = 17n;

/** Reads /proc/self/auxv with libc open/read (Deno's own file API needs --allow-all under /proc). */
function readAuxv(libc: Deno.DynamicLibrary<typeof LIBC>): Uint8Array {
  const { open, read, close } = libc.symbols;
  assert.ok(open && read && close);
  const fd = open(encodeCString("/proc/self/auxv"), 0);
  assert.ok(fd >= 0, "open /proc/self/auxv");
  try {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const chunk = new Uint8Array(4096);
      const n = Number(read(fd, chunk, BigInt(chunk.length)));
      if (n <= 0) break;
      chunks.push(chunk.subarray(0, n));
    }
    const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    close(fd);
  }
}

/** Parses auxv: (u64 type, u64 value) pairs on 64-bit Linux, ending at AT_NULL. */
function parseAuxv(bytes: Uint8Array): Map<bigint, bigint> {
  const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = new Map<bigint, bigint>();
  for (let at = 0; at + 16 <= bytes.length; at += 16) {
    const type = d.getBigUint64(at, true);
    if (type === 0n) break;
    entries.set(type, d.getBigUint64(at + 8, true));
  }
  return entries;
}

Deno.test({
  name: "tryDlopen opens libc: sysconf and getpid agree with auxv and Deno.pid",
  ignore: !onLinux,
  fn() {
    const notices = new Notices();
    const libc = tryDlopen("libc.so.6", LIBC, notices);
    assert.ok(libc, notices.list().join("; "));
    try {
      const { sysconf, getpid } = libc.symbols;
      assert.ok(sysconf && getpid);
      const auxv = parseAuxv(readAuxv(libc));
      assert.equal(sysconf(SC_CLK_TCK), auxv.get(AT_CLKTCK));
      assert.equal(sysconf(SC_PAGESIZE), auxv.get(AT_PAGESZ));
      assert.equal(getpid(), Deno.pid);
      assert.equal(libc.symbols.agtop_no_such_symbol, null);
      assert.deepEqual(notices.list(), ["libc.so.6 lacks agtop_no_such_symbol; fewer fields"]);
    } finally {
      libc.close();
    }
  },
});

Deno.test("tryDlopen returns null with one notice for a missing library, never throws", () => {
  const notices = new Notices();
  assert.equal(tryDlopen("/nonexistent/libagtop-missing.so", LIBC, notices), null);
  assert.equal(notices.list().length, 1);
  assert.match(notices.list()[0], /^cannot open \/nonexistent\/libagtop-missing\.so: /);
  assert.equal(tryDlopen("/nonexistent/libagtop-missing.so", LIBC, notices), null);
  assert.equal(notices.list().length, 1, "the same notice is recorded once");
});

Deno.test({
  name: "foreignMemory and bufferAddress read real memory through libc memcpy/strnlen",
  ignore: !onLinux,
  fn() {
    const libc = tryDlopen("libc.so.6", LIBC, new Notices());
    assert.ok(libc);
    try {
      const memory = foreignMemory(libc.symbols);
      assert.ok(memory);
      // Buffers above V8's on-heap limit (64 bytes) have stable addresses.
      const hello = new Uint8Array(128);
      hello.set(new TextEncoder().encode("hello\0"));
      const bad = new Uint8Array(128);
      bad.set([0x61, 0xff, 0x62, 0]);
      const array = new BigUint64Array(16);
      array.set([bufferAddress(libc.symbols, hello), bufferAddress(libc.symbols, bad), 0n]);
      const helloAt = array[0];
      const arrayAt = bufferAddress(libc.symbols, new Uint8Array(array.buffer));
      assert.notEqual(helloAt, 0n);
      assert.deepEqual(memory.bytes(helloAt, 5), new TextEncoder().encode("hello"));
      assert.equal(memory.cString(helloAt, 64), "hello");
      assert.equal(memory.cString(helloAt, 3), "hel");
      assert.equal(memory.cString(array[1], 64), "a\ufffdb");
      assert.equal(memory.bytes(0n, 4), null);
      assert.equal(memory.cString(0n, 4), null);
      assert.deepEqual(readCStringArray(memory, arrayAt, 16, 64), ["hello", "a\ufffdb"]);
      assert.deepEqual(readCStringArray(memory, arrayAt, 1, 64), ["hello"]);
      assert.deepEqual(readCStringArray(memory, 0n, 16, 64), []);
      assert.equal(bufferAddress({ memcpyAddress: null }, hello), 0n);
      assert.equal(foreignMemory({ memcpyFrom: null, memcpyAddress: null, strnlen: null }), null);
    } finally {
      libc.close();
    }
  },
});

/** glibc's absolute path here, for a grant scoped to it (a bare name does not match a scoped grant). */
const LIBC_ABSOLUTE = onLinux
  ? [
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/lib/aarch64-linux-gnu/libc.so.6",
    "/usr/lib/aarch64-linux-gnu/libc.so.6",
    "/lib64/libc.so.6",
    "/usr/lib64/libc.so.6",
    "/usr/lib/libc.so.6",
  ].find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  })
  : undefined;
if (onLinux && LIBC_ABSOLUTE === undefined) {
  console.log("ffi_libc_test: scoped-grant check skipped — no libc.so.6 found");
}

Deno.test({
  name: "the memory helpers work under --allow-ffi scoped to the library, where Deno's pointer API does not",
  ignore: LIBC_ABSOLUTE === undefined,
  async fn() {
    const script = await Deno.makeTempFile({ suffix: ".ts" });
    try {
      await Deno.writeTextFile(
        script,
        `import { bufferAddress, foreignMemory, MEMORY_SYMBOLS, readCStringArray, tryDlopen } from ${
          JSON.stringify(new URL("../../platform/ffi.ts", import.meta.url).href)
        };
import { Notices } from ${JSON.stringify(new URL("../../platform/notices.ts", import.meta.url).href)};
const lib = tryDlopen(${JSON.stringify(LIBC_ABSOLUTE)}, MEMORY_SYMBOLS, new Notices());
const memory = lib && foreignMemory(lib.symbols);
const text = new Uint8Array(128);
text.set(new TextEncoder().encode("scoped\\0"));
const array = new BigUint64Array(16);
array[0] = bufferAddress(lib!.symbols, text);
let pointerApi = "allowed";
try { Deno.UnsafePointer.of(text); } catch (e) { pointerApi = (e as Error).name; }
console.log(JSON.stringify({
  argv: readCStringArray(memory!, bufferAddress(lib!.symbols, new Uint8Array(array.buffer)), 4, 64),
  pointerApi,
}));`,
      );
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-lock", "--no-config", `--allow-ffi=${LIBC_ABSOLUTE}`, script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 0, stderr);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), {
        argv: ["scoped"],
        pointerApi: "NotCapable",
      });
    } finally {
      await Deno.remove(script);
    }
  },
});

Deno.test("growBuffer grows to what the OS asks, doubles when it does not say, and caps", () => {
  const sizes: number[] = [];
  const value = growBuffer(16, 1024, (buf) => {
    sizes.push(buf.length);
    return buf.length < 100 ? { need: 100 } : { value: "ok" };
  });
  assert.equal(value, "ok");
  assert.deepEqual(sizes, [16, 100]);

  sizes.length = 0;
  assert.equal(growBuffer(16, 100, (buf) => (sizes.push(buf.length), { need: 0 })), null);
  assert.deepEqual(sizes, [16, 32, 64, 100], "doubles, then one try at the cap, then gives up");

  sizes.length = 0;
  assert.equal(growBuffer(16, 1 << 16, (buf) => (sizes.push(buf.length), { need: 2 ** 40 })), null);
  assert.deepEqual(sizes, [16, 1 << 16], "a runaway size query is clamped to the cap");

  assert.equal(growBuffer(16, 64, () => null), null);
  assert.equal(growBuffer(1e9, 64, (buf) => ({ value: buf.length })), 64, "initial size is capped too");
});

Deno.test("cString and utf16 stay inside the buffer and never throw", () => {
  const bytes = new Uint8Array([0x68, 0x69, 0, 0x78, 0x79]);
  assert.equal(cString(bytes), "hi");
  assert.equal(cString(bytes, 3), "xy", "unterminated string ends at the buffer end");
  assert.equal(cString(bytes, 3, 1), "x");
  assert.equal(cString(bytes, 99), "");
  assert.equal(cString(bytes, -1), "");
  assert.equal(cString(new Uint8Array([0xc3, 0x28, 0])), "\ufffd(");
  const wide = new Uint8Array([0x68, 0, 0x69, 0, 0x21]);
  assert.equal(utf16(wide, 0, 4), "hi");
  assert.equal(utf16(wide, 0, 5), "hi", "an odd trailing byte is dropped");
  assert.equal(utf16(wide, 0, 1000), "hi");
  assert.equal(utf16(wide, 10, 2), "");
  assert.deepEqual(encodeCString("ab"), new Uint8Array([0x61, 0x62, 0]));
});

Deno.test("pickEnv, sortedCapped and Notices", () => {
  assert.deepEqual(pickEnv(["A=1", "B=x=y", "A=2", "=bad", "noeq"], ["A", "B", "C"]), { A: "1", B: "x=y" });
  assert.deepEqual(pickEnv(["A=1"], []), {});
  assert.deepEqual(pickEnv(["Path=C:\\bin", "PATH=late", "=C:=C:\\"], ["PATH", "ComSpec"], true), {
    PATH: "C:\\bin",
  });
  assert.deepEqual(pickEnv(["Path=C:\\bin"], ["PATH"]), {}, "case-sensitive by default");
  assert.deepEqual(sortedCapped(["/b", "/a", "/b", "/c"], 2), ["/a", "/b"]);
  assert.deepEqual(sortedCapped(["/a"], 0), []);
  const notices = new Notices();
  for (let i = 0; i < 100; i++) notices.add(`line ${i}`);
  notices.failure("list", new Error("boom\nsecond line"));
  assert.equal(notices.list().length, 64, "capped");
  const fresh = new Notices();
  fresh.failure("list", new Error("boom\nsecond line"));
  assert.deepEqual(fresh.list(), ["list failed: boom"]);
});
