import assert from "node:assert/strict";
import { subagentFacts, TranscriptState } from "../../../agents/formats/transcript_state.ts";
import { ARG_KEYS, firstArg } from "../../../agents/formats/tool_args.ts";
import { skipTypes } from "../../../agents/formats/records.ts";

const T0 = Date.parse("2026-11-24T03:00:00Z");

Deno.test("transcript state: an empty state has empty facts in SessionFacts order", () => {
  const f = new TranscriptState().facts({});
  assert.deepEqual(Object.keys(f), [
    "id",
    "cwd",
    "gitBranch",
    "title",
    "model",
    "lastPrompt",
    "currentTask",
    "currentTool",
    "subagents",
    "turn",
    "stopReason",
    "startedAt",
    "lastActivity",
    "tokens",
    "tokensByModel",
    "contextTokens",
    "contextWindow",
    "activity",
    "malformedLines",
  ]);
  assert.equal(f.id, "");
  assert.equal(f.turn, "unknown");
  assert.equal(f.currentTool, null);
  assert.deepEqual(f.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(f.activity, []);
});

Deno.test("transcript state: the parser's own facts fill in over the state's, in place; extras go last", () => {
  const s = new TranscriptState();
  s.prompt(T0, "first\nprompt");
  const f = s.facts({ id: "abc", startedAt: 1, title: "My title", costUsd: 0.5 });
  assert.equal(f.id, "abc");
  assert.equal(f.startedAt, 1);
  assert.equal(f.title, "My title");
  assert.equal(f.lastPrompt, "first prompt");
  const keys = Object.keys(f);
  assert.equal(keys.indexOf("title"), 3, "an override keeps its place");
  assert.equal(keys.at(-1), "costUsd");
});

Deno.test("transcript state: prompts, tool calls, the end of a turn", () => {
  const s = new TranscriptState();
  s.span.see(T0 + 5);
  s.span.see(T0);
  s.prompt(T0, "one");
  s.prompt(T0 + 5, "two");
  s.turn = "working";
  const shown = s.toolCall(T0 + 5, "Bash", "npm\ttest\x1b[2J", "t1");
  s.toolCall(T0 + 5, "Read", "/a.ts", null, "#0");
  s.toolCall(T0 + 5, "web_search", "", null);
  assert.equal(shown, "npm test");
  let f = s.facts({});
  assert.equal(f.title, "one");
  assert.equal(f.lastPrompt, "two");
  assert.equal(f.startedAt, T0);
  assert.equal(f.lastActivity, T0 + 5);
  assert.deepEqual(f.currentTool, { name: "Read", arg: "/a.ts", id: null, startedAt: T0 + 5 });
  assert.deepEqual(f.activity.map((e) => `${e.kind} ${e.text}`), [
    "prompt one",
    "prompt two",
    "tool Bash: npm test",
    "tool Read: /a.ts",
    "tool web_search",
  ]);
  s.pending.delete("#0");
  assert.equal(s.facts({}).currentTool?.name, "Bash");
  s.endTurn();
  f = s.facts({});
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  s.turn = "exited";
  s.unlessExited("working");
  assert.equal(s.turn, "exited");
});

Deno.test("transcript state: feeding lines counts the malformed ones, those read counts too", () => {
  const s = new TranscriptState();
  const seen: unknown[] = [];
  const read = (rec: Record<string, unknown>) => {
    if (typeof rec.type === "string") seen.push(rec.type);
    else s.malformed++;
  };
  const skip = skipTypes(['"type":"noise"'], 100);
  for (const line of ['{"type":"a"}', "{not json", "", '{"type":"noise"}', "[1]", '{"x":1}', { type: "b" }]) {
    s.feed(line, read, skip);
  }
  assert.deepEqual(seen, ["a", "b"]);
  assert.equal(s.facts({}).malformedLines, 3);
});

Deno.test("transcript state: requests, limits and the windows they fill", () => {
  const s = new TranscriptState();
  assert.equal(s.requested(null), false);
  assert.equal(s.requested(T0 + 10), true);
  assert.equal(s.requested(T0), false, "an older request is not the newest");
  s.limitHit({ window: "five_hour", windowMinutes: 300, resetsAt: T0 + 3_600_000 });
  assert.equal(s.limitedUntil, T0 + 3_600_000);
  s.rateLimits.set("seven_day", {
    name: "seven_day",
    usedPercent: 100,
    windowMinutes: 10_080,
    resetsAt: T0 + 7_200_000,
    plan: null,
  });
  assert.equal(s.fullWindowsReset(), T0 + 7_200_000);
  s.limitHit({ window: "usage", windowMinutes: null, resetsAt: null });
  assert.equal(s.limitedUntil, null);
  const f = s.limitFacts();
  assert.equal(f.lastRequestAt, T0 + 10);
  assert.deepEqual(f.rateLimits.map((r) => r.name), ["five_hour", "seven_day"]);
  f.rateLimits[0].usedPercent = 1;
  assert.equal(s.rateLimits.get("five_hour")?.usedPercent, 100, "facts hold copies");
});

Deno.test("transcript state: an edit changes its files once its call went through", () => {
  const s = new TranscriptState();
  s.toolCall(T0, "Edit", "a.ts", "e1");
  s.startEdit("e1", ["a.ts"]);
  s.toolCall(T0, "Edit", "b.ts", "e2");
  s.startEdit("e2", ["b.ts"]);
  s.endTurn(); // interrupted: e1 and e2 never get a result
  s.toolCall(T0, "Write", "c.ts", "e3");
  s.startEdit("e3", ["c.ts", "d.ts"]);
  assert.equal(s.endEdit("e1"), undefined, "edits of calls that ended without a result are forgotten");
  assert.equal(s.endEdit("other"), undefined);
  const files = s.endEdit("e3");
  assert.deepEqual(files, ["c.ts", "d.ts"]);
  assert.equal(s.endEdit("e3"), undefined, "an edit ends once");
  s.changeFiles(files!, "/home/me/app");
  assert.deepEqual(s.changed.list(), ["/home/me/app/c.ts", "/home/me/app/d.ts"]);
});

Deno.test("subagentFacts: running or done, unknown parts empty, tokens copied", () => {
  const tokens = { input: 1, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
  const f = subagentFacts({ id: "a", type: "t", description: "d", running: false, tokens, lastActivity: 5 });
  assert.deepEqual(f, {
    id: "a",
    type: "t",
    description: "d",
    status: "done",
    model: null,
    tokens,
    currentTool: null,
    lastActivity: 5,
  });
  assert.notEqual(f.tokens, tokens);
  assert.equal(subagentFacts({ ...f, running: true }).status, "running");
});

Deno.test("firstArg: the first telling key, else the first string, a string as it is", () => {
  assert.equal(firstArg({ description: "lint", command: "npm run lint" }, ARG_KEYS), "npm run lint");
  assert.equal(firstArg({ timeout: 5, target: "api" }, ARG_KEYS), "api");
  assert.equal(firstArg({ command: "", n: 1 }, ARG_KEYS), "");
  assert.equal(firstArg("ls -la", ARG_KEYS), "ls -la");
  assert.equal(firstArg(null, ARG_KEYS), "");
});
