/**
 * Codex's approval and usage-limit states from what Codex 0.171.0 wrote against the stand-in model:
 * `approval.jsonl` (an `exec_command` asking to leave the sandbox under `approval_policy: on-request`,
 * its approval dialog open: nothing more is written and no process runs) and `usage-limit.jsonl` (a
 * turn ended by a 429 `usage_limit_reached`, the error in `task_complete`).
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { CodexTranscript } from "../../../../agents/vendors/codex/transcript.ts";
import {
  agentStatus,
  APPROVAL_GRACE_MS,
  awaitingApproval,
  waitingReason,
} from "../../../../agents/status.ts";
import { makeSession } from "../../../support/agents.ts";

function parse(lines: string[]): CodexTranscript {
  const t = new CodexTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("codex: an escalated command without a process is an approval dialog; once it runs, busy", () => {
  const f = parse(fixtureLines("codex", "approval.jsonl")).facts();
  const call = f.currentTool!;
  assert.equal(call.name, "exec_command");
  assert.equal(call.arg, "sleep 40; echo agtop-probe-done");
  assert.equal(call.asksFirst, true);
  const session = makeSession({ ...f });
  const status = (toolChildren: number, now: number) =>
    agentStatus({ cpuPercent: 0, toolChildren, session, now, alive: true });
  const t0 = call.startedAt!;
  // Just written: Codex may be starting it; after the grace, no process means the dialog is open.
  assert.equal(status(0, t0 + 500), "busy");
  assert.equal(status(0, t0 + APPROVAL_GRACE_MS + 1000), "waiting");
  assert.equal(awaitingApproval(session, 0, t0 + 5000), "approval: sleep 40; echo agtop-probe-done");
  // Approved: the sandboxed command runs as a child.
  assert.equal(status(1, t0 + 5000), "busy");
  assert.equal(awaitingApproval(session, 1, t0 + 5000), null);
});

Deno.test("codex: a subagent whose command waits for approval makes its parent waiting, saying which", () => {
  // The subagent's thread is the approval fixture; its parent waits on it (`wait_agent`).
  const child = parse(fixtureLines("codex", "approval.jsonl")).facts();
  const t0 = child.currentTool!.startedAt!;
  const sub = {
    id: child.id,
    type: "explorer",
    description: null,
    status: "running" as const,
    model: child.model,
    tokens: child.tokens,
    currentTool: child.currentTool,
    lastActivity: child.lastActivity,
  };
  const parent = makeSession({
    vendor: "codex",
    turn: "working",
    currentTool: { name: "wait_agent", arg: "", id: "call_wait", startedAt: t0 - 1000 },
    subagents: [sub],
  });
  const status = (toolChildren: number, now: number, seenRunning?: ReadonlySet<string>) =>
    agentStatus({ cpuPercent: 0, toolChildren, session: parent, now, alive: true, seenRunning });
  assert.equal(status(0, t0 + 500), "subagents", "just asked: Codex may be starting it");
  assert.equal(status(0, t0 + 5000), "waiting");
  assert.equal(
    waitingReason(parent, 0, t0 + 5000),
    "approval in subagent explorer: sleep 40; echo agtop-probe-done",
  );
  assert.equal(status(1, t0 + 5000), "subagents", "approved: it runs");
  assert.equal(status(0, t0 + 6000, new Set([child.currentTool!.id!])), "subagents", "ran, and is finishing");
});

Deno.test("codex: commands under approval_policy never, and plain sandboxed ones, are never read as asking", () => {
  const lines = fixtureLines("codex", "approval.jsonl").map((l) =>
    l.replaceAll('"approval_policy":"on-request"', '"approval_policy":"never"')
  );
  assert.equal(parse(lines).facts().currentTool?.asksFirst, undefined);
  const plain = fixtureLines("codex", "approval.jsonl").map((l) =>
    l.replace(String.raw`,\"sandbox_permissions\":\"require_escalated\"`, "")
  );
  assert.equal(parse(plain).facts().currentTool?.asksFirst, undefined);
});

Deno.test("codex: a turn ended by a usage-limit error is limited until the reset it names", () => {
  const lines = fixtureLines("codex", "usage-limit.jsonl");
  const f = parse(lines).facts();
  const at = Date.parse("2026-12-06T18:13:36.431Z");
  // "… try again at 7:13 PM." — local time, the first 7:13 PM not before the error.
  const reset = new Date(at);
  reset.setHours(19, 13, 0, 0);
  if (reset.getTime() < at - 60_000) reset.setDate(reset.getDate() + 1);
  assert.equal(f.limitedUntil, reset.getTime());
  assert.equal(f.turn, "ended");
  assert.ok(f.activity.some((e) => e.kind === "error" && /usage limit/.test(e.text)));
  const session = makeSession({ ...f });
  assert.equal(
    agentStatus({ cpuPercent: 0, toolChildren: 0, session, now: at + 1000, alive: true }),
    "limited",
  );
});
