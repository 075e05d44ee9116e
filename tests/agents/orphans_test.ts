import assert from "node:assert/strict";
import {
  type AgentFamily,
  familyOf,
  markedAgent,
  ORPHAN_ENV_KEYS,
  OrphanTracker,
  REAPER_NAMES,
  userBoundary,
} from "../../agents/orphans.ts";
import { detect } from "../../agents/detect.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { LinuxProcessSource } from "../../platform/linux/source.ts";
import type { ProcessDetails, ProcessInfo } from "../../platform/types.ts";
import { descendants, fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { tmuxMissing } from "../support/tmux.ts";

// ---------------------------------------------------------------------------------------------------
// Pure tracker tests on hand-built process lists.

function proc(pid: number, ppid: number, name = "sh", over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    name,
    exe: `/usr/bin/${name}`,
    argv: [name],
    state: "sleeping",
    threads: 1,
    startedAt: 1_700_000_000_000 + pid,
    startId: pid * 10,
    cpuTimeMs: 0,
    rssBytes: 1024,
    uid: 1000,
    ...over,
  };
}

function family(key: string, main: ProcessInfo, children: ProcessInfo[], over: Partial<AgentFamily> = {}) {
  return {
    key,
    agent: "claude",
    label: "Claude Code",
    cwd: "/src/app",
    main,
    members: [],
    children,
    ...over,
  };
}

/** A details() that answers from a table of environments and counts its calls. */
function fakeSource(envs: Record<number, Record<string, string>> = {}) {
  const calls: number[] = [];
  return {
    calls,
    details(pid: number, keys: readonly string[]): ProcessDetails {
      calls.push(pid);
      const env = Object.fromEntries(Object.entries(envs[pid] ?? {}).filter(([k]) => keys.includes(k)));
      return { cwd: `/cwd/${pid}`, env, readBytes: null, writeBytes: null };
    },
  };
}

const pids = (orphans: { pid: number }[]) => orphans.map((o) => o.pid);

Deno.test("a remembered tool process that outlives its agent is that agent's orphan, with what it starts", () => {
  // What the orphan starts later counts when it carries the agent's marker (103), not otherwise (104).
  const tracker = new OrphanTracker({ source: fakeSource({ 103: { CLAUDECODE: "1" } }), vendors: VENDORS });
  const init = proc(1, 0, "init");
  const agent = proc(100, 1, "claude");
  const bash = proc(101, 100, "bash");
  const server = proc(102, 101, "node");
  assert.deepEqual(
    tracker.update([family("100:1000", agent, [bash, server])], [init, agent, bash, server]),
    [],
  );

  // The agent and the shell exit; the server is adopted by init and starts a worker.
  const adopted = { ...server, ppid: 1 };
  const worker = proc(103, 102, "node");
  const stranger = proc(104, 102, "node");
  const orphans = tracker.update([], [init, adopted, worker, stranger]);
  assert.deepEqual(pids(orphans), [102, 103]);
  assert.deepEqual(orphans[0], {
    agentKey: "100:1000",
    agent: "claude",
    label: "Claude Code",
    cwd: "/src/app",
    sessionId: null,
    via: "remembered",
    pid: 102,
    ppid: 1,
    startId: 1020,
    name: "node",
    argv: ["node"],
    state: "sleeping",
    startedAt: adopted.startedAt,
    cpuTimeMs: 0,
    rssBytes: 1024,
  });

  // The server exits: its worker, adopted in turn, is still remembered.
  assert.deepEqual(pids(tracker.update([], [init, { ...worker, ppid: 1 }])), [103]);
  // A zombie is not running; a new process that reuses the pid is someone else.
  assert.deepEqual(tracker.update([], [init, { ...worker, ppid: 1, state: "zombie" }]), []);
  const again = tracker.update([], [init, { ...worker, ppid: 1 }]);
  assert.deepEqual(again.map((o) => [o.pid, o.via]), [[103, "env"]], "forgotten, but its marker names it");
  const reused = tracker.update([], [init, proc(103, 1, "node", { startId: 5 })]);
  assert.deepEqual(reused.filter((o) => o.via === "remembered"), [], "a reused pid is not remembered");
});

Deno.test("no orphans while the agent's main process runs, even when it is not recognised for a tick", () => {
  const tracker = new OrphanTracker({ source: fakeSource() });
  const agent = proc(100, 1, "claude");
  const daemon = proc(101, 100, "node");
  tracker.update([family("100:1000", agent, [daemon])], [agent, daemon]);
  // The daemon detaches (adopted by init) while the agent lives; then the agent goes unrecognised.
  const detached = { ...daemon, ppid: 1 };
  assert.deepEqual(tracker.update([family("100:1000", agent, [])], [agent, detached]), []);
  assert.deepEqual(tracker.update([], [agent, detached]), []);
  // Once the agent exits, the detached daemon is its orphan.
  assert.deepEqual(pids(tracker.update([], [detached])), [101]);
});

Deno.test("an agent inside another agent's tool keeps its own tool processes", () => {
  const tracker = new OrphanTracker({ source: fakeSource() });
  const outer = proc(100, 1, "claude");
  const shell = proc(101, 100, "bash");
  const inner = proc(102, 101, "codex");
  const tool = proc(103, 102, "bash");
  tracker.update([
    family("100:1000", outer, [shell, inner, tool]),
    family("102:1020", inner, [tool], { agent: "codex", label: "Codex" }),
  ], [outer, shell, inner, tool]);
  const orphans = tracker.update([], [{ ...shell, ppid: 1 }, { ...tool, ppid: 1 }]);
  assert.deepEqual(orphans.map((o) => [o.pid, o.agent, o.agentKey]), [
    [101, "claude", "100:1000"],
    [103, "codex", "102:1020"],
  ]);
});

Deno.test("memory is bounded: the least recently seen agents are forgotten first", () => {
  const tracker = new OrphanTracker({ source: fakeSource(), capacity: 2 });
  const agents = [100, 200, 300].map((pid) => proc(pid, 1, "claude"));
  const tools = agents.map((a) => proc(a.pid + 1, a.pid, "sleep"));
  // Each agent is recognised in turn; all of them keep running.
  for (const [i, a] of agents.entries()) {
    tracker.update([family(`${a.pid}:1`, a, [tools[i]])], [...agents, ...tools]);
  }
  const adopted = tools.map((t) => ({ ...t, ppid: 1 }));
  assert.deepEqual(pids(tracker.update([], adopted)), [201, 301]);
});

Deno.test("the environment names the agent of a process adopted by init or a subreaper", () => {
  const source = fakeSource({
    200: { CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: "5f0c-claude", HOME: "/home/u" },
    201: { CLAUDECODE: "1" },
    300: { HOME: "/home/u" },
    400: { CODEX_THREAD_ID: "019a-thread", CODEX_CI: "1" },
    500: { GEMINI_CLI: "1" },
    600: { CLAUDECODE: "1" },
  });
  const tracker = new OrphanTracker({ source, vendors: VENDORS });
  const processes = [
    proc(1, 0, "init"),
    proc(200, 1, "bash"),
    proc(201, 200, "npm"),
    proc(300, 1, "dbus-daemon"),
    proc(50, 1, "systemd"),
    proc(400, 50, "bash"),
    proc(77, 1, "fish"),
    proc(500, 77, "bash"),
    proc(600, 1, "claude"),
  ];
  const live = family("600:6000", processes[8], []);
  const orphans = tracker.update([live], processes);
  assert.deepEqual(orphans.map((o) => [o.pid, o.agent, o.label, o.sessionId, o.via, o.agentKey, o.cwd]), [
    [200, "claude", "Claude Code", "5f0c-claude", "env", null, "/cwd/200"],
    [201, "claude", "Claude Code", "5f0c-claude", "env", null, "/cwd/200"],
    [400, "codex", "Codex", "019a-thread", "env", null, "/cwd/400"],
  ]);
  // Environments are read once per process, not per tick.
  const first = source.calls.length;
  assert.deepEqual(pids(tracker.update([live], processes)), [200, 201, 400]);
  assert.equal(source.calls.length, first);
  for (const pid of [500, 600]) assert.ok(!source.calls.includes(pid), `only orphans' families: ${pid}`);
});

Deno.test("a multiplexer or a login shell that inherited an agent's marker is the user's, with what runs below", () => {
  const source = fakeSource({
    200: { CLAUDECODE: "1" },
    201: { CLAUDECODE: "1" },
    202: { CLAUDECODE: "1" },
    300: { CLAUDECODE: "1" },
    301: { CLAUDECODE: "1" },
    302: { CLAUDECODE: "1" },
    303: { CLAUDECODE: "1" },
  });
  const tracker = new OrphanTracker({ source, vendors: VENDORS });
  const processes = [
    proc(1, 0, "init"),
    // A tmux server started from an agent's shell: its panes are the user's.
    proc(200, 1, "tmux: server", { exe: "/usr/bin/tmux", argv: ["tmux", "new-session", "-d"] }),
    proc(201, 200, "bash", { argv: ["-bash"] }),
    proc(202, 201, "vim", { argv: ["vim", "notes.txt"] }),
    // A script an agent's tool left running: an orphan, but not the login shell it opened, nor below.
    proc(300, 1, "node", { argv: ["node", "server.js"] }),
    proc(301, 300, "node", { argv: ["node", "worker.js"] }),
    proc(302, 300, "zsh", { argv: ["zsh", "-l"] }),
    proc(303, 302, "psql", { argv: ["psql"] }),
  ];
  assert.deepEqual(pids(tracker.update([], processes)), [300, 301]);
  assert.ok(userBoundary(proc(9, 1, "screen", { exe: "/usr/bin/screen", argv: ["SCREEN"] })));
  assert.ok(userBoundary(proc(9, 1, "zellij", { exe: "/usr/bin/zellij" })));
  assert.ok(
    !userBoundary(proc(9, 1, "bash", { argv: ["/bin/bash", "-c", "-l", "npm test"] })),
    "a tool's shell",
  );
  assert.ok(!userBoundary(proc(9, 1, "bash", { argv: ["bash", "-lc", "npm test"] })));
});

Deno.test("markedAgent and ORPHAN_ENV_KEYS", () => {
  assert.deepEqual(markedAgent({ CLAUDECODE: "1" }), { agent: "claude", sessionId: null });
  assert.deepEqual(markedAgent({ CODEX_SESSION_ID: "s", CODEX_THREAD_ID: "t" }), {
    agent: "codex",
    sessionId: "t",
  });
  assert.deepEqual(markedAgent({ GEMINI_CLI: "1" }), { agent: "gemini", sessionId: null });
  assert.deepEqual(markedAgent({ QWEN_CODE_NO_RELAUNCH: "true" }), { agent: "qwen", sessionId: null });
  assert.equal(markedAgent({ CLAUDECODE: "" }), null);
  assert.equal(markedAgent({}), null);
  for (
    const key of ["CLAUDECODE", "CLAUDE_CODE_SESSION_ID", "CODEX_THREAD_ID", "CODEX_SESSION_ID", "GEMINI_CLI"]
  ) {
    assert.ok(ORPHAN_ENV_KEYS.includes(key), key);
  }
});

// ---------------------------------------------------------------------------------------------------
// Real orphans.

const skip = fakesUnavailable() ?? (Deno.build.os === "linux" ? null : "needs Linux");
if (skip) console.log(`real orphan tests skipped: ${skip}`);

function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Waits until `check` holds, or fails after 5 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether `pid` runs (a zombie does not). */
function runs(source: LinuxProcessSource, pid: number): boolean {
  const p = source.list().find((q) => q.pid === pid);
  return p !== undefined && p.state !== "zombie";
}

Deno.test({
  name: "a real agent-shaped process is killed: its running tool process is reported as its orphan",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const claudeExe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const cwd = world.dir("work/orphan-proj");
    const claude = world.spawn(claudeExe, [], {
      cwd,
      env: { AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "300"] }]) },
    });
    const [tool] = await world.waitForDescendants(claude.pid, 1);
    using source = new LinuxProcessSource({ heldStatFiles: 0 });
    const tracker = new OrphanTracker({ source, vendors: VENDORS });
    const tick = () => {
      const processes = source.list();
      const families = detect(processes, VENDORS).filter((d) => d.main.pid === claude.pid).map((d) =>
        familyOf({
          key: `${d.main.pid}:${d.main.startId}`,
          agent: d.vendor.id,
          label: d.vendor.label,
          cwd: source.details(d.main.pid, []).cwd,
        }, d)
      );
      return { families, orphans: tracker.update(families, processes).filter((o) => o.pid === tool) };
    };
    try {
      const before = tick();
      assert.deepEqual(before.families.map((f) => [f.agent, f.children.map((c) => c.pid)]), [["claude", [
        tool,
      ]]]);
      assert.deepEqual(before.orphans, []);

      claude.child.kill("SIGKILL");
      await claude.child.status;
      const after = tick();
      assert.deepEqual(after.families, []);
      assert.equal(after.orphans.length, 1);
      const [orphan] = after.orphans;
      assert.equal(orphan.agent, "claude");
      assert.equal(orphan.label, "Claude Code");
      assert.equal(orphan.cwd, cwd);
      assert.equal(orphan.via, "remembered");
      assert.ok(orphan.agentKey?.startsWith(`${claude.pid}:`));
      assert.deepEqual(orphan.argv, ["/bin/sleep", "300"]);
      assert.notEqual(orphan.ppid, claude.pid, "adopted by init or a subreaper");

      killQuietly(tool);
      await until("the orphan to exit", () => !runs(source, tool));
      assert.deepEqual(tick().orphans, [], "forgotten once it exits");
    } finally {
      killQuietly(tool);
    }
  },
});

Deno.test({
  name: "a real process adopted by init whose environment carries Claude Code's markers is its orphan",
  ignore: skip !== null,
  async fn() {
    const session = crypto.randomUUID();
    const out = await new Deno.Command("sh", {
      args: ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"],
      env: { CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: session },
      stdin: "null",
    }).output();
    const pid = Number(new TextDecoder().decode(out.stdout).trim());
    assert.ok(pid > 0);
    try {
      // sh has exited (its output is complete), so the kernel has given sleep a new parent.
      using source = new LinuxProcessSource({ heldStatFiles: 0 });
      const processes = source.list();
      const me = processes.find((p) => p.pid === pid)!;
      const reaper = processes.find((p) => p.pid === me.ppid);
      if (me.ppid !== 1 && !REAPER_NAMES.has(reaper?.name ?? "")) {
        console.log(`skipped: the orphan was adopted by ${reaper?.name} (${me.ppid}), an unknown subreaper`);
        return;
      }
      const orphans = new OrphanTracker({ source, vendors: VENDORS }).update([], processes);
      const found = orphans.find((o) => o.pid === pid);
      assert.ok(found, JSON.stringify(orphans));
      assert.equal(found.agent, "claude");
      assert.equal(found.sessionId, session);
      assert.equal(found.via, "env");
      assert.equal(found.agentKey, null);
      assert.deepEqual(found.argv, ["sleep", "300"]);
    } finally {
      killQuietly(pid);
    }
  },
});

Deno.test({
  name: "a real tmux server started with Claude Code's markers: neither it nor its panes are orphans",
  ignore: skip !== null || tmuxMissing() !== null,
  sanitizeResources: false,
  async fn() {
    const socket = `agtop-orphan-${crypto.randomUUID().slice(0, 8)}`;
    const tmux = (...args: string[]) =>
      new Deno.Command("tmux", {
        args: ["-L", socket, "-f", "/dev/null", ...args],
        env: { CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: crypto.randomUUID(), SHELL: "/bin/bash" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
    const started = await tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24");
    assert.ok(started.success, new TextDecoder().decode(started.stderr));
    try {
      await tmux("send-keys", "-t", "t:0", "sleep 300", "Enter");
      await tmux("new-window", "-t", "t", "sleep 301");
      const server = Number(new TextDecoder().decode((await tmux("display", "-p", "#{pid}")).stdout).trim());
      // Two pane shells, the typed sleep below the login shell, and the window's own sleep.
      await until("the panes' commands", () => descendants(server).length >= 3);
      const family = descendants(server);
      using source = new LinuxProcessSource({ heldStatFiles: 0 });
      const processes = source.list();
      const me = processes.find((p) => p.pid === server)!;
      const reaper = processes.find((p) => p.pid === me.ppid);
      if (me.ppid !== 1 && !REAPER_NAMES.has(reaper?.name ?? "")) {
        console.log(`skipped: tmux was adopted by ${reaper?.name} (${me.ppid}), an unknown subreaper`);
        return;
      }
      const orphans = new OrphanTracker({ source, vendors: VENDORS }).update([], processes);
      const tmuxFamily = new Set([server, ...family]);
      assert.deepEqual(orphans.filter((o) => tmuxFamily.has(o.pid)), []);
    } finally {
      await tmux("kill-server");
    }
  },
});
