import assert from "node:assert/strict";
import { ClaudeTranscript } from "../../../../agents/vendors/claude/transcript.ts";
import { ClaudeUsage } from "../../../../agents/vendors/claude/usage.ts";
import { ClaudeSessionSource, projectDirName } from "../../../../agents/vendors/claude/sessions.ts";
import { cleanLine } from "../../../../agents/formats/text.ts";
import { claude } from "../../../../agents/vendors/claude/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";

const FIXTURES = new URL("../../../fixtures/claude/", import.meta.url).pathname;
const SESSION_ID = "9f8aaf45-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const CWD = "/home/me/proj/my_repo.v2";

function fixtureLines(name: string): string[] {
  return Deno.readTextFileSync(FIXTURES + name).split("\n").filter(Boolean);
}

function parse(lines: (string | unknown)[]): ClaudeTranscript {
  const t = new ClaudeTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

/** A record shaped like Claude Code 2.1.197's envelope. */
function rec(type: string, fields: Record<string, unknown>, at = "2026-11-24T04:00:00.000Z"): string {
  return JSON.stringify({
    type,
    sessionId: SESSION_ID,
    cwd: CWD,
    isSidechain: false,
    timestamp: at,
    ...fields,
  });
}

function assistant(
  id: string,
  req: string | null,
  content: unknown[],
  output: number,
  stop: string | null,
): string {
  return rec("assistant", {
    ...(req ? { requestId: req } : {}),
    message: {
      id,
      model: "claude-opus-4-8",
      content,
      stop_reason: stop,
      usage: {
        input_tokens: 1,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 10,
        output_tokens: output,
      },
    },
  });
}

Deno.test("claude: tokens are deduplicated per message.id + requestId, sidechain replays dropped", () => {
  const f = parse(fixtureLines("session.jsonl")).facts();
  // msg_01A 3/187/21000/4200 + msg_01C 5/95/25200/300 (highest-output copy of the placeholder variant)
  // + msg_01E 4/60/26000/500 + msg_01G 2/120/27000/0; the sidechain copy of msg_01A is not counted.
  assert.deepEqual(f.tokens, { input: 14, output: 462, cacheRead: 99200, cacheWrite: 5000, reasoning: 0 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["claude-opus-4-8"]);
  assert.deepEqual(f.tokensByModel["claude-opus-4-8"], f.tokens);
  assert.equal(f.contextTokens, 2 + 27000 + 0);
  assert.equal(f.malformedLines, 0);
});

Deno.test("claude: session facts from the fixture", () => {
  const f = parse(fixtureLines("session.jsonl")).facts();
  assert.equal(f.id, SESSION_ID);
  assert.equal(f.cwd, CWD);
  assert.equal(f.gitBranch, "main");
  assert.equal(f.model, "claude-opus-4-8");
  assert.equal(f.title, "run the tests");
  assert.equal(f.lastPrompt, "now fix the lint errors please");
  assert.equal(f.currentTask, "Fixing lint errors");
  assert.equal(f.turn, "working");
  assert.equal(f.stopReason, "tool_use");
  assert.equal(f.startedAt, Date.parse("2026-11-24T03:26:48.100Z"));
  assert.equal(f.lastActivity, Date.parse("2026-11-24T03:27:30.200Z"));
  assert.deepEqual(f.currentTool, {
    name: "Bash",
    arg: "npm run lint -- --fix",
    id: "toolu_01H",
    startedAt: Date.parse("2026-11-24T03:27:30.200Z"),
  });
  assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.description, s.status]), [
    ["toolu_sub1", "general-purpose", "Probe subagent", "running"],
  ]);
  assert.deepEqual(f.activity.map((e) => `${e.kind} ${e.text}`), [
    "result Todos have been modified successfully",
    "system context compacted from 48000 tokens",
    "prompt now fix the lint errors please",
    "text Fixing src/app.ts.",
    "tool Edit: /home/me/proj/my_repo.v2/src/app.ts",
    "result The file has been updated.",
    "tool Agent: Probe subagent (general-purpose)",
    "tool Bash: npm run lint -- --fix",
  ]);
});

Deno.test("claude: a finished turn, then the next prompt", () => {
  const t = parse(fixtureLines("session.jsonl"));
  t.feed(rec("user", {
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_01H", content: "fixed 3 problems" }],
    },
  }));
  assert.equal(t.facts().turn, "working"); // the model generates: nothing on disk until the response completes
  assert.equal(t.facts().currentTool?.name, "Agent");
  t.feed(rec("user", {
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_sub1", content: [{ type: "text", text: "ok" }] }],
    },
    toolUseResult: { status: "completed", agentId: "afa94c844c15115d7", agentType: "general-purpose" },
  }));
  assert.equal(t.facts().subagents[0].status, "done");
  assert.equal(t.facts().subagents[0].id, "afa94c844c15115d7");
  t.feed(assistant("msg_end", "req_end", [{ type: "text", text: "All fixed." }], 40, "end_turn"));
  assert.equal(t.facts().turn, "ended");
  assert.equal(t.facts().currentTool, null);
  t.feed(rec("system", { subtype: "turn_duration", durationMs: 15549, messageCount: 8 }));
  assert.equal(t.facts().turn, "ended");
  assert.equal(t.facts().stopReason, "end_turn");
  t.feed(rec("user", { message: { role: "user", content: "and commit" } }));
  assert.equal(t.facts().turn, "working");
  assert.equal(t.facts().lastPrompt, "and commit");
});

Deno.test("claude: streaming copies without requestId dedupe on message.id; missing message.id counts each line", () => {
  const f = parse([
    assistant("msg_x", null, [{ type: "text", text: "a" }], 3, null),
    assistant(
      "msg_x",
      null,
      [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/a" } }],
      50,
      "tool_use",
    ),
    assistant("msg_x", null, [{ type: "text", text: "late copy with lower output" }], 3, "tool_use"),
    rec("assistant", {
      message: { model: "m", content: [], usage: { input_tokens: 1, output_tokens: 1 } },
    }),
    rec("assistant", {
      message: { model: "m", content: [], usage: { input_tokens: 1, output_tokens: 1 } },
    }),
  ]).facts();
  assert.deepEqual(f.tokens, { input: 3, output: 52, cacheRead: 100, cacheWrite: 10, reasoning: 0 });
});

Deno.test("claude: a tie on output keeps the latest copy", () => {
  const u = new ClaudeUsage();
  u.record("s", "m1", "r1", false, "a", { input: 1, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  u.record("s", "m1", "r1", false, "b", { input: 2, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(u.total, { input: 2, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(Object.keys(u.byModel).filter((m) => u.byModel[m].output), ["b"]);
  u.removeSource("s");
  assert.deepEqual(u.total, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
});

Deno.test("claude: a sidechain copy counts until a main copy of the same message appears", () => {
  const u = new ClaudeUsage();
  const t = (output: number) => ({ input: 0, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  u.record("sub", "m1", "r-side", true, "x", t(7));
  assert.equal(u.total.output, 7);
  u.record("main", "m1", "r-main", false, "x", t(9));
  assert.equal(u.total.output, 9);
  assert.equal(u.source("sub").output, 0);
  u.removeSource("main");
  assert.equal(u.total.output, 7);
});

Deno.test("claude: compaction keeps the file and the totals; the summary is not a prompt", () => {
  const lines = fixtureLines("session.jsonl");
  const upToSummary = lines.slice(0, lines.findIndex((l) => l.includes('"isCompactSummary":true')) + 1);
  const f = parse(upToSummary).facts();
  assert.equal(f.lastPrompt, "run the tests");
  assert.equal(f.tokens.output, 187 + 95);
  assert.equal(f.activity.at(-1)?.text, "context compacted from 48000 tokens");
});

Deno.test("claude: /clear starts a new file whose first lines are not prompts and end the turn", () => {
  const f = parse([
    JSON.stringify({ type: "mode", mode: "normal", sessionId: "new" }),
    JSON.stringify({ type: "file-history-snapshot", messageId: "m", snapshot: {} }),
    rec("user", {
      isMeta: true,
      message: { role: "user", content: "<local-command-caveat>Caveat: …</local-command-caveat>" },
    }),
    rec("user", {
      message: {
        role: "user",
        content: "<command-name>/clear</command-name>\n<command-message>clear</command-message>",
      },
    }),
    rec("system", { subtype: "local_command", content: "<local-command-stdout></local-command-stdout>" }),
  ]).facts();
  assert.equal(f.lastPrompt, null);
  assert.equal(f.title, null);
  assert.equal(f.turn, "ended");
  assert.deepEqual(f.activity.map((e) => e.text), ["/clear"]);
});

Deno.test("claude: /exit, -p's last-prompt and interrupts", () => {
  const exit = parse([
    rec("user", { message: { role: "user", content: "hi" } }),
    rec("user", {
      message: { role: "user", content: "<command-name>/exit</command-name>\n<command-args></command-args>" },
    }),
    rec("user", { message: { role: "user", content: "<local-command-stdout>Bye!</local-command-stdout>" } }),
  ]).facts();
  assert.equal(exit.turn, "exited");
  assert.equal(exit.lastPrompt, "hi");

  const printed = parse([
    JSON.stringify({ type: "queue-operation", operation: "enqueue", content: "summarise" }),
    assistant("m1", "r1", [{ type: "text", text: "Summary." }], 10, "end_turn"),
    JSON.stringify({ type: "last-prompt", lastPrompt: "summarise", sessionId: SESSION_ID }),
  ]).facts();
  assert.equal(printed.turn, "exited");
  assert.equal(printed.lastPrompt, "summarise");
  const resumed = parse([
    JSON.stringify({ type: "last-prompt", lastPrompt: "summarise", sessionId: SESSION_ID }),
    rec("user", { message: { role: "user", content: "and now the details" } }), // `claude -p --resume` appends
  ]).facts();
  assert.equal(resumed.turn, "working");

  const interrupted = parse([
    rec("user", { message: { role: "user", content: "long job" } }),
    assistant(
      "m2",
      "r2",
      [{ type: "tool_use", id: "t9", name: "Bash", input: { command: "sleep 100" } }],
      5,
      "tool_use",
    ),
    rec("user", {
      message: {
        role: "user",
        content: [{ type: "text", text: "[Request interrupted by user for tool use]" }],
      },
    }),
  ]).facts();
  assert.equal(interrupted.turn, "ended");
  assert.equal(interrupted.currentTool, null);
  assert.equal(interrupted.lastPrompt, "long job");
});

Deno.test("claude: TaskCreate/TaskUpdate give the current task; titles win over the first prompt", () => {
  const f = parse([
    rec("user", { message: { role: "user", content: "plan it" } }),
    assistant(
      "m1",
      "r1",
      [{
        type: "tool_use",
        id: "c1",
        name: "TaskCreate",
        input: { subject: "explore the code", activeForm: "Exploring the code" },
      }],
      5,
      "tool_use",
    ),
    rec("user", {
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "c1", content: "Task #1 created successfully" }],
      },
    }),
    assistant(
      "m2",
      "r2",
      [{ type: "tool_use", id: "c2", name: "TaskCreate", input: { subject: "write the patch" } }],
      5,
      "tool_use",
    ),
    rec("user", {
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: "c2", content: "ok" }] },
      toolUseResult: { task: { id: "2", subject: "write the patch" } },
    }),
    assistant(
      "m3",
      "r3",
      [{ type: "tool_use", id: "u1", name: "TaskUpdate", input: { taskId: "1", status: "in_progress" } }],
      5,
      "tool_use",
    ),
    assistant(
      "m4",
      "r4",
      [{ type: "tool_use", id: "u2", name: "TaskUpdate", input: { taskId: "1", status: "completed" } }],
      5,
      "tool_use",
    ),
    assistant(
      "m5",
      "r5",
      [{ type: "tool_use", id: "u3", name: "TaskUpdate", input: { taskId: "2", status: "in_progress" } }],
      5,
      "tool_use",
    ),
    JSON.stringify({ type: "ai-title", aiTitle: "Planning work" }),
  ]).facts();
  assert.equal(f.currentTask, "write the patch");
  assert.equal(f.title, "Planning work");
  const custom = parse([
    JSON.stringify({ type: "custom-title", customTitle: "mine" }),
    JSON.stringify({ type: "ai-title", aiTitle: "theirs" }),
  ]).facts();
  assert.equal(custom.title, "mine");
});

Deno.test("claude: malformed lines are counted, synthetic errors are not a model, parsed records are accepted", () => {
  const t = parse([
    "{not json",
    "[1,2]",
    rec("assistant", {
      isApiErrorMessage: true,
      message: {
        id: "e",
        model: "<synthetic>",
        content: [{ type: "text", text: "API Error: 529 overloaded" }],
        usage: {},
      },
    }),
    { type: "user", message: { role: "user", content: "parsed object" }, timestamp: "2026-11-24T05:00:00Z" },
  ]);
  const f = t.facts();
  assert.equal(f.malformedLines, 2);
  assert.equal(f.model, null);
  assert.equal(f.lastPrompt, "parsed object");
  assert.deepEqual(f.activity.map((e) => e.kind), ["error", "prompt"]);
});

Deno.test("claude: prompts that Claude Code writes itself are not the last prompt", () => {
  for (
    const content of [
      "<system-reminder>remember</system-reminder>",
      "<task-notification>done</task-notification>",
      "<local-command-stdout>x</local-command-stdout>",
    ]
  ) {
    const f = parse([
      rec("user", { message: { role: "user", content: "real" } }),
      rec("user", { message: { role: "user", content } }),
    ]).facts();
    assert.equal(f.lastPrompt, "real", content);
  }
  const meta = parse([rec("user", { isMeta: true, message: { role: "user", content: "expanded skill" } })])
    .facts();
  assert.equal(meta.lastPrompt, null);
});

Deno.test("cleanLine strips escapes and controls, collapses whitespace, truncates", () => {
  assert.equal(cleanLine("\x1b[31mFAIL\x1b[0m\tsrc/a.ts\n  expected 1", 200), "FAIL src/a.ts expected 1");
  assert.equal(cleanLine("\x1b]0;title\x07ok\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", 200), "oklink");
  assert.equal(cleanLine("a\u0000b\u0085c\u202ed\r\ne", 200), "a b c d e");
  assert.equal(cleanLine("a\u009b31mb", 200), "ab"); // 8-bit CSI
  assert.equal(cleanLine("x".repeat(300), 10), "x".repeat(9) + "…");
  assert.equal(cleanLine("😀".repeat(10), 6), "😀😀" + "…");
  assert.equal(cleanLine("plain", 200), "plain");
});

Deno.test("claude session source: subagents of both layouts count towards the session", async () => {
  const root = Deno.makeTempDirSync({ prefix: "agtop-claude-" });
  try {
    const dir = `${root}/projects/${projectDirName(CWD)}`;
    Deno.mkdirSync(`${dir}/${SESSION_ID}/subagents`, { recursive: true });
    Deno.copyFileSync(FIXTURES + "session.jsonl", `${dir}/${SESSION_ID}.jsonl`);
    Deno.copyFileSync(
      FIXTURES + "subagent.jsonl",
      `${dir}/${SESSION_ID}/subagents/agent-afa94c844c15115d7.jsonl`,
    );
    Deno.copyFileSync(
      FIXTURES + "subagent.meta.json",
      `${dir}/${SESSION_ID}/subagents/agent-afa94c844c15115d7.meta.json`,
    );
    Deno.copyFileSync(FIXTURES + "legacy-agent.jsonl", `${dir}/agent-a5e94f0.jsonl`);
    // A legacy agent file of another session must not count.
    Deno.writeTextFileSync(
      `${dir}/agent-b0b0b0b.jsonl`,
      Deno.readTextFileSync(FIXTURES + "legacy-agent.jsonl").replaceAll(SESSION_ID, "other-session"),
    );
    const source = new ClaudeSessionSource();
    const now = Date.parse("2026-11-24T03:27:40.000Z");
    const link = { path: `${dir}/${SESSION_ID}.jsonl`, id: SESSION_ID, linkedBy: "cwd" };
    const f = source.read(link, now);
    assert.ok(f);
    // main 14/462/99200/5000 + subagent 10/50/1000/200 (its replay of msg_01A dropped) + legacy 7/30/0/100
    assert.deepEqual(f.tokens, { input: 31, output: 542, cacheRead: 100200, cacheWrite: 5300, reasoning: 0 });
    assert.deepEqual(f.tokensByModel["claude-haiku-4-6"], {
      input: 17,
      output: 80,
      cacheRead: 1000,
      cacheWrite: 300,
      reasoning: 0,
    });
    assert.deepEqual(f.tokensByModel["claude-opus-4-8"].output, 462);
    const subs = f.subagents.map((
      s,
    ) => [s.id, s.type, s.status, s.model, s.tokens.output, s.currentTool?.name ?? null]);
    assert.deepEqual(subs, [
      ["afa94c844c15115d7", "general-purpose", "running", "claude-haiku-4-6", 50, "Grep"],
      ["a5e94f0", null, "done", "claude-haiku-4-6", 30, null],
    ]);
    await assertReaderOf(claude, ClaudeSessionSource, "claude");
    assert.equal(link.linkedBy, "cwd");

    // Incremental: the subagent's result arrives in the parent; only appended bytes are read.
    Deno.writeTextFileSync(
      link.path,
      rec("user", {
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_sub1", content: "ok" }],
        },
        toolUseResult: { status: "completed", agentId: "afa94c844c15115d7" },
      }, "2026-11-24T03:27:50.000Z") + "\n",
      { append: true },
    );
    Deno.writeTextFileSync(
      `${dir}/${SESSION_ID}/subagents/agent-afa94c844c15115d7.jsonl`,
      rec("assistant", {
        isSidechain: true,
        agentId: "afa94c844c15115d7",
        requestId: "req_S2",
        message: {
          id: "msg_S2",
          model: "claude-haiku-4-6",
          content: [{ type: "text", text: "Nothing to do." }],
          stop_reason: "end_turn",
          usage: {
            input_tokens: 1,
            output_tokens: 20,
            cache_read_input_tokens: 0,
            cache_creation_input_tokens: 0,
          },
        },
      }, "2026-11-24T03:27:49.000Z") + "\n",
      { append: true },
    );
    const g = source.read(link, Date.now());
    assert.ok(g);
    assert.deepEqual(g.subagents.map((s) => [s.status, s.tokens.output, s.currentTool]), [
      ["done", 70, null],
      ["done", 30, null],
    ]);
    assert.deepEqual(g.tokens, { input: 32, output: 562, cacheRead: 100200, cacheWrite: 5300, reasoning: 0 });
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("claude: an answer written above its prompt (a fast stream) keeps its tool in flight", () => {
  // Claude Code 2.1.197, interactive: the response's lines came before the prompt's user/attachment lines.
  const t = parse(fixtureLines("fast-stream.jsonl"));
  const f = t.facts();
  assert.equal(f.currentTool?.name, "Bash");
  assert.equal(f.currentTool?.arg, "sleep 40; echo agtop-probe-done");
  assert.equal(f.turn, "working");
  assert.equal(f.lastPrompt, "run the probe");
});

Deno.test("claude: tool lines of any size read as shown (what tools read and wrote is not parsed whole)", () => {
  const t = parse([
    rec("user", { message: { role: "user", content: "write the big file" } }),
    assistant(
      "msg_W",
      "req_W",
      [{
        type: "tool_use",
        id: "toolu_W",
        name: "Write",
        input: { file_path: "/home/me/proj/data.txt", content: "d".repeat(200_000) },
      }],
      9,
      "tool_use",
    ),
    rec("user", {
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_W",
          content: "File created\n" + "x".repeat(100_000),
        }],
      },
      toolUseResult: { type: "create", filePath: "/home/me/proj/data.txt", content: "d".repeat(200_000) },
    }),
    assistant(
      "msg_B",
      "req_B",
      [{
        type: "tool_use",
        id: "toolu_B",
        name: "Bash",
        input: { command: `echo ${"a".repeat(4_000)}`, description: "Echo" },
      }],
      7,
      "tool_use",
    ),
  ]);
  const f = t.facts();
  assert.deepEqual(f.filesChanged, ["/home/me/proj/data.txt"]);
  assert.equal(f.currentTool?.name, "Bash");
  assert.ok(f.currentTool?.arg.startsWith("echo aaaa"));
  assert.ok(f.activity.some((e) => e.kind === "result" && e.text === "File created"));
  assert.equal(f.tokens.output, 9 + 7);
});
