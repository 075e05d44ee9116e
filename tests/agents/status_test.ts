import assert from "node:assert/strict";
import {
  agentStatus,
  BUSY_CPU_PERCENT,
  IDLE_AFTER_MS,
  notStarted,
  RECENT_WRITE_MS,
  type StatusInput,
  waitingReason,
  WORKING_STALE_MS,
} from "../../agents/status.ts";
import { emptyTokens, type SessionFacts, type SubagentFacts } from "../../agents/session.ts";

const NOW = 1_795_490_000_000;

function session(over: Partial<SessionFacts> = {}): SessionFacts {
  return {
    vendor: "claude",
    id: "s",
    path: "/x.jsonl",
    linkedBy: "registry",
    cwd: "/w",
    gitBranch: null,
    title: null,
    model: null,
    lastPrompt: null,
    currentTask: null,
    currentTool: null,
    subagents: [],
    turn: "unknown",
    stopReason: null,
    startedAt: NOW - 3_600_000,
    lastActivity: NOW - 60_000,
    tokens: emptyTokens(),
    tokensByModel: {},
    contextTokens: null,
    contextWindow: null,
    activity: [],
    malformedLines: 0,
    ...over,
  };
}

function status(over: Partial<StatusInput> = {}): string {
  return agentStatus({ cpuPercent: 0, toolChildren: 0, session: null, now: NOW, alive: true, ...over });
}

const running: SubagentFacts = {
  id: "a1",
  type: "general-purpose",
  description: null,
  status: "running",
  model: null,
  tokens: emptyTokens(),
  currentTool: null,
  lastActivity: null,
};

Deno.test("status: done when the process is gone or the session exited", () => {
  assert.equal(status({ alive: false, cpuPercent: 50 }), "done");
  assert.equal(status({ session: session({ turn: "exited" }), toolChildren: 1 }), "done");
});

Deno.test("status: subagents in flight", () => {
  assert.equal(status({ session: session({ subagents: [running], turn: "working" }) }), "subagents");
  assert.equal(
    status({ session: session({ subagents: [{ ...running, status: "done" }], turn: "ended" }) }),
    "waiting",
  );
});

Deno.test("status: a subagent waiting for the user makes its parent waiting, not subagents", () => {
  const at = NOW - 10_000;
  const ask = { name: "AskUserQuestion", arg: "Color — Which color?", id: "q1", startedAt: at };
  const asking = session({ turn: "working", subagents: [{ ...running, currentTool: ask }] });
  assert.equal(status({ session: asking }), "waiting");
  assert.equal(waitingReason(asking, 0, NOW), "question in subagent general-purpose: Color — Which color?");

  // Claude Code's registry says "permission prompt" for the process; the subagent's call is what it asks about.
  const bash = { name: "Bash", arg: "rm -rf dist", id: "b1", startedAt: at };
  const spawn = { name: "Agent", arg: "Probe (general-purpose)", id: "t1", startedAt: at - 5_000 };
  const permission = session({
    turn: "working",
    waitingFor: "permission prompt",
    currentTool: spawn,
    subagents: [{ ...running, currentTool: bash }, { ...running, id: "a2", currentTool: null }],
  });
  assert.equal(status({ session: permission }), "waiting");
  assert.equal(
    waitingReason(permission, 0, NOW),
    "permission prompt in subagent general-purpose: Bash rm -rf dist",
  );
  const own = session({ ...permission, currentTool: { ...bash, id: "b0" } });
  assert.equal(waitingReason(own, 0, NOW), "permission prompt", "the main thread's own call asks");

  // A subagent's call it may ask about, with no process for 3 s; once seen running, finishing.
  const held = { name: "exec_command", arg: "npm publish", id: "e1", startedAt: at, asksFirst: true };
  const holding = session({
    turn: "working",
    subagents: [{ ...running, description: "publish", type: null, currentTool: held }],
  });
  assert.equal(waitingReason(holding, 0, NOW), "approval in subagent publish: npm publish");
  assert.equal(status({ session: holding, toolChildren: 1 }), "subagents");
  assert.equal(status({ session: holding, seenRunning: new Set(["e1"]) }), "subagents");
  const done = session({ turn: "working", subagents: [{ ...running, status: "done", currentTool: held }] });
  assert.equal(waitingReason(done, 0, NOW), null, "a finished subagent asks nothing");
});

Deno.test("status: busy while a tool runs (pending call or a live tool process)", () => {
  const tool = { name: "Bash", arg: "sleep 600", id: "t", startedAt: NOW - 3_600_000 };
  // A long tool call is busy however old the last write.
  assert.equal(status({ session: session({ currentTool: tool, lastActivity: NOW - 3_600_000 }) }), "busy");
  assert.equal(status({ session: session({ turn: "ended" }), toolChildren: 2 }), "busy");
  assert.equal(status({ toolChildren: 1 }), "busy");
});

Deno.test("status: a generating model is busy, not idle (nothing is written until the response completes)", () => {
  const generating = session({ turn: "working", lastActivity: NOW - (WORKING_STALE_MS - 1_000) });
  assert.equal(status({ session: generating }), "busy");
  const stale = session({ turn: "working", lastActivity: NOW - (WORKING_STALE_MS + 1_000) });
  assert.equal(status({ session: stale }), "idle");
  assert.equal(status({ session: stale, cpuPercent: BUSY_CPU_PERCENT }), "busy");
});

Deno.test("status: waiting after the turn ended, however long ago and even with some CPU", () => {
  assert.equal(status({ session: session({ turn: "ended", lastActivity: NOW - 2_000 }) }), "waiting");
  assert.equal(status({ session: session({ turn: "ended", lastActivity: NOW - 86_400_000 }) }), "waiting");
  assert.equal(status({ session: session({ turn: "ended" }), cpuPercent: 30 }), "waiting");
  assert.equal(status({ session: session({ turn: "working", waitingFor: "permission prompt" }) }), "waiting");
});

Deno.test("status: an unknown turn of a started session follows recency and CPU", () => {
  const asked = (over: Partial<SessionFacts>) => session({ lastPrompt: "run the tests", ...over });
  assert.equal(status({ session: asked({ lastActivity: NOW - RECENT_WRITE_MS }) }), "busy");
  assert.equal(status({ session: asked({ lastActivity: NOW - 60_000 }) }), "waiting");
  assert.equal(status({ session: asked({ lastActivity: NOW - IDLE_AFTER_MS }) }), "idle");
  assert.equal(status({ session: asked({ lastActivity: null }) }), "idle");
  assert.equal(status({ session: asked({ lastActivity: NOW - IDLE_AFTER_MS }), cpuPercent: 9 }), "busy");
});

Deno.test("status: without a session, tool processes decide, never CPU alone", () => {
  assert.equal(status(), "idle");
  assert.equal(status({ cpuPercent: BUSY_CPU_PERCENT }), "idle");
  // OpenCode burns 40-110 % of a core for half a minute after its prompt shows.
  assert.equal(status({ cpuPercent: 110 }), "idle");
  assert.equal(status({ toolChildren: 1 }), "busy");
});

Deno.test("status: a freshly started agent is idle whatever its store holds, never busy or waiting", () => {
  // A header or a start-up record just written (Gemini CLI, Copilot CLI), CPU of start-up.
  const header = session({ lastActivity: NOW - 500, startedAt: NOW - 1_000 });
  assert.equal(status({ session: header }), "idle");
  assert.equal(status({ session: header, cpuPercent: 80 }), "idle");
  assert.equal(notStarted(header), true);
  assert.equal(notStarted(session({ lastPrompt: "hi" })), false);
  assert.equal(notStarted(session({ turn: "ended" })), false);
  assert.equal(notStarted(null), true);
});
