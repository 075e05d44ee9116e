/**
 * Sessions end to end: agent-shaped processes whose HOME and cwd point at transcripts written here
 * from the documented formats, checked through `main.ts ls` as users run it.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "./support/fakes.ts";
import { projectDirName } from "../agents/sessions/claude.ts";

const skip = fakesUnavailable();
if (skip) console.log(`session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const line = (o: unknown) => JSON.stringify(o) + "\n";
const iso = (ms: number) => new Date(ms).toISOString();

/** A Claude Code turn: prompt, then one response of `blocks` with the given usage. */
function claudeTurn(sessionId: string, cwd: string, t: number, blocks: unknown[], stop: string): string {
  const env = {
    sessionId,
    cwd,
    version: "2.1.197",
    gitBranch: "main",
    userType: "external",
    entrypoint: "cli",
  };
  const usage = {
    input_tokens: 3,
    cache_creation_input_tokens: 4200,
    cache_read_input_tokens: 21000,
    output_tokens: 187,
  };
  let out = line({
    type: "user",
    uuid: "u1",
    parentUuid: null,
    timestamp: iso(t),
    ...env,
    message: { role: "user", content: "run the tests" },
  });
  blocks.forEach((b, i) => {
    out += line({
      type: "assistant",
      uuid: `a${i}`,
      requestId: "req_1",
      timestamp: iso(t + 100 * (i + 1)),
      ...env,
      message: {
        id: "msg_1",
        role: "assistant",
        model: "claude-sonnet-4-5-20250929",
        content: [b],
        stop_reason: stop,
        usage,
      },
    });
  });
  return out;
}

Deno.test({
  name: "sessions: tool in flight, a finished turn waiting, Codex tokens; cost and context through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const busyCwd = world.dir("work/busy.proj_1");
    const waitCwd = world.dir("work/waiting proj");
    const codexCwd = world.dir("work/svc");
    const codexExe = world.native(
      "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    );

    const busy = world.spawn(exe, [], { cwd: busyCwd, env: { HOME: home } });
    const waiting = world.spawn(exe, ["--model", "sonnet"], { cwd: waitCwd, env: { HOME: home } });
    const codex = world.spawn(codexExe, [], {
      cwd: codexCwd,
      env: { HOME: home, CODEX_HOME: `${home}/.codex` },
    });
    await new Promise((r) => setTimeout(r, 100));

    // Transcripts appear after the processes start, as real agents write them lazily.
    const now = Date.now();
    const busyId = "11111111-1111-4111-8111-111111111111";
    const waitId = "22222222-2222-4222-8222-222222222222";
    const busyDir = world.dir(`home/.claude/projects/${projectDirName(busyCwd)}`);
    const waitDir = world.dir(`home/.claude/projects/${projectDirName(waitCwd)}`);
    await Deno.writeTextFile(
      `${busyDir}/${busyId}.jsonl`,
      claudeTurn(busyId, busyCwd, now - 2000, [
        { type: "text", text: "Running the tests.\u001b[2J" },
        {
          type: "tool_use",
          id: "toolu_1",
          name: "Bash",
          input: { command: "npm test", description: "Run tests" },
        },
      ], "tool_use"),
    );
    await Deno.writeTextFile(
      `${waitDir}/${waitId}.jsonl`,
      claudeTurn(waitId, waitCwd, now - 60_000, [{ type: "text", text: "All 12 tests pass." }], "end_turn") +
        line({
          type: "system",
          subtype: "turn_duration",
          durationMs: 1500,
          timestamp: iso(now - 59_000),
          sessionId: waitId,
        }),
    );
    const threadId = "019a0000-0000-7000-8000-00000000c0de";
    const d = new Date(now);
    const two = (n: number) => String(n).padStart(2, "0");
    const dateDir = world.dir(
      `home/.codex/sessions/${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`,
    );
    const usage = {
      input_tokens: 10011,
      cached_input_tokens: 8011,
      output_tokens: 311,
      reasoning_output_tokens: 61,
      total_tokens: 10322,
    };
    const tokenCount = {
      type: "token_count",
      info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 258400 },
    };
    await Deno.writeTextFile(
      `${dateDir}/rollout-${d.getFullYear()}-${two(d.getMonth() + 1)}-${
        two(d.getDate())
      }T00-00-00-${threadId}.jsonl`,
      [
        {
          type: "session_meta",
          payload: { id: threadId, session_id: threadId, cwd: codexCwd, cli_version: "0.169.0" },
        },
        { type: "event_msg", payload: { type: "task_started", turn_id: "t1", model_context_window: 258400 } },
        { type: "turn_context", payload: { turn_id: "t1", cwd: codexCwd, model: "gpt-5.2-codex" } },
        {
          type: "response_item",
          payload: {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "fix the build" }],
          },
        },
        { type: "event_msg", payload: tokenCount },
        { type: "event_msg", payload: tokenCount }, // a re-emit: must not be counted twice
        {
          type: "event_msg",
          payload: { type: "task_complete", turn_id: "t1", last_agent_message: "Build fixed." },
        },
      ].map((p, i) => line({ timestamp: iso(now - 5000 + i), ordinal: i, ...p })).join(""),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const agents: Json[] = JSON.parse(res.stdout).agents;
    const byPid = (pid: number) => agents.find((a) => a.pid === pid);

    const b = byPid(busy.pid);
    assert.equal(b.session.id, busyId);
    assert.equal(b.session.linked_by, "cwd");
    assert.equal(b.session.model, "claude-sonnet-4-5-20250929");
    assert.deepEqual(b.session.current_tool, {
      name: "Bash",
      arg: "npm test",
      id: "toolu_1",
      started_at: b.session.current_tool.started_at,
    });
    assert.equal(b.session.last_prompt, "run the tests");
    assert.equal(b.status, "busy");
    // One response written as two lines: counted once.
    assert.deepEqual(b.session.tokens, {
      input: 3,
      output: 187,
      cache_read: 21000,
      cache_write: 4200,
      reasoning: 0,
    });
    // 3×$3 + 187×$15 + 21000×$0.30 + 4200×$3.75 per million
    assert.ok(Math.abs(b.cost_usd - 0.024864) < 1e-6, String(b.cost_usd));
    assert.equal(b.cost_basis, "api");
    assert.equal(b.context_limit, 200000);
    assert.ok(Math.abs(b.context_percent - 12.6015) < 1e-3, String(b.context_percent));
    assert.ok(b.session.activity.every((e: Json) => !e.text.includes("\u001b")), "escape sequences stripped");

    const w = byPid(waiting.pid);
    assert.equal(w.session.id, waitId);
    assert.equal(w.session.current_tool, null);
    assert.equal(w.session.turn, "ended");
    assert.equal(w.status, "waiting");

    const c = byPid(codex.pid);
    assert.equal(c.agent, "codex");
    assert.equal(c.session.id, threadId);
    assert.equal(c.session.model, "gpt-5.2-codex");
    assert.deepEqual(c.session.tokens, {
      input: 2000,
      output: 250,
      cache_read: 8011,
      cache_write: 0,
      reasoning: 61,
    });
    // 2000×$1.75 + 8011×$0.175 + (250 + 61)×$14 per million
    assert.ok(Math.abs(c.cost_usd - 0.009255925) < 1e-6, String(c.cost_usd));
    assert.equal(c.context_limit, 258400);
    assert.equal(c.status, "waiting");

    // A price override replaces the bundled rates: 3 in + 187 out + 21000 read + 4200 write at $1/$2/$0.1/$1.
    const prices = `${world.root}/prices.toml`;
    await Deno.writeTextFile(
      prices,
      '[models."claude-sonnet-4-5"]\ninput = 1.0\noutput = 2.0\ncache_read = 0.1\ncache_write = 1.0\n',
    );
    const priced = await runAgtop(["ls", "--format", "json", "--sample", "0", "--prices", prices], {
      HOME: home,
    });
    const overridden = JSON.parse(priced.stdout).agents.find((a: Json) => a.pid === busy.pid);
    assert.ok(Math.abs(overridden.cost_usd - (3 * 1 + 187 * 2 + 21000 * 0.1 + 4200 * 1) / 1e6) < 1e-6);

    // The table shows what each one is doing.
    const table = await runAgtop(["ls", "--sample", "0", "--filter", "proj"], { HOME: home, COLUMNS: "160" });
    assert.match(
      table.stdout,
      /● busy\s+Claude Code\s+\d+\s+busy\.proj_1\s+claude-sonnet-4-5…?\s+Bash: npm test/,
    );
    assert.match(table.stdout, /◆ waiting\s+Claude Code/);

    // Once the processes are gone, --all still lists the sessions as done.
    for (const s of [busy, waiting, codex]) s.child.kill("SIGKILL");
    await Promise.all([busy, waiting, codex].map((s) => s.child.status));
    const all = await runAgtop(["ls", "--format", "json", "--sample", "0", "--all", "--since", "2h"], {
      HOME: home,
    });
    const gone: Json[] = JSON.parse(all.stdout).agents.filter((a: Json) => a.pid === 0);
    assert.deepEqual(gone.map((a) => a.session.id).sort(), [busyId, waitId, threadId].sort());
    assert.ok(gone.every((a) => a.status === "done"));
    const live = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(JSON.parse(live.stdout).agents.filter((a: Json) => a.pid === 0).length, 0);
  },
});
