/**
 * Sessions end to end: agent-shaped processes whose HOME and cwd point at transcripts written here
 * from the documented formats, checked through `main.ts ls` as users run it.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { projectDirName } from "../../agents/vendors/claude/sessions.ts";

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
      /● busy\s+(?:\d+[smhd]\s+)?Claude Code\s+\d+\s+busy\.proj_1\s+claude-sonnet-4-5…?\s+Bash: npm test/,
    );
    assert.match(table.stdout, /◆ waiting\s+(?:\d+[smhd]\s+)?Claude Code/);

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

Deno.test({
  name:
    "sessions: a rate-limited Claude Code, a Codex with rate limits; phrase, cache warmth and burn through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const codexExe = world.native(
      "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    );
    const claudeCwd = world.dir("work/limited");
    const codexCwd = world.dir("work/quota");
    const claude = world.spawn(exe, [], { cwd: claudeCwd, env: { HOME: home } });
    const codex = world.spawn(codexExe, [], {
      cwd: codexCwd,
      env: { HOME: home, CODEX_HOME: `${home}/.codex` },
    });
    await new Promise((r) => setTimeout(r, 100));

    const now = Date.now();
    const resetSec = Math.floor(now / 1000) + 2 * 3600;
    const claudeId = "33333333-3333-4333-8333-333333333333";
    const env = { sessionId: claudeId, cwd: claudeCwd, version: "2.1.197", userType: "external" };
    const dir = world.dir(`home/.claude/projects/${projectDirName(claudeCwd)}`);
    const usage = {
      input_tokens: 4,
      cache_creation_input_tokens: 30000,
      cache_read_input_tokens: 0,
      output_tokens: 250,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 30000 },
    };
    await Deno.writeTextFile(
      `${dir}/${claudeId}.jsonl`,
      [
        {
          type: "user",
          timestamp: iso(now - 120_000),
          ...env,
          message: { role: "user", content: "refactor" },
        },
        {
          type: "assistant",
          timestamp: iso(now - 100_000),
          requestId: "req_1",
          ...env,
          message: {
            id: "msg_1",
            model: "claude-sonnet-4-5-20250929",
            content: [{ type: "text", text: "Done." }],
            stop_reason: "end_turn",
            usage,
          },
        },
        {
          type: "user",
          timestamp: iso(now - 60_000),
          ...env,
          message: { role: "user", content: "now tests" },
        },
        {
          type: "assistant",
          timestamp: iso(now - 59_000),
          isApiErrorMessage: true,
          ...env,
          message: {
            id: "msg_err",
            model: "<synthetic>",
            content: [{ type: "text", text: `Claude AI usage limit reached|${resetSec}` }],
            stop_reason: "stop_sequence",
          },
        },
      ].map(line).join(""),
    );

    const threadId = "019a0000-0000-7000-8000-00000000beef";
    const d = new Date(now);
    const two = (n: number) => String(n).padStart(2, "0");
    const dateDir = world.dir(
      `home/.codex/sessions/${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`,
    );
    const total = {
      input_tokens: 12000,
      cached_input_tokens: 9000,
      output_tokens: 400,
      reasoning_output_tokens: 100,
      total_tokens: 12400,
    };
    await Deno.writeTextFile(
      `${dateDir}/rollout-${d.getFullYear()}-${two(d.getMonth() + 1)}-${
        two(d.getDate())
      }T00-00-00-${threadId}.jsonl`,
      [
        { type: "session_meta", payload: { id: threadId, session_id: threadId, cwd: codexCwd } },
        { type: "event_msg", payload: { type: "task_started", turn_id: "t1", model_context_window: 258400 } },
        { type: "turn_context", payload: { turn_id: "t1", cwd: codexCwd, model: "gpt-5.2-codex" } },
        {
          type: "token_usage_record",
          payload: { thread_id: threadId, turn_id: "t1", usage: total, thread_token_usage: total },
        },
        {
          type: "event_msg",
          payload: {
            type: "token_count",
            info: { total_token_usage: total, last_token_usage: total, model_context_window: 258400 },
            rate_limits: {
              limit_id: "codex",
              primary: { used_percent: 42.5, window_minutes: 300, resets_at: resetSec },
              secondary: { used_percent: 12, window_minutes: 10080, resets_at: resetSec + 86400 },
              plan_type: "plus",
            },
          },
        },
        {
          type: "response_item",
          payload: {
            type: "function_call",
            name: "exec_command",
            arguments: '{"cmd":"npm test"}',
            call_id: "c1",
          },
        },
      ].map((p, i) => line({ timestamp: iso(now - 30_000 + i), ordinal: i, ...p })).join(""),
    );

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const doc = JSON.parse(res.stdout);
    const byPid = (pid: number) => doc.agents.find((a: Json) => a.pid === pid);

    const c = byPid(claude.pid);
    assert.equal(c.session.id, claudeId);
    assert.equal(c.status, "limited");
    assert.equal(c.session.limited_until, iso(resetSec * 1000));
    assert.deepEqual(c.session.rate_limits, [
      { name: "usage", used_percent: 100, window_minutes: null, resets_at: iso(resetSec * 1000), plan: null },
    ]);
    assert.match(c.phrase, /^rate-limited until (\w{3} )?\d\d:\d\d$/);
    assert.equal(c.cache.ttl_ms, 3_600_000, "1-hour cache writes");
    assert.equal(c.cache.warm, true);
    assert.equal(c.cache.last_request_at, iso(now - 100_000));
    // 30004 context tokens re-written at the 1-hour rate: 2 × $3 per million.
    assert.ok(Math.abs(c.cache.cold_cost_usd - 30004 * 6 / 1e6) < 1e-9, String(c.cache.cold_cost_usd));
    assert.ok(c.burn.tokens_per_min > 0);
    const hour = Math.floor((now - 100_000) / 3_600_000) * 3_600_000;
    assert.equal(c.burn.block.start, iso(hour));
    assert.equal(c.burn.block.end, iso(hour + 5 * 3_600_000));
    assert.equal(c.burn.block.tokens, 4 + 30000 + 250);

    const x = byPid(codex.pid);
    assert.equal(x.session.id, threadId);
    assert.equal(x.status, "busy");
    assert.equal(x.phrase, "running npm test");
    assert.deepEqual(
      x.session.rate_limits.map((r: Json) => [r.name, r.used_percent, r.window_minutes, r.plan]),
      [
        ["primary", 42.5, 300, "plus"],
        ["secondary", 12, 10080, "plus"],
      ],
    );
    assert.equal(x.session.rate_limits[0].resets_at, iso(resetSec * 1000));
    assert.equal(x.cache.warm, true, "30 s after the last request, 5-minute default");
    assert.equal(x.burn.block, null, "no usage blocks for Codex");
    // 12000 input (9000 cached) + 400 output (100 reasoning) = 12400 tokens in the last 10 minutes.
    assert.ok(Math.abs(x.burn.tokens_per_min - 12400 / 10) < 1e-9, String(x.burn.tokens_per_min));

    assert.equal(doc.aggregates.by_status.limited, 1);
    assert.ok(Math.abs(doc.aggregates.burn.tokens_per_min - c.burn.tokens_per_min - 1240) < 1e-9);
    assert.equal(doc.aggregates.burn.block.start, iso(hour));

    const table = await runAgtop(["ls", "--sample", "0", "--filter", "limited"], {
      HOME: home,
      COLUMNS: "160",
    });
    assert.match(table.stdout, /⊘ limited\s+(?:\d+[smhd]\s+)?Claude Code/);
  },
});
