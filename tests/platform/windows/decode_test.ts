/**
 * Decoders of platform/windows/decode.ts against hand-built buffers. Offsets below are written out
 * from phnt `ntexapi.h` (SYSTEM_PROCESS_INFORMATION, SYSTEM_THREAD_INFORMATION,
 * SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX) and the Win32 headers, independently of the decoder's constants.
 */

import assert from "node:assert/strict";
import {
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
  decodeUnicodeString,
  fileTimeToUnixMs,
  isRegularFile,
  normalizeCurrentDirectory,
  normalizeFinalPath,
  splitCommandLine,
  windowsProcessInfo,
  windowsStartId,
  windowsState,
} from "../../../platform/windows/decode.ts";
import { WindowsProcessSource } from "../../../platform/windows/source.ts";
import { Struct } from "../../support/bytes.ts";

const BASE = 0x7ff6_1000_0000n;
const EPOCH_FILETIME = 116444736000000000n;
const codeUnits = (text: string) => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));

interface EntrySpec {
  at: number;
  next: number;
  pid: number;
  ppid: number;
  threads: [state: number, waitReason: number][];
  name?: { at: number; units: number[] };
  createTime?: bigint;
  userTime?: bigint;
  kernelTime?: bigint;
  workingSet?: number;
}

/** Writes one SYSTEM_PROCESS_INFORMATION (256 bytes) + its SYSTEM_THREAD_INFORMATION (80 each). */
function entry(s: Struct, e: EntrySpec): void {
  s.u32(e.at + 0, e.next) // NextEntryOffset
    .u32(e.at + 4, e.threads.length) // NumberOfThreads
    .u64(e.at + 32, e.createTime ?? 0n) // CreateTime
    .u64(e.at + 40, e.userTime ?? 0n) // UserTime
    .u64(e.at + 48, e.kernelTime ?? 0n) // KernelTime
    .u64(e.at + 80, e.pid) // UniqueProcessId
    .u64(e.at + 88, e.ppid) // InheritedFromUniqueProcessId
    .u64(e.at + 144, e.workingSet ?? 0); // WorkingSetSize
  if (e.name) {
    s.u16(e.at + 56, e.name.units.length * 2) // ImageName.Length
      .u16(e.at + 58, e.name.units.length * 2 + 2) // ImageName.MaximumLength
      .u64(e.at + 64, BASE + BigInt(e.name.at)) // ImageName.Buffer
      .units(e.name.at, e.name.units);
  }
  e.threads.forEach(([state, reason], i) => {
    const t = e.at + 256 + i * 80;
    s.u32(t + 68, state).u32(t + 72, reason); // ThreadState, WaitReason
  });
}

function processChain(): Struct {
  const s = new Struct(4096);
  entry(s, { at: 0, next: 256 + 2 * 80, pid: 0, ppid: 0, threads: [[2, 0], [2, 0]] });
  entry(s, {
    at: 416,
    next: 256 + 80,
    pid: 4,
    ppid: 0,
    threads: [[5, 6]],
    name: { at: 3000, units: codeUnits("System") },
    createTime: EPOCH_FILETIME + 17_000_000_000_000_000n,
  });
  entry(s, {
    at: 752,
    next: 256 + 3 * 80,
    pid: 1234,
    ppid: 4,
    threads: [[5, 5], [5, 5], [5, 5]],
    name: { at: 3100, units: codeUnits("claude\u{1F916}.exe") }, // non-BMP: surrogate pair
    createTime: EPOCH_FILETIME + 17_000_000_000_123_456n,
    userTime: 12_000_000n, // 1.2 s
    kernelTime: 3_000_000n, // 0.3 s
    workingSet: 150 * 1024 * 1024,
  });
  entry(s, {
    at: 1248,
    next: 0,
    pid: 5678,
    ppid: 1234,
    threads: [],
    name: { at: 3200, units: [0x61, 0xd800, 0x62] }, // unpaired high surrogate
  });
  return s;
}

Deno.test("SystemProcessInformation chain is walked via NextEntryOffset", () => {
  const list = decodeProcessList(processChain().bytes, BASE);
  assert.deepEqual(list.map((p) => [p.pid, p.ppid, p.name, p.threadCount, p.state]), [
    [0, 0, "", 2, "running"],
    [4, 0, "System", 1, "sleeping"],
    [1234, 4, "claude\u{1F916}.exe", 3, "stopped"],
    [5678, 1234, "a\ufffdb", 0, "zombie"],
  ]);
  const claude = list[2];
  assert.equal(claude.cpuTime, 15_000_000);
  assert.equal(claude.workingSetBytes, 150 * 1024 * 1024);
  const info = windowsProcessInfo(claude, "C:\\Tools\\claude.exe", ["claude.exe", "-p"]);
  assert.deepEqual(info, {
    pid: 1234,
    ppid: 4,
    name: "claude\u{1F916}.exe",
    exe: "C:\\Tools\\claude.exe",
    argv: ["claude.exe", "-p"],
    state: "stopped",
    threads: 3,
    startedAt: 1_700_000_000_012,
    startId: 1_700_000_000_012_345,
    cpuTimeMs: 1500,
    rssBytes: 150 * 1024 * 1024,
    uid: null,
  });
  const idle = windowsProcessInfo(list[0], null, []);
  assert.equal(idle.name, "System Idle Process");
  assert.deepEqual([idle.startedAt, idle.startId], [0, 0]);
});

Deno.test("SystemProcessInformation: truncation, bad offsets and stray pointers never throw", () => {
  const bytes = processChain().bytes;
  assert.deepEqual(decodeProcessList(bytes.subarray(0, 255), BASE), []);
  assert.deepEqual(decodeProcessList(bytes.subarray(0, 416 + 255), BASE).map((p) => p.pid), [0]);
  const partialThreads = decodeProcessList(bytes.subarray(0, 752 + 256 + 90), BASE);
  assert.deepEqual(partialThreads.map((p) => p.pid), [0, 4, 1234]);
  assert.equal(partialThreads[2].state, "stopped", "only the complete thread record is read");
  // Names live at 3000+, past a 2048-byte cut: pointers outside the buffer give "".
  assert.deepEqual(decodeProcessList(bytes.subarray(0, 2048), BASE).map((p) => p.name), ["", "", "", ""]);
  // A NextEntryOffset smaller than an entry stops the walk instead of looping.
  const looping = processChain().u32(416, 8).bytes;
  assert.deepEqual(decodeProcessList(looping, BASE).map((p) => p.pid), [0, 4]);
  assert.deepEqual(decodeProcessList(bytes, BASE + 0x10000n).map((p) => p.name), ["", "", "", ""]);
});

Deno.test("UNICODE_STRING: bounds, empty and surrogates", () => {
  const s = new Struct(64).u16(0, 8).u64(8, BASE + 16n).units(16, [0xd83e, 0xdd16, 0xdc00, 0x41]);
  assert.equal(decodeUnicodeString(s.bytes, 0, BASE), "\u{1F916}\ufffdA");
  assert.equal(decodeUnicodeString(s.bytes, 0, BASE + 100n), null, "pointer before the buffer");
  assert.equal(decodeUnicodeString(s.bytes.subarray(0, 15), 0, BASE), null);
  assert.equal(decodeUnicodeString(new Uint8Array(16), 0, BASE), "");
  const overrun = new Struct(64).u16(0, 200).u64(8, BASE + 16n);
  assert.equal(decodeUnicodeString(overrun.bytes, 0, BASE), null);
});

Deno.test("windowsState from thread states", () => {
  assert.equal(windowsState([]), "zombie");
  assert.equal(windowsState([{ state: 5, waitReason: 6 }, { state: 1, waitReason: 0 }]), "running");
  assert.equal(windowsState([{ state: 7, waitReason: 0 }]), "running");
  assert.equal(windowsState([{ state: 5, waitReason: 5 }, { state: 5, waitReason: 5 }]), "stopped");
  assert.equal(windowsState([{ state: 5, waitReason: 5 }, { state: 5, waitReason: 6 }]), "sleeping");
});

Deno.test("FILETIME conversions", () => {
  assert.equal(fileTimeToUnixMs(EPOCH_FILETIME + 10_000n), 1);
  assert.equal(fileTimeToUnixMs(0n), 0);
  assert.equal(windowsStartId(EPOCH_FILETIME + 25n), 2);
  assert.equal(windowsStartId(1n), 0);
});

Deno.test("ProcessCommandLineInformation: UNICODE_STRING followed by its text", () => {
  const text = '"C:\\Program Files\\nodejs\\node.exe" cli.js --model "opus 4" \u{1F916}';
  const s = new Struct(16 + text.length * 2).u16(0, text.length * 2).u16(2, text.length * 2).u64(
    8,
    BASE + 16n,
  )
    .units(16, codeUnits(text));
  const commandLine = decodeCommandLine(s.bytes, BASE);
  assert.equal(commandLine, text);
  assert.deepEqual(splitCommandLine(commandLine ?? ""), [
    "C:\\Program Files\\nodejs\\node.exe",
    "cli.js",
    "--model",
    "opus 4",
    "\u{1F916}",
  ]);
  assert.equal(decodeCommandLine(s.bytes.subarray(0, 40), BASE), null, "text cut off");
  assert.equal(decodeCommandLine(new Uint8Array(8), BASE), null);
});

Deno.test("splitCommandLine follows CommandLineToArgvW / MSVC rules", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["app.exe", ["app.exe"]],
    ["  app.exe a", ["", "app.exe", "a"]],
    ['"C:\\a b\\app.exe"  x\ty ', ["C:\\a b\\app.exe", "x", "y"]],
    ['app "a b" c', ["app", "a b", "c"]],
    ['app a\\\\b \\"c', ["app", "a\\\\b", '"c']],
    ['app "a\\\\" b', ["app", "a\\", "b"]],
    ['app "a\\"b"', ["app", 'a"b']],
    ['app a\\\\\\"b', ["app", 'a\\"b']],
    ['app "a""b" c', ["app", 'a"b', "c"]],
    ['app ""', ["app", ""]],
    ["C:\\dir\\app.exe C:\\path\\", ["C:\\dir\\app.exe", "C:\\path\\"]],
    ['"unterminated', ["unterminated"]],
    ['app "open quote', ["app", "open quote"]],
  ];
  for (const [line, argv] of cases) assert.deepEqual(splitCommandLine(line), argv, line);
});

Deno.test("SYSTEM_HANDLE_INFORMATION_EX: handles of one pid among mixed pids", () => {
  const s = new Struct(16 + 5 * 40).u64(0, 5);
  const handles: [pid: number, value: number, access: number, type: number][] = [
    [4, 0x4, 0x1f0fff, 7],
    [1234, 0x44, 0x120089, 37], // read-only file
    [1234, 0x48, 0x120196, 37], // FILE_GENERIC_WRITE
    [5678, 0x48, 0x12019f, 37],
    [1234, 0x100, 0x1f0003, 16], // an event
  ];
  handles.forEach(([pid, value, access, type], i) => {
    const at = 16 + i * 40;
    s.u64(at, 0xffff_8000_0000_0000n + BigInt(i)) // Object
      .u64(at + 8, pid) // UniqueProcessId
      .u64(at + 16, value) // HandleValue
      .u32(at + 24, access) // GrantedAccess
      .u16(at + 30, type); // ObjectTypeIndex
  });
  assert.deepEqual(decodeHandleTable(s.bytes, 1234), [
    { handle: 0x44n, access: 0x120089, typeIndex: 37 },
    { handle: 0x48n, access: 0x120196, typeIndex: 37 },
    { handle: 0x100n, access: 0x1f0003, typeIndex: 16 },
  ]);
  assert.deepEqual(decodeHandleTable(s.bytes, 99), []);
  assert.deepEqual(decodeHandleTable(s.bytes.subarray(0, 16 + 2 * 40 + 39), 1234).length, 1, "partial entry");
  assert.deepEqual(decodeHandleTable(new Struct(16 + 40).u64(0, 1e9).bytes, 0).length, 1, "count clamped");
  assert.deepEqual(decodeHandleTable(new Uint8Array(15), 1234), []);
  assert.deepEqual(decodeHandleTable(s.bytes, 1234).filter((h) => canWrite(h.access)).map((h) => h.handle), [
    0x48n,
    0x100n,
  ]);
  assert.equal(canWrite(0x120089), false);
  assert.equal(canWrite(0x4), true, "FILE_APPEND_DATA alone");
});

Deno.test("BY_HANDLE_FILE_INFORMATION: regular linked files only", () => {
  const info = (attributes: number, links: number) => new Struct(52).u32(0, attributes).u32(40, links).bytes;
  assert.equal(isRegularFile(info(0x20, 1)), true); // FILE_ATTRIBUTE_ARCHIVE
  assert.equal(isRegularFile(info(0x80, 2)), true); // FILE_ATTRIBUTE_NORMAL
  assert.equal(isRegularFile(info(0x10, 1)), false); // directory
  assert.equal(isRegularFile(info(0x40, 1)), false); // device
  assert.equal(isRegularFile(info(0x20, 0)), false); // no name left
  assert.equal(isRegularFile(info(0x20, 1).subarray(0, 51)), false);
});

Deno.test("normalizeFinalPath strips \\\\?\\ and rejects device paths", () => {
  assert.equal(normalizeFinalPath("\\\\?\\C:\\Users\\me\\log.txt"), "C:\\Users\\me\\log.txt");
  assert.equal(normalizeFinalPath("\\\\?\\UNC\\server\\share\\a.txt"), "\\\\server\\share\\a.txt");
  assert.equal(normalizeFinalPath("C:\\plain.txt"), "C:\\plain.txt");
  assert.equal(normalizeFinalPath("\\Device\\HarddiskVolume3\\x.txt"), null);
  assert.equal(normalizeFinalPath("\\\\?\\Volume{0b1c2d3e-0000-0000-0000-100000000000}\\x"), null);
  assert.equal(normalizeFinalPath("\\\\.\\pipe\\x"), null);
  assert.equal(normalizeFinalPath(""), null);
});

Deno.test("IO_COUNTERS, MEMORYSTATUSEX and SYSTEM_INFO", () => {
  const io = new Struct(48).u64(0, 10).u64(8, 20).u64(24, 4096).u64(32, 8192).u64(40, 1).bytes;
  assert.deepEqual(decodeIoCounters(io), { readBytes: 4096, writeBytes: 8192 });
  assert.equal(decodeIoCounters(io.subarray(0, 47)), null);
  const memory = new Struct(64).u32(0, 64).u32(4, 42).u64(8, 16 * 2 ** 30).u64(16, 9 * 2 ** 30).bytes;
  assert.deepEqual(decodeMemoryStatus(memory), { totalBytes: 16 * 2 ** 30, availableBytes: 9 * 2 ** 30 });
  assert.equal(decodeMemoryStatus(memory.subarray(0, 63)), null);
  const system = new Struct(48).u16(0, 9).u32(4, 4096).u32(32, 8).bytes;
  assert.deepEqual(decodeSystemInfo(system), { pageSize: 4096, processors: 8 });
  assert.equal(decodeSystemInfo(system.subarray(0, 47)), null);
});

Deno.test("PEB walk: PROCESS_BASIC_INFORMATION → PEB → RTL_USER_PROCESS_PARAMETERS", () => {
  const basic = new Struct(48).u32(0, 0x103).u64(8, 0xa1_0000n).u64(32, 1234).bytes; // PebBaseAddress at 8
  assert.equal(decodePebAddress(basic), 0xa1_0000n);
  assert.equal(decodePebAddress(basic.subarray(0, 47)), null);
  assert.equal(decodePebAddress(new Uint8Array(48)), null, "no PEB");
  const peb = new Struct(0x28).u64(0x10, 0x7ff7_0000n).u64(0x20, 0x1f_0000n).bytes; // ImageBase, ProcessParameters
  assert.equal(decodeProcessParametersAddress(peb), 0x1f_0000n);
  assert.equal(decodeProcessParametersAddress(peb.subarray(0, 0x27)), null);
  const params = new Struct(0x3f8)
    .u32(0, 0x7a0) // MaximumLength
    .u16(0x38, 36) // CurrentDirectory.DosPath.Length
    .u16(0x3a, 520) // CurrentDirectory.DosPath.MaximumLength
    .u64(0x40, 0x1f_0800n) // CurrentDirectory.DosPath.Buffer
    .u64(0x48, 0x58) // CurrentDirectory.Handle
    .u16(0x70, 40) // CommandLine.Length
    .u64(0x80, 0x1e_0000n) // Environment
    .u64(0x3f0, 4096) // EnvironmentSize
    .bytes;
  assert.deepEqual(decodeProcessParameters(params), {
    cwdAddress: 0x1f_0800n,
    cwdBytes: 36,
    environmentAddress: 0x1e_0000n,
    environmentBytes: 4096,
  });
  assert.equal(decodeProcessParameters(params.subarray(0, 0x3f7)), null);
});

Deno.test("current directory and environment block decoding", () => {
  assert.equal(normalizeCurrentDirectory("C:\\Users\\me\\project\\"), "C:\\Users\\me\\project");
  assert.equal(normalizeCurrentDirectory("C:\\"), "C:\\", "a drive root keeps its backslash");
  assert.equal(normalizeCurrentDirectory("\\\\srv\\share\\"), "\\\\srv\\share");
  assert.equal(normalizeCurrentDirectory(""), null);
  const block = (text: string) => new Struct(text.length * 2).units(0, codeUnits(text)).bytes;
  assert.deepEqual(decodeEnvironmentBlock(block("=C:=C:\\\0Path=C:\\bin\0K=\u{1F916}\0\0junk")), [
    "=C:=C:\\",
    "Path=C:\\bin",
    "K=\u{1F916}",
  ]);
  assert.deepEqual(decodeEnvironmentBlock(block("A=1\0B=par")), ["A=1"], "a cut block drops its last string");
  assert.deepEqual(decodeEnvironmentBlock(new Struct(8).units(0, [0x41, 0x3d, 0xdc00, 0]).bytes), [
    "A=\ufffd",
  ]);
  assert.deepEqual(decodeEnvironmentBlock(new Uint8Array(0)), []);
});

Deno.test("WindowsProcessSource without ntdll/kernel32 degrades to empty results and notices", () => {
  using source = new WindowsProcessSource({
    ntdll: "/nonexistent/ntdll.dll",
    kernel32: "/nonexistent/kernel32.dll",
  });
  assert.deepEqual(source.list(), []);
  assert.deepEqual(source.details(Deno.pid, ["PATH"]), {
    cwd: null,
    env: {},
    readBytes: null,
    writeBytes: null,
  });
  assert.deepEqual(source.writingFiles(Deno.pid), []);
  const facts = source.system();
  assert.equal(facts.clockTicks, 10_000_000);
  assert.ok(facts.cpuCount >= 1);
  assert.equal(source.notices().length, 2);
});
