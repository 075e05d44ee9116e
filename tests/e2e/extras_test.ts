/**
 * What an agent leaves behind and where it works, end to end through `main.ts ls`: the ports its
 * descendants listen on, the git branch of its project, and the processes that outlive it.
 */
import assert from "node:assert/strict";
import { descendants, fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { csvRecords } from "../support/csv.ts";

const skip = fakesUnavailable();
if (skip) console.log(`extras end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const LISTENER =
  "const s = require('net').createServer().listen(0, '127.0.0.1'); setInterval(() => {}, 1e9);";

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test({
  name: "ls shows the port an agent's dev server listens on and its project's git branch",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const cwd = world.dir("work/site");
    await git(cwd, "init", "-q", "-b", "feature/login");
    const node = new Deno.Command("sh", { args: ["-c", "command -v node"], stdout: "piped" }).outputSync();
    const nodePath = new TextDecoder().decode(node.stdout).trim();
    const agent = world.spawn(exe, [], {
      cwd,
      env: { AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: [nodePath, "-e", LISTENER] }]) },
    });
    const [server] = await world.waitForDescendants(agent.pid, 1);
    let a: Json;
    for (let i = 0; i < 50; i++) {
      const res = await runAgtop(["ls", "--format", "json", "--sample", "0"]);
      a = JSON.parse(res.stdout).agents.find((x: Json) => x.pid === agent.pid);
      if (a?.ports.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(a.ports.length, 1, JSON.stringify(a.ports));
    assert.equal(a.ports[0].pid, server);
    assert.equal(a.ports[0].protocol, "tcp");
    assert.equal(a.ports[0].address, "127.0.0.1");
    assert.ok(a.ports[0].port > 0);
    assert.deepEqual(a.git, { root: cwd, branch: "feature/login", detached: null, worktree: false });
    const csv = await runAgtop(["ls", "--format", "csv", "--sample", "0"]);
    const row = csvRecords(csv.stdout).find((r) => Number(r.pid) === agent.pid)!;
    assert.equal(row.ports, `tcp/${a.ports[0].port}`);
    assert.equal(row.git_branch, "feature/login");
  },
});

Deno.test({
  name: "a tool process that outlives its Claude agent shows as an orphan on a done row",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const cwd = world.dir("work/orphanage");
    const sessionId = "33333333-3333-4333-8333-333333333333";
    // Claude Code marks its tool processes' environment; the fake passes its own on to the child.
    const agent = world.spawn(exe, [], {
      cwd,
      env: {
        CLAUDECODE: "1",
        CLAUDE_CODE_SESSION_ID: sessionId,
        AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "301"] }]),
      },
    });
    const [tool] = await world.waitForDescendants(agent.pid, 1);
    agent.child.kill("SIGKILL");
    await agent.child.status;
    try {
      const res = await runAgtop(["ls", "--format", "json", "--sample", "0"]);
      assert.equal(res.code, 0, res.stderr);
      const rows: Json[] = JSON.parse(res.stdout).agents;
      const row = rows.find((x) => x.orphans.some((o: Json) => o.pid === tool));
      assert.ok(row, `no row holds orphan ${tool}: ${JSON.stringify(rows.map((r) => [r.label, r.orphans]))}`);
      assert.equal(row.status, "done");
      assert.equal(row.label, "Claude Code");
      assert.deepEqual(row.orphans.map((o: Json) => [o.pid, o.role, o.argv]), [[tool, "orphan", [
        "/bin/sleep",
        "301",
      ]]]);
      const table = await runAgtop(["ls", "--sample", "0"], { COLUMNS: "200" });
      assert.match(table.stdout, /✓ done\s+(?:\d+[smhd]\s+)?Claude Code.*1 orphan: \/bin\/sleep 301/);
    } finally {
      for (const pid of [tool, ...descendants(tool)]) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  },
});
