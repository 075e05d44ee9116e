/**
 * Sessions of OpenClaw end to end: processes shaped like it (node running `openclaw.mjs agent`, which
 * starts a child that titles itself `openclaw-agent` and runs a shell tool) linked to the agent
 * database OpenClaw wrote (tests/fixtures/openclaw), checked through `main.ts ls --format json`.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";

const skip = fakesUnavailable();
if (skip) console.log(`session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const OPENCLAW_ID = "2e4e0633-48a0-4563-adaf-7e33b58b32aa";

/** OpenClaw's launcher: starts itself again as the titled agent (here: the script beside it). */
const OPENCLAW_LAUNCHER = `import { spawn } from "node:child_process";
spawn(process.execPath, [new URL("./agent.cjs", import.meta.url).pathname], { stdio: "ignore" });
setInterval(() => {}, 1 << 30);
`;
/** The titled agent, with its shell tool. */
const OPENCLAW_AGENT = `process.title = "openclaw-agent";
require("child_process").spawn("/bin/sleep", ["300"], { stdio: "ignore" });
setInterval(() => {}, 1 << 30);
`;

/** Waits until process `pid`'s kernel name is `comm` (a title set once its script runs). */
async function titled(pid: number, comm: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    try {
      if (Deno.readTextFileSync(`/proc/${pid}/comm`).trim() === comm) return;
    } catch {
      // not started yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test({
  name: "sessions: OpenClaw linked and read through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const env = { HOME: home };

    const launcherScript = world.script("lab/node_modules/openclaw/openclaw.mjs", OPENCLAW_LAUNCHER);
    world.script("lab/node_modules/openclaw/agent.cjs", OPENCLAW_AGENT);
    const launcher = world.spawn("node", [launcherScript, "agent", "--local", "-m", "run the probe"], {
      cwd: world.dir("work/oc"),
      env,
    });
    await world.waitForDescendants(launcher.pid, 2);
    const agentPid = Number(
      Deno.readTextFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`).trim(),
    );
    await titled(agentPid, "openclaw-agent");

    // What OpenClaw wrote: its exec call in flight, written now.
    Deno.mkdirSync(`${home}/.openclaw/agents/main/agent`, { recursive: true });
    const db = new DatabaseSync(`${home}/.openclaw/agents/main/agent/openclaw-agent.sqlite`);
    db.exec(Deno.readTextFileSync(`${FIXTURES}/openclaw/agent.sql`));
    db.exec("DELETE FROM transcript_events WHERE seq > 8");
    db.prepare("UPDATE session_windows SET transcript_updated_at = ?").run(Date.now());
    db.close();

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], env);
    assert.equal(res.code, 0, res.stderr);
    const agents: Json[] = JSON.parse(res.stdout).agents;

    const claws = agents.filter((a) => a.agent === "openclaw");
    assert.equal(claws.length, 1, JSON.stringify(agents.map((a) => [a.pid, a.agent])));
    const o = claws[0];
    assert.equal(o.pid, agentPid, "the titled agent, not its launcher");
    assert.deepEqual(o.processes.map((p: Json) => [p.pid, p.role]), [[launcher.pid, "launcher"]]);
    assert.equal(o.session.id, OPENCLAW_ID);
    assert.equal(o.session.linked_by, "start");
    assert.equal(o.status, "busy");
    assert.equal(o.session.model, "mock-model");
    assert.deepEqual(o.session.current_tool.name, "exec");
    assert.equal(o.session.current_tool.arg, "sleep 40; echo agtop-probe-done");
    assert.deepEqual(o.session.tokens, {
      input: 4000,
      output: 320,
      cache_read: 6002,
      cache_write: 0,
      reasoning: 82,
    });
    assert.ok(Math.abs(o.cost_usd - 2 * 0.0099153) < 1e-9, String(o.cost_usd));
    assert.deepEqual(o.children.map((c: Json) => c.argv), [["/bin/sleep", "300"]]);
  },
});
