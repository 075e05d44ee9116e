/**
 * Claude Code's waiting states from what Claude Code 2.1.197 wrote against the stand-in model
 * (`tests/fixtures/claude/question.jsonl`: a prompt, the answer's text and an `AskUserQuestion` call,
 * then the user's answer as its `tool_result`).
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { ClaudeTranscript } from "../../../../agents/vendors/claude/transcript.ts";
import { agentStatus } from "../../../../agents/status.ts";
import { makeSession } from "../../../support/agents.ts";

const NOW = Date.parse("2026-12-06T18:10:40Z");

Deno.test("claude: an AskUserQuestion without its result waits for the answer, and says what is asked", () => {
  const lines = fixtureLines("claude", "question.jsonl");
  const t = new ClaudeTranscript();
  for (const l of lines.slice(0, -1)) t.feed(l);
  const asked = t.facts();
  assert.equal(asked.waitingFor, "question: Color — Which color should the probe use?");
  assert.equal(asked.currentTool?.name, "AskUserQuestion");
  const session = makeSession({ ...asked, lastActivity: NOW - 10_000 });
  assert.equal(agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: NOW, alive: true }), "waiting");

  // Answered: the tool_result ends the wait; the model goes on.
  t.feed(lines.at(-1)!);
  const answered = t.facts();
  assert.equal(answered.waitingFor ?? null, null);
  assert.equal(answered.currentTool, null);
  assert.equal(answered.turn, "working");
});
