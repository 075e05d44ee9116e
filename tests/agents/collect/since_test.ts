import assert from "node:assert/strict";
import { firstSince, StatusClock } from "../../../agents/collect/since.ts";
import { makeAgent, makeSession } from "../../support/agents.ts";

const T = Date.parse("2026-11-24T10:10:00Z");
const started = Date.parse("2026-11-24T10:00:00Z");

Deno.test("first sight: a quiet status dates from the session's last activity, a busy one from now", () => {
  const session = makeSession({ lastActivity: T - 240_000 });
  assert.equal(firstSince(makeAgent({ status: "waiting", session }), T), T - 240_000);
  assert.equal(firstSince(makeAgent({ status: "idle", session }), T), T - 240_000);
  assert.equal(firstSince(makeAgent({ status: "busy", session }), T), T);
  assert.equal(firstSince(makeAgent({ status: "waiting", session: null }), T), T, "nothing better known");
  const resumed = makeSession({ lastActivity: started - 3_600_000 });
  assert.equal(
    firstSince(makeAgent({ status: "waiting", session: resumed }), T),
    started,
    "not before the start",
  );
  const future = makeSession({ lastActivity: T + 5_000 });
  assert.equal(firstSince(makeAgent({ status: "waiting", session: future }), T), T, "not after now");
});

Deno.test("first sight of a busy agent: the prompt of the turn in flight, else its tool's start", () => {
  const prompt = { at: T - 90_000, kind: "prompt" as const, text: "run the tests" };
  const tool = { name: "Bash", arg: "npm test", id: "t1", startedAt: T - 30_000 };
  const working = makeSession({ turn: "working", activity: [prompt], currentTool: tool });
  assert.equal(firstSince(makeAgent({ status: "busy", session: working }), T), T - 90_000);
  const toolOnly = makeSession({ turn: "working", activity: [], currentTool: tool });
  assert.equal(firstSince(makeAgent({ status: "busy", session: toolOnly }), T), T - 30_000);
  const ended = makeSession({ turn: "ended", activity: [prompt], currentTool: null });
  assert.equal(
    firstSince(makeAgent({ status: "busy", session: ended }), T),
    T,
    "busy on CPU alone",
  );
  const child = (pid: number, at: number, role: "child" | "mcp") => ({
    pid,
    ppid: 1,
    name: "sh",
    argv: ["sh"],
    role,
    state: "sleeping" as const,
    startedAt: at,
    cpuPercent: 0,
    rssBytes: 0,
    threads: 1,
  });
  const background = makeAgent({
    status: "busy",
    session: ended,
    children: [child(7, T - 5_000, "child"), child(8, T - 50_000, "child"), child(9, T - 500_000, "mcp")],
  });
  assert.equal(firstSince(background, T), T - 50_000, "a command handed back: its oldest tool process");
  const old = makeSession({ turn: "working", activity: [{ ...prompt, at: started - 60_000 }] });
  assert.equal(firstSince(makeAgent({ status: "busy", session: old }), T), started, "not before the start");
});

Deno.test("the clock keeps the time of the last change per agent key and forgets gone agents", () => {
  const clock = new StatusClock();
  const session = makeSession({ lastActivity: T - 60_000 });
  const a = () => makeAgent({ pid: 1, status: "waiting", session });
  const b = () => makeAgent({ pid: 2, status: "busy" });

  const first = [a(), b()];
  clock.stamp(first, T);
  assert.deepEqual(first.map((x) => x.statusSince), [T - 60_000, T]);

  const same = [a(), b()];
  clock.stamp(same, T + 1_500);
  assert.deepEqual(same.map((x) => x.statusSince), [T - 60_000, T], "unchanged statuses keep their start");

  const changed = [makeAgent({ pid: 1, status: "busy", session }), b()];
  clock.stamp(changed, T + 3_000);
  assert.deepEqual(changed.map((x) => x.statusSince), [T + 3_000, T]);

  clock.stamp([a()], T + 4_500);
  const back = [b()];
  clock.stamp(back, T + 6_000);
  assert.equal(back[0].statusSince, T + 6_000, "an agent not seen in a tick starts over");
});
