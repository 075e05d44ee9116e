import assert from "node:assert/strict";
import { limitNotice } from "../../../agents/formats/limits.ts";
import { ClaudeTranscript } from "../../../agents/vendors/claude/transcript.ts";
import { CodexTranscript } from "../../../agents/vendors/codex/transcript.ts";
import { agentStatus } from "../../../agents/status.ts";
import { makeSession } from "../../support/agents.ts";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
const CODEX_LIMITS = "codex/rollout-2026-11-24T05-00-00-019a8b3c-7777-7aaa-8bbb-ccccdddd0001.jsonl";
const RESET = Date.parse("2026-11-24T15:00:00Z"); // 1795532400 in claude/limited.jsonl

function lines(name: string): string[] {
  return Deno.readTextFileSync(FIXTURES + name).split("\n").filter(Boolean);
}

function claude(input: string[]): ClaudeTranscript {
  const t = new ClaudeTranscript();
  for (const l of input) t.feed(l);
  return t;
}

function codex(input: string[]): CodexTranscript {
  const t = new CodexTranscript();
  for (const l of input) t.feed(l);
  return t;
}

const at = (iso: string) => Date.parse(iso);

Deno.test("limits: wordings of usage-limit errors and when they reset", () => {
  const t = at("2026-11-24T15:00:00Z");
  /** The next local h:m from `t` on: a clock without a zone is in the machine's time zone. */
  const local = (h: number, m: number) => {
    const d = new Date(t);
    const today = new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, m).getTime();
    return today >= t - 60_000
      ? today
      : new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, h, m).getTime();
  };
  const cases: [string, number | null, string][] = [
    ["Claude AI usage limit reached|1795532400", RESET, "usage"],
    ["You've hit your limit · resets 7pm (UTC)", at("2026-11-24T19:00:00Z"), "usage"],
    // Berlin is UTC+1 in November; 9:30am there already passed at 15:00 UTC: tomorrow.
    ["You've hit your limit · resets 9:30am (Europe/Berlin)", at("2026-11-25T08:30:00Z"), "usage"],
    // April in Berlin is summer time (UTC+2), and April 3 has passed this year: next year.
    [
      "You've hit your weekly limit · resets Apr 3, 5pm (Europe/Berlin)",
      at("2027-04-03T15:00:00Z"),
      "seven_day",
    ],
    ["5-hour limit reached ∙ resets 11:45pm", local(23, 45), "five_hour"],
    [
      "You've hit your usage limit. To get more access now, send a request to your admin or try again in 3 days 6 hours 57 minutes.",
      t + ((3 * 24 + 6) * 60 + 57) * 60_000,
      "usage",
    ],
    ["API Error: 429 rate_limit_error", null, "usage"],
    ["You've hit your usage limit. Try again Aug 18.", null, "usage"],
  ];
  for (const [text, resetsAt, window] of cases) {
    const n = limitNotice(text, t);
    assert.ok(n, text);
    assert.equal(n.resetsAt, resetsAt, text);
    assert.equal(n.window, window, text);
  }
  assert.equal(
    limitNotice("You've hit your weekly limit · resets Apr 3, 5pm (UTC)", t)?.windowMinutes,
    10_080,
  );
  assert.equal(limitNotice("resets 9pm (Mars/Olympus)", t), null, "not a limit message");
  assert.equal(limitNotice("You've hit your limit · resets 9pm (Mars/Olympus)", t)?.resetsAt, null);
  assert.equal(limitNotice("All 12 tests pass.", t), null);
  assert.equal(
    limitNotice("You've hit your limit · resets 7pm", null)?.resetsAt,
    null,
    "no clock without a time",
  );
});

Deno.test("limits: Claude usage-limit error with its epoch is the newest event → limited until then", () => {
  const t = claude(lines("claude/limited.jsonl"));
  const f = t.facts();
  assert.equal(f.limitedUntil, RESET);
  assert.deepEqual(f.rateLimits, [
    { name: "usage", usedPercent: 100, windowMinutes: null, resetsAt: RESET, plan: null },
  ]);
  assert.equal(f.turn, "ended");
  assert.equal(f.model, "claude-opus-4-8", "the synthetic error is not a model");

  const session = makeSession({ ...f, turn: f.turn });
  const status = (now: number) => agentStatus({ cpuPercent: 0, toolChildren: 0, session, now, alive: true });
  assert.equal(status(at("2026-11-24T10:25:00Z")), "limited");
  assert.equal(status(RESET + 1), "waiting", "after the reset: the ended turn waits for the user");
  assert.equal(
    agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: RESET - 1, alive: false }),
    "done",
  );

  // The user's next prompt, then a real response: the limit error is no longer the newest event.
  t.feed(JSON.stringify({
    type: "user",
    timestamp: "2026-11-24T15:01:00.000Z",
    message: { role: "user", content: "now add tests" },
  }));
  assert.equal(t.facts().limitedUntil, null);
  assert.equal(t.facts().rateLimits?.[0].resetsAt, RESET, "the window reading stays");
});

Deno.test("limits: a later real response or another error ends a Claude limit; 429 retries limit until the retry", () => {
  const limitLine = (text: string, ts: string) =>
    JSON.stringify({
      type: "assistant",
      timestamp: ts,
      isApiErrorMessage: true,
      message: {
        id: `m-${ts}`,
        model: "<synthetic>",
        content: [{ type: "text", text }],
        stop_reason: "stop_sequence",
      },
    });
  const t = claude([limitLine("You've hit your limit · resets 7pm (UTC)", "2026-11-24T15:00:00.000Z")]);
  assert.equal(t.facts().limitedUntil, at("2026-11-24T19:00:00Z"));
  t.feed(limitLine("API Error: Connection error.", "2026-11-24T15:00:05.000Z"));
  assert.equal(t.facts().limitedUntil, null, "another error is newer");

  t.feed(limitLine("Claude AI usage limit reached|1795532400", "2026-11-24T15:00:06.000Z"));
  t.feed(JSON.stringify({
    type: "assistant",
    timestamp: "2026-11-24T15:00:07.000Z",
    requestId: "req_ok",
    message: {
      id: "msg_ok",
      model: "claude-opus-4-8",
      content: [{ type: "text", text: "Back." }],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 2 },
    },
  }));
  assert.equal(t.facts().limitedUntil, null, "a real response went through");

  const retry = claude([JSON.stringify({
    type: "system",
    subtype: "api_error",
    level: "error",
    timestamp: "2026-11-24T15:00:00.000Z",
    error: {
      status: 429,
      headers: {},
      error: { type: "error", error: { type: "rate_limit_error", message: "x" } },
    },
    retryInMs: 30_000,
    retryAttempt: 1,
    maxRetries: 10,
  })]);
  assert.equal(retry.facts().limitedUntil, at("2026-11-24T15:00:30Z"));
  const headers = claude([JSON.stringify({
    type: "system",
    subtype: "api_error",
    timestamp: "2026-11-24T15:00:00.000Z",
    error: { status: 429, headers: { "anthropic-ratelimit-unified-reset": "1795532400" } },
    retryInMs: 500,
  })]);
  assert.equal(headers.facts().limitedUntil, RESET);
  const overloaded = claude([JSON.stringify({
    type: "system",
    subtype: "api_error",
    timestamp: "2026-11-24T15:00:00.000Z",
    error: { status: 529, message: "overloaded" },
    retryInMs: 500,
  })]);
  assert.equal(overloaded.facts().limitedUntil, null, "overloaded is not a limit");
});

Deno.test("limits: Codex rate_limits windows, plan, and a usage-limit error with its reset", () => {
  const f = codex(lines(CODEX_LIMITS)).facts();
  assert.deepEqual(f.rateLimits, [
    {
      name: "primary",
      usedPercent: 100,
      windowMinutes: 300,
      resetsAt: at("2026-11-24T09:00:00Z"),
      plan: "plus",
    },
    {
      name: "secondary",
      usedPercent: 12,
      windowMinutes: 10_080,
      resetsAt: at("2026-11-28T00:00:00Z"),
      plan: "plus",
    },
  ]);
  // "try again in 1 hour 5 minutes", written at 05:10:02.
  assert.equal(f.limitedUntil, at("2026-11-24T06:15:02Z"));
  assert.equal(f.lastRequestAt, at("2026-11-24T05:02:30Z"));
  const session = makeSession({ ...f, vendor: "codex" });
  assert.equal(
    agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: at("2026-11-24T05:11:00Z"), alive: true }),
    "limited",
  );
});

Deno.test("limits: Codex error without a time falls back to the full window's reset; a new turn ends it", () => {
  const line = (ts: string, type: string, payload: unknown) =>
    JSON.stringify({ timestamp: ts, type, payload });
  const t = codex([
    line("2026-11-24T05:00:00Z", "event_msg", {
      type: "token_count",
      info: null,
      rate_limits: {
        primary: { used_percent: 100, window_minutes: 300, resets_in_seconds: 600 },
        secondary: null,
        plan_type: null,
      },
    }),
    line("2026-11-24T05:00:05Z", "event_msg", {
      type: "error",
      message: "Quota reached",
      codex_error_info: "usage_limit_exceeded",
    }),
  ]);
  assert.deepEqual(t.facts().rateLimits, [
    {
      name: "primary",
      usedPercent: 100,
      windowMinutes: 300,
      resetsAt: at("2026-11-24T05:10:00Z"),
      plan: null,
    },
  ]);
  assert.equal(t.facts().limitedUntil, at("2026-11-24T05:10:00Z"));
  t.feed(line("2026-11-24T05:11:00Z", "event_msg", { type: "task_started", turn_id: "t9" }));
  assert.equal(t.facts().limitedUntil, null);
  t.feed(line("2026-11-24T05:11:02Z", "event_msg", { type: "error", message: "stream disconnected" }));
  assert.equal(t.facts().limitedUntil, null, "not every error is a limit");
});
