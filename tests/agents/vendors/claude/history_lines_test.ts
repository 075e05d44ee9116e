import assert from "node:assert/strict";
import { HistoryLines, type Reply } from "../../../../agents/vendors/claude/history_lines.ts";
import { ClaudeTranscript } from "../../../../agents/vendors/claude/transcript.ts";

const FIXTURES = new URL("../../../fixtures/claude/", import.meta.url).pathname;
const AT = "2026-11-24T10:00:09.000Z";
const AT_MS = Date.parse(AT);

/** The envelope Claude Code 2.1.197 writes before a record's message. */
function envelope(type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    parentUuid: "p1",
    isSidechain: false,
    userType: "external",
    cwd: "/home/me/proj",
    sessionId: "5e5510aa-7b2c-4d3e-9f40-1a2b3c4d5e6f",
    version: "2.1.197",
    gitBranch: "main",
    uuid: crypto.randomUUID(),
    timestamp: AT,
    ...extra,
    type,
  };
}

function toolResult(size: number): string {
  return JSON.stringify({
    ...envelope("user"),
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "x".repeat(size) }],
    },
    toolUseResult: { stdout: "x".repeat(size) },
  });
}

function response(
  block: unknown,
  opts: { request?: string; output?: number; sidechain?: boolean; model?: string; at?: string } = {},
): string {
  return JSON.stringify({
    ...envelope("assistant", { requestId: opts.request ?? "req_1", isSidechain: opts.sidechain ?? false }),
    timestamp: opts.at ?? AT,
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: opts.model ?? "claude-sonnet-4-5",
      content: [block],
      stop_reason: null,
      usage: {
        input_tokens: 3,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 2000,
        output_tokens: opts.output ?? 40,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 0 },
        service_tier: "standard",
      },
    },
  });
}

const THINKING = { type: "thinking", thinking: "Looking at the failing test. ".repeat(20), signature: "s" };
const TEXT = { type: "text", text: "I will run the tests. ".repeat(20) };

Deno.test("a history read takes only the time of a line of tool results; a short one is parsed", () => {
  const lines = new HistoryLines();
  assert.equal(lines.take(toolResult(20_000)), AT_MS);
  const short = toolResult(10);
  assert.equal(lines.take(short), short);
});

/** The line a history read parses of `taken`: the line itself, or a new response's line, read in place. */
const toParse = (taken: ReturnType<HistoryLines["take"]>) =>
  typeof taken === "object" && taken !== null ? taken.line : taken;

Deno.test("a history read reads a new response in place and takes its repeated copies by their time only", () => {
  const lines = new HistoryLines();
  const first = response(THINKING);
  const reply = lines.take(first) as Reply;
  assert.deepEqual({ ...reply, line: undefined }, {
    at: AT_MS,
    requestId: "req_1",
    id: "msg_1",
    model: "claude-sonnet-4-5",
    sidechain: false,
    usage: JSON.parse(first).message.usage,
    line: undefined,
  });
  assert.equal(reply.line, first, "the line to parse for what a report does not take");
  assert.equal(
    lines.take(response(TEXT, { at: "2026-11-24T10:00:10.000Z" })),
    Date.parse("2026-11-24T10:00:10.000Z"),
  );
  // Anything a ledger tells copies apart by is parsed again.
  for (
    const other of [
      response(TEXT, { output: 41 }),
      response(TEXT, { request: "req_2" }),
      response(TEXT, { sidechain: true }),
      response(TEXT, { model: "claude-opus-4-5" }),
    ]
  ) {
    assert.equal(toParse(lines.take(other)), other);
  }
  // Claude Code's own error messages and ids with escapes are parsed whole.
  const error = response(TEXT, { request: "req_3", model: "<synthetic>" });
  assert.equal(lines.take(error), error);
});

Deno.test("a history read parses prompts whole and cuts the long strings of other long lines", () => {
  const lines = new HistoryLines();
  const prompt = JSON.stringify({
    ...envelope("user"),
    message: { role: "user", content: "p".repeat(5_000) },
  });
  assert.equal(lines.take(prompt), prompt);
  const write = response({
    type: "tool_use",
    id: "toolu_9",
    name: "Write",
    input: { file_path: "/a", content: "c".repeat(9_000) },
  });
  const taken = toParse(lines.take(write));
  assert.equal(typeof taken, "string");
  const parsed = JSON.parse(taken as string);
  assert.equal(parsed.message.content[0].input.content.length, 512);
  assert.equal(parsed.message.usage.output_tokens, 40);
});

Deno.test("a line laid out otherwise (message before its fields) is parsed whole", () => {
  const lines = new HistoryLines();
  const line = JSON.stringify({
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "t", content: "x".repeat(600) }],
    },
    type: "user",
    timestamp: AT,
  });
  assert.equal(lines.take(line), line);
});

/** What a report reads of a transcript: tokens, models, times, title and the usage timeline. */
function reportFacts(lines: string[], history: boolean) {
  const t = new ClaudeTranscript({ history });
  for (const l of lines) t.feed(l);
  const f = t.facts();
  return {
    id: f.id,
    cwd: f.cwd,
    title: f.title,
    model: f.model,
    tokens: f.tokens,
    byModel: f.tokensByModel,
    startedAt: f.startedAt,
    lastActivity: f.lastActivity,
    history: t.ledger.history(),
  };
}

Deno.test("a history read finds what a full read finds for a report, in every Claude fixture", () => {
  const names = [...Deno.readDirSync(FIXTURES)].filter((e) => e.name.endsWith(".jsonl")).map((e) => e.name);
  assert.ok(names.length >= 8);
  for (const name of names) {
    const lines = Deno.readTextFileSync(FIXTURES + name).split("\n").filter(Boolean);
    assert.deepEqual(reportFacts(lines, true), reportFacts(lines, false), name);
  }
});

Deno.test("a history read finds what a full read finds in a long session of copies and big results", () => {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const at = new Date(AT_MS + i * 60_000).toISOString();
    const request = `req_${i}`;
    lines.push(
      JSON.stringify({ ...envelope("user"), timestamp: at, message: { role: "user", content: `step ${i}` } }),
    );
    // The streamed copies: the same usage on each block, or a growing output count as older versions wrote.
    lines.push(response(THINKING, { request, at, output: i % 3 === 0 ? 10 : 50 }));
    lines.push(response(TEXT, { request, at, output: 50 }));
    lines.push(response({ type: "tool_use", id: `toolu_${i}`, name: "Bash", input: { command: "ls" } }, {
      request,
      at,
      output: 50,
      model: i % 5 === 0 ? "claude-opus-4-5" : "claude-sonnet-4-5",
    }));
    lines.push(toolResult(1_000 + i * 300));
  }
  assert.deepEqual(reportFacts(lines, true), reportFacts(lines, false));
});

Deno.test("once the first prompt is known, a history read takes every user line by its time only", () => {
  const lines = new HistoryLines();
  const prompt = JSON.stringify({ ...envelope("user"), message: { role: "user", content: "run the tests" } });
  assert.equal(lines.take(prompt, false), prompt);
  assert.equal(lines.take(prompt, true), AT_MS);
  assert.equal(lines.take(toolResult(10), true), AT_MS);
  // Not a user line: parsed as before.
  const title = JSON.stringify({ type: "custom-title", customTitle: "Shop checkout", sessionId: "s" });
  assert.equal(lines.take(title, true), title);
});

/** Lines of a session as Claude Code 2.1 writes them: the message before the record's uuid and time. */
function realLayoutSession(turns: number): string[] {
  const tail = {
    userType: "external",
    entrypoint: "cli",
    cwd: "/w/app",
    sessionId: "s-real",
    version: "2.1.197",
  };
  const lines: string[] = [];
  for (let i = 0; i < turns; i++) {
    const at = (ms: number) => new Date(AT_MS + i * 60_000 + ms).toISOString();
    lines.push(JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      promptId: `p${i}`,
      type: "user",
      message: { role: "user", content: `step ${i}: ${"make it pass ".repeat(60)}` },
      uuid: `u${i}`,
      timestamp: at(0),
      permissionMode: "default",
      ...tail,
    }));
    const usage = {
      input_tokens: 3 + i,
      cache_read_input_tokens: 1000 * i,
      output_tokens: i % 4 === 0 ? 10 : 70,
    };
    const blocks = [THINKING, TEXT, {
      type: "tool_use",
      id: `toolu_${i}`,
      name: "Bash",
      input: { command: "ls" },
    }];
    blocks.forEach((block, k) =>
      lines.push(JSON.stringify({
        parentUuid: `u${i}`,
        isSidechain: false,
        message: {
          id: `msg_${i}`,
          type: "message",
          role: "assistant",
          model: i % 5 === 0 ? "claude-opus-4-5" : "claude-sonnet-4-5",
          content: [block],
          stop_reason: k === 2 ? "tool_use" : null,
          // Older versions wrote a growing output count on each copy.
          usage: { ...usage, output_tokens: i % 3 === 0 ? usage.output_tokens + k : usage.output_tokens },
          stop_details: null,
        },
        requestId: `req_${i}`,
        type: "assistant",
        uuid: `a${i}-${k}`,
        timestamp: at(1_000 + k * 40),
        ...tail,
      }))
    );
    const out = "x".repeat(1_000 + i * 300);
    lines.push(JSON.stringify({
      parentUuid: `a${i}-2`,
      isSidechain: false,
      promptId: `p${i}`,
      type: "user",
      message: {
        role: "user",
        content: [{ tool_use_id: `toolu_${i}`, type: "tool_result", content: out, is_error: false }],
      },
      uuid: `r${i}`,
      timestamp: at(3_000),
      // A result's own record, after its time, may hold times of its own.
      toolUseResult: { stdout: out, stderr: "", interrupted: false, timestamp: "2030-01-01T00:00:00.000Z" },
      sourceToolAssistantUUID: `a${i}-2`,
      ...tail,
    }));
  }
  return lines;
}

Deno.test("a history read finds what a full read finds in Claude Code 2.1's layout, a result last", () => {
  const lines = realLayoutSession(30);
  const history = reportFacts(lines, true);
  assert.deepEqual(history, reportFacts(lines, false));
  // The last line is a tool result: its time, read last, is the session's last activity.
  assert.equal(history.lastActivity, AT_MS + 29 * 60_000 + 3_000);
  // Its copies and results were taken by their time alone, its new responses read in place.
  const taken = new HistoryLines();
  const counts = { parsed: 0, read: 0 };
  let prompted = false;
  for (const l of lines) {
    const t = taken.take(l, prompted);
    if (typeof t === "string") counts.parsed++;
    else if (typeof t === "object" && t !== null) counts.read++;
    prompted = true;
  }
  // The first prompt is parsed; each response's first line, and the copies of growing output (every
  // third turn), are read in place.
  assert.deepEqual(counts, { parsed: 1, read: 30 + 2 * 10 });
});

Deno.test("a message inside another object (a subagent's progress) is not taken for the record's own", () => {
  const lines = new HistoryLines();
  const progress = JSON.stringify({
    parentUuid: "p1",
    isSidechain: false,
    type: "progress",
    data: {
      message: JSON.parse(response(TEXT, { request: "req_sub" })).message,
      type: "agent_progress",
    },
    uuid: "x1",
    timestamp: AT,
  });
  assert.equal(lines.take(progress, true), progress, "parsed whole, so that its type is skipped");
  const t = new ClaudeTranscript({ history: true });
  t.feed(progress);
  assert.deepEqual(t.facts().tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
});
