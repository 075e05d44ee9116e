import assert from "node:assert/strict";
import { killOutcome } from "../../platform/kill.ts";
import { windowsOutcome } from "../../platform/windows/terminate.ts";
import { endProcesses, refusal } from "../../agents/signals.ts";
import { processSource } from "../../platform/mod.ts";
import { type ProcessInfo, type SignalResult, TERMINATE_NAME } from "../../platform/types.ts";

const proc = (pid: number, startedAt: number): ProcessInfo => ({
  pid,
  ppid: 1,
  name: "p",
  exe: null,
  argv: [],
  state: "sleeping",
  threads: 1,
  startedAt,
  startId: startedAt,
  cpuTimeMs: 0,
  rssBytes: 0,
  uid: 0,
});

Deno.test("kill(2) and TerminateProcess results in words", () => {
  assert.deepEqual(killOutcome(0, 0), { outcome: "sent", detail: null });
  assert.deepEqual(killOutcome(-1, 3), { outcome: "no-such-process", detail: null });
  assert.deepEqual(killOutcome(-1, 1), { outcome: "permission-denied", detail: null });
  assert.deepEqual(killOutcome(-1, 22), { outcome: "failed", detail: "kill failed (errno 22)" });
  assert.equal(windowsOutcome(87).outcome, "no-such-process");
  assert.equal(windowsOutcome(5).outcome, "permission-denied");
  assert.equal(windowsOutcome(6).outcome, "failed");
  assert.equal(TERMINATE_NAME, Deno.build.os === "windows" ? "terminate" : "SIGTERM");
});

Deno.test("refused: pid 1 and below, agtop itself, a pid reused since the snapshot", () => {
  assert.equal(refusal({ pid: 1, startedAt: 0 }, proc(1, 0), 50), "pid 1 is never signalled");
  assert.equal(refusal({ pid: 0, startedAt: 0 }, undefined, 50), "pid 0 is never signalled");
  assert.equal(refusal({ pid: -7, startedAt: 0 }, undefined, 50), "pid -7 is never signalled");
  assert.equal(refusal({ pid: 50, startedAt: 9 }, proc(50, 9), 50), "that is agtop itself");
  assert.equal(refusal({ pid: 60, startedAt: 1000 }, proc(60, 2000), 50), "pid 60 is now another process");
  assert.equal(refusal({ pid: 60, startedAt: 1000 }, proc(60, 1000.4), 50), null, "float noise is the same");
  assert.equal(refusal({ pid: 60, startedAt: 1000 }, undefined, 50), null);
});

Deno.test("endProcesses re-reads the list once and signals only what is still the same process", () => {
  const sent: number[] = [];
  const send = (pid: number): SignalResult => {
    sent.push(pid);
    return pid === 30 ? { outcome: "permission-denied", detail: null } : { outcome: "sent", detail: null };
  };
  let lists = 0;
  const list = () => (lists++, [proc(10, 100), proc(20, 999), proc(30, 300), proc(77, 1)]);
  const reports = endProcesses(
    [
      { pid: 10, startedAt: 100 },
      { pid: 20, startedAt: 200 },
      { pid: 30, startedAt: 300 },
      { pid: 40, startedAt: 400 },
      { pid: 77, startedAt: 1 },
      { pid: 1, startedAt: 0 },
    ],
    { list, terminate: send },
    77,
  );
  assert.equal(lists, 1);
  assert.deepEqual(sent, [10, 30]);
  assert.deepEqual(reports.map((r) => r.outcome), [
    "sent",
    "refused",
    "permission-denied",
    "no-such-process",
    "refused",
    "refused",
  ]);
  assert.equal(reports[1].detail, "pid 20 is now another process");
  const broken = endProcesses([{ pid: 10, startedAt: 100 }], {
    list: () => {
      throw new Error("boom");
    },
    terminate: send,
  });
  assert.deepEqual(broken, [{ pid: 10, outcome: "failed", detail: "cannot read the process list: boom" }]);
});

Deno.test({
  name: "terminate: SIGTERM through libc reaches a real process; a gone pid is no such process",
  ignore: Deno.build.os === "windows",
  async fn() {
    using source = processSource();
    const terminateProcess = (pid: number) => source.terminate(pid);
    const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
    assert.deepEqual(terminateProcess(child.pid), { outcome: "sent", detail: null });
    const status = await child.status;
    assert.equal(status.signal, "SIGTERM");
    assert.deepEqual(terminateProcess(child.pid), { outcome: "no-such-process", detail: null });
    assert.equal(terminateProcess(0).outcome, "failed", "pid 0 would signal the process group");
  },
});

Deno.test({
  name:
    "terminate on Linux: the pid file descriptor is open when the identity is checked; a changed one is spared",
  ignore: Deno.build.os !== "linux",
  async fn() {
    using source = processSource();
    const pidfds = () =>
      [...Deno.readDirSync("/proc/self/fd")].filter((e) => {
        try {
          return Deno.readLinkSync(`/proc/self/fd/${e.name}`) === "anon_inode:[pidfd]";
        } catch {
          return false;
        }
      }).length;
    const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
    // The check says "not the same any more": no signal, and the process lives on. (Deno holds a pidfd
    // of its own for a child it spawned.)
    const before = pidfds();
    let during = -1;
    const spared = source.terminate(child.pid, () => (during = pidfds(), false));
    assert.equal(during, before + 1, "checked while a pidfd pins the process");
    assert.deepEqual(spared, { outcome: "no-such-process", detail: "its pid is now another process's" });
    assert.equal(pidfds(), before, "and closed after");
    assert.deepEqual(source.terminate(child.pid, () => true), { outcome: "sent", detail: null });
    assert.equal((await child.status).signal, "SIGTERM");
  },
});
