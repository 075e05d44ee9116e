import assert from "node:assert/strict";
import {
  exeFromLink,
  hasWriteAccess,
  isFileTarget,
  parseAuxv,
  parseCmdline,
  parseEnviron,
  parseFdinfoFlags,
  parseIo,
  parseKernelStat,
  parseMeminfo,
  parseOpenFilesLimit,
  parseProcMount,
  parseStat,
  parseStateLetter,
} from "../../../platform/linux/procfs.ts";
import { LinuxProcessSource } from "../../../platform/linux/source.ts";
import { processSource } from "../../../platform/mod.ts";
import type { ProcessInfo } from "../../../platform/types.ts";

// ---------------------------------------------------------------------------------------------------
// Pure parsers on hand-written /proc text.

const CAT_STAT = "4048 (cat) R 4045 4045 2527 0 -1 4194304 99 0 0 0 7 3 0 0 20 0 1 0 376618 3133440 377 " +
  "18446744073709551615 94228187844608 94228187864489 140721623879472 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";

Deno.test("parseStat reads the fields of an ordinary stat line", () => {
  assert.deepEqual(parseStat(CAT_STAT), {
    name: "cat",
    state: "running",
    ppid: 4045,
    threads: 1,
    cpuTicks: 10,
    startTicks: 376618,
    rssPages: 377,
    kernelThread: false,
  });
});

Deno.test("parseStat reads comm with spaces and parentheses up to the last ')'", () => {
  const weird = parseStat("7 (my (weird) proc) S 1 7 7 0 -1 0 0 0 0 0 5 3 0 0 20 0 4 0 900 0 12\n");
  assert.equal(weird?.name, "my (weird) proc");
  assert.equal(weird?.state, "sleeping");
  assert.equal(weird?.ppid, 1);
  assert.equal(weird?.threads, 4);
  assert.equal(weird?.startTicks, 900);
  // A comm that imitates the fields that follow it.
  const sly = parseStat("8 (x) R 99 (y) D 2 8 8 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 50 0 3");
  assert.equal(sly?.name, "x) R 99 (y");
  assert.equal(sly?.state, "disk-sleep");
  assert.equal(sly?.ppid, 2);
});

Deno.test("parseStat reads a zombie and a kernel thread", () => {
  const zombie = parseStat("77 (node) Z 70 77 70 0 -1 4228 0 0 0 0 120 30 0 0 20 0 1 0 5000 0 0 0 0");
  assert.equal(zombie?.state, "zombie");
  assert.equal(zombie?.cpuTicks, 150);
  assert.equal(zombie?.rssPages, 0);
  const kthread = parseStat(
    "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 18446744073709551615 0 0 0 0",
  );
  assert.equal(kthread?.name, "kthreadd");
  assert.equal(kthread?.kernelThread, true, "PF_KTHREAD is set in its flags");
  assert.equal(zombie?.kernelThread, false);
  assert.equal(kthread?.ppid, 0);
  const worker = parseStat("9 (kworker/0:1-events) I 2 0 0 0 -1 69238880 0 0 0 0 0 4 0 0 20 0 1 0 30 0 0");
  assert.equal(worker?.state, "idle");
});

Deno.test("parseStat rejects truncated and garbage text", () => {
  assert.equal(parseStat(""), null);
  assert.equal(parseStat("hello"), null);
  assert.equal(parseStat("12 (no close S 1 2 3"), null);
  assert.equal(parseStat(CAT_STAT.slice(0, 60)), null);
  assert.equal(parseStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 a b 0 0 20 0 1 0 5 0 3"), null);
  assert.equal(parseStat("1 (x) S -1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 3"), null);
  assert.equal(parseStat(")1 (x S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 3"), null);
});

Deno.test("parseStateLetter maps every state letter", () => {
  const letters: Record<string, string> = {
    R: "running",
    S: "sleeping",
    D: "disk-sleep",
    T: "stopped",
    t: "stopped",
    Z: "zombie",
    X: "dead",
    x: "dead",
    I: "idle",
    P: "unknown",
    "": "unknown",
  };
  for (const [letter, state] of Object.entries(letters)) {
    assert.equal(parseStateLetter(letter), state, letter);
  }
});

Deno.test("parseCmdline splits on NUL and keeps a rewritten title whole", () => {
  assert.deepEqual(parseCmdline("node\0/usr/bin/claude\0--resume\0"), [
    "node",
    "/usr/bin/claude",
    "--resume",
  ]);
  assert.deepEqual(parseCmdline(""), []);
  assert.deepEqual(parseCmdline("nginx: master process /usr/sbin/nginx\0\0\0\0"), [
    "nginx: master process /usr/sbin/nginx",
  ]);
  assert.deepEqual(parseCmdline("codex app-server --port 0"), ["codex app-server --port 0"]);
  assert.deepEqual(parseCmdline("a\0\0b\0"), ["a", "", "b"]);
  assert.deepEqual(parseCmdline("echo\0héllo wörld\0"), ["echo", "héllo wörld"]);
});

Deno.test("parseEnviron returns only the requested keys", () => {
  const environ = "HOME=/root\0TERM=xterm\0OPTS=a=b\0TERM=second\0NOEQUALS\0=x\0EMPTY=\0";
  assert.deepEqual(parseEnviron(environ, ["TERM", "OPTS", "EMPTY", "MISSING"]), {
    TERM: "xterm",
    OPTS: "a=b",
    EMPTY: "",
  });
  assert.deepEqual(parseEnviron(environ, []), {});
  assert.deepEqual(parseEnviron("", ["HOME"]), {});
  assert.deepEqual(parseEnviron(environ, ["NOEQUALS", ""]), {});
});

Deno.test("parseIo reads read_bytes and write_bytes", () => {
  const io = "rchar: 6976\nwchar: 12\nsyscr: 10\nsyscw: 1\nread_bytes: 4096\nwrite_bytes: 8192\n" +
    "cancelled_write_bytes: 0\n";
  assert.deepEqual(parseIo(io), { readBytes: 4096, writeBytes: 8192 });
  assert.deepEqual(parseIo("rchar: 1\n"), { readBytes: null, writeBytes: null });
  assert.deepEqual(parseIo("read_bytes: lots\nwrite_bytes: 7"), { readBytes: null, writeBytes: 7 });
  assert.deepEqual(parseIo(""), { readBytes: null, writeBytes: null });
});

Deno.test("parseFdinfoFlags reads octal flags and hasWriteAccess checks the access mode", () => {
  assert.equal(parseFdinfoFlags("pos:\t0\nflags:\t0100001\nmnt_id:\t24\nino:\t3\n"), 0o100001);
  assert.equal(parseFdinfoFlags("pos:\t0\nflags:\t02\n"), 2);
  assert.equal(parseFdinfoFlags("pos:\t0\nmnt_id:\t24\n"), null);
  assert.equal(parseFdinfoFlags("flags:\t0109\n"), null);
  assert.equal(parseFdinfoFlags(""), null);
  assert.equal(hasWriteAccess(0o100000), false); // O_RDONLY | O_LARGEFILE
  assert.equal(hasWriteAccess(0o102001), true); // O_WRONLY | O_APPEND
  assert.equal(hasWriteAccess(0o2100002), true); // O_RDWR | O_CLOEXEC
  assert.equal(hasWriteAccess(3), false); // O_ACCMODE: no read or write
});

Deno.test("parseMeminfo converts kB to bytes and falls back to MemFree", () => {
  const meminfo = "MemTotal:       24684084 kB\nMemFree:        24515744 kB\nMemAvailable:   24440148 kB\n";
  assert.deepEqual(parseMeminfo(meminfo), {
    memTotalBytes: 24684084 * 1024,
    memAvailableBytes: 24440148 * 1024,
  });
  assert.deepEqual(parseMeminfo("MemTotal: 2048 kB\nMemFree: 512 kB\n"), {
    memTotalBytes: 2048 * 1024,
    memAvailableBytes: 512 * 1024,
  });
  assert.deepEqual(parseMeminfo("garbage"), { memTotalBytes: 0, memAvailableBytes: 0 });
});

Deno.test("parseKernelStat reads btime and counts cpuN lines", () => {
  const stat = "cpu  1224 0 1469 749018 105 0 18 10 0 0\ncpu0 444 0 616 374962 2 0 4 3 0 0\n" +
    "cpu1 780 0 852 374055 102 0 14 6 0 0\ncpu12 1 1 1 1\nintr 154334 0 0\nctxt 323820\nbtime 1795515954\n" +
    "processes 5000\n";
  assert.deepEqual(parseKernelStat(stat), { bootTime: 1795515954000, cpuCount: 3 });
  assert.deepEqual(parseKernelStat("cpu  1 2 3\n"), { bootTime: null, cpuCount: 0 });
  assert.deepEqual(parseKernelStat("btime soon\n"), { bootTime: null, cpuCount: 0 });
});

/** auxv bytes from (type, value) pairs, 64-bit little-endian. */
function auxv(pairs: [number, number][]): Uint8Array {
  const view = new DataView(new ArrayBuffer(pairs.length * 16));
  pairs.forEach(([type, value], i) => {
    view.setBigUint64(i * 16, BigInt(type), true);
    view.setBigUint64(i * 16 + 8, BigInt(value), true);
  });
  return new Uint8Array(view.buffer);
}

Deno.test("parseAuxv reads AT_CLKTCK and AT_PAGESZ with fallbacks", () => {
  assert.deepEqual(
    parseAuxv(auxv([[33, 0x7f72c2d0f000], [6, 16384], [17, 250], [3, 0x55e3508a3040], [0, 0]])),
    {
      clockTicks: 250,
      pageSize: 16384,
    },
  );
  assert.deepEqual(parseAuxv(new Uint8Array(0)), { clockTicks: 100, pageSize: 4096 });
  // Entries after AT_NULL and a torn trailing pair are ignored; a zero value keeps the default.
  assert.deepEqual(parseAuxv(auxv([[17, 0], [0, 0], [6, 65536]])), { clockTicks: 100, pageSize: 4096 });
  assert.deepEqual(parseAuxv(auxv([[6, 8192], [17, 300]]).subarray(0, 24)), {
    clockTicks: 100,
    pageSize: 8192,
  });
  // A view into a larger buffer at an offset.
  const padded = new Uint8Array(48);
  padded.set(auxv([[17, 1000], [0, 0]]), 8);
  assert.equal(parseAuxv(padded.subarray(8, 40)).clockTicks, 1000);
});

Deno.test("isFileTarget keeps on-disk paths only", () => {
  for (const kept of ["/home/u/app/main.ts", "/tmp/x.log", "/device", "/proceeds.txt", "/system/a"]) {
    assert.equal(isFileTarget(kept), true, kept);
  }
  const dropped = [
    "pipe:[5873]",
    "socket:[1234]",
    "anon_inode:[eventpoll]",
    "anon_inode:inotify",
    "/memfd:v8 (deleted)",
    "/memfd:jit",
    "/tmp/x.log (deleted)",
    "/dev/null",
    "/dev/pts/0",
    "/dev",
    "/proc/4053/fd",
    "/sys/fs/cgroup/cpu.max",
    "relative/path",
    "",
  ];
  for (const target of dropped) assert.equal(isFileTarget(target), false, target);
});

Deno.test("exeFromLink drops the ' (deleted)' mark of a replaced binary", () => {
  assert.equal(exeFromLink("/usr/bin/claude (deleted)"), "/usr/bin/claude");
  assert.equal(exeFromLink("/usr/bin/claude"), "/usr/bin/claude");
});

Deno.test("parseOpenFilesLimit reads the soft limit", () => {
  const limits = "Limit                     Soft Limit           Hard Limit           Units     \n" +
    "Max cpu time              unlimited            unlimited            seconds   \n" +
    "Max open files            1024                 524288               files     \n";
  assert.equal(parseOpenFilesLimit(limits), 1024);
  assert.equal(
    parseOpenFilesLimit("Max open files            unlimited            unlimited files\n"),
    Infinity,
  );
  assert.equal(parseOpenFilesLimit("Max processes 10 10 processes\n"), null);
});

// ---------------------------------------------------------------------------------------------------
// Live tests against this machine's /proc.

const NO_SUCH_PID = 2 ** 22 + 1; // above PID_MAX_LIMIT, so never a live process
const notLinux = Deno.build.os !== "linux";
/** Deno opens /proc only with all permissions (`deno test -A`); see platform/linux/source.ts. */
const procfsAllowed = !notLinux && (() => {
  try {
    Deno.statSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();
const skipLive = notLinux || !procfsAllowed;

/** Polls `probe` until it returns a value (not null/undefined), or fails after `timeoutMs`. */
async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A spawned child that is killed and reaped on dispose. */
function spawn(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const child = new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null", ...options })
    .spawn();
  return {
    pid: child.pid,
    child,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await child.status;
    },
  };
}

/** A temp directory removed on dispose; `path` is its real path, as the kernel reports it. */
async function tempDir() {
  const path = Deno.realPathSync(await Deno.makeTempDir({ prefix: "agtop_platform_" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

function find(list: ProcessInfo[], pid: number): ProcessInfo | undefined {
  return list.find((p) => p.pid === pid);
}

Deno.test(
  { name: "list and details see a spawned sleep with its cwd and env", ignore: skipLive },
  async () => {
    await using dir = await tempDir();
    await using sleeper = spawn("sleep", ["30"], { cwd: dir.path, env: { AGTOP_TEST_MARK: "hello there" } });
    using source = new LinuxProcessSource();
    const me = await until("a sleeping child", () => {
      const p = find(source.list(), sleeper.pid);
      return p?.state === "sleeping" ? p : null;
    });
    assert.equal(me.ppid, Deno.pid);
    assert.equal(me.name, "sleep");
    assert.match(me.argv[0], /(^|\/)sleep$/); // Deno.Command resolves the program to a full path
    assert.deepEqual(me.argv.slice(1), ["30"]);
    assert.ok(me.exe?.startsWith("/"), `exe ${me.exe}`);
    assert.equal(me.threads, 1);
    assert.equal(me.uid, Deno.uid());
    assert.ok(
      Math.abs(me.startedAt - Date.now()) < 5000,
      `startedAt ${new Date(me.startedAt).toISOString()}`,
    );
    assert.ok(me.rssBytes > 0);
    assert.ok(me.cpuTimeMs >= 0 && me.cpuTimeMs < 5000);
    assert.ok(me.startId > 0);

    const details = source.details(sleeper.pid, ["AGTOP_TEST_MARK", "AGTOP_NOT_SET"]);
    assert.equal(details.cwd, dir.path);
    assert.deepEqual(details.env, { AGTOP_TEST_MARK: "hello there" });
    assert.equal(typeof details.readBytes, "number");
    assert.equal(typeof details.writeBytes, "number");
    assert.deepEqual(source.details(sleeper.pid, []).env, {});
  },
);

Deno.test({
  name: "list re-reads held stat files: a stopped and resumed child, then a vanished one",
  ignore: skipLive,
}, async () => {
  await using sleeper = spawn("sleep", ["30"]);
  using source = new LinuxProcessSource();
  const first = await until("the child", () => find(source.list(), sleeper.pid));
  sleeper.child.kill("SIGSTOP");
  await until("a stopped child", () => find(source.list(), sleeper.pid)?.state === "stopped" || null);
  sleeper.child.kill("SIGCONT");
  const resumed = await until("a resumed child", () => {
    const p = find(source.list(), sleeper.pid);
    return p?.state === "sleeping" ? p : null;
  });
  assert.equal(resumed.startId, first.startId);
  assert.equal(resumed.startedAt, first.startedAt);
  sleeper.child.kill("SIGKILL");
  await sleeper.child.status;
  assert.equal(find(source.list(), sleeper.pid), undefined);
});

Deno.test({ name: "list reports an unreaped child as a zombie with no argv", ignore: skipLive }, async () => {
  // sh starts `sleep 0` in the background, then becomes `sleep 30`, which never reaps it.
  await using parent = spawn("sh", ["-c", "sleep 0 & exec sleep 30"]);
  using source = new LinuxProcessSource();
  const zombie = await until(
    "a zombie",
    () => source.list().find((p) => p.ppid === parent.pid && p.state === "zombie"),
  );
  // Seen alive first, its argv/exe stay cached; seen only as a zombie, the kernel has none to give.
  assert.ok(zombie.argv.length === 0 || zombie.argv.join(" ") === "sleep 0", zombie.argv.join(" "));
  assert.equal(zombie.rssBytes, 0);
});

Deno.test({
  name: "list sees this process and kernel threads; holding no stat files gives the same facts",
  ignore: skipLive,
}, () => {
  using held = new LinuxProcessSource();
  const unheld = new LinuxProcessSource({ heldStatFiles: 0 });
  held.list();
  const a = held.list();
  const b = unheld.list();
  const self = find(a, Deno.pid);
  assert.equal(self?.exe, Deno.execPath());
  assert.equal(find(b, Deno.pid)?.startId, self?.startId);
  const kthreadd = a.find((p) => p.name === "kthreadd");
  if (kthreadd) { // absent in some containers
    assert.deepEqual(kthreadd.argv, []);
    assert.equal(kthreadd.exe, null);
    assert.equal(kthreadd.ppid, 0);
  }
  const init = find(b, 1);
  assert.equal(init?.ppid, 0);
  for (const key of ["name", "exe", "argv", "startId", "startedAt", "uid"] as const) {
    assert.deepEqual(init?.[key], find(a, 1)?.[key], key);
  }
});

Deno.test({ name: "writingFiles lists regular files open for writing only", ignore: skipLive }, async () => {
  await using dir = await tempDir();
  const path = (name: string) => `${dir.path}/${name}`;
  for (const name of ["read.txt", "both.txt"]) Deno.writeTextFileSync(path(name), "x");
  const script = 'exec 3>"$F"; exec 4<"$G"; exec 5<>"$H"; exec 6>"$D"; rm "$D"; exec 7>>"$F"; exec sleep 30';
  await using shell = spawn("sh", ["-c", script], {
    env: { F: path("write.log"), G: path("read.txt"), H: path("both.txt"), D: path("deleted.tmp") },
  });
  using source = new LinuxProcessSource({ heldStatFiles: 0 });
  await until("the shell to exec sleep", () => find(source.list(), shell.pid)?.name === "sleep" || null);
  const files = source.writingFiles(shell.pid);
  assert.deepEqual(files, [path("both.txt"), path("write.log")]);
  assert.ok(!files.includes("/dev/null"));
});

Deno.test({ name: "writingFiles sorts, then caps at the limit", ignore: skipLive }, async () => {
  await using dir = await tempDir();
  const script = 'cd "$W"; exec 3>d 4>b 5>a 6>c; exec sleep 30';
  await using shell = spawn("sh", ["-c", script], { env: { W: dir.path } });
  using source = new LinuxProcessSource({ heldStatFiles: 0 });
  await until("the shell to exec sleep", () => find(source.list(), shell.pid)?.name === "sleep" || null);
  assert.deepEqual(source.writingFiles(shell.pid), ["a", "b", "c", "d"].map((n) => `${dir.path}/${n}`));
  assert.deepEqual(source.writingFiles(shell.pid, 2), [`${dir.path}/a`, `${dir.path}/b`]);
  assert.deepEqual(source.writingFiles(shell.pid, 0), []);
  assert.deepEqual(source.writingFiles(shell.pid, NaN), []);
});

Deno.test(
  { name: "details and writingFiles of a missing pid are empty, not errors", ignore: skipLive },
  () => {
    const source = new LinuxProcessSource({ heldStatFiles: 0 });
    assert.deepEqual(source.details(NO_SUCH_PID, ["HOME"]), {
      cwd: null,
      env: {},
      readBytes: null,
      writeBytes: null,
    });
    assert.deepEqual(source.writingFiles(NO_SUCH_PID), []);
    assert.deepEqual(source.writingFiles(-1), []);
  },
);

Deno.test({ name: "system reports this machine", ignore: skipLive }, () => {
  const facts = new LinuxProcessSource({ heldStatFiles: 0 }).system();
  assert.equal(facts.os, "linux");
  assert.equal(facts.arch, Deno.build.arch);
  assert.equal(facts.hostname, Deno.hostname());
  assert.ok(facts.cpuCount >= 1);
  assert.ok(facts.memTotalBytes > 0 && facts.memAvailableBytes > 0);
  assert.ok(facts.memAvailableBytes <= facts.memTotalBytes);
  const bootFromUptime = Date.now() - Deno.osUptime() * 1000;
  assert.ok(Math.abs(facts.bootTime - bootFromUptime) < 5000, `bootTime ${facts.bootTime}`);
  assert.equal(facts.clockTicks, 100); // CLK_TCK is 100 on every Linux architecture Deno runs on
  assert.ok([4096, 16384, 65536].includes(facts.pageSize), `pageSize ${facts.pageSize}`);
});

Deno.test({ name: "processSource picks the Linux source on Linux", ignore: skipLive }, () => {
  using source = processSource();
  assert.equal(source instanceof LinuxProcessSource, Deno.build.os === "linux");
});

Deno.test({
  name: "without --allow-ffi agtop says what it needs, in one line, instead of listing nothing",
  ignore: notLinux,
}, async () => {
  const main = new URL("../../../main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-sys", main, "ls", "--sample", "0"],
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.notEqual(out.code, 0);
  assert.match(stderr.split("\n")[0], /^agtop: .*--allow-ffi/);
});

Deno.test({
  name: "fd links are read once per tick: a file opened later shows after the next list()",
  ignore: skipLive,
}, async () => {
  using source = new LinuxProcessSource();
  const dir = await Deno.makeTempDir();
  try {
    source.list();
    const before = source.writingFiles(Deno.pid);
    using file = await Deno.open(`${dir}/later.log`, { write: true, create: true });
    assert.deepEqual(source.writingFiles(Deno.pid), before, "same tick: the links read once");
    source.list();
    assert.ok(source.writingFiles(Deno.pid).includes(`${await Deno.realPath(dir)}/later.log`));
    void file;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseProcMount: hidepid and gid of the /proc mount, none when unset", () => {
  const line = (opts: string) =>
    `22 26 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc ${opts}\n`;
  const other = "30 26 0:25 / /sys rw shared:7 - sysfs sysfs rw\n";
  assert.deepEqual(parseProcMount(other + line("rw,hidepid=invisible,gid=27")), {
    hidepid: "invisible",
    gid: 27,
  });
  assert.deepEqual(parseProcMount(line("rw,hidepid=2")), { hidepid: "2", gid: null });
  assert.deepEqual(parseProcMount(other + line("rw")), { hidepid: null, gid: null });
  assert.deepEqual(parseProcMount(""), { hidepid: null, gid: null });
});
