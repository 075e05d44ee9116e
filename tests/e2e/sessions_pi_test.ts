/**
 * pi and oh-my-pi end to end: a node process that titles itself `pi` (as pi does) with a shell tool
 * child, and node running a script under oh-my-pi's package path, each with a session file written
 * by the real agent (fixtures) in a temp HOME, checked through `main.ts ls` as users run it.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { piProjectDir } from "../../agents/vendors/pi/sessions.ts";
import { ompProjectDir } from "../../agents/vendors/omp/sessions.ts";
import { piFixture } from "../support/pi.ts";

const skip = fakesUnavailable();
if (skip) console.log(`pi session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

/** Sets the process title as pi does, then runs `$FAKE_TOOL` seconds of `sleep` as its shell tool. */
const PI_SCRIPT = `process.title = "pi";
if (process.env.FAKE_TOOL) require("child_process").spawn("/bin/sleep", [process.env.FAKE_TOOL], { stdio: "ignore" });
setInterval(() => {}, 1 << 30);
`;

Deno.test({
  name: "sessions: pi and oh-my-pi joined with their session files; status, tool, tokens, cost through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const piScript = world.script("lib/pi.cjs", PI_SCRIPT);
    world.script("node_modules/@oh-my-pi/pi-coding-agent/dist/cli.js", "setInterval(() => {}, 1 << 30);\n");
    Deno.symlinkSync("../@oh-my-pi/pi-coding-agent/dist/cli.js", world.path("node_modules/.bin/omp"));
    const piCwd = world.dir("home/work/pi-app");
    const ompCwd = world.dir("home/work/omp-app");

    const piAgent = world.spawn("node", [piScript], { cwd: piCwd, env: { HOME: home, FAKE_TOOL: "300" } });
    const ompAgent = world.spawn("node", [`${world.root}/node_modules/.bin/omp`], {
      cwd: ompCwd,
      env: { HOME: home },
    });
    await world.waitForDescendants(piAgent.pid, 1);
    // pi's title is set once its script runs: wait for it.
    for (let i = 0; i < 250; i++) {
      if (Deno.readTextFileSync(`/proc/${piAgent.pid}/comm`).trim() === "pi") break;
      await new Promise((r) => setTimeout(r, 20));
    }

    // Sessions are written after the processes start, as the agents do.
    const piId = "01a24c19-0a65-73f7-a525-a83a38eaaa26";
    await Deno.writeTextFile(
      world.path(`home/.pi/agent/sessions/${piProjectDir(piCwd)}/2026-12-06T16-03-59-206Z_${piId}.jsonl`),
      piFixture("pi", "inflight.jsonl", piCwd),
    );
    const ompId = "01a24c19-7cf8-75ed-97df-11762905ff91";
    await Deno.writeTextFile(
      world.path(
        `home/.omp/agent/sessions/${
          ompProjectDir(ompCwd, home, "/tmp")
        }/2026-12-06T16-04-28-536Z_${ompId}.jsonl`,
      ),
      piFixture("omp", "done.jsonl", ompCwd),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const rows: Json[] = JSON.parse(res.stdout).agents;
    const row = (pid: number) => {
      const r = rows.find((a) => a.pid === pid);
      assert.ok(r, `pid ${pid} in ${JSON.stringify(rows.map((a) => [a.pid, a.agent]))}`);
      return r;
    };

    const p = row(piAgent.pid);
    assert.equal(p.agent, "pi");
    assert.equal(p.status, "busy");
    assert.equal(p.session.id, piId);
    assert.equal(p.session.linked_by, "cwd");
    assert.equal(p.session.model, "mock-model");
    assert.deepEqual(p.session.current_tool, {
      name: "bash",
      arg: "sleep 45; echo agtop-probe-done",
      id: "call_1",
      started_at: new Date(1796573049287).toISOString(),
    });
    assert.deepEqual(p.session.tokens, {
      input: 2000,
      output: 201,
      cache_read: 3001,
      cache_write: 0,
      reasoning: 0,
    });
    assert.equal(p.cost_usd, 0.0099153, "pi's own recorded cost");
    assert.deepEqual(p.children.map((c: Json) => c.argv), [["/bin/sleep", "300"]]);

    const o = row(ompAgent.pid);
    assert.equal(o.agent, "omp");
    assert.equal(o.status, "waiting");
    assert.equal(o.session.id, ompId);
    assert.equal(o.session.title, "Mock title");
    assert.equal(o.session.turn, "ended");
    assert.equal(o.session.current_tool, null);
    assert.deepEqual(o.session.tokens, {
      input: 8000,
      output: 640,
      cache_read: 12014,
      cache_write: 0,
      reasoning: 174,
    });
    assert.ok(
      Math.abs(o.cost_usd - (0.0099306 + 0.0099459 + 0.0099612 + 0.0099765)) < 1e-9,
      String(o.cost_usd),
    );

    const table = await runAgtop(["ls", "--sample", "0"], { HOME: home, COLUMNS: "200" });
    assert.match(
      table.stdout,
      /● busy\s+(?:\d+[smhd]\s+)?pi\s+\d+\s+pi-app\s+mock-model\s+bash: sleep 45; echo agtop-probe-done/,
    );
    assert.match(table.stdout, /◆ waiting\s+(?:\d+[smhd]\s+)?oh-my-pi\s+\d+\s+omp-app\s+mock-model/);
  },
});
