/**
 * Grok CLI, Codebuff, Auggie and oh-my-pi's subagents end to end: node running a script under Grok
 * CLI's package path with a `sh -c` tool child (Grok keeps no session), Codebuff's node launcher and
 * the native binary it starts from `~/.config/manicode/` with a chat (built from its source), node running Auggie's bundle with a session
 * document (built from its format), and oh-my-pi with a session whose `task` subagent is still running
 * (files the real agent wrote), checked through `main.ts ls`.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { ompProjectDir } from "../../agents/vendors/omp/sessions.ts";
import { piFixture } from "../support/pi.ts";

const skip = fakesUnavailable();
if (skip) console.log(`Grok / Codebuff / oh-my-pi subagent end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const IDLE = "setInterval(() => {}, 1 << 30);\n";

Deno.test({
  name:
    "sessions: Grok CLI from its processes, Codebuff as one row, oh-my-pi's running subagent under its parent",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const env = { HOME: world.dir("home") };
    const home = env.HOME;

    // Grok CLI: `node …/.bin/grok`, its bash tool a `/bin/sh -c` child.
    world.script(
      "node_modules/@vibe-kit/grok-cli/dist/index.js",
      `require("child_process").spawn("/bin/sh", ["-c", "sleep 300; echo agtop-probe-done"], { stdio: "ignore" });\n${IDLE}`,
    );
    Deno.symlinkSync("../@vibe-kit/grok-cli/dist/index.js", world.path("node_modules/.bin/grok"));
    const grokCwd = world.dir("home/work/grok-app");
    const grok = world.spawn("node", [world.path("node_modules/.bin/grok")], { cwd: grokCwd, env });

    // Codebuff: the npm launcher and the binary it downloaded into ~/.config/manicode.
    world.dir("home/.config/manicode");
    const binary = world.native("home/.config/manicode/codebuff");
    world.script(
      "node_modules/codebuff/index.js",
      `require("child_process").spawn(${JSON.stringify(binary)}, [], { stdio: "ignore" });\n${IDLE}`,
    );
    Deno.symlinkSync("../codebuff/index.js", world.path("node_modules/.bin/codebuff"));
    const cbCwd = world.dir("home/work/cb-app");
    const launcher = world.spawn("node", [world.path("node_modules/.bin/codebuff")], { cwd: cbCwd, env });

    // oh-my-pi with a background subagent.
    world.script("node_modules/@oh-my-pi/pi-coding-agent/dist/cli.js", IDLE);
    Deno.symlinkSync("../@oh-my-pi/pi-coding-agent/dist/cli.js", world.path("node_modules/.bin/omp"));
    const ompCwd = world.dir("home/work/omp-app");
    const omp = world.spawn("node", [world.path("node_modules/.bin/omp")], { cwd: ompCwd, env });

    // Auggie: node running its one bundled script; its session document (built from the format).
    world.script("node_modules/@augmentcode/auggie/augment.mjs", IDLE);
    Deno.symlinkSync("../@augmentcode/auggie/augment.mjs", world.path("node_modules/.bin/auggie"));
    const auggieCwd = world.dir("home/work/auggie-app");
    const auggie = world.spawn("node", [world.path("node_modules/.bin/auggie")], { cwd: auggieCwd, env });

    await world.waitForDescendants(grok.pid, 2);
    await world.waitForDescendants(launcher.pid, 1);

    const ompId = "01a24c8b-5106-769c-88db-9ae382c41ab7";
    const dir = world.dir(`home/.omp/agent/sessions/${ompProjectDir(ompCwd, home, "/tmp")}`);
    const session = `${dir}/2026-12-06T18-08-48-390Z_${ompId}`;
    Deno.mkdirSync(session);
    await Deno.writeTextFile(`${session}.jsonl`, piFixture("omp", "task-parent-inflight.jsonl", ompCwd));
    await Deno.writeTextFile(`${session}/Prober.jsonl`, piFixture("omp", "task-sub-inflight.jsonl", ompCwd));

    const chat = "2026-12-06T17-00-00.000Z";
    await Deno.writeTextFile(
      `${world.dir(`home/.config/manicode/projects/cb-app/chats/${chat}`)}/chat-messages.json`,
      Deno.readTextFileSync(new URL("../fixtures/codebuff/inflight.json", import.meta.url)),
    );
    const auggieId = "5f0c2d1e-8a3b-4c7d-9e6f-1a2b3c4d5e6f";
    await Deno.writeTextFile(
      `${world.dir("home/.augment/sessions")}/${auggieId}.json`,
      Deno.readTextFileSync(new URL("../fixtures/auggie/inflight.json", import.meta.url)),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], env);
    assert.equal(res.code, 0, res.stderr);
    const rows: Json[] = JSON.parse(res.stdout).agents;
    const mine = (id: string) => rows.filter((a) => a.agent === id && a.cwd?.startsWith(home));

    const [g] = mine("grok");
    assert.ok(g, JSON.stringify(rows.map((a) => [a.pid, a.agent])));
    assert.equal(g.pid, grok.pid);
    assert.equal(g.status, "busy", "its tool's process is alive");
    assert.equal(g.session, null, "Grok CLI keeps no session");
    assert.deepEqual(g.children[0].argv, ["/bin/sh", "-c", "sleep 300; echo agtop-probe-done"]);

    const cb = mine("codebuff");
    assert.equal(cb.length, 1, "launcher and binary are one row");
    assert.equal(cb[0].exe, binary, "the binary's");
    assert.deepEqual(
      cb[0].processes.map((p: Json) => [p.pid, p.role]).filter(([pid]: number[]) => pid === launcher.pid),
      [
        [launcher.pid, "launcher"],
      ],
    );

    assert.equal(cb[0].session.id, chat);
    assert.equal(cb[0].status, "subagents", "its file-picker subagent runs");
    assert.equal(cb[0].session.current_tool.arg, "npm test");
    assert.equal(cb[0].session.tokens_recorded, false);

    const [a] = mine("auggie");
    assert.equal(a.pid, auggie.pid);
    assert.equal(a.session.id, auggieId);
    assert.equal(a.session.linked_by, "start");
    assert.equal(a.status, "busy");
    assert.equal(a.session.current_tool.arg, "npm test");
    assert.equal(a.session.model, "claude-sonnet-4-6");
    assert.ok(Math.abs(a.cost_usd - 0.0163) < 1e-9, "Augment's own dollar cost");

    const [o] = mine("omp");
    assert.equal(o.pid, omp.pid);
    assert.equal(o.session.id, ompId);
    assert.equal(o.status, "subagents", "its turn is over, its subagent runs");
    assert.equal(o.session.subagents.length, 1);
    assert.equal(o.session.subagents[0].id, "Prober");
    assert.equal(o.session.subagents[0].status, "running");
    assert.equal(o.session.subagents[0].current_tool.arg, "sleep 40; echo agtop-probe-done");
    // Parent 202 + 203 and subagent 204 output tokens, each with its reasoning taken out.
    assert.equal(o.session.tokens.output + o.session.tokens.reasoning, 609);
    assert.equal(rows.filter((a) => a.session?.id === ompId).length, 1, "the subagent is no row of its own");
  },
});
