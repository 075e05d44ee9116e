/**
 * MCP servers an agent runs as children are its helpers, not tool work: spawned processes shaped like
 * them (`npx -y @modelcontextprotocol/server-memory`'s node, a `…-mcp-server` binary) get the role
 * `mcp`, leave a fresh agent `idle` and never become its doing text; a real tool child beside them still
 * makes the agent busy with that tool.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop, which } from "../support/fakes.ts";

const skip = fakesUnavailable() ?? (which("node") ? null : "node not found");
if (skip) console.log(`mcp children end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "ls: an agent's MCP servers are helpers (role mcp): not busy, not its doing text",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const node = which("node")!;
    const server = world.script(
      "node_modules/@modelcontextprotocol/server-memory/dist/index.js",
      "setInterval(() => {}, 1 << 30);\n",
    );
    const githubServer = world.native("opt/github-mcp-server/bin/github-mcp-server");
    const claudeExe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    Deno.symlinkSync(claudeExe, world.path("node_modules/.bin/claude"));
    const mcpOnly = [{ argv: [node, server] }, { argv: [githubServer, "stdio"] }];
    const quiet = world.spawn(`${world.root}/node_modules/.bin/claude`, [], {
      cwd: world.dir("work/quiet"),
      env: { AGTOP_FAKE_SPAWN: world.spawnFile(mcpOnly) },
    });
    const working = world.spawn(`${world.root}/node_modules/.bin/claude`, [], {
      cwd: world.dir("work/working"),
      env: { AGTOP_FAKE_SPAWN: world.spawnFile([...mcpOnly, { argv: ["/bin/sleep", "300"] }]) },
    });
    await world.waitForDescendants(quiet.pid, 2);
    const [, , tool] = await world.waitForDescendants(working.pid, 3);

    const out = await runAgtop(["ls", "--format=json", "--sample", "100"], { HOME: world.dir("home") });
    assert.equal(out.code, 0, out.stderr);
    const agents: Json[] = JSON.parse(out.stdout).agents;
    const row = (pid: number) => agents.find((a) => a.pid === pid);

    const q = row(quiet.pid);
    assert.ok(q, out.stdout);
    assert.deepEqual(q.children.map((c: Json) => c.role), ["mcp", "mcp"]);
    assert.equal(q.status, "idle", "MCP servers are no tool work");
    assert.equal(q.phrase, "idle", "the servers are not what it does");

    const w = row(working.pid);
    assert.deepEqual(
      w.children.map((c: Json) => [c.role, c.pid === tool]),
      [["mcp", false], ["mcp", false], ["child", true]],
    );
    assert.equal(w.status, "busy");
    assert.equal(w.phrase, "running /bin/sleep 300");
  },
});
