/**
 * Qwen Code's confirmation dialog, from what Qwen Code 0.15.10 wrote while it asked "Allow execution of:
 * 'python3'?" (`tests/fixtures/qwen/confirmation.jsonl`): the call is written, its result is not, and
 * no process runs until the user allows it.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { QwenTranscript } from "../../../../agents/vendors/qwen/transcript.ts";
import { agentStatus, APPROVAL_GRACE_MS } from "../../../../agents/status.ts";
import { derive } from "../../../../agents/collect/derive.ts";
import { bundledTable } from "../../../../agents/pricing/table.ts";
import { makeAgent, makeSession } from "../../../support/agents.ts";
import type { AgentProcess } from "../../../../agents/types.ts";

Deno.test("qwen: a shell call without a process past the grace is its confirmation dialog", () => {
  const t = new QwenTranscript();
  for (const l of fixtureLines("qwen", "confirmation.jsonl")) t.feed(l);
  const f = t.facts();
  assert.equal(f.currentTool?.name, "run_shell_command");
  assert.equal(f.currentTool?.asksFirst, true);
  const session = makeSession({ ...f });
  const late = f.currentTool!.startedAt! + APPROVAL_GRACE_MS + 2000;
  assert.equal(agentStatus({ cpuPercent: 3, toolChildren: 0, session, now: late, alive: true }), "waiting");
  // The row says what for; allowed, the command runs as the agent's child and it is busy again.
  const agent = makeAgent({ session });
  const waiting = derive(agent, session, late, true, bundledTable());
  assert.equal(waiting.status, "waiting");
  assert.equal(waiting.session?.waitingFor, "approval: python3 -c 'import time; time.sleep(40)'");
  assert.equal(waiting.phrase, "waiting for your permission");
  const child: AgentProcess = {
    pid: agent.pid + 1,
    ppid: agent.pid,
    name: "bash",
    argv: ["bash", "-c", "python3 -c 'import time; time.sleep(40)'"],
    role: "child",
    state: "sleeping",
    startedAt: late,
    cpuPercent: 0,
    rssBytes: 1,
    threads: 1,
  };
  const running = derive({ ...agent, children: [child] }, session, late, true, bundledTable());
  assert.equal(running.status, "busy");
  assert.equal(running.session?.waitingFor ?? null, null);
});
