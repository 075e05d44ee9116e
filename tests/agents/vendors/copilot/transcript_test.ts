/**
 * Copilot CLI events parsed from fixtures written here from the documented format (field names as the
 * agent writes them, values invented), including malformed and half-written input.
 */
import assert from "node:assert/strict";
import {
  copilotToolArg,
  CopilotTranscript,
  PERMISSION_PROMPT,
} from "../../../../agents/vendors/copilot/transcript.ts";
import { JsonlTail } from "../../../../agents/formats/jsonl.ts";

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

Deno.test("copilot: tool arguments", () => {
  assert.equal(copilotToolArg({ command: "ls" }, "ls -la"), "ls -la");
  assert.equal(copilotToolArg({ path: "/a/b.ts", view_range: [1, 2] }, null), "/a/b.ts");
  assert.equal(copilotToolArg("raw input", null), "raw input");
  assert.equal(copilotToolArg({ n: 3 }, null), "");
});
