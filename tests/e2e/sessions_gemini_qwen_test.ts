/**
 * Gemini CLI and Qwen Code sessions end to end: node processes shaped like the real agents (npm
 * package scripts that relaunch themselves, a shell tool child), HOME and cwd pointing at chat files
 * written here from the documented formats, checked through `main.ts ls` as users run it.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { sha256Hex } from "../../agents/formats/hash.ts";
import { qwenProjectDir } from "../../agents/vendors/qwen/sessions.ts";

const skip = fakesUnavailable();
if (skip) console.log(`gemini/qwen session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const line = (o: unknown) => JSON.stringify(o) + "\n";
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A node script at `pkg` that relaunches itself once (as Gemini CLI and Qwen Code do, marking the
 * child with `marker`); the relaunched process starts `$FAKE_TOOL` (a shell tool) when set.
 */
function agentScript(marker: string): string {
  return `const cp = require("child_process");
if (!process.env.${marker}) {
  cp.spawn(process.execPath, [process.argv[1], ...process.argv.slice(2)],
    { stdio: "ignore", env: { ...process.env, ${marker}: "true" } });
} else if (process.env.FAKE_TOOL) {
  cp.spawn("/bin/sleep", [process.env.FAKE_TOOL], { stdio: "ignore" });
}
setInterval(() => {}, 1 << 30);
`;
}

const GEMINI_MODEL = "gemini-2.5-pro";
const QWEN_MODEL = "qwen3-coder-plus";

/** A Gemini CLI chat: prompt, then the answer that asked for a tool (written before the tool runs). */
function geminiChat(sessionId: string, cwd: string, t: number, finished: boolean): string {
  const answer = {
    id: "g1",
    timestamp: iso(t + 2000),
    type: "gemini",
    content: "I'll run the tests first.",
    model: GEMINI_MODEL,
    thoughts: [],
    tokens: { input: 7020, output: 170, cached: 5020, thoughts: 80, tool: 0, total: 7270 },
  };
  let out = line({
    sessionId,
    projectHash: sha256Hex(cwd),
    startTime: iso(t),
    lastUpdated: iso(t),
    kind: "main",
  }) +
    line({
      $set: { messages: [{ id: "c0", timestamp: iso(t), type: "user", content: "<session_context>…" }] },
    }) +
    line({
      id: "u1",
      timestamp: iso(t + 1000),
      type: "user",
      content: [{ text: "add a unit test for parser.ts" }],
    }) +
    line(answer);
  if (!finished) return out;
  const call = {
    id: "sh1",
    name: "run_shell_command",
    args: { command: "npm test" },
    status: "success",
    timestamp: iso(t + 9000),
  };
  out += line({ ...answer, toolCalls: [call] }) + // the same message again, now with its finished call
    line({
      id: "r1",
      timestamp: iso(t + 9000),
      type: "user",
      content: [{ functionResponse: { id: "sh1", name: "run_shell_command", response: { output: "ok" } } }],
    }) +
    line({
      id: "g2",
      timestamp: iso(t + 11000),
      type: "gemini",
      content: "All tests pass.",
      model: GEMINI_MODEL,
      tokens: { input: 7400, output: 60, cached: 7000, thoughts: 0, tool: 0, total: 7460 },
    }) +
    line({ $set: { lastUpdated: iso(t + 11000) } });
  return out;
}

/** A Qwen Code chat: prompt, a shell call; when `finished`, its result and the answer. */
function qwenChat(sessionId: string, cwd: string, t: number, finished: boolean): string {
  const env = (uuid: string, dt: number) => ({
    uuid,
    parentUuid: null,
    sessionId,
    timestamp: iso(t + dt),
    cwd,
    version: "0.15.10",
  });
  let out = line({
    ...env("u1", 0),
    type: "user",
    message: { role: "user", parts: [{ text: "fix the login bug" }] },
  }) +
    line({
      ...env("a1", 2000),
      type: "assistant",
      model: QWEN_MODEL,
      contextWindowSize: 131072,
      message: {
        role: "model",
        parts: [
          { text: "Running the tests." },
          { functionCall: { id: "call_1", name: "run_shell_command", args: { command: "npm test" } } },
        ],
      },
      usageMetadata: {
        promptTokenCount: 12000,
        candidatesTokenCount: 300,
        thoughtsTokenCount: 100,
        cachedContentTokenCount: 8000,
        totalTokenCount: 12300,
      },
    }) +
    line({
      ...env("x1", 2001),
      type: "system",
      subtype: "ui_telemetry",
      systemPayload: {
        uiEvent: {
          "event.name": "qwen-code.api_response",
          response_id: "r-a1",
          model: QWEN_MODEL,
          input_token_count: 12000,
          output_token_count: 300,
          cached_content_token_count: 8000,
          thoughts_token_count: 100,
          total_token_count: 12300,
        },
      },
    });
  if (!finished) return out;
  out += line({
    ...env("t1", 9000),
    type: "tool_result",
    message: {
      role: "user",
      parts: [{
        functionResponse: { id: "call_1", name: "run_shell_command", response: { output: "12 passing" } },
      }],
    },
    toolCallResult: { callId: "call_1", status: "success" },
  }) +
    line({
      ...env("a2", 11000),
      type: "assistant",
      model: QWEN_MODEL,
      contextWindowSize: 131072,
      message: { role: "model", parts: [{ text: "All 12 tests pass." }] },
      usageMetadata: {
        promptTokenCount: 12500,
        candidatesTokenCount: 40,
        cachedContentTokenCount: 12000,
        totalTokenCount: 12540,
      },
    });
  return out;
}

Deno.test({
  name: "sessions: Gemini CLI and Qwen Code agents joined with their chats; tokens, status, cost through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const geminiHome = world.dir("gemini-home");
    world.script("node_modules/@google/gemini-cli/dist/index.js", agentScript("GEMINI_CLI_NO_RELAUNCH"));
    Deno.symlinkSync("../@google/gemini-cli/dist/index.js", world.path("node_modules/.bin/gemini"));
    world.script("node_modules/@qwen-code/qwen-code/cli.js", agentScript("QWEN_CODE_NO_RELAUNCH"));
    Deno.symlinkSync("../@qwen-code/qwen-code/cli.js", world.path("node_modules/.bin/qwen"));
    const gemini = `${world.root}/node_modules/.bin/gemini`;
    const qwen = `${world.root}/node_modules/.bin/qwen`;

    const webApp = world.dir("work/web-app");
    const docs = world.dir("work/docs site");
    const apiSrv = world.dir("work/api_srv");
    const shop = world.dir("work/shop");
    const waitId = "7d0c5e2a-1b3c-4d5e-8f90-a1b2c3d4e5f6";
    const agents = {
      // A Gemini CLI whose shell tool runs (its child), in a project known by projects.json.
      geminiBusy: world.spawn("node", [gemini], { cwd: webApp, env: { HOME: home, FAKE_TOOL: "300" } }),
      // A Gemini CLI with its own GEMINI_CLI_HOME, resumed by id, waiting for the next prompt.
      geminiWait: world.spawn("node", [gemini, "--session-id", waitId], {
        cwd: docs,
        env: { HOME: home, GEMINI_CLI_HOME: geminiHome },
      }),
      // A Qwen Code whose transcript shows a call without a result.
      qwenBusy: world.spawn("node", [qwen, "--yolo"], { cwd: apiSrv, env: { HOME: home } }),
      // A Qwen Code whose turn ended.
      qwenWait: world.spawn("node", [qwen], { cwd: shop, env: { HOME: home } }),
    };
    const mains: Record<string, number> = {};
    for (const [name, s] of Object.entries(agents)) {
      const found = await world.waitForDescendants(s.pid, name === "geminiBusy" ? 2 : 1);
      mains[name] = found[0];
    }

    // Chats appear after the processes start, as the agents write them lazily.
    const now = Date.now();
    const busyId = "bd11986c-d8d4-4c5e-9a4f-0d3c1b2a7e6f";
    await Deno.writeTextFile(
      world.path("home/.gemini/projects.json"),
      JSON.stringify({ projects: { [webApp]: "web-app" } }),
    );
    await Deno.writeTextFile(
      world.path(`home/.gemini/tmp/web-app/chats/session-2026-11-24T03-32-${busyId.slice(0, 8)}.jsonl`),
      geminiChat(busyId, webApp, now - 5000, false),
    );
    await Deno.writeTextFile(world.path("gemini-home/.gemini/tmp/docs-site/.project_root"), docs);
    await Deno.writeTextFile(
      world.path(
        `gemini-home/.gemini/tmp/docs-site/chats/session-2026-11-20T08-00-${waitId.slice(0, 8)}.jsonl`,
      ),
      geminiChat(waitId, docs, now - 60_000, true),
    );
    const qwenBusyId = "e351e2a0-7c1d-4f2e-9a3b-5c6d7e8f9a0b";
    const qwenWaitId = "0f1e2d3c-4b5a-4968-8776-655443322110";
    await Deno.writeTextFile(
      world.path(`home/.qwen/projects/${qwenProjectDir(apiSrv)}/chats/${qwenBusyId}.jsonl`),
      qwenChat(qwenBusyId, apiSrv, now - 3000, false),
    );
    await Deno.writeTextFile(
      world.path(`home/.qwen/projects/${qwenProjectDir(shop)}/chats/${qwenWaitId}.jsonl`),
      qwenChat(qwenWaitId, shop, now - 60_000, true),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const rows: Json[] = JSON.parse(res.stdout).agents;
    const row = (name: string) => {
      const r = rows.find((a) => a.pid === mains[name]);
      assert.ok(r, `${name} (pid ${mains[name]}) in ${JSON.stringify(rows.map((a) => [a.pid, a.agent]))}`);
      return r;
    };
    const geminiTokens1 = { input: 2000, output: 170, cache_read: 5020, cache_write: 0, reasoning: 80 };

    const gb = row("geminiBusy");
    assert.equal(gb.agent, "gemini");
    assert.equal(gb.session.id, busyId);
    assert.equal(gb.session.linked_by, "cwd");
    assert.equal(gb.session.model, GEMINI_MODEL);
    assert.equal(gb.session.last_prompt, "add a unit test for parser.ts");
    assert.deepEqual(gb.session.tokens, geminiTokens1);
    assert.equal(gb.session.current_tool, null, "Gemini CLI does not record a tool before it finished");
    assert.deepEqual(gb.children.map((c: Json) => c.argv), [["/bin/sleep", "300"]]);
    assert.equal(gb.status, "busy", "its tool's process runs");
    // 2000×$1.25 + 5020×$0.125 + (170 + 80)×$10 per million
    assert.ok(Math.abs(gb.cost_usd - 0.0056275) < 1e-9, String(gb.cost_usd));
    assert.equal(gb.cost_basis, "api");
    assert.equal(gb.context_limit, 1048576);

    const gw = row("geminiWait");
    assert.equal(gw.session.id, waitId);
    assert.equal(gw.session.linked_by, "argv");
    assert.equal(gw.session.cwd, docs);
    assert.equal(gw.session.turn, "ended");
    assert.equal(gw.status, "waiting");
    // The answer written twice counts once: g1 + g2.
    assert.deepEqual(gw.session.tokens, {
      input: 2400,
      output: 230,
      cache_read: 12020,
      cache_write: 0,
      reasoning: 80,
    });
    assert.ok(Math.abs(gw.cost_usd - 0.0076025) < 1e-9, String(gw.cost_usd));
    assert.ok(Math.abs(gw.context_percent - (7400 / 1048576) * 100) < 1e-9, String(gw.context_percent));

    const qb = row("qwenBusy");
    assert.equal(qb.agent, "qwen");
    assert.equal(qb.session.id, qwenBusyId);
    assert.equal(qb.session.model, QWEN_MODEL);
    assert.equal(qb.session.last_prompt, "fix the login bug");
    assert.deepEqual(qb.session.current_tool, {
      name: "run_shell_command",
      arg: "npm test",
      id: "call_1",
      started_at: iso(now - 1000),
      asks_first: true,
    });
    assert.equal(qb.status, "busy", "a shell call Qwen Code may confirm first, made a moment ago");
    // The API response's telemetry copy is not counted again; output excludes the 100 thinking tokens.
    assert.deepEqual(qb.session.tokens, {
      input: 4000,
      output: 200,
      cache_read: 8000,
      cache_write: 0,
      reasoning: 100,
    });
    assert.equal(qb.cost_usd, null, "no list price for qwen3-coder-plus");
    assert.equal(qb.cost_basis, "unknown");
    assert.equal(qb.context_limit, 131072);

    const qw = row("qwenWait");
    assert.equal(qw.session.id, qwenWaitId);
    assert.equal(qw.session.turn, "ended");
    assert.equal(qw.status, "waiting");
    assert.deepEqual(qw.session.tokens, {
      input: 4500,
      output: 240,
      cache_read: 20000,
      cache_write: 0,
      reasoning: 100,
    });

    // With a price for the model, Qwen sessions cost: 4500×$1 + 20000×$0.1 + (240 + 100)×$5 per million.
    const prices = world.path("prices.toml");
    await Deno.writeTextFile(
      prices,
      `[models."${QWEN_MODEL}"]\ninput = 1.0\noutput = 5.0\ncache_read = 0.1\ncache_write = 1.25\n`,
    );
    const priced = await runAgtop(["ls", "--format", "json", "--sample", "0", "--prices", prices], {
      HOME: home,
    });
    const qwPriced = JSON.parse(priced.stdout).agents.find((a: Json) => a.pid === mains.qwenWait);
    assert.ok(Math.abs(qwPriced.cost_usd - 0.0082) < 1e-9, String(qwPriced.cost_usd));
    assert.equal(qwPriced.cost_basis, "api");

    // The table says what each one is doing: the tool in flight, or the child's command.
    const table = await runAgtop(["ls", "--sample", "0"], { HOME: home, COLUMNS: "200" });
    assert.match(
      table.stdout,
      /● busy\s+(?:\d+[smhd]\s+)?Gemini CLI\s+\d+\s+web-app\s+gemini-2\.5-pro\s+\/bin\/sleep 300/,
    );
    assert.match(
      table.stdout,
      /● busy\s+(?:\d+[smhd]\s+)?Qwen Code!\s+\d+\s+api_srv\s+qwen3-coder-plus\s+run_shell_command: npm test/,
    );

    // Once the processes are gone, --all lists the sessions as done.
    for (const s of Object.values(agents)) s.child.kill("SIGKILL");
    await Promise.all(Object.values(agents).map((s) => s.child.status));
    for (const pid of Object.values(mains)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    const doneRows = async (env: Record<string, string>) => {
      const all = await runAgtop(["ls", "--format", "json", "--sample", "0", "--all", "--since", "2h"], env);
      const gone: Json[] = JSON.parse(all.stdout).agents.filter((a: Json) => a.pid === 0);
      assert.ok(gone.every((a) => a.status === "done"));
      return gone;
    };
    const byHome = await doneRows({ HOME: home });
    assert.deepEqual(
      byHome.map((a) => `${a.agent}:${a.session.id}`).sort(),
      [`gemini:${busyId}`, `qwen:${qwenBusyId}`, `qwen:${qwenWaitId}`].sort(),
    );
    assert.equal(
      byHome.find((a) => a.session.id === busyId).project,
      "web-app",
      "the project root from projects.json",
    );
    // GEMINI_CLI_HOME moves Gemini CLI's data directory away from HOME.
    const moved = await doneRows({ HOME: home, GEMINI_CLI_HOME: geminiHome });
    assert.deepEqual(moved.filter((a) => a.agent === "gemini").map((a) => a.session.id), [waitId]);
  },
});
