/**
 * Claude Code's waiting states from what Claude Code 2.1.197 wrote against the stand-in model
 * (`tests/fixtures/claude/question.jsonl`: a prompt, the answer's text and an `AskUserQuestion` call,
 * then the user's answer as its `tool_result`).
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { ClaudeTranscript } from "../../../../agents/vendors/claude/transcript.ts";
import { agentStatus, waitingReason } from "../../../../agents/status.ts";
import { ACTIVITY_WIDTH } from "../../../../agents/formats/text.ts";
import { makeSession } from "../../../support/agents.ts";

const NOW = Date.parse("2026-12-06T18:10:40Z");

Deno.test("claude: an AskUserQuestion without its result waits for the answer, and says what is asked", () => {
  const lines = fixtureLines("claude", "question.jsonl");
  const t = new ClaudeTranscript();
  for (const l of lines.slice(0, -1)) t.feed(l);
  const asked = t.facts();
  assert.equal(asked.waitingFor, "question: Color — Which color should the probe use?");
  assert.equal(asked.currentTool?.name, "AskUserQuestion");
  assert.equal(
    asked.currentTool?.arg,
    "Color — Which color should the probe use?",
    "the doing column shows it",
  );
  const session = makeSession({ ...asked, lastActivity: NOW - 10_000 });
  assert.equal(agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: NOW, alive: true }), "waiting");

  // Answered: the tool_result ends the wait; the model goes on.
  t.feed(lines.at(-1)!);
  const answered = t.facts();
  assert.equal(answered.waitingFor ?? null, null);
  assert.equal(answered.currentTool, null);
  assert.equal(answered.turn, "working");
});

Deno.test("claude: an AskUserQuestion's argument is its question, sanitised and cut like other arguments", () => {
  const lines = fixtureLines("claude", "question.jsonl");
  const ask = JSON.parse(lines.at(-2)!);
  const block = ask.message.content.find((b: { type: string }) => b.type === "tool_use");
  block.input.questions[0].question = `Which \x1b[31mcolor\x1b[0m?\n${"very ".repeat(60)}long`;
  const t = new ClaudeTranscript();
  for (const l of [...lines.slice(0, -2), JSON.stringify(ask)]) t.feed(l);
  const arg = t.facts().currentTool?.arg ?? "";
  assert.match(arg, /^Color — Which color\? very very/);
  assert.ok(![...arg].some((c) => c < " "), "no control characters");
  assert.ok(arg.length <= ACTIVITY_WIDTH, `cut: ${arg.length}`);
});

/**
 * Claude Code's answers to a 429, one fixture per shape (the lines of `limited.jsonl`, Claude Code
 * 2.1.197's, with the error as each shape words it): its screen shows the error and the prompt back.
 */
Deno.test("claude: a 429 is limited until the reset it names, else waiting", () => {
  const read = (file: string) => {
    const t = new ClaudeTranscript();
    for (const l of fixtureLines("claude", file)) t.feed(l);
    return t.facts();
  };
  const at = (iso: string) => Date.parse(iso);
  const now = at("2026-11-24T10:25:00Z");
  const statusOf = (f: ReturnType<ClaudeTranscript["facts"]>) =>
    agentStatus({ cpuPercent: 0, toolChildren: 0, session: makeSession(f), now, alive: true });
  const cases: [string, number | null, string][] = [
    ["limited.jsonl", 1795532400_000, "limited"], // `Claude AI usage limit reached|<epoch>`
    ["limit-resets.jsonl", at("2026-11-24T19:00:00Z"), "limited"], // `You've hit your limit · resets 7pm (UTC)`
    ["limit-headers.jsonl", 1795546800_000, "limited"], // the api_error's `anthropic-ratelimit-unified-reset`
    ["limit-429.jsonl", null, "waiting"], // `API Error: Request rejected (429)`, no reset anywhere
  ];
  for (const [file, until, status] of cases) {
    const f = read(file);
    assert.equal(f.limitedUntil ?? null, until, file);
    assert.equal(f.turn, "ended", file);
    assert.equal(statusOf(f), status, file);
  }
  // Past the reset, the turn that ended is what remains: waiting for the next prompt.
  const later = makeSession({ ...read("limit-headers.jsonl") });
  assert.equal(
    agentStatus({ cpuPercent: 0, toolChildren: 0, session: later, now: 1795546800_000 + 1, alive: true }),
    "waiting",
  );
});

Deno.test("claude: a subagent's permission prompt or question makes its parent waiting, saying which", () => {
  // The subagent's file (`subagent.jsonl`, its meta `general-purpose`), its call in flight made a
  // Bash command or an AskUserQuestion; the parent waits on its `Agent` call.
  const [prompt, grep] = fixtureLines("claude", "subagent.jsonl");
  const subagentWith = (name: string, input: unknown) => {
    const line = JSON.parse(grep);
    line.message.content[0] = { ...line.message.content[0], name, input };
    const t = new ClaudeTranscript({ subagent: true });
    for (const l of [prompt, JSON.stringify(line)]) t.feed(l);
    const f = t.facts();
    return {
      id: "afa94c844c15115d7",
      type: "general-purpose",
      description: "Probe subagent",
      status: "running" as const,
      model: f.model,
      tokens: f.tokens,
      currentTool: f.currentTool,
      lastActivity: f.lastActivity,
    };
  };
  const spawn = {
    name: "Agent",
    arg: "Probe subagent (general-purpose)",
    id: "toolu_sub1",
    startedAt: NOW - 20_000,
  };
  const parent = (waitingFor: string | null, sub: ReturnType<typeof subagentWith>) =>
    makeSession({
      turn: "working",
      currentTool: spawn,
      waitingFor,
      subagents: [sub],
      lastActivity: NOW - 5_000,
    });
  const status = (s: ReturnType<typeof parent>) =>
    agentStatus({ cpuPercent: 0, toolChildren: 0, session: s, now: NOW, alive: true });

  const bash = parent("permission prompt", subagentWith("Bash", { command: "rm -rf dist" }));
  assert.equal(status(bash), "waiting");
  assert.equal(
    waitingReason(bash, 0, NOW),
    "permission prompt in subagent general-purpose: Bash rm -rf dist",
  );
  const allowed = parent(null, subagentWith("Bash", { command: "rm -rf dist" }));
  assert.equal(status(allowed), "subagents", "allowed: the subagent works on");

  const asked = parent(
    null,
    subagentWith("AskUserQuestion", { questions: [{ header: "Color", question: "Red?" }] }),
  );
  assert.equal(status(asked), "waiting");
  assert.equal(waitingReason(asked, 0, NOW), "question in subagent general-purpose: Color — Red?");
});
