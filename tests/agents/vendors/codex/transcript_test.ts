import assert from "node:assert/strict";
import { codexToolArg, CodexTranscript } from "../../../../agents/vendors/codex/transcript.ts";
import { CodexSessionSource } from "../../../../agents/vendors/codex/sessions.ts";
import { codex } from "../../../../agents/vendors/codex/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";

const FIXTURES = new URL("../../../fixtures/codex/", import.meta.url).pathname;
const THREAD = "019a8b3c-29d1-7a2e-9c1f-3b5d7e9f1a74";
const CHILD = "019a8b3c-4f00-7b11-8d22-aa33bb44cc55";
const PARENT_FILE = `rollout-2026-11-24T03-29-12-${THREAD}.jsonl`;
const CHILD_FILE = `rollout-2026-11-24T03-30-03-${CHILD}.jsonl`;

function fixtureLines(name: string): string[] {
  return Deno.readTextFileSync(FIXTURES + name).split("\n").filter(Boolean);
}

function parse(lines: (string | unknown)[]): CodexTranscript {
  const t = new CodexTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

function line(type: string, payload: Record<string, unknown>, at = "2026-01-10T10:00:00.000Z"): string {
  return JSON.stringify({ timestamp: at, type, payload });
}

function usage(input: number, cached: number, output: number, reasoning: number) {
  return {
    input_tokens: input,
    cached_input_tokens: cached,
    output_tokens: output,
    reasoning_output_tokens: reasoning,
    total_tokens: input + output,
  };
}

Deno.test("codex: tokens are the newest cumulative record, normalised, never summed over re-emits", () => {
  const f = parse(fixtureLines(PARENT_FILE)).facts();
  // Newest thread_token_usage: input 31000 (26000 cached), output 600 (100 reasoning).
  assert.deepEqual(f.tokens, { input: 5000, output: 500, cacheRead: 26000, cacheWrite: 0, reasoning: 100 });
  // Turn A (gpt-5.2-codex): cumulative 20511/18011/431/81; turn B (gpt-5.3-codex): the rest.
  assert.deepEqual({ ...f.tokensByModel }, {
    "gpt-5.2-codex": { input: 2500, output: 350, cacheRead: 18011, cacheWrite: 0, reasoning: 81 },
    "gpt-5.3-codex": { input: 2500, output: 150, cacheRead: 7989, cacheWrite: 0, reasoning: 19 },
  });
  assert.equal(f.contextTokens, 10489);
  assert.equal(f.contextWindow, 258400);
});

Deno.test("codex: thread facts from the fixture", () => {
  const t = parse(fixtureLines(PARENT_FILE));
  const f = t.facts();
  assert.equal(f.id, THREAD);
  assert.equal(f.cwd, "/home/me/svc");
  assert.equal(f.gitBranch, "main");
  assert.equal(f.model, "gpt-5.3-codex");
  assert.equal(f.title, "run the tests");
  assert.equal(f.lastPrompt, "spawn a helper to check the docs");
  assert.equal(f.turn, "working");
  assert.equal(f.startedAt, Date.parse("2026-11-24T03:29:12.825Z"));
  assert.equal(f.lastActivity, Date.parse("2026-11-24T03:30:05.000Z"));
  assert.deepEqual(f.currentTool, {
    name: "exec_command",
    arg: "sleep 30 && make docs",
    id: "call_22",
    startedAt: Date.parse("2026-11-24T03:30:05.000Z"),
  });
  assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.description, s.status, s.model]), [
    [CHILD, "Noether", "check the docs", "running", "gpt-5.2-codex-mini"],
  ]);
  assert.equal(t.meta?.subagent, false);
  assert.deepEqual(f.activity.map((e) => `${e.kind} ${e.text}`), [
    "thinking Planning the test run",
    "tool exec_command: npm test",
    "result Process exited with code 0: 2 passing",
    "text All tests pass.",
    "prompt spawn a helper to check the docs",
    "tool spawn_agent: check the docs",
    "result spawned Noether",
    "tool exec_command: sleep 30 && make docs",
  ]);
  assert.equal(f.malformedLines, 0);
});

Deno.test("codex: task_started → working, task_complete → ended, aborted → ended", () => {
  const lines = fixtureLines(PARENT_FILE);
  const upTo = (ordinal: number) => parse(lines.slice(0, ordinal + 1)).facts();
  assert.equal(upTo(0).turn, "unknown");
  assert.equal(upTo(1).turn, "working");
  assert.equal(upTo(8).currentTool?.arg, "npm test"); // function_call without output yet
  assert.equal(upTo(10).currentTool, null);
  const done = upTo(15);
  assert.equal(done.turn, "ended");
  assert.equal(done.stopReason, "task_complete");
  const aborted = parse([...lines, line("event_msg", { type: "turn_aborted", reason: "interrupted" })])
    .facts();
  assert.equal(aborted.turn, "ended");
  assert.equal(aborted.currentTool, null);
  assert.equal(aborted.stopReason, "interrupted");
});

Deno.test("codex: older rollouts — token_count re-emits are not double counted", () => {
  const count = (total: ReturnType<typeof usage> | null, last: ReturnType<typeof usage> | null) =>
    line("event_msg", {
      type: "token_count",
      info: total ? { total_token_usage: total, last_token_usage: last, model_context_window: 200000 } : null,
    });
  const first = usage(1000, 400, 100, 0);
  const second = usage(2500, 1400, 300, 40);
  const f = parse([
    line("session_meta", { id: "old", cwd: "/w", git: { branch: "dev" } }),
    line("turn_context", { cwd: "/w", model: "gpt-5-codex", effort: "high" }),
    line("event_msg", { type: "user_message", message: "fix the build", images: [] }),
    line("response_item", {
      type: "function_call",
      name: "shell",
      arguments: JSON.stringify({ command: ["bash", "-lc", "make"] }),
      call_id: "c1",
    }),
    count(first, first),
    count(first, first), // re-emit (rate-limit refresh)
    line("response_item", {
      type: "function_call_output",
      call_id: "c1",
      output: JSON.stringify({ output: "make: ok\n", metadata: { exit_code: 0 } }),
    }),
    count(null, null),
    count(second, usage(1500, 1000, 200, 40)),
    count(second, usage(1500, 1000, 200, 40)),
    count(second, usage(1500, 1000, 200, 40)),
    line("event_msg", { type: "agent_message", message: "Built." }),
    line("event_msg", { type: "task_complete", last_agent_message: "Built." }),
  ]).facts();
  assert.deepEqual(f.tokens, { input: 1100, output: 260, cacheRead: 1400, cacheWrite: 0, reasoning: 40 });
  assert.deepEqual({ ...f.tokensByModel }, { "gpt-5-codex": f.tokens });
  assert.equal(f.contextTokens, 1500);
  assert.equal(f.contextWindow, 200000);
  assert.equal(f.lastPrompt, "fix the build");
  assert.equal(f.gitBranch, "dev");
  assert.equal(f.turn, "ended");
  assert.deepEqual(f.activity.map((e) => `${e.kind} ${e.text}`), [
    "prompt fix the build",
    "tool shell: make",
    "result make: ok",
  ]);
});

Deno.test("codex: token_usage_record wins over lagging token_count; other threads' records are ignored", () => {
  const f = parse([
    line("session_meta", { id: "me", cwd: "/w" }),
    line("turn_context", { turn_id: "t1", model: "m1" }),
    line("token_usage_record", {
      thread_id: "parent",
      turn_id: "t0",
      thread_token_usage: usage(9999, 0, 999, 0),
    }),
    line("token_usage_record", {
      thread_id: "me",
      turn_id: "t1",
      usage: usage(100, 0, 10, 0),
      thread_token_usage: usage(100, 0, 10, 0),
    }),
    line("event_msg", {
      type: "token_count",
      info: { total_token_usage: usage(50, 0, 5, 0), last_token_usage: usage(50, 0, 5, 0) },
    }),
  ]).facts();
  assert.deepEqual(f.tokens, { input: 100, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.equal(f.contextTokens, 100);
});

Deno.test("codex: a cumulative count that goes down starts the per-model split again", () => {
  const f = parse([
    line("turn_context", { model: "parent-model" }),
    line("event_msg", { type: "token_count", info: { total_token_usage: usage(5000, 0, 500, 0) } }),
    line("turn_context", { model: "child-model" }),
    line("event_msg", { type: "token_count", info: { total_token_usage: usage(300, 0, 30, 0) } }),
  ]).facts();
  assert.deepEqual(f.tokens, { input: 300, output: 30, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["child-model"]);
});

Deno.test("codex: subagent notifications and agent states finish subagents", () => {
  const lines = fixtureLines(PARENT_FILE);
  const note = line("response_item", {
    type: "message",
    role: "user",
    content: [{
      type: "input_text",
      text:
        `<subagent_notification>{"agent_path":"${CHILD}","status":{"completed":"done"}}</subagent_notification>`,
    }],
  });
  assert.equal(parse([...lines, note]).facts().subagents[0].status, "done");
  const waited = line("event_msg", {
    type: "item_completed",
    item: {
      type: "CollabAgentToolCall",
      tool: "wait",
      receiver_thread_ids: [CHILD],
      agents_states: { [CHILD]: { completed: "ok" } },
    },
  });
  const f = parse([...lines, waited]).facts();
  assert.equal(f.subagents[0].status, "done");
  assert.equal(f.lastPrompt, "spawn a helper to check the docs"); // notifications are not prompts
});

Deno.test("codex: tool arguments", () => {
  assert.equal(codexToolArg("exec_command", { cmd: "npm test", workdir: "/w" }), "npm test");
  assert.equal(codexToolArg("shell_command", { command: "ls" }), "ls");
  assert.equal(codexToolArg("shell", { command: ["bash", "-lc", "echo hi"] }), "echo hi");
  assert.equal(codexToolArg("shell", { command: ["git", "status"] }), "git status");
  assert.equal(codexToolArg("write_stdin", { session_id: 46447, chars: "" }), "session 46447");
  assert.equal(
    codexToolArg("apply_patch", {
      patch: "*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** End Patch",
    }),
    "src/a.rs",
  );
  assert.equal(codexToolArg("spawn_agent", { message: "check the docs" }), "check the docs");
  assert.equal(codexToolArg("mcp__github__search", { query: "bug" }), "bug");
});

Deno.test("codex: apply_patch as a custom tool call", () => {
  const f = parse([
    line("response_item", {
      type: "custom_tool_call",
      name: "apply_patch",
      call_id: "p1",
      input: "*** Begin Patch\n*** Add File: docs/new.md\n+hi\n*** End Patch",
    }),
  ]).facts();
  assert.deepEqual(f.currentTool?.arg, "docs/new.md");
});

Deno.test("codex session source: a spawned subagent's rollout counts towards the thread", async () => {
  const home = Deno.makeTempDirSync({ prefix: "agtop-codex-" });
  try {
    const dir = `${home}/sessions/2026/11/24`;
    Deno.mkdirSync(dir, { recursive: true });
    Deno.copyFileSync(FIXTURES + PARENT_FILE, `${dir}/${PARENT_FILE}`);
    Deno.copyFileSync(FIXTURES + CHILD_FILE, `${dir}/${CHILD_FILE}`);
    const source = new CodexSessionSource();
    const f = source.read({ path: `${dir}/${PARENT_FILE}`, id: THREAD, linkedBy: "fd" }, Date.now());
    assert.ok(f);
    // parent 5000/500/26000/0/100 + child (its own record only) 2000/150/1000/0/50
    assert.deepEqual(f.tokens, { input: 7000, output: 650, cacheRead: 27000, cacheWrite: 0, reasoning: 150 });
    assert.deepEqual(f.tokensByModel["gpt-5.2-codex-mini"], {
      input: 2000,
      output: 150,
      cacheRead: 1000,
      cacheWrite: 0,
      reasoning: 50,
    });
    const [sub] = f.subagents;
    assert.deepEqual([sub.id, sub.type, sub.status, sub.model, sub.tokens.output], [
      CHILD,
      "Noether",
      "running",
      "gpt-5.2-codex-mini",
      150,
    ]);
    assert.equal(sub.currentTool?.arg, "rg TODO docs/");
    await assertReaderOf(codex, CodexSessionSource, "codex");

    Deno.writeTextFileSync(
      `${dir}/${CHILD_FILE}`,
      line("event_msg", { type: "task_complete", turn_id: "turnC" }) + "\n",
      { append: true },
    );
    const g = source.read({ path: `${dir}/${PARENT_FILE}`, id: THREAD, linkedBy: "fd" }, Date.now());
    assert.equal(g?.subagents[0].status, "done");
    assert.equal(g?.tokens.output, 650);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
