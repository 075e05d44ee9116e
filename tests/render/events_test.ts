import assert from "node:assert/strict";
import { eventJson, eventText, snapshotEvents } from "../../render/events.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";
import type { Agent } from "../../agents/types.ts";

const T = Date.parse("2026-11-24T10:03:12Z");
const at = (agents: Agent[], t: number) => ({ ...makeSnapshot(agents), takenAt: t });
const bash = { name: "Bash", arg: "npm test", id: "t1", startedAt: T - 1_000 };

Deno.test("events: nothing at start; appeared, status with how long it lasted, exited", () => {
  const a = makeAgent({ pid: 1, status: "waiting", statusSince: T - 240_000 });
  assert.deepEqual(snapshotEvents(null, at([a], T)), [], "agents already there are no news");
  const b = makeAgent({ pid: 2, status: "busy" });
  const events = snapshotEvents(
    at([a], T),
    at([{ ...a, status: "busy", statusSince: T + 1500 }, b], T + 1500),
  );
  assert.deepEqual(events.map((e) => [e.type, e.pid, e.from, e.to, e.lastedMs]), [
    ["status", 1, "waiting", "busy", 241_500],
    ["appeared", 2, undefined, undefined, undefined],
  ]);
  const gone = snapshotEvents(at([a, b], T), at([b], T + 3000));
  assert.deepEqual(gone.map((e) => [e.type, e.pid, e.status, e.lastedMs]), [[
    "exited",
    1,
    "waiting",
    243_000,
  ]]);
});

Deno.test("events: tools and subagents start and finish; a new alert once while it holds", () => {
  const idle = makeAgent({ pid: 1, status: "busy", session: makeSession() });
  const tool = makeAgent({ pid: 1, status: "busy", session: makeSession({ currentTool: bash }) });
  const next = makeAgent({
    pid: 1,
    status: "busy",
    session: makeSession({ currentTool: { ...bash, id: "t2", arg: "npm run lint", startedAt: T + 500 } }),
  });
  assert.deepEqual(snapshotEvents(at([idle], T), at([tool], T + 1000)).map((e) => [e.type, e.tool, e.arg]), [
    ["tool_started", "Bash", "npm test"],
  ]);
  assert.deepEqual(snapshotEvents(at([tool], T), at([tool], T + 1000)), [], "the same call");
  assert.deepEqual(
    snapshotEvents(at([tool], T), at([next], T + 1000)).map((e) => [e.type, e.arg, e.tookMs]),
    [["tool_finished", "npm test", 2000], ["tool_started", "npm run lint", undefined]],
  );
  const sub = {
    id: "s1",
    type: "Explore",
    description: "find the bug",
    status: "running" as const,
    model: null,
    tokens: makeSession().tokens,
    currentTool: null,
    lastActivity: null,
  };
  const withSub = makeAgent({ pid: 1, status: "subagents", session: makeSession({ subagents: [sub] }) });
  const subDone = makeAgent({
    pid: 1,
    status: "subagents",
    session: makeSession({ subagents: [{ ...sub, status: "done" }] }),
  });
  assert.deepEqual(snapshotEvents(at([idle], T), at([withSub], T + 1)).map((e) => e.type), [
    "status",
    "subagent_started",
  ]);
  assert.deepEqual(
    snapshotEvents(at([withSub], T), at([subDone], T + 1)).map((e) => [e.type, e.subagent?.type]),
    [
      ["subagent_finished", "Explore"],
    ],
  );
  const alert = { key: idle.key, kind: "context_percent" as const, text: "context 93% full (limit 90%)" };
  const first = snapshotEvents(at([idle], T), at([idle], T + 1), { before: [], after: [alert] });
  assert.deepEqual(first.map((e) => [e.type, e.alert]), [["alert", {
    kind: "context_percent",
    text: alert.text,
  }]]);
  assert.deepEqual(snapshotEvents(at([idle], T), at([idle], T + 1), { before: [alert], after: [alert] }), []);
});

Deno.test("events: JSON lines in snake_case with ISO times; text lines terminal-safe", () => {
  const a = makeAgent({
    pid: 7,
    status: "waiting",
    statusSince: T - 60_000,
    label: "Evil\x1b]0;x\x07",
    project: "p\nq",
  });
  const [e] = snapshotEvents(at([{ ...a, status: "busy" }], T), at([a], T + 240_000));
  const doc = JSON.parse(eventJson(e));
  assert.equal(doc.at, "2026-11-24T10:07:12.000Z");
  assert.equal(doc.lasted_ms, 300_000);
  assert.deepEqual([doc.type, doc.from, doc.to], ["status", "busy", "waiting"]);
  assert.ok(!eventJson(e).includes("\n"));
  const text = eventText(e, "10:07:12");
  assert.equal(text, "10:07:12  Evil 7 p q  busy → waiting (busy 5m)");
});
