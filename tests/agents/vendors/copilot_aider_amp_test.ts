/**
 * Copilot CLI events, Aider chat histories and Amp threads, parsed from fixtures written here from the
 * documented formats (field names as the agents write them, values invented), including malformed
 * and half-written input.
 */
import assert from "node:assert/strict";
import {
  copilotToolArg,
  CopilotTranscript,
  PERMISSION_PROMPT,
} from "../../../agents/vendors/copilot/transcript.ts";
import { aiderCount, aiderRunStart, AiderTranscript } from "../../../agents/vendors/aider/transcript.ts";
import {
  ampThreadCwd,
  ampThreadFacts,
  ampToolArg,
  fileUriPath,
} from "../../../agents/vendors/amp/transcript.ts";
import { parseTopLevelYaml } from "../../../agents/vendors/copilot/sessions.ts";
import { AmpSessionSource } from "../../../agents/vendors/amp/sessions.ts";
import { decodeCursorMeta } from "../../../agents/vendors/cursor/sessions.ts";
import { JsonlTail } from "../../../agents/formats/jsonl.ts";
import { amp } from "../../../agents/vendors/amp/mod.ts";
import { assertReaderOf } from "../../support/sessions.ts";

// ---------------------------------------------------------------------------------------------------
// Copilot CLI

const T0 = Date.parse("2026-11-24T03:37:49.499Z");
let seq = 0;

/** One `events.jsonl` line. */
function ev(type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  seq++;
  return JSON.stringify({
    type,
    data,
    id: `e${seq}`,
    timestamp: new Date(T0 + seq * 1000).toISOString(),
    parentId: seq > 1 ? `e${seq - 1}` : null,
    ...extra,
  });
}

function copilot(lines: string[]): CopilotTranscript {
  const t = new CopilotTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

const SESSION = "471dd490-6b1c-4f7e-9a43-0c5b1f2e9d10";
const start = () =>
  ev("session.start", {
    sessionId: SESSION,
    version: 1,
    producer: "copilot-agent",
    copilotVersion: "1.0.102",
    startTime: new Date(T0).toISOString(),
    selectedModel: "claude-sonnet-4.5",
    context: { cwd: "/home/me/cli-tool", gitRoot: "/home/me/cli-tool", branch: "main" },
    alreadyInUse: false,
  });
const usage = (input: number, output: number, cacheRead: number, reasoning: number, model = "gpt-5.1") =>
  ev("session.usage_record", {
    usage: {
      model,
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: 0,
      reasoningTokens: reasoning,
      cost: 1,
      initiator: "user",
      maxPromptTokens: 128000,
    },
  });

/** The documented example, up to a shell tool that is still running. */
function midTool(): string[] {
  return [
    start(),
    ev("system.message", { content: "You are …".repeat(50) }),
    ev("user.message", {
      content: "fix lint errors",
      transformedContent: "<current_datetime>…</current_datetime>\n\nfix lint errors",
      turnId: "0",
      delivery: "idle",
    }),
    ev("assistant.turn_start", { turnId: "0" }),
    usage(5010, 210, 3010, 50),
    ev("assistant.message", {
      messageId: "m1",
      model: "gpt-5.1",
      content: "Running the linter.",
      turnId: "0",
      toolRequests: [{
        toolCallId: "tc1",
        name: "bash",
        arguments: { command: "npm run lint" },
        type: "function",
      }],
    }),
    ev("tool.execution_start", {
      toolCallId: "tc1",
      toolName: "bash",
      arguments: { command: "npm run lint", description: "lint" },
      shellToolInfo: { displayCommand: "npm run lint", possiblePaths: [], hasWriteFileRedirection: false },
      turnId: "0",
    }),
  ];
}

Deno.test("copilot: a tool in flight, tokens normalised from usage_record (cache in input, reasoning in output)", () => {
  const f = copilot(midTool()).facts();
  assert.equal(f.id, SESSION);
  assert.equal(f.cwd, "/home/me/cli-tool");
  assert.equal(f.gitBranch, "main");
  assert.equal(f.model, "gpt-5.1");
  assert.equal(f.title, "fix lint errors");
  assert.equal(f.lastPrompt, "fix lint errors");
  assert.equal(f.turn, "working");
  assert.equal(f.currentTool?.name, "bash");
  assert.equal(f.currentTool?.arg, "npm run lint");
  assert.equal(f.currentTool?.id, "tc1");
  assert.deepEqual(f.tokens, { input: 2000, output: 160, cacheRead: 3010, cacheWrite: 0, reasoning: 50 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["gpt-5.1"]);
  assert.equal(f.contextTokens, 5010);
  assert.equal(f.contextWindow, 128000);
  assert.equal(f.startedAt, T0 + 1000 * (seq - 6));
  assert.equal(f.malformedLines, 0);
  assert.equal(f.waitingFor, null);
  assert.deepEqual(f.activity.map((a) => a.kind), ["prompt", "text", "tool"]);
});

Deno.test("copilot: a turn that asked for tools goes on; the final answer ends it; shutdown exits", () => {
  const lines = [
    ...midTool(),
    ev("tool.execution_complete", {
      toolCallId: "tc1",
      success: true,
      result: { content: "0 problems\n" },
      shellExecution: { exitCode: 0 },
    }),
    ev("assistant.turn_end", { turnId: "0" }),
  ];
  const t = copilot(lines);
  assert.equal(t.facts().currentTool, null);
  assert.equal(t.facts().turn, "working", "the loop continues after a turn with tool requests");
  for (
    const l of [
      ev("assistant.turn_start", { turnId: "1" }),
      usage(5011, 211, 3011, 51),
      ev("assistant.message", { messageId: "m2", model: "gpt-5.1", content: "Lint is clean.", turnId: "1" }),
      ev("assistant.turn_end", { turnId: "1" }),
    ]
  ) t.feed(l);
  let f = t.facts();
  assert.equal(f.turn, "ended");
  assert.deepEqual(f.tokens, { input: 4000, output: 320, cacheRead: 6021, cacheWrite: 0, reasoning: 101 });
  // Shutdown totals equal to the per-call sum change nothing but the turn.
  t.feed(ev("session.shutdown", {
    shutdownType: "routine",
    modelMetrics: {
      "gpt-5.1": {
        requests: { count: 2, cost: 2 },
        usage: {
          inputTokens: 10021,
          outputTokens: 421,
          cacheReadTokens: 6021,
          cacheWriteTokens: 0,
          reasoningTokens: 101,
        },
      },
    },
    currentTokens: 7200,
    currentModel: "gpt-5.1",
  }));
  f = t.facts();
  assert.equal(f.turn, "exited");
  assert.deepEqual(f.tokens, { input: 4000, output: 320, cacheRead: 6021, cacheWrite: 0, reasoning: 101 });
  assert.equal(f.contextTokens, 7200);
  assert.equal(f.costUsd, undefined, "Copilot's `cost` is a premium-request multiplier, not dollars");
  // Resumed: open again, waiting for a prompt; the calls of the new run add up.
  t.feed(ev("session.resume", { resumeTime: "…", eventCount: 20, selectedModel: "gpt-5.1" }));
  assert.equal(t.facts().turn, "ended");
  t.feed(usage(100, 10, 0, 0));
  assert.equal(t.facts().tokens.input, 4100);
});

Deno.test("copilot: runs without usage_record count message output live and the shutdown totals after", () => {
  const t = copilot([
    start(),
    ev("user.message", { content: "explain main.ts" }),
    ev("assistant.turn_start", { turnId: "0" }),
    ev("assistant.message", {
      messageId: "m1",
      model: "claude-sonnet-4.5",
      content: "It parses…",
      outputTokens: 120,
    }),
  ]);
  assert.deepEqual({ ...t.facts().tokensByModel }, {
    "claude-sonnet-4.5": { input: 0, output: 120, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  });
  t.feed(ev("session.shutdown", {
    shutdownType: "routine",
    modelMetrics: {
      "claude-sonnet-4.5": {
        requests: { count: 1 },
        usage: { inputTokens: 900, outputTokens: 120, cacheReadTokens: 1200, cacheWriteTokens: 300 },
      },
    },
  }));
  // Anthropic-style counts (input smaller than the cache reads) are kept as they are.
  assert.deepEqual(t.facts().tokens, {
    input: 900,
    output: 120,
    cacheRead: 1200,
    cacheWrite: 300,
    reasoning: 0,
  });
});

Deno.test("copilot: subagents, their tools and tokens; a permission prompt waits", () => {
  const t = copilot([
    start(),
    ev("user.message", { content: "find the flaky test" }),
    ev("assistant.turn_start", { turnId: "0" }),
    ev("tool.execution_start", {
      toolCallId: "tc9",
      toolName: "task",
      arguments: { description: "search tests" },
    }),
    ev("subagent.started", {
      toolCallId: "tc9",
      agentName: "explore",
      agentDisplayName: "Explore",
      agentDescription: "search tests",
      model: "claude-haiku-4.5",
    }),
    ev("tool.execution_start", {
      toolCallId: "s1",
      toolName: "grep",
      arguments: { pattern: "flaky" },
      parentToolCallId: "tc9",
    }, { agentId: "sa-1" }),
    ev("session.usage_record", {
      usage: { model: "claude-haiku-4.5", inputTokens: 400, outputTokens: 40, cacheReadTokens: 100 },
    }, { agentId: "sa-1" }),
    ev("assistant.turn_end", { turnId: "s0" }, { agentId: "sa-1" }),
  ]);
  let f = t.facts();
  assert.equal(f.turn, "working", "a subagent's turn end is not the session's");
  assert.equal(f.currentTool?.name, "task");
  assert.equal(f.subagents.length, 1);
  const sub = f.subagents[0];
  assert.equal(sub.id, "tc9");
  assert.equal(sub.type, "explore");
  assert.equal(sub.description, "search tests");
  assert.equal(sub.status, "running");
  assert.equal(sub.model, "claude-haiku-4.5");
  assert.deepEqual(sub.currentTool?.arg, "flaky");
  assert.deepEqual(sub.tokens, { input: 300, output: 40, cacheRead: 100, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(f.tokens, sub.tokens, "subagent tokens count towards the session");
  t.feed(ev("subagent.completed", { toolCallId: "tc9", agentName: "explore", totalTokens: 440 }));
  t.feed(
    ev("tool.execution_complete", { toolCallId: "tc9", success: true, result: { content: "found it" } }),
  );
  t.feed(ev("permission.requested", {
    requestId: "p1",
    permissionRequest: { kind: "shell", fullCommandText: "rm -rf dist" },
  }));
  f = t.facts();
  assert.equal(f.subagents[0].status, "done");
  assert.equal(f.subagents[0].currentTool, null);
  assert.equal(f.waitingFor, PERMISSION_PROMPT);
  t.feed(ev("permission.completed", { requestId: "p1", result: { kind: "approved" } }));
  assert.equal(t.facts().waitingFor, null);
  t.feed(ev("permission.requested", { requestId: "p2", resolvedByHook: true, permissionRequest: {} }));
  assert.equal(t.facts().waitingFor, null, "a request a hook answered needs nobody");
});

Deno.test("copilot: abort ends the turn and drops tools in flight; malformed lines are counted, not fatal", () => {
  const t = copilot([
    ...midTool(),
    "{not json",
    "[1,2,3]",
    JSON.stringify({ data: {} }),
    ev("some.future_event", { anything: true }),
    ev("abort", { reason: "user initiated" }),
  ]);
  const f = t.facts();
  assert.equal(f.malformedLines, 3);
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.activity.at(-1)?.text, "interrupted (user initiated)");
});

Deno.test("copilot: a half-written last line waits for the next read", () => {
  const dir = Deno.makeTempDirSync({ prefix: "agtop-copilot-" });
  try {
    const path = `${dir}/events.jsonl`;
    const lines = midTool();
    const last = lines.pop()!;
    Deno.writeTextFileSync(path, lines.join("\n") + "\n" + last.slice(0, 40));
    const tail = new JsonlTail(path);
    const t = new CopilotTranscript();
    tail.read((l) => t.feed(l));
    assert.equal(t.facts().currentTool, null);
    assert.equal(t.facts().malformedLines, 0);
    Deno.writeTextFileSync(path, last.slice(40) + "\n", { append: true });
    tail.read((l) => t.feed(l));
    assert.equal(t.facts().currentTool?.arg, "npm run lint");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("copilot: tool arguments and workspace.yaml", () => {
  assert.equal(copilotToolArg({ command: "ls" }, "ls -la"), "ls -la");
  assert.equal(copilotToolArg({ path: "/a/b.ts", view_range: [1, 2] }, null), "/a/b.ts");
  assert.equal(copilotToolArg("raw input", null), "raw input");
  assert.equal(copilotToolArg({ n: 3 }, null), "");
  assert.deepEqual(
    parseTopLevelYaml(
      [
        "id: 471dd490",
        'cwd: "/home/me/cli tool"',
        "git_root: '/home/me/it''s'",
        "branch: main # checked out",
        "summary_count: 0",
        "name: ~",
        "nested:",
        "  cwd: /elsewhere",
        "created_at: 2026-11-24T03:37:49.499Z",
      ].join("\n"),
    ),
    {
      id: "471dd490",
      cwd: "/home/me/cli tool",
      git_root: "/home/me/it's",
      branch: "main",
      summary_count: "0",
      created_at: "2026-11-24T03:37:49.499Z",
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// Aider

/** A history file with an older run and the current one (lines as Aider writes them: `  ` line ends). */
const HISTORY = [
  "",
  "# aider chat started at 2026-05-21 09:00:00",
  "",
  "> Aider v0.86.0  ",
  "> Model: gpt-4o with diff edit format  ",
  "",
  "#### an old question  ",
  "",
  "An old answer.",
  "",
  "> Tokens: 3.0k sent, 100 received. Cost: $0.01 message, $0.01 session.  ",
  "",
  "# aider chat started at 2026-05-22 10:01:07",
  "",
  "> Aider v0.86.1  ",
  "> Main model: anthropic/claude-sonnet-4-5 with diff edit format, 4096 think tokens, prompt cache  ",
  "> Weak model: anthropic/claude-haiku-4-5  ",
  "> Git repo: .git with 42 files  ",
  "",
  "#### add input validation  ",
  "#### to parse_args  ",
  "",
  "I'll update `cli.py`.",
  "",
  "#### Changes",
  "",
  "cli.py",
  "> Applied edit to cli.py  ",
  "> Commit 1a2b3c4 feat: validate args  ",
  "> Tokens: 12k sent, 2.1k cache write, 9.8k cache hit, 345 received.",
  "Cost: $0.05 message, $0.31 session.  ",
  "",
  "#### /add README.md  ",
  "",
  "> Added README.md to the chat  ",
  "",
  "#### now update the docs  ",
  "",
  "Done.",
  "",
  "> Tokens: 8.2k sent, 512 received. Cost: $0.03 message, $0.34 session.  ",
  "> Tokens: garbled sent  ",
  "",
];

function aider(lines: string[]): AiderTranscript {
  const t = new AiderTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("aider: the newest run only: model, prompts, k-rounded tokens, Aider's own session cost", () => {
  const t = aider(HISTORY);
  const f = t.facts();
  assert.equal(t.run, "2026-05-22 10:01:07");
  assert.equal(f.id, "2026-05-22 10:01:07");
  assert.equal(f.startedAt, new Date(2026, 4, 22, 10, 1, 7).getTime());
  assert.equal(f.model, "anthropic/claude-sonnet-4-5");
  assert.equal(f.title, "add input validation to parse_args");
  assert.equal(f.lastPrompt, "now update the docs");
  // 12000 sent − 2100 written − 9800 read = 100 plain input; then 8200 sent.
  assert.deepEqual(f.tokens, { input: 8300, output: 857, cacheRead: 9800, cacheWrite: 2100, reasoning: 0 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["anthropic/claude-sonnet-4-5"]);
  assert.equal(f.costUsd, 0.34);
  assert.equal(f.contextTokens, 8200);
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null, "Aider writes no tool calls");
  assert.equal(f.malformedLines, 1);
  const texts = f.activity.map((a) => `${a.kind}:${a.text}`);
  assert.ok(texts.includes("tool:Applied edit to cli.py"), texts.join(" | "));
  assert.ok(texts.includes("system:Commit 1a2b3c4 feat: validate args"));
  assert.ok(!texts.some((x) => x.includes("an old")), "older runs are dropped");
  assert.ok(!texts.includes("prompt:Changes"), "a model's own `#### heading` is not a prompt");
});

Deno.test("aider: a prompt without its usage report is in progress; /exit ends the run; unpriced models have no cost", () => {
  const t = aider([...HISTORY, "#### and the changelog  "]);
  assert.equal(t.facts().turn, "working");
  t.feed("");
  t.feed("#### /exit  ");
  assert.equal(t.facts().turn, "exited");
  const local = aider([
    "# aider chat started at 2026-05-22 11:00:00",
    "> Model: ollama/qwen2.5-coder with whole edit format  ",
    "#### hi  ",
    "Hello!",
    "> Tokens: 1.2k sent, 20 received.  ",
  ]).facts();
  assert.equal(local.costUsd, null);
  assert.deepEqual({ ...local.tokensByModel }, {
    "ollama/qwen2.5-coder": { input: 1200, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  });
  const headless = aider(["#### before any heading  "]).facts();
  assert.equal(headless.id, "");
  assert.equal(headless.startedAt, null);
});

Deno.test("aider: counts and run headings", () => {
  assert.equal(aiderCount("345"), 345);
  assert.equal(aiderCount("2.1k"), 2100);
  assert.equal(aiderCount("12k"), 12000);
  assert.equal(aiderCount("1234k"), 1234000);
  assert.equal(
    aiderRunStart("# aider chat started at 2026-05-22 10:01:07"),
    new Date(2026, 4, 22, 10, 1, 7).getTime(),
  );
  assert.equal(aiderRunStart("# aider chat started at yesterday"), null);
});

// ---------------------------------------------------------------------------------------------------
// Amp

const CREATED = Date.parse("2026-11-24T09:00:00Z");

function thread(messages: unknown[], extra: Record<string, unknown> = {}) {
  return {
    v: 12,
    id: "T-019b9d03-62e3-772f-9780-3e637f90eaec",
    title: "Fix the flaky test",
    agentMode: "smart",
    created: CREATED,
    env: {
      initial: {
        trees: [{ displayName: "my app", uri: "file:///home/me/my%20app", repository: { type: "git" } }],
        platform: { os: "linux", client: "CLI", clientVersion: "0.0.1" },
      },
    },
    messages,
    ...extra,
  };
}

const user = (i: number, text: string) => ({
  role: "user",
  messageId: i,
  content: [{ type: "text", text }],
  meta: { sentAt: CREATED + i * 1000 },
});
const assistant = (
  i: number,
  content: unknown[],
  state: Record<string, unknown>,
  tokens: number[] | null,
) => ({
  role: "assistant",
  messageId: i,
  content,
  state,
  ...(tokens
    ? {
      usage: {
        model: "claude-sonnet-4-5-20250929",
        inputTokens: tokens[0],
        outputTokens: tokens[1],
        cacheCreationInputTokens: tokens[2],
        cacheReadInputTokens: tokens[3],
        totalTokens: tokens.reduce((a, b) => a + b, 0),
        timestamp: new Date(CREATED + i * 1000 + 500).toISOString(),
      },
    }
    : {}),
});
const toolResult = (i: number, id: string, status: string, result: unknown) => ({
  role: "user",
  messageId: i,
  content: [{ type: "tool_result", toolUseID: id, run: { status, result } }],
});
const bash = (id: string, cmd: string) => ({ type: "tool_use", id, name: "Bash", input: { cmd } });

Deno.test("amp: tokens per message, newest state, tools answered by finished runs", () => {
  const f = ampThreadFacts(thread([
    user(0, "run the tests"),
    assistant(1, [{ type: "text", text: "Running them." }, bash("tu1", "npm test")], {
      type: "complete",
      stopReason: "tool_use",
    }, [10, 50, 4000, 0]),
    toolResult(2, "tu1", "done", { output: "12 passing\n1 failing", exitCode: 1 }),
    assistant(3, [{ type: "thinking", thinking: "One fails." }, bash("tu2", "npm test -- --grep flaky")], {
      type: "complete",
      stopReason: "tool_use",
    }, [20, 60, 300, 4000]),
    toolResult(4, "tu2", "in-progress", null),
  ]))!;
  assert.equal(f.id, "T-019b9d03-62e3-772f-9780-3e637f90eaec");
  assert.equal(f.cwd, "/home/me/my app");
  assert.equal(f.title, "Fix the flaky test");
  assert.equal(f.model, "claude-sonnet-4-5-20250929");
  assert.equal(f.lastPrompt, "run the tests");
  assert.equal(f.turn, "working");
  assert.equal(f.stopReason, "tool_use");
  assert.deepEqual(f.currentTool, {
    name: "Bash",
    arg: "npm test -- --grep flaky",
    id: "tu2",
    startedAt: CREATED + 3500,
  });
  assert.deepEqual(f.tokens, { input: 30, output: 110, cacheRead: 4000, cacheWrite: 4300, reasoning: 0 });
  assert.equal(f.contextTokens, 4320);
  assert.equal(f.startedAt, CREATED);
  assert.equal(f.lastActivity, CREATED + 3500);
  assert.equal(f.costUsd, undefined, "credits are not dollars");
  assert.ok(f.activity.some((a) => a.kind === "result" && a.text === "12 passing"));
});

Deno.test("amp: a running response is working; end_turn and cancelled end the turn", () => {
  const running = ampThreadFacts(thread([user(0, "hi"), assistant(1, [], { type: "running" }, null)]))!;
  assert.equal(running.turn, "working");
  const done = ampThreadFacts(thread([
    user(0, "hi"),
    assistant(1, [{ type: "text", text: "Hello." }], { type: "complete", stopReason: "end_turn" }, [
      5,
      5,
      0,
      0,
    ]),
  ]))!;
  assert.equal(done.turn, "ended");
  const cancelled = ampThreadFacts(thread([
    user(0, "long job"),
    assistant(1, [bash("tu1", "sleep 600")], { type: "cancelled" }, null),
  ]))!;
  assert.equal(cancelled.turn, "ended");
  assert.equal(cancelled.currentTool, null);
  const fresh = ampThreadFacts(thread([]))!;
  assert.equal(fresh.turn, "unknown");
  assert.equal(fresh.title, "Fix the flaky test");
  assert.equal(ampThreadFacts({ id: "T-x" }), null);
  assert.equal(ampThreadFacts([1, 2]), null);
});

Deno.test("amp: older threads count the usage ledger, cache numbers from the messages", () => {
  const f = ampThreadFacts(thread([
    user(0, "hi"),
    assistant(1, [{ type: "text", text: "Hello." }], { type: "complete", stopReason: "end_turn" }, [
      7,
      9,
      100,
      200,
    ]),
  ], {
    usageLedger: {
      events: [
        {
          id: "u1",
          timestamp: "2026-11-24T09:00:02Z",
          model: "claude-sonnet-4-5",
          tokens: { input: 7, output: 9, total: 16 },
          credits: 3,
          toMessageId: 1,
        },
      ],
    },
  }))!;
  assert.deepEqual({ ...f.tokensByModel }, {
    "claude-sonnet-4-5": { input: 7, output: 9, cacheRead: 200, cacheWrite: 100, reasoning: 0 },
  });
});

Deno.test("amp: a half-written document keeps the last whole one's facts and counts as malformed", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "agtop-amp-" });
  try {
    const path = `${dir}/T-019b9d03-62e3-772f-9780-3e637f90eaec.json`;
    const whole = JSON.stringify(thread([user(0, "hi"), assistant(1, [], { type: "running" }, null)]));
    Deno.writeTextFileSync(path, whole);
    const src = new AmpSessionSource();
    const link = { path, id: "T-019b9d03-62e3-772f-9780-3e637f90eaec", linkedBy: "cwd" };
    assert.equal(src.read(link, Date.now())?.turn, "working");
    Deno.writeTextFileSync(path, whole.slice(0, whole.length - 40) + "   ");
    const f = src.read(link, Date.now());
    assert.equal(f?.turn, "working");
    assert.equal(f?.malformedLines, 1);
    await assertReaderOf(amp, AmpSessionSource, "amp");
    Deno.writeTextFileSync(path, "{");
    assert.equal(new AmpSessionSource().read(link, Date.now()), null, "never parsed whole: nothing to show");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("amp: workspace paths and tool arguments", () => {
  assert.equal(fileUriPath("file:///home/me/a%23b"), "/home/me/a#b");
  assert.equal(fileUriPath("file://localhost/srv/x"), "/srv/x");
  assert.equal(fileUriPath("https://example.com"), null);
  assert.equal(
    ampThreadCwd({ env: { initial: { cwd: "/explicit", trees: [{ uri: "file:///tree" }] } } }),
    "/explicit",
  );
  assert.equal(ampThreadCwd({ env: {} }), null);
  assert.equal(ampToolArg({ path: "/a.ts", content: "…" }), "/a.ts");
  assert.equal(ampToolArg({ prompt: "review" }), "review");
});

// ---------------------------------------------------------------------------------------------------
// Cursor's `meta` record

Deno.test("cursor: meta is hex-encoded JSON (text or bytes), plain JSON also read", () => {
  const json =
    '{"agentId":"a1","latestRootBlobId":"ff","name":"Fix login","mode":"agent","createdAt":1795500000000,' +
    '"lastUsedModel":"gpt-5"}';
  const hex = [...new TextEncoder().encode(json)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const want = { agentId: "a1", name: "Fix login", model: "gpt-5", createdAt: 1795500000000 };
  assert.deepEqual(decodeCursorMeta(hex), want);
  assert.deepEqual(decodeCursorMeta(new TextEncoder().encode(hex)), want);
  assert.deepEqual(decodeCursorMeta(json), want);
  assert.equal(decodeCursorMeta("zz"), null);
  assert.equal(decodeCursorMeta(42), null);
});
