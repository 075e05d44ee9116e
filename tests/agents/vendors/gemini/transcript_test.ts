import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { createHash } from "node:crypto";
import { GeminiTranscript } from "../../../../agents/vendors/gemini/transcript.ts";
import { geminiUsage } from "../../../../agents/formats/genai.ts";
import { geminiToolArg, MessageLedger } from "../../../../agents/formats/gemini_cli.ts";
import { geminiRoot, GeminiSessionSource } from "../../../../agents/vendors/gemini/sessions.ts";
import { argvSessionIds } from "../../../../agents/formats/argv.ts";
import { sha256Hex } from "../../../../agents/formats/hash.ts";
import type { LinkContext } from "../../../../agents/vendor.ts";
import { gemini } from "../../../../agents/vendors/gemini/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";

const SESSION_ID = "bd11986c-d8d4-4c5e-9a4f-0d3c1b2a7e6f";
const CWD = "/home/me/proj/gemini/web-app";
const MODEL = "gemini-2.5-pro";

const line = (o: unknown) => JSON.stringify(o);
const at = (s: number) => `2026-11-24T03:32:${String(s).padStart(2, "0")}.000Z`;

/** Gemini CLI 0.61's shapes: header, injected context, a prompt, a tool call, its result, the answer. */
const HEADER = line({
  sessionId: SESSION_ID,
  projectHash: sha256Hex(CWD),
  startTime: at(0),
  lastUpdated: at(0),
  kind: "main",
});
const CONTEXT = line({
  $set: {
    messages: [{
      id: "ctx",
      timestamp: at(0),
      type: "user",
      content: [{ text: "<session_context>\nOS: linux\n</session_context>" }],
    }],
    lastUpdated: at(0),
  },
});
const PROMPT = line({
  id: "u1",
  timestamp: at(1),
  type: "user",
  content: [{ text: "add a unit test for parser.ts" }],
});
const TOKENS_1 = { input: 7020, output: 170, cached: 5020, thoughts: 80, tool: 0, total: 7270 };
const ANSWER_1 = {
  id: "g1",
  timestamp: at(3),
  type: "gemini",
  content: "I'll run the tests first.",
  model: MODEL,
  thoughts: [{ subject: "Planning", description: "Run the suite first", timestamp: at(2) }],
  tokens: TOKENS_1,
};
const SHELL_CALL = {
  id: "run_shell_command_1795491124029_0",
  name: "run_shell_command",
  args: { command: "npm test", description: "Run tests" },
  result: [{ functionResponse: { id: "run_shell_command_1795491124029_0", name: "run_shell_command" } }],
  status: "success",
  timestamp: at(9),
  resultDisplay: "2 passing\n0 failing",
  displayName: "Shell",
};
const RESULT = line({
  id: "r1",
  timestamp: at(9),
  type: "user",
  content: [{
    functionResponse: { id: SHELL_CALL.id, name: "run_shell_command", response: { output: "2 passing" } },
  }],
});
const ANSWER_2 = line({
  id: "g2",
  timestamp: at(11),
  type: "gemini",
  content: "All tests pass.",
  model: MODEL,
  thoughts: [],
  tokens: { input: 7400, output: 60, cached: 7000, thoughts: 0, tool: 0, total: 7460 },
});

/** The whole happy path, as the file ends up. */
const SESSION = [
  HEADER,
  CONTEXT,
  PROMPT,
  line({ $set: { lastUpdated: at(1) } }),
  line(ANSWER_1),
  line({ $set: { lastUpdated: at(3) } }),
  line({ ...ANSWER_1, toolCalls: [SHELL_CALL] }), // the same id again, now with the finished call
  RESULT,
  ANSWER_2,
  line({ $set: { lastUpdated: at(11) } }),
];

function parse(lines: (string | unknown)[]): GeminiTranscript {
  const t = new GeminiTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("gemini: a re-appended message counts once; tokens in agtop's buckets", () => {
  const f = parse(SESSION).facts();
  // g1 (last copy) + g2: input = (7020 − 5020) + (7400 − 7000), cache read = 5020 + 7000.
  assert.deepEqual(f.tokens, { input: 2400, output: 230, cacheRead: 12020, cacheWrite: 0, reasoning: 80 });
  assert.deepEqual(Object.keys(f.tokensByModel), [MODEL]);
  assert.equal(f.contextTokens, 7400);
  assert.equal(f.id, SESSION_ID);
  assert.equal(f.model, MODEL);
  assert.equal(f.lastPrompt, "add a unit test for parser.ts", "the injected session context is not a prompt");
  assert.equal(f.title, "add a unit test for parser.ts");
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.startedAt, Date.parse(at(0)));
  assert.equal(f.lastActivity, Date.parse(at(11)));
  assert.deepEqual(f.activity.map((e) => [e.kind, e.text]), [
    ["prompt", "add a unit test for parser.ts"],
    ["thinking", "Planning: Run the suite first"],
    ["text", "I'll run the tests first."],
    ["tool", "run_shell_command: npm test"],
    ["result", "2 passing"],
    ["text", "All tests pass."],
  ]);
  assert.equal(f.malformedLines, 0);
});

Deno.test("gemini: while a tool runs the file ends with the answer without calls; results mean working", () => {
  const midFlight = parse(SESSION.slice(0, 5)).facts();
  // Gemini CLI writes a tool call only once it finished: the running tool is the agent's child process.
  assert.equal(midFlight.currentTool, null);
  assert.equal(midFlight.turn, "ended");
  assert.equal(parse(SESSION.slice(0, 3)).facts().turn, "working", "a prompt: the model is generating");
  assert.equal(parse(SESSION.slice(0, 7)).facts().turn, "working", "finished calls go back to the model");
  assert.equal(parse(SESSION.slice(0, 8)).facts().turn, "working", "a tool result: the model is generating");
});

Deno.test("gemini: $rewindTo drops the message and what follows from the conversation, not from the tokens", () => {
  const t = parse(SESSION);
  t.feed(line({ id: "u2", timestamp: at(20), type: "user", content: [{ text: "now add docs" }] }));
  t.feed(line({
    id: "g3",
    timestamp: at(22),
    type: "gemini",
    content: "Writing docs.",
    model: "gemini-2.5-flash",
    tokens: { input: 8000, output: 40, cached: 7000, thoughts: 0, tool: 0, total: 8040 },
  }));
  assert.equal(t.facts().lastPrompt, "now add docs");
  t.feed(line({ $rewindTo: "u2" }));
  const f = t.facts();
  assert.equal(f.lastPrompt, "add a unit test for parser.ts");
  assert.equal(f.model, MODEL, "the newest model of the conversation as it stands");
  assert.equal(f.contextTokens, 7400);
  assert.equal(f.turn, "ended");
  // The rewound call was made: its tokens stay.
  assert.deepEqual(f.tokens, { input: 3400, output: 270, cacheRead: 19020, cacheWrite: 0, reasoning: 80 });
  assert.deepEqual(f.tokensByModel["gemini-2.5-flash"].output, 40);
  t.feed(line({ id: "u3", timestamp: at(30), type: "user", content: [{ text: "write the docs instead" }] }));
  assert.equal(t.facts().turn, "working");
  assert.equal(t.facts().lastPrompt, "write the docs instead");
  t.feed(line({ $rewindTo: "unknown-id" }));
  assert.equal(
    t.facts().turn,
    "unknown",
    "an unknown id empties the conversation, as Gemini CLI's loader does",
  );
});

Deno.test("gemini: $set.messages replaces the list; a synced function call without a result is the tool", () => {
  const t = parse([HEADER, PROMPT]);
  const call = { functionCall: { id: "c9", name: "read_file", args: { absolute_path: "/src/parser.ts" } } };
  t.feed(line({
    $set: {
      messages: [
        { id: "u1", timestamp: at(1), type: "user", content: [{ text: "add a unit test for parser.ts" }] },
        { ...ANSWER_1, content: [{ text: "Reading it." }, call] },
      ],
      lastUpdated: at(4),
    },
  }));
  const f = t.facts();
  assert.deepEqual(f.currentTool, {
    name: "read_file",
    arg: "/src/parser.ts",
    id: "c9",
    startedAt: Date.parse(at(3)),
  });
  assert.equal(f.turn, "working");
  assert.deepEqual(f.tokens.output, 170, "the synced copy of g1 replaces it in the ledger");
  t.feed(line({
    id: "r9",
    timestamp: at(5),
    type: "user",
    content: [{ functionResponse: { id: "c9", name: "read_file", response: { output: "export …" } } }],
  }));
  assert.equal(t.facts().currentTool, null);
});

Deno.test("gemini: recorded in-flight and cancelled calls; cancel and error messages end the turn", () => {
  const asking = parse([
    HEADER,
    PROMPT,
    line({ ...ANSWER_1, toolCalls: [{ ...SHELL_CALL, status: "awaiting_approval", result: null }] }),
  ]).facts();
  assert.equal(asking.currentTool?.name, "run_shell_command");
  assert.equal(asking.waitingFor, "approval");
  assert.equal(asking.turn, "working");
  const cancelled = parse([
    HEADER,
    PROMPT,
    line({ ...ANSWER_1, toolCalls: [{ ...SHELL_CALL, status: "cancelled" }] }),
  ]);
  assert.equal(cancelled.facts().turn, "ended");
  const stopped = parse([
    HEADER,
    PROMPT,
    line({ id: "i1", timestamp: at(4), type: "info", content: "Request cancelled." }),
  ]);
  assert.equal(stopped.facts().turn, "ended");
  const info = parse([
    HEADER,
    PROMPT,
    line({ id: "i2", timestamp: at(4), type: "info", content: "Switched model" }),
  ]);
  assert.equal(info.facts().turn, "working", "other info messages say nothing about the turn");
  const failed = parse([
    HEADER,
    PROMPT,
    line({ id: "e1", timestamp: at(4), type: "error", content: "Quota exceeded" }),
  ]);
  assert.equal(failed.facts().turn, "ended");
  assert.deepEqual(failed.facts().activity.at(-1), {
    at: Date.parse(at(4)),
    kind: "error",
    text: "Quota exceeded",
  });
});

Deno.test("gemini: malformed lines are counted and skipped; parsed records are accepted", () => {
  const t = parse([
    HEADER,
    "{not json",
    "[1,2]",
    "",
    "   ",
    PROMPT,
    '{"id":"u2","type":"user","content":[{"te',
  ]);
  assert.equal(t.malformedLines, 3);
  assert.equal(t.facts().lastPrompt, "add a unit test for parser.ts");
  const parsed = parse([JSON.parse(HEADER), JSON.parse(PROMPT)]);
  assert.equal(parsed.facts().id, SESSION_ID);
});

Deno.test("gemini: the older whole-file .json is one record holding the conversation", () => {
  const doc = JSON.stringify(
    {
      sessionId: SESSION_ID,
      projectHash: sha256Hex(CWD),
      startTime: at(0),
      lastUpdated: at(11),
      summary: "Add parser tests",
      messages: [JSON.parse(PROMPT), { ...ANSWER_1, toolCalls: [SHELL_CALL] }, JSON.parse(ANSWER_2)],
    },
    null,
    2,
  );
  const f = parse([doc]).facts();
  assert.equal(f.id, SESSION_ID);
  assert.equal(f.title, "Add parser tests");
  assert.deepEqual(f.tokens, { input: 2400, output: 230, cacheRead: 12020, cacheWrite: 0, reasoning: 80 });
  assert.equal(f.turn, "ended");
});

Deno.test("gemini: subagent calls come from finished calls carrying an agentId", () => {
  const t = parse([
    HEADER,
    PROMPT,
    line({
      ...ANSWER_1,
      toolCalls: [{
        id: "inv1",
        name: "codebase_investigator",
        args: { objective: "Find the parser entry points" },
        status: "success",
        timestamp: at(30),
        agentId: "5c0ffee0-aaaa-4bbb-8ccc-123456789abc",
      }],
    }),
  ]);
  assert.deepEqual(t.subagentCalls.map((c) => [c.agentId, c.name, c.description]), [
    ["5c0ffee0-aaaa-4bbb-8ccc-123456789abc", "codebase_investigator", "Find the parser entry points"],
  ]);
});

Deno.test("geminiUsage: cached is part of input, thoughts apart from output (Gemini) or inside it (OpenAI-style)", () => {
  assert.deepEqual(geminiUsage(TOKENS_1, false), {
    tokens: { input: 2000, output: 170, cacheRead: 5020, cacheWrite: 0, reasoning: 80 },
    prompt: 7020,
  });
  // The total tells which: here output includes the thoughts although the default says otherwise.
  assert.deepEqual(
    geminiUsage({
      promptTokenCount: 900,
      candidatesTokenCount: 120,
      thoughtsTokenCount: 20,
      totalTokenCount: 1020,
    }, false)
      .tokens,
    { input: 900, output: 100, cacheRead: 0, cacheWrite: 0, reasoning: 20 },
  );
  // No total: the default decides.
  assert.equal(
    geminiUsage({ promptTokenCount: 900, candidatesTokenCount: 120, thoughtsTokenCount: 20 }, true).tokens
      .output,
    100,
  );
  assert.equal(
    geminiUsage({ promptTokenCount: 900, candidatesTokenCount: 120, thoughtsTokenCount: 20 }, false).tokens
      .output,
    120,
  );
  // Tool-use prompt tokens are billed as input and are part of the prompt.
  assert.deepEqual(geminiUsage({ input: 100, output: 10, cached: 0, tool: 30, total: 140 }, false), {
    tokens: { input: 130, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    prompt: 130,
  });
  assert.deepEqual(geminiUsage({ input: "x", output: -5 }, false).tokens.output, 0, "bad numbers count as 0");
});

Deno.test("MessageLedger: the last copy of an id wins, per source and model", () => {
  const l = new MessageLedger();
  const t = (output: number) => ({ input: 1, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  l.set("a", "main", "m1", t(5));
  l.set("a", "main", "m2", t(7));
  l.set("b", "agent:x", "m1", t(1));
  assert.deepEqual(l.totals().total, { input: 2, output: 8, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual({ ...l.totals(["main"]).byModel }, { m1: { ...t(0), input: 0 }, m2: t(7) });
  assert.deepEqual(l.sources(), ["main", "agent:x"]);
  assert.equal(l.has("agent:y"), false);
});

Deno.test("geminiToolArg: the argument a user wants to see", () => {
  assert.equal(geminiToolArg("run_shell_command", { command: "npm test", description: "Run" }), "npm test");
  assert.equal(geminiToolArg("read_file", { absolute_path: "/a.ts" }), "/a.ts");
  assert.equal(geminiToolArg("replace", { file_path: "/b.ts", old_string: "x" }), "/b.ts");
  assert.equal(geminiToolArg("glob", { pattern: "**/*.ts" }), "**/*.ts");
  assert.equal(geminiToolArg("read_many_files", { paths: ["a", "b"] }), "a b");
  assert.equal(geminiToolArg("google_web_search", { query: "deno ffi" }), "deno ffi");
  assert.equal(
    geminiToolArg("agent", { description: "Probe", subagent_type: "general-purpose" }),
    "Probe (general-purpose)",
  );
  assert.equal(geminiToolArg("todo_write", { todos: [{ content: "a", status: "in_progress" }] }), "a");
  assert.equal(geminiToolArg("mcp_tool", { objective: "find x" }), "find x");
  assert.equal(geminiToolArg("other", { n: 1 }), "");
});

Deno.test("sha256Hex matches node:crypto; argv session ids", () => {
  for (const s of ["", "abc", CWD, "x".repeat(55), "y".repeat(56), "é漢字🙂".repeat(40)]) {
    assert.equal(sha256Hex(s), createHash("sha256").update(s).digest("hex"), s);
  }
  assert.deepEqual(argvSessionIds(["node", "gemini", "--session-id", SESSION_ID, "-r=abc"], () => true), [
    SESSION_ID,
    "abc",
  ]);
  assert.equal(geminiRoot({ GEMINI_CLI_HOME: "/x" }, "/home/me"), "/x/.gemini");
});

// ---------------------------------------------------------------------------------------------------
// The session source, on a temp data directory.

const NOW = Date.now();

function ctx(home: string, cwd: string, over: Partial<LinkContext> = {}): LinkContext {
  return {
    pid: 4242,
    startedAt: NOW - 60_000,
    startId: 1,
    argv: ["node", "/usr/lib/node_modules/.bin/gemini"],
    cwd,
    env: { HOME: home },
    home,
    openFiles: [],
    childEnv: [],
    claimed: new Set(),
    now: NOW,
    ...over,
  };
}

function withHome(fn: (home: string) => void): void {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-gemini-" }));
  try {
    fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

function write(path: string, text: string, mtime?: number): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(path, text);
  if (mtime !== undefined) Deno.utimeSync(path, mtime / 1000, mtime / 1000);
}

const header = (id: string, cwd = CWD) =>
  line({ sessionId: id, projectHash: sha256Hex(cwd), startTime: at(0), lastUpdated: at(0), kind: "main" }) +
  "\n";

Deno.test("gemini sessions: projects.json slug, argv id, newest unclaimed, .project_root, sha256 dirs", () => {
  withHome((home) => {
    const root = `${home}/.gemini`;
    write(`${root}/projects.json`, JSON.stringify({ projects: { [CWD]: "web-app" } }));
    const chats = `${root}/tmp/web-app/chats`;
    const older = "11111111-1111-4111-8111-111111111111";
    const newer = "22222222-2222-4222-8222-222222222222";
    write(`${chats}/session-2026-11-24T03-30-11111111.jsonl`, header(older), NOW - 20_000);
    write(`${chats}/session-2026-11-24T03-31-22222222.jsonl`, header(newer), NOW - 10_000);
    write(
      `${chats}/session-2026-11-20T03-31-33333333.jsonl`,
      header("33333333-0000-4000-8000-000000000000"),
      NOW - 9e8,
    );
    const source = new GeminiSessionSource();
    const first = source.link(ctx(home, CWD));
    assert.deepEqual(first, {
      path: `${chats}/session-2026-11-24T03-31-22222222.jsonl`,
      id: newer,
      linkedBy: "cwd",
    });
    // A second agent in the same directory gets the other file; a file from before it started none.
    const second = source.link(ctx(home, CWD, { claimed: new Set([first!.path]) }));
    assert.equal(second?.id, older);
    assert.equal(source.link(ctx(home, CWD, { claimed: new Set([first!.path, second!.path]) })), null);
    // --resume <id> names an older session.
    const resumed = source.link(
      ctx(home, CWD, { argv: ["node", "gemini", "--resume", "33333333-0000-4000-8000-000000000000"] }),
    );
    assert.equal(resumed?.linkedBy, "argv");
    assert.ok(resumed?.path.endsWith("-33333333.jsonl"));
    // A header naming another project (a slug collision) is not this agent's.
    write(
      `${chats}/session-2026-11-24T03-32-44444444.jsonl`,
      header("44444444-0000-4000-8000-000000000000", "/else"),
    );
    assert.equal(source.link(ctx(home, CWD))?.id, newer);

    // GEMINI_CLI_HOME, a directory known by its .project_root marker only, and a sha256-named directory.
    const other = `${home}/alt`;
    write(`${other}/.gemini/tmp/api-1/.project_root`, "/home/me/api\n");
    write(
      `${other}/.gemini/tmp/api-1/chats/session-2026-11-24T03-33-55555555.jsonl`,
      header("5", "/home/me/api"),
    );
    const alt = ctx(home, "/home/me/api", { env: { HOME: home, GEMINI_CLI_HOME: other } });
    assert.ok(source.link(alt)?.path.includes("/api-1/chats/"));
    write(`${root}/tmp/${sha256Hex("/home/me/old")}/chats/session-2026-01-02T03-04-66666666.json`, "{}");
    assert.ok(source.link(ctx(home, "/home/me/old"))?.path.endsWith("-66666666.json"));
    assert.equal(source.link(ctx(home, "/nowhere")), null);
  });
});

Deno.test("gemini sessions: incremental reads, half-written lines, replaced files, legacy .json re-read", async () => {
  // What the reader returns is stamped with this vendor by the collector.
  await assertReaderOf(gemini, GeminiSessionSource, "gemini");
  withHome((home) => {
    const chats = `${home}/.gemini/tmp/web-app/chats`;
    write(`${home}/.gemini/tmp/web-app/.project_root`, CWD);
    const path = `${chats}/session-2026-11-24T03-32-bd11986c.jsonl`;
    write(path, SESSION.slice(0, 3).join("\n") + "\n" + SESSION[3].slice(0, 10));
    const source = new GeminiSessionSource();
    const link = { path, id: SESSION_ID, linkedBy: "cwd" };
    let f = source.read(link, NOW)!;
    assert.equal(f.cwd, CWD, "from the directory's .project_root");
    assert.equal(f.turn, "working");
    assert.equal(f.malformedLines, 0, "a half-written last line waits");
    Deno.writeTextFileSync(
      path,
      SESSION.join("\n").slice(SESSION.slice(0, 3).join("\n").length + 11) + "\n",
      {
        append: true,
      },
    );
    f = source.read(link, NOW)!;
    assert.deepEqual(f.tokens, { input: 2400, output: 230, cacheRead: 12020, cacheWrite: 0, reasoning: 80 });
    assert.equal(f.turn, "ended");
    // Gemini CLI rewrites a file through a temp file and a rename: read again from the start.
    const tmp = `${path}.tmp-1`;
    write(tmp, [HEADER, PROMPT].join("\n") + "\n");
    Deno.renameSync(tmp, path);
    f = source.read(link, NOW)!;
    assert.deepEqual(f.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(f.turn, "working");

    const legacy = `${chats}/session-2026-03-01T10-00-bd11986c.json`;
    const doc = (messages: unknown[]) =>
      JSON.stringify(
        { sessionId: SESSION_ID, projectHash: "x", startTime: at(0), lastUpdated: at(1), messages },
        null,
        2,
      );
    write(legacy, doc([JSON.parse(PROMPT)]));
    const legacyLink = { path: legacy, id: "bd11986c", linkedBy: "recent" };
    f = source.read(legacyLink, NOW)!;
    assert.equal(f.id, SESSION_ID, "the full id from the file");
    assert.equal(f.turn, "working");
    write(legacy, doc([JSON.parse(PROMPT), ANSWER_1]).slice(0, 200)); // caught half-written
    assert.equal(source.read(legacyLink, NOW)!.turn, "working", "the previous facts stay");
    write(legacy, doc([JSON.parse(PROMPT), ANSWER_1]));
    f = source.read(legacyLink, NOW)!;
    assert.equal(f.turn, "ended");
    assert.equal(f.tokens.output, 170);
    assert.equal(source.read({ path: `${chats}/gone.jsonl`, id: "x", linkedBy: "cwd" }, NOW), null);
  });
});

Deno.test("gemini sessions: subagent files count towards the session; running until the parent records the call", () => {
  withHome((home) => {
    const chats = `${home}/.gemini/tmp/web-app/chats`;
    const path = `${chats}/session-2026-11-24T03-32-bd11986c.jsonl`;
    const agentId = "5c0ffee0-aaaa-4bbb-8ccc-123456789abc";
    const now = Date.parse(at(40));
    write(path, [HEADER, PROMPT, line(ANSWER_1)].join("\n") + "\n", now - 30_000);
    const subFile = `${chats}/${SESSION_ID}/${agentId}.jsonl`;
    write(
      subFile,
      [
        line({
          sessionId: agentId,
          projectHash: "x",
          startTime: at(4),
          kind: "subagent",
          directories: [CWD],
        }),
        line({
          id: "s1",
          timestamp: at(5),
          type: "user",
          content: [{ text: "Find the parser entry points" }],
        }),
        line({
          id: "s2",
          timestamp: at(20),
          type: "gemini",
          content: "Looking.",
          model: "gemini-2.5-flash",
          tokens: { input: 3000, output: 50, cached: 1000, thoughts: 10, tool: 0, total: 3060 },
        }),
      ].join("\n") + "\n",
      now - 5_000,
    );
    const source = new GeminiSessionSource();
    const link = { path, id: SESSION_ID, linkedBy: "cwd" };
    let f = source.read(link, now)!;
    assert.equal(f.subagents.length, 1);
    assert.equal(f.subagents[0].id, agentId);
    assert.equal(f.subagents[0].status, "running");
    assert.equal(f.subagents[0].model, "gemini-2.5-flash");
    assert.deepEqual(f.subagents[0].tokens, {
      input: 2000,
      output: 50,
      cacheRead: 1000,
      cacheWrite: 0,
      reasoning: 10,
    });
    assert.deepEqual(f.tokens, { input: 4000, output: 220, cacheRead: 6020, cacheWrite: 0, reasoning: 90 });
    assert.deepEqual(Object.keys(f.tokensByModel).sort(), ["gemini-2.5-flash", MODEL]);
    // The parent records the finished call with the subagent's id.
    const call = {
      id: "inv1",
      name: "codebase_investigator",
      args: {},
      status: "success",
      timestamp: at(39),
      agentId,
    };
    Deno.writeTextFileSync(path, line({ ...ANSWER_1, timestamp: at(39), toolCalls: [call] }) + "\n", {
      append: true,
    });
    f = source.read(link, now)!;
    assert.equal(f.subagents[0].status, "done");
    assert.equal(f.subagents[0].type, "codebase_investigator");
    assert.equal(f.tokens.output, 220, "still counted once");
  });
});

Deno.test("gemini sessions: recent() lists chat files under each data directory, .jsonl over its .json", () => {
  withHome((home) => {
    const chats = `${home}/.gemini/tmp/web-app/chats`;
    write(`${chats}/session-2026-11-24T03-32-bd11986c.jsonl`, header(SESSION_ID), NOW - 1000);
    write(`${chats}/session-2026-11-24T03-32-bd11986c.json`, "{}", NOW - 2000);
    write(`${chats}/session-2026-11-20T03-32-aaaaaaaa.jsonl`, header("aaaaaaaa"), NOW - 9e8);
    write(`${chats}/${SESSION_ID}/5c0ffee0.jsonl`, header("5c0ffee0"), NOW);
    const links = new GeminiSessionSource().recent([{ HOME: home }], NOW - 3_600_000).links
      .map(({ at: _, ...l }) => l);
    assert.deepEqual(links, [{
      path: `${chats}/session-2026-11-24T03-32-bd11986c.jsonl`,
      id: SESSION_ID,
      linkedBy: "recent",
    }]);
  });
});

Deno.test("gemini: a fresh session's start-up context is no prompt: nothing is in progress", () => {
  // Gemini CLI 0.61.0, interactive, before the first prompt: a header and the `<session_context>` message.
  const t = new GeminiTranscript();
  for (const l of fixtureLines("gemini", "fresh.jsonl")) t.feed(l);
  const f = t.facts();
  assert.equal(f.turn, "unknown");
  assert.equal(f.lastPrompt, null);
  assert.equal(f.currentTool, null);
});
