/**
 * Sessions of Factory Droid, Kilo Code and Continue CLI end to end: processes shaped like each (Droid's
 * TUI with its stream-jsonrpc agent loop, Kilo's node shim and native `.kilo`, `node …/cn`) linked to
 * the sessions those agents wrote (tests/fixtures), checked through `main.ts ls --format json`.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { descendants, fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";

const skip = fakesUnavailable();
if (skip) console.log(`session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const DROID_ID = "7468ca47-c088-4b64-a42e-3225bd87ed2c";
const CONTINUE_ID = "8da1a91f-5a13-48b6-a329-a7d32f558b3a";

Deno.test({
  name: "sessions: Factory Droid, Kilo Code and Continue CLI linked and read through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const env = { HOME: home };

    // Droid: the TUI, and below it the agent loop that runs the tools.
    const droidExe = world.native("lab/node_modules/@factory/cli-linux-x64/bin/droid");
    const droidCwd = world.dir("work/droid-app");
    const loop = world.spawnFile([{
      argv: [droidExe, "exec", "--input-format", "stream-jsonrpc", "--output-format", "stream-jsonrpc"],
      cwd: droidCwd,
    }]);
    const droid = world.spawn(droidExe, [], { cwd: droidCwd, env: { ...env, AGTOP_FAKE_SPAWN: loop } });
    // Kilo: the node shim and the native binary it starts.
    const kiloExe = world.native("lab/node_modules/@kilocode/cli/bin/.kilo");
    const kiloCwd = world.dir("work/kilo-app");
    const kiloShim = world.script(
      "lab/node_modules/@kilocode/cli/bin/kilo",
      `require("child_process").spawn(${JSON.stringify(kiloExe)}, [], { stdio: "ignore" });\n` +
        "setInterval(() => {}, 1e9);\n",
    );
    // Its subagent's bash call runs: the command is a child of the native binary.
    const kiloTool = world.spawnFile([{
      argv: ["/bin/sh", "-c", "sleep 300; echo agtop-probe-done"],
      cwd: kiloCwd,
    }]);
    const kilo = world.spawn("node", [kiloShim], {
      cwd: kiloCwd,
      env: { ...env, AGTOP_FAKE_SPAWN: kiloTool },
    });
    // Continue: one node process.
    const cn = world.script("lab/node_modules/@continuedev/cli/dist/cn.js", "setInterval(() => {}, 1e9);\n");
    const contCwd = world.dir("work/cont-app");
    const cont = world.spawn("node", [cn, "--auto"], { cwd: contCwd, env });
    await world.waitForDescendants(droid.pid, 1);
    await world.waitForDescendants(kilo.pid, 2);
    await new Promise((r) => setTimeout(r, 200));

    // What each agent wrote, moved to this world's working directories.
    const droidDir = `${home}/.factory/sessions/${droidCwd.replaceAll("/", "-")}`;
    Deno.mkdirSync(droidDir, { recursive: true });
    Deno.writeTextFileSync(
      `${droidDir}/${DROID_ID}.jsonl`,
      Deno.readTextFileSync(`${FIXTURES}/droid/${DROID_ID}.jsonl`).replaceAll(
        "/tmp/p2s/repo-droid",
        droidCwd,
      ),
    );
    Deno.copyFileSync(`${FIXTURES}/droid/${DROID_ID}.settings.json`, `${droidDir}/${DROID_ID}.settings.json`);
    // The custom model stands for a model with list prices.
    const factory = JSON.parse(Deno.readTextFileSync(`${FIXTURES}/droid/settings.json`));
    factory.customModels[0].model = "claude-sonnet-4-5";
    Deno.writeTextFileSync(`${home}/.factory/settings.json`, JSON.stringify(factory));

    Deno.mkdirSync(`${home}/.local/share/kilo`, { recursive: true });
    const db = new DatabaseSync(`${home}/.local/share/kilo/kilo.db`);
    db.exec(Deno.readTextFileSync(`${FIXTURES}/kilo/in-flight.sql`));
    db.prepare("UPDATE session SET directory = ?, time_updated = ?").run(kiloCwd, Date.now());
    db.exec("UPDATE session SET cost = 0.0123 WHERE parent_id IS NULL");
    db.close();

    Deno.mkdirSync(`${home}/.continue/sessions`, { recursive: true });
    Deno.writeTextFileSync(
      `${home}/.continue/sessions/${CONTINUE_ID}.json`,
      Deno.readTextFileSync(`${FIXTURES}/continue/${CONTINUE_ID}.json`).replaceAll(
        "/tmp/p2s/repo-cont",
        contCwd,
      ),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], env);
    assert.equal(res.code, 0, res.stderr);
    const agents: Json[] = JSON.parse(res.stdout).agents;
    const byPid = (pid: number) => agents.find((a) => a.pid === pid);

    // Droid: one row, the TUI's, its agent loop folded in.
    const droids = agents.filter((a) => a.agent === "droid");
    assert.equal(droids.length, 1);
    const d = byPid(droid.pid);
    assert.deepEqual(d.processes.map((p: Json) => p.role), ["helper"]);
    assert.equal(d.session.id, DROID_ID);
    assert.equal(d.session.linked_by, "cwd");
    assert.equal(d.status, "busy");
    assert.equal(d.session.current_tool.name, "Execute");
    assert.equal(d.session.current_tool.arg, "sleep 300; echo agtop-probe-done");
    assert.equal(d.session.model, "claude-sonnet-4-5");
    assert.deepEqual(d.session.tokens, {
      input: 8000,
      output: 810,
      cache_read: 12010,
      cache_write: 0,
      reasoning: 0,
    });
    assert.equal(d.cost_basis, "api");
    assert.ok(d.cost_usd > 0, "list prices of the model the custom model stands for");

    // Kilo: one row, the native .kilo's; the subagent runs.
    const kilos = agents.filter((a) => a.agent === "kilo");
    assert.equal(kilos.length, 1);
    const k = kilos[0];
    assert.notEqual(k.pid, kilo.pid, "the native binary, not the shim");
    assert.equal(k.session.id, "ses_db3e7e956ffeB0xHmh1IQDqk2k");
    assert.equal(k.session.current_tool.name, "task");
    assert.equal(k.session.current_tool.arg, "Probe subagent (general)");
    assert.equal(k.session.subagents.length, 1);
    assert.equal(k.status, "subagents");
    assert.deepEqual(k.session.tokens, {
      input: 4000,
      output: 320,
      cache_read: 6003,
      cache_write: 0,
      reasoning: 83,
    });
    assert.equal(k.cost_usd, 0.0123);

    // Continue: its call in flight and its own cost.
    const c = byPid(cont.pid);
    assert.equal(c.agent, "continue");
    assert.equal(c.session.id, CONTINUE_ID);
    assert.equal(c.status, "busy");
    assert.equal(c.session.current_tool.name, "Bash");
    assert.equal(c.session.last_prompt, "Run the probe again");
    assert.deepEqual(c.session.tokens, {
      input: 6000,
      output: 480,
      cache_read: 9008,
      cache_write: 0,
      reasoning: 128,
    });
    assert.equal(c.cost_usd, 0.016224);
    assert.equal(c.dangerous, true);

    // Once the processes are gone, --all lists the three sessions.
    // The native Kilo binary with its tool, and Droid's agent loop, would outlive their parents.
    for (const pid of [...descendants(k.pid), k.pid, d.processes[0].pid]) Deno.kill(pid, "SIGKILL");
    for (const s of [droid, kilo, cont]) s.child.kill("SIGKILL");
    await Promise.all([droid, kilo, cont].map((s) => s.child.status));
    await new Promise((r) => setTimeout(r, 100));
    const all = await runAgtop(["ls", "--format", "json", "--sample", "0", "--all", "--since", "2h"], env);
    const gone: Json[] = JSON.parse(all.stdout).agents.filter((a: Json) => a.pid === 0);
    assert.deepEqual(gone.map((a) => `${a.agent}:${a.session.id}`).sort(), [
      `continue:${CONTINUE_ID}`,
      `droid:${DROID_ID}`,
      "kilo:ses_db3e7e956ffeB0xHmh1IQDqk2k",
    ]);
  },
});
