/**
 * Copilot CLI's question and rate-limit states from what Copilot CLI wrote against the stand-in model:
 * `question.jsonl` (an `ask_user` call open, then answered) and `rate-limit.jsonl` (a 429 written as
 * `session.error` with `errorType: "rate_limit"`).
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { CopilotTranscript } from "../../../../agents/vendors/copilot/transcript.ts";
import { agentStatus } from "../../../../agents/status.ts";
import { makeSession } from "../../../support/agents.ts";

function parse(lines: string[]): CopilotTranscript {
  const t = new CopilotTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("copilot: an ask_user call without its completion waits for the answer", () => {
  const lines = fixtureLines("copilot", "question.jsonl");
  const open = lines.findIndex((l) => l.includes('"type":"tool.execution_start"'));
  const asked = parse(lines.slice(0, open + 1)).facts();
  assert.equal(asked.waitingFor, "question: Which color should the probe use?");
  const now = asked.lastActivity! + 5000;
  const session = makeSession({ ...asked });
  assert.equal(agentStatus({ cpuPercent: 0, toolChildren: 0, session, now, alive: true }), "waiting");
  const answered = parse(lines).facts();
  assert.equal(answered.waitingFor, null);
  assert.equal(answered.currentTool, null);
});

Deno.test("copilot: a 429 session.error is limited until the time it names; the next prompt clears it", () => {
  const lines = fixtureLines("copilot", "rate-limit.jsonl");
  const f = parse(lines).facts();
  const at = Date.parse("2026-12-06T18:12:27.832Z");
  assert.equal(f.limitedUntil, at + 3_600_000); // "Please try again in 1h."
  assert.equal(f.turn, "ended");
  const session = makeSession({ ...f });
  assert.equal(
    agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: at + 60_000, alive: true }),
    "limited",
  );
  const again = parse([...lines, lines.find((l) => l.includes('"type":"user.message"'))!]).facts();
  assert.equal(again.limitedUntil, null);
});
