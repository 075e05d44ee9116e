import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { QwenTranscript } from "../../../../agents/vendors/qwen/transcript.ts";
import {
  qwenProjectDir,
  qwenRuntimeDir,
  QwenSessionSource,
} from "../../../../agents/vendors/qwen/sessions.ts";
import type { LinkContext } from "../../../../agents/vendor.ts";
import { qwen } from "../../../../agents/vendors/qwen/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";

const SESSION_ID = "e351e2a0-7c1d-4f2e-9a3b-5c6d7e8f9a0b";
const CWD = "/home/me/proj/qwen/api_srv";
const MODEL = "qwen3-coder-plus";

const at = (s: number) => `2026-11-24T03:40:${String(s).padStart(2, "0")}.000Z`;

/** Qwen Code 0.15's record envelope. */
function rec(type: string, uuid: string, s: number, fields: Record<string, unknown>): string {
  return JSON.stringify({
    uuid,
    parentUuid: null,
    sessionId: SESSION_ID,
    timestamp: at(s),
    type,
    cwd: CWD,
    version: "0.15.10",
    gitBranch: "main",
    ...fields,
  });
}

const user = (uuid: string, s: number, text: string, extra: Record<string, unknown> = {}) =>
  rec("user", uuid, s, { message: { role: "user", parts: [{ text }] }, ...extra });

const telemetry = (uuid: string, s: number, event: Record<string, unknown>) =>
  rec("system", uuid, s, { subtype: "ui_telemetry", systemPayload: { uiEvent: event } });

const apiResponse = (uuid: string, s: number, usage: number[], extra: Record<string, unknown> = {}) =>
  telemetry(uuid, s, {
    "event.name": "qwen-code.api_response",
    "event.timestamp": at(s),
    response_id: `resp-${uuid}`,
    model: MODEL,
    status_code: 200,
    duration_ms: 900,
    input_token_count: usage[0],
    output_token_count: usage[1],
    cached_content_token_count: usage[2],
    thoughts_token_count: usage[3],
    total_token_count: usage[0] + usage[1],
    prompt_id: "p1",
    ...extra,
  });

const USAGE_1 = {
  promptTokenCount: 12000,
  candidatesTokenCount: 300,
  thoughtsTokenCount: 100,
  cachedContentTokenCount: 8000,
  totalTokenCount: 12300,
};
const USAGE_2 = {
  promptTokenCount: 12500,
  candidatesTokenCount: 40,
  cachedContentTokenCount: 12000,
  totalTokenCount: 12540,
};

const PROMPT = user("u1", 0, "fix the login bug");
const CALL = rec("assistant", "a1", 3, {
  model: MODEL,
  contextWindowSize: 131072,
  message: {
    role: "model",
    parts: [
      { text: "Check the handler first", thought: true },
      { text: "Let me run the tests." },
      {
        functionCall: {
          id: "call_1",
          name: "run_shell_command",
          args: { command: "npm test", is_background: false },
        },
      },
    ],
  },
  usageMetadata: USAGE_1,
});
const RESULT = rec("tool_result", "t1", 9, {
  message: {
    role: "user",
    parts: [{
      functionResponse: { id: "call_1", name: "run_shell_command", response: { output: "12 passing" } },
    }],
  },
  toolCallResult: { callId: "call_1", status: "success", resultDisplay: "12 passing" },
});
const ANSWER = rec("assistant", "a2", 11, {
  model: MODEL,
  contextWindowSize: 131072,
  message: { role: "model", parts: [{ text: "All 12 tests pass." }] },
  usageMetadata: USAGE_2,
});

/** The happy path, with the telemetry Qwen Code writes beside the records. */
const SESSION = [
  PROMPT,
  apiResponse("x1", 2, [12000, 300, 8000, 100]),
  CALL,
  telemetry("x2", 9, {
    "event.name": "qwen-code.tool_call",
    function_name: "run_shell_command",
    function_args: { command: "npm test" },
    duration_ms: 6000,
    status: "success",
    success: true,
  }),
  RESULT,
  apiResponse("x3", 10, [12500, 40, 12000, 0]),
  ANSWER,
];

const TOTAL = { input: 4500, output: 240, cacheRead: 20000, cacheWrite: 0, reasoning: 100 };

function parse(lines: (string | unknown)[]): QwenTranscript {
  const t = new QwenTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("qwen: tokens from the assistant records, the telemetry of the same calls not counted again", () => {
  const f = parse(SESSION).facts();
  // input = prompt − cached; output = candidates − thoughts (an OpenAI-style total: prompt + candidates).
  assert.deepEqual(f.tokens, TOTAL);
  assert.deepEqual({ ...f.tokensByModel }, { [MODEL]: TOTAL });
  assert.equal(f.contextTokens, 12500);
  assert.equal(f.contextWindow, 131072);
  assert.equal(f.id, SESSION_ID);
  assert.equal(f.cwd, CWD);
  assert.equal(f.gitBranch, "main");
  assert.equal(f.model, MODEL);
  assert.equal(f.lastPrompt, "fix the login bug");
  assert.equal(f.title, "fix the login bug");
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.startedAt, Date.parse(at(0)));
  assert.equal(f.lastActivity, Date.parse(at(11)));
  assert.deepEqual(f.activity.map((e) => [e.kind, e.text]), [
    ["prompt", "fix the login bug"],
    ["thinking", "Check the handler first"],
    ["text", "Let me run the tests."],
    ["tool", "run_shell_command: npm test"],
    ["result", "12 passing"],
    ["text", "All 12 tests pass."],
  ]);
});

Deno.test("qwen: a function call without a response is the tool in flight", () => {
  const f = parse(SESSION.slice(0, 3)).facts();
  assert.deepEqual(f.currentTool, {
    name: "run_shell_command",
    arg: "npm test",
    id: "call_1",
    startedAt: Date.parse(at(3)),
    asksFirst: true, // Qwen Code confirms shell commands first (outside --yolo)
  });
  assert.equal(f.turn, "working");
  assert.equal(parse(SESSION.slice(0, 5)).facts().currentTool, null);
  assert.equal(parse(SESSION.slice(0, 5)).facts().turn, "working", "a result: the model is generating");
  assert.equal(parse([PROMPT]).facts().turn, "working");
});

Deno.test("qwen: the telemetry counts where the records carry no usage; the older usage names are read", () => {
  const strip = (l: string) => {
    const r = JSON.parse(l);
    delete r.usageMetadata;
    return JSON.stringify(r);
  };
  const f = parse(SESSION.map((l) => l.includes('"type":"assistant"') ? strip(l) : l)).facts();
  assert.deepEqual(f.tokens, TOTAL);
  const older = rec("assistant", "a9", 3, {
    model: MODEL,
    message: { role: "model", parts: [{ text: "ok" }] },
    usageMetadata: { input: 1000, output: 50, cached: 600, thoughts: 0, total: 1050 },
  });
  assert.deepEqual(parse([PROMPT, older]).facts().tokens, {
    input: 400,
    output: 50,
    cacheRead: 600,
    cacheWrite: 0,
    reasoning: 0,
  });
});

Deno.test("qwen: a subagent's sidechain records count towards the session and the subagent", () => {
  const spawn = rec("assistant", "a3", 20, {
    model: MODEL,
    message: {
      role: "model",
      parts: [{
        functionCall: {
          id: "call_9",
          name: "agent",
          args: {
            description: "Audit auth",
            subagent_type: "general-purpose",
            prompt: "Audit the auth module",
          },
        },
      }],
    },
    usageMetadata: {
      promptTokenCount: 13000,
      candidatesTokenCount: 30,
      cachedContentTokenCount: 12000,
      totalTokenCount: 13030,
    },
  });
  const side = (uuid: string, s: number, fields: Record<string, unknown>, type = "assistant") =>
    rec(type, uuid, s, {
      isSidechain: true,
      agentId: "general-purpose-7f3c",
      agentName: "general-purpose",
      ...fields,
    });
  const sub = [
    side("s1", 21, { message: { role: "user", parts: [{ text: "Audit the auth module" }] } }, "user"),
    side("s2", 22, {
      model: "qwen3-coder-flash",
      message: {
        role: "model",
        parts: [{ functionCall: { id: "sc1", name: "read_file", args: { absolute_path: "/src/auth.ts" } } }],
      },
      usageMetadata: { promptTokenCount: 2000, candidatesTokenCount: 20, totalTokenCount: 2020 },
    }),
    apiResponse("x9", 22, [2000, 20, 0, 0], {
      subagent_id: "general-purpose-7f3c",
      model: "qwen3-coder-flash",
    }),
  ];
  const running = parse([...SESSION, user("u2", 19, "audit auth too"), spawn, ...sub]).facts();
  assert.equal(running.lastPrompt, "audit auth too", "a subagent's task is not the user's prompt");
  assert.equal(running.turn, "working");
  assert.deepEqual(running.subagents, [{
    id: "general-purpose-7f3c",
    type: "general-purpose",
    description: "Audit auth",
    status: "running",
    model: "qwen3-coder-flash",
    tokens: { input: 2000, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    currentTool: { name: "read_file", arg: "/src/auth.ts", id: "sc1", startedAt: Date.parse(at(22)) },
    lastActivity: Date.parse(at(22)),
  }]);
  assert.equal(running.tokens.input, TOTAL.input + 1000 + 2000);
  assert.equal(running.tokensByModel["qwen3-coder-flash"].input, 2000, "the telemetry copy is not added");
  assert.equal(running.model, MODEL, "the subagent's model is not the session's");
  const done = parse([
    ...SESSION,
    spawn,
    ...sub,
    rec("tool_result", "t9", 30, {
      message: {
        role: "user",
        parts: [{ functionResponse: { id: "call_9", name: "agent", response: { output: "ok" } } }],
      },
      toolCallResult: { callId: "call_9", status: "success" },
    }),
  ]).facts();
  assert.equal(done.subagents[0].status, "done");
  assert.equal(done.subagents[0].currentTool, null);

  // Without sidechain records in the file, the subagent's API calls come from the telemetry.
  const viaTelemetry = parse([...SESSION, spawn, sub[2]]).facts();
  assert.equal(viaTelemetry.subagents[0].id, "general-purpose-7f3c");
  assert.deepEqual(viaTelemetry.subagents[0].tokens.input, 2000);
  assert.equal(viaTelemetry.tokens.input, TOTAL.input + 1000 + 2000);
});

Deno.test("qwen: turn results, /quit, titles, the session model, prompts Qwen writes itself", () => {
  const cancelled = parse([
    ...SESSION.slice(0, 3),
    rec("system", "z1", 5, {
      subtype: "turn_result",
      systemPayload: { promptId: "p1", state: "cancelled", endedAt: 1, cancelledAt: 1 },
    }),
  ]).facts();
  assert.equal(cancelled.turn, "ended");
  assert.equal(cancelled.currentTool, null);
  assert.equal(cancelled.stopReason, "cancelled");
  assert.deepEqual(cancelled.activity.at(-1)?.text, "interrupted by user");
  const quit = parse([
    ...SESSION,
    rec("system", "z2", 20, {
      subtype: "slash_command",
      systemPayload: { phase: "invocation", rawCommand: "/quit" },
    }),
  ]);
  assert.equal(quit.facts().turn, "exited");
  const titled = parse([
    rec("system", "z3", 0, {
      subtype: "session_model",
      systemPayload: { modelId: "qwen3-max", authType: "openai" },
    }),
    user("u0", 0, "<system-reminder>context</system-reminder>"),
    user("u9", 0, "goal check", { provenance: "goal_control" }),
    user("u1", 1, "expanded @src/a.ts contents…", {
      systemPayload: { displayText: "explain @src/a.ts", hookContext: "" },
    }),
    rec("system", "z4", 2, {
      subtype: "custom_title",
      systemPayload: { customTitle: "Explain a.ts", titleSource: "auto" },
    }),
  ]).facts();
  assert.equal(titled.model, "qwen3-max", "the session model until a response names one");
  assert.equal(titled.lastPrompt, "explain @src/a.ts");
  assert.equal(titled.title, "Explain a.ts");
});

Deno.test("qwen: malformed and half-written lines are counted and skipped", () => {
  const t = parse([PROMPT, "{oops", "42", CALL.slice(0, 40)]);
  assert.equal(t.malformedLines, 3);
  assert.equal(t.facts().lastPrompt, "fix the login bug");
});

// ---------------------------------------------------------------------------------------------------
// The session source, on a temp runtime directory.

const NOW = Date.now();

function ctx(home: string, cwd: string, over: Partial<LinkContext> = {}): LinkContext {
  return {
    pid: 4343,
    startedAt: NOW - 60_000,
    startId: 1,
    argv: ["node", "/usr/lib/node_modules/.bin/qwen"],
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
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-qwen-" }));
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

Deno.test("qwen paths: project directory names and the runtime directory", () => {
  assert.equal(qwenProjectDir("/home/me/proj/qwen/api_srv"), "-home-me-proj-qwen-api-srv");
  assert.equal(qwenRuntimeDir({}, "/home/me", "/w"), "/home/me/.qwen");
  assert.equal(qwenRuntimeDir({ QWEN_RUNTIME_DIR: "~/rt" }, "/home/me", "/w"), "/home/me/rt");
  assert.equal(qwenRuntimeDir({ QWEN_RUNTIME_DIR: "/var/rt" }, "/home/me", "/w"), "/var/rt");
  assert.equal(qwenRuntimeDir({ QWEN_RUNTIME_DIR: ".qwen-rt" }, "/home/me", "/w"), "/w/.qwen-rt");
});

Deno.test("qwen sessions: argv id, newest unclaimed confirmed by cwd, QWEN_RUNTIME_DIR, reads, recent()", async () => {
  // What the reader returns is stamped with this vendor by the collector.
  await assertReaderOf(qwen, QwenSessionSource, "qwen");
  withHome((home) => {
    const chats = `${home}/.qwen/projects/${qwenProjectDir(CWD)}/chats`;
    const older = "11111111-1111-4111-8111-111111111111";
    write(`${chats}/${older}.jsonl`, user("o1", 0, "older") + "\n", NOW - 20_000);
    write(`${chats}/${SESSION_ID}.jsonl`, SESSION.join("\n") + "\n", NOW - 10_000);
    // Same encoded name, other directory (`api_srv` vs `api-srv`): never this agent's.
    write(
      `${chats}/22222222-2222-4222-8222-222222222222.jsonl`,
      JSON.stringify({ cwd: "/home/me/proj/qwen/api-srv" }) + "\n",
    );
    const source = new QwenSessionSource();
    const link = source.link(ctx(home, CWD));
    assert.deepEqual(link, { path: `${chats}/${SESSION_ID}.jsonl`, id: SESSION_ID, linkedBy: "cwd" });
    assert.equal(source.link(ctx(home, CWD, { claimed: new Set([link!.path]) }))?.id, older);
    const resumed = source.link(ctx(home, CWD, { argv: ["node", "qwen", "--resume", older] }));
    assert.deepEqual(resumed, { path: `${chats}/${older}.jsonl`, id: older, linkedBy: "argv" });

    const f = source.read(link!, NOW)!;
    assert.deepEqual(f.tokens, TOTAL);
    assert.equal(f.turn, "ended");
    Deno.writeTextFileSync(link!.path, user("u2", 20, "and the signup bug") + "\n" + CALL.slice(0, 50), {
      append: true,
    });
    const next = source.read(link!, NOW)!;
    assert.equal(next.lastPrompt, "and the signup bug");
    assert.equal(next.malformedLines, 0, "the half-written line waits");

    const rt = `${home}/rt`;
    write(
      `${rt}/projects/${qwenProjectDir("/w")}/chats/${older}.jsonl`,
      JSON.stringify({ cwd: "/w" }) + "\n",
    );
    const viaEnv = source.link(ctx(home, "/w", { env: { HOME: home, QWEN_RUNTIME_DIR: "~/rt" } }));
    assert.equal(viaEnv?.path, `${rt}/projects/-w/chats/${older}.jsonl`);

    const recent = source.recent([{ HOME: home }, { HOME: home, QWEN_RUNTIME_DIR: rt }], NOW - 15_000).links;
    assert.deepEqual(
      recent.map((l) => l.id).sort(),
      [SESSION_ID, older, "22222222-2222-4222-8222-222222222222"].sort(),
    );
    assert.ok(recent.every((l) => l.linkedBy === "recent"));
  });
});

Deno.test("qwen: a call cancelled at its confirmation (Esc) ends the turn", () => {
  // Qwen Code 0.15.10, interactive: the second prompt's shell call refused with Esc.
  const t = new QwenTranscript();
  for (const l of fixtureLines("qwen", "cancelled.jsonl")) t.feed(l);
  const f = t.facts();
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.activity.at(-1)?.text, "interrupted by user");
});
