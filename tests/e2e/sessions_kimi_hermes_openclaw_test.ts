/**
 * Sessions of OpenClaw, Kimi Code, Hermes Agent and Antigravity CLI end to end: processes shaped like
 * each (node running `openclaw.mjs agent`, which starts a child titled `openclaw-agent`; node titled
 * `kimi-code`; Python running a `hermes` console script; the `agy` binary) linked to the sessions in
 * tests/fixtures (written by OpenClaw and Kimi Code; Hermes's and Antigravity's from their formats),
 * checked through `main.ts ls --format json`.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { kimiWorkspace } from "../../agents/vendors/kimi/sessions.ts";

const skip = fakesUnavailable();
if (skip) console.log(`session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const OPENCLAW_ID = "2e4e0633-48a0-4563-adaf-7e33b58b32aa";
const KIMI_ID = "session_26b9b007-38e1-43cd-9f19-1da170b4cf86";
const HERMES_ID = "20261206_181000_a1b2c3";
const AGY_ID = "8b0f5f0e-4c7e-4f5b-9a51-6d0c2a1e9f10";

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

/** Kimi Code: titles itself, then runs its shell tool. */
const KIMI = `process.title = "kimi-code";
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
  name: "sessions: OpenClaw, Kimi Code, Hermes Agent and Antigravity CLI linked and read through ls",
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

    const kimiCwd = world.dir("work/kproj");
    const kimiAgent = world.spawn("node", [world.script("lab/kimi.cjs", KIMI)], { cwd: kimiCwd, env });
    const hermesCwd = world.dir("work/hermes-app");
    const hermesAgent = world.spawn("python3", [
      world.script("lab/venv/bin/hermes", "import time\ntime.sleep(300)\n"),
    ], {
      cwd: hermesCwd,
      env,
    });
    const agy = world.spawn(world.native("home/.local/bin/agy"), [], { cwd: world.dir("work/agy"), env });
    await world.waitForDescendants(kimiAgent.pid, 1);
    await titled(kimiAgent.pid, "kimi-code");

    // What each agent wrote (Kimi Code: its Bash call in flight), moved to this world and written now.
    const kimiDir = `${home}/.kimi-code/sessions/${kimiWorkspace(kimiCwd)}/${KIMI_ID}`;
    Deno.mkdirSync(`${kimiDir}/agents/main`, { recursive: true });
    const kimiLines = Deno.readTextFileSync(`${FIXTURES}/kimi/main.wire.jsonl`).split("\n").slice(0, 18);
    Deno.writeTextFileSync(`${kimiDir}/agents/main/wire.jsonl`, kimiLines.join("\n") + "\n");
    Deno.writeTextFileSync(
      `${kimiDir}/state.json`,
      Deno.readTextFileSync(`${FIXTURES}/kimi/state.json`).replaceAll("/tmp/a2/kproj", kimiCwd),
    );
    Deno.mkdirSync(`${home}/.hermes`, { recursive: true });
    const state = new DatabaseSync(`${home}/.hermes/state.db`);
    state.exec(Deno.readTextFileSync(`${FIXTURES}/hermes/state.sql`));
    state.prepare("UPDATE sessions SET cwd = ?, last_activity_at = ?").run(hermesCwd, Date.now() / 1000);
    state.close();
    const agyLogs = `${home}/.gemini/antigravity-cli/brain/${AGY_ID}/.system_generated/logs`;
    Deno.mkdirSync(agyLogs, { recursive: true });
    Deno.copyFileSync(`${FIXTURES}/antigravity/transcript_full.jsonl`, `${agyLogs}/transcript_full.jsonl`);

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

    const k = agents.find((a) => a.pid === kimiAgent.pid);
    assert.equal(k?.agent, "kimi");
    assert.equal(k.session.id, KIMI_ID);
    assert.equal(k.status, "busy");
    assert.equal(k.session.current_tool.name, "Bash");
    assert.equal(k.session.model, "mock-model");
    assert.deepEqual(k.session.tokens, {
      input: 2000,
      output: 201,
      cache_read: 3001,
      cache_write: 0,
      reasoning: 0,
    });

    const h = agents.find((a) => a.pid === hermesAgent.pid);
    assert.equal(h?.agent, "hermes");
    assert.equal(h.session.id, HERMES_ID);
    assert.equal(h.session.current_tool.name, "delegate_task");
    assert.equal(h.session.subagents.length, 1);
    assert.equal(h.cost_usd, 0.0312, "Hermes's own estimate");

    const g = agents.find((a) => a.pid === agy.pid);
    assert.equal(g?.agent, "antigravity");
    assert.equal(g.session.id, AGY_ID);
    assert.equal(g.session.current_tool.name, "run_command");
    assert.equal(g.session.last_prompt, "run the probe again");
  },
});
