import assert from "node:assert/strict";
import { callsInFlight, RunningCalls } from "../../../agents/collect/running.ts";
import { makeSession } from "../../support/agents.ts";

const call = (id: string) => ({ name: "exec_command", arg: "npm test", id, startedAt: 0, asksFirst: true });
const sub = (id: string, tool: string | null) => ({
  id,
  type: "explorer",
  description: null,
  status: "running" as const,
  model: null,
  tokens: makeSession().tokens,
  currentTool: tool ? call(tool) : null,
  lastActivity: null,
});

Deno.test("running calls: the main thread's and the running subagents' calls in flight", () => {
  assert.deepEqual(callsInFlight(null), []);
  const session = makeSession({ currentTool: call("c1"), subagents: [sub("s1", "c2"), sub("s2", null)] });
  assert.deepEqual(callsInFlight(session), ["c1", "c2"]);
});

Deno.test("running calls: kept while in flight, per agent, dropped with the call and with the agent", () => {
  const running = new RunningCalls();
  const one = makeSession({ currentTool: call("c1") });
  const tick = (f: () => ReadonlySet<string>) => {
    const seen = f();
    running.endTick();
    return [...seen];
  };
  assert.deepEqual(tick(() => running.note("a", one, 0)), [], "no process yet");
  assert.deepEqual(tick(() => running.note("a", one, 1)), ["c1"]);
  assert.deepEqual(tick(() => running.note("a", one, 0)), ["c1"], "remembered once gone");
  assert.deepEqual(tick(() => running.note("b", one, 0)), [], "another agent's memory is its own");
  assert.deepEqual(tick(() => running.note("a", one, 0)), [], "a tick without the agent forgets it");

  running.note("a", one, 1);
  running.endTick();
  const next = makeSession({ currentTool: call("c3") });
  assert.deepEqual(tick(() => running.note("a", next, 0)), [], "a finished call is forgotten");

  const two = makeSession({ currentTool: call("c1"), subagents: [sub("s1", "c2")] });
  assert.deepEqual(
    tick(() => running.note("a", two, 1)),
    [],
    "one process for two calls: which one is not known",
  );
  assert.deepEqual(tick(() => running.note("a", two, 2)), ["c1", "c2"]);
});
