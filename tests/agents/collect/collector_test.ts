import assert from "node:assert/strict";
import type { SessionFacts } from "../../../agents/session.ts";
import { Collector } from "../../../agents/collect/collector.ts";
import type { SessionSource, Vendor } from "../../../agents/vendor.ts";
import { bundledTable } from "../../../agents/pricing/table.ts";
import { makeSession, makeSnapshot } from "../../support/agents.ts";
import type {
  ProcessDetails,
  ProcessInfo,
  ProcessSource,
  SignalResult,
  SystemFacts,
} from "../../../platform/types.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");

/** A process with plausible defaults. */
function proc(over: Partial<ProcessInfo> & Pick<ProcessInfo, "pid">): ProcessInfo {
  return {
    ppid: 1,
    name: "fakeagent",
    exe: "/usr/bin/fakeagent",
    argv: ["fakeagent"],
    state: "sleeping",
    threads: 2,
    startedAt: T0 - 60_000,
    startId: 1,
    cpuTimeMs: 0,
    rssBytes: 1000,
    uid: 1000,
    ...over,
  };
}

/** A ProcessSource over plain data: `processes` is what the next `list()` returns. */
class FakeSource implements ProcessSource {
  processes: ProcessInfo[] = [];
  details_: Record<number, Partial<ProcessDetails>> = {};

  list(): ProcessInfo[] {
    return this.processes;
  }
  details(pid: number): ProcessDetails {
    return { cwd: "/work/shop", env: {}, readBytes: null, writeBytes: null, ...this.details_[pid] };
  }
  writingFiles(): string[] {
    return [];
  }
  system(): SystemFacts {
    return { ...makeSnapshot([]).host, clockTicks: 100, pageSize: 4096 };
  }
  terminate(pid: number): SignalResult {
    return { outcome: "failed", detail: `not a real process: ${pid}` };
  }
}

/** A vendor recognising processes named `name` as main (`helper-<name>` as helper), with `sessions`. */
function vendor(sessions?: () => Promise<SessionSource>, name = "fakeagent"): Vendor {
  return {
    id: "fake",
    label: "Fake Agent",
    recognise: (p) => p.name === name ? "main" : p.name === `helper-${name}` ? "helper" : null,
    sessions,
  };
}

/**
 * A reader that links every agent to one transcript and reads `facts` (or throws what they throw); the
 * facts carry another vendor, path and link, which the collector must stamp over.
 */
function reader(facts: () => SessionFacts): SessionSource {
  return {
    envKeys: [],
    link: () => ({ id: "s-1", path: "/data/s-1.jsonl", linkedBy: "cwd" }),
    read: () => facts(),
    recent: () => ({ links: [], more: 0 }),
  };
}

/** A collector over `source` whose clock reads `clock.now`. */
function collector(source: ProcessSource, vendors: Vendor[], clock = { now: T0 }) {
  return new Collector({ source, vendors, version: "test", prices: bundledTable(), now: () => clock.now });
}

Deno.test("collector: CPU% comes from the CPU time used between two ticks over the clock's advance", async () => {
  const source = new FakeSource();
  const clock = { now: T0 };
  const c = collector(source, [vendor()], clock);
  source.processes = [proc({ pid: 10, cpuTimeMs: 6_000 })];
  const first = await c.tick();
  assert.equal(first.sampleMs, 0);
  assert.equal(first.agents[0].cpuPercent, 10, "first tick: lifetime average (6 s over 60 s)");
  clock.now += 2_000;
  source.processes = [proc({ pid: 10, cpuTimeMs: 7_000 })];
  const second = await c.tick();
  assert.equal(second.sampleMs, 2_000);
  assert.equal(second.takenAt, T0 + 2_000);
  assert.equal(second.agents[0].cpuPercent, 50, "1 s of CPU over 2 s");
  assert.equal(second.agents[0].uptimeSec, 62);
});

Deno.test("collector: a reused pid with another start time gets no false delta", async () => {
  const source = new FakeSource();
  const clock = { now: T0 };
  const c = collector(source, [vendor()], clock);
  source.processes = [proc({ pid: 10, cpuTimeMs: 50_000 })];
  await c.tick();
  clock.now += 1_000;
  // pid 10 again, but a new process started 10 s ago that used 1 s: its lifetime average, not 1 s − 50 s.
  source.processes = [proc({ pid: 10, startId: 2, startedAt: clock.now - 10_000, cpuTimeMs: 1_000 })];
  const snap = await c.tick();
  assert.equal(snap.agents[0].cpuPercent, 10);
  assert.equal(snap.agents[0].key, "10:2");
  assert.equal(snap.agents[0].cpuTimeMs, 1_000);
});

Deno.test("collector: an agent's members' counters, CPU, memory and threads are summed", async () => {
  const source = new FakeSource();
  const clock = { now: T0 };
  const c = collector(source, [vendor()], clock);
  source.details_ = { 10: { readBytes: 100, writeBytes: 10 }, 11: { readBytes: 5, writeBytes: null } };
  source.processes = [
    proc({ pid: 10, cpuTimeMs: 1_000 }),
    proc({ pid: 11, ppid: 10, name: "helper-fakeagent", cpuTimeMs: 500, rssBytes: 300, threads: 1 }),
  ];
  await c.tick();
  clock.now += 1_000;
  source.processes = [
    proc({ pid: 10, cpuTimeMs: 1_200 }),
    proc({ pid: 11, ppid: 10, name: "helper-fakeagent", cpuTimeMs: 800, rssBytes: 300, threads: 1 }),
  ];
  const [agent] = (await c.tick()).agents;
  assert.equal(agent.pid, 10);
  assert.deepEqual(agent.processes.map((p) => [p.pid, p.role]), [[11, "helper"]]);
  assert.equal(agent.cpuTimeMs, 2_000);
  assert.equal(agent.readBytes, 105);
  assert.equal(agent.writeBytes, 10);
  assert.equal(Math.round(agent.cpuPercent), 50, "20 % + 30 %");
  assert.equal(agent.rssBytes, 1_300);
  assert.equal(agent.threads, 3);
});

Deno.test("collector: a session reader that fails to load leaves the row and names the failure", async () => {
  const source = new FakeSource();
  const c = collector(source, [vendor(() => Promise.reject(new Error("no such module")))]);
  source.processes = [proc({ pid: 10 })];
  const snap = await c.tick();
  assert.equal(snap.agents.length, 1);
  assert.equal(snap.agents[0].session, null);
  assert.deepEqual(c.notices(), ["loading the Fake Agent session reader failed: no such module"]);
  await c.tick();
  assert.equal(c.notices().length, 1, "tried and noted once");
});

Deno.test("collector: a reader whose read() throws gives a row without session and a notice", async () => {
  const source = new FakeSource();
  const broken = reader(() => {
    throw new Error("bad transcript");
  });
  const c = collector(source, [vendor(() => Promise.resolve(broken))]);
  source.processes = [proc({ pid: 10 })];
  const [agent] = (await c.tick()).agents;
  assert.equal(agent.pid, 10);
  assert.equal(agent.session, null);
  assert.deepEqual(c.notices(), ["reading Fake Agent sessions failed: bad transcript"]);
});

Deno.test("collector: a read session is stamped with vendor, path and how it was linked", async () => {
  const source = new FakeSource();
  const c = collector(source, [
    vendor(() => Promise.resolve(reader(() => makeSession({ lastPrompt: "fix the cart" })))),
  ]);
  source.processes = [proc({ pid: 10 })];
  const [agent] = (await c.tick()).agents;
  assert.equal(agent.session?.vendor, "fake");
  assert.equal(agent.session?.path, "/data/s-1.jsonl");
  assert.equal(agent.session?.linkedBy, "cwd");
  assert.equal(agent.session?.lastPrompt, "fix the cart");
  assert.equal(agent.project, "shop");
  assert.deepEqual(c.notices(), []);
});

Deno.test("collector: a command whose process was seen and is gone is finishing, not waiting for approval", async () => {
  const source = new FakeSource();
  const clock = { now: T0 };
  const call = (id: string, arg: string) => ({
    name: "exec_command",
    arg,
    id,
    startedAt: T0,
    asksFirst: true,
  });
  let facts = makeSession({ turn: "working", currentTool: call("c1", "npm test"), lastActivity: T0 });
  const c = collector(source, [vendor(() => Promise.resolve(reader(() => facts)))], clock);
  const agentOnly = [proc({ pid: 10 })];
  const withTool = [
    ...agentOnly,
    proc({ pid: 11, ppid: 10, name: "bash", argv: ["bash", "-c", "npm test"] }),
  ];
  const tick = async (ms: number, processes: ProcessInfo[]) => {
    clock.now = T0 + ms;
    source.processes = processes;
    const [a] = (await c.tick()).agents;
    return a ? [a.status, a.session?.waitingFor ?? null] : [];
  };

  assert.deepEqual(await tick(4_000, withTool), ["busy", null], "the command runs");
  assert.deepEqual(
    await tick(5_000, agentOnly),
    ["busy", null],
    "its process is gone, its result not yet written",
  );
  facts = makeSession({ turn: "working", currentTool: null, lastActivity: T0 + 5_500 });
  assert.deepEqual(await tick(6_000, agentOnly), ["busy", null], "the result is written: the model goes on");

  facts = makeSession({
    turn: "working",
    currentTool: { ...call("c2", "rm -rf dist"), startedAt: T0 + 6_000 },
  });
  assert.deepEqual(
    await tick(10_000, agentOnly),
    ["waiting", "approval: rm -rf dist"],
    "never run: a dialog",
  );
  assert.deepEqual(await tick(11_000, withTool), ["busy", null], "allowed: it runs");
  await tick(12_000, []); // the agent is not seen for a tick: its memory goes with it
  assert.deepEqual(
    await tick(13_000, agentOnly),
    ["waiting", "approval: rm -rf dist"],
    "memory dropped with the agent",
  );
});
