import assert from "node:assert/strict";
import { snapshotAlerts } from "../../render/alerts.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";
import type { Agent } from "../../agents/types.ts";

const snap = (agents: Agent[]) => makeSnapshot(agents);
const NOW = makeSnapshot([]).takenAt;
const burn = (usdPerHour: number | null, tokensPerMin: number) => ({
  at: NOW,
  usdPerHour,
  tokensPerMin,
  block: null,
});
const kinds = (agents: Agent[], t: Parameters<typeof snapshotAlerts>[1]) =>
  snapshotAlerts(snap(agents), t).map((a) => [a.kind, a.text]);

Deno.test("alerts: nothing without thresholds", () => {
  assert.deepEqual(kinds([makeAgent({ contextPercent: 99, burn: burn(100, 1e6) })], {}), []);
});

Deno.test("alerts: spending, context fill and token rate at or over their thresholds", () => {
  const a = makeAgent({ contextPercent: 92.4, burn: burn(6.2, 51_000) });
  assert.deepEqual(kinds([a], { costPerHour: 5, contextPercent: 90, tokensPerMinute: 50_000 }), [
    ["cost_per_hour", "$6.20/h (limit $5.00/h)"],
    ["context_percent", "context 92% full (limit 90%)"],
    ["tokens_per_minute", "51000 tokens/min (limit 50000)"],
  ]);
  assert.deepEqual(kinds([a], { costPerHour: 7, contextPercent: 95, tokensPerMinute: 60_000 }), []);
});

Deno.test("alerts: the day's budget is one alert on the costliest session active today", () => {
  const session = makeSession({ lastActivity: NOW - 60_000 });
  const a = makeAgent({ pid: 1, costUsd: 12, session });
  const b = makeAgent({ pid: 2, costUsd: 30, session });
  const old = makeAgent({
    pid: 3,
    costUsd: 500,
    session: makeSession({ lastActivity: NOW - 3 * 86_400_000 }),
  });
  const alerts = snapshotAlerts(snap([a, b, old]), { costPerDay: 40 });
  assert.deepEqual(alerts, [{
    key: b.key,
    kind: "cost_per_day",
    text: "today's sessions cost $42.00 (budget $40.00)",
  }]);
  assert.deepEqual(snapshotAlerts(snap([a, b, old]), { costPerDay: 50 }), []);
});

Deno.test("alerts: a tool running too long, the same call in a row, busy without progress", () => {
  const tool = { name: "Bash", arg: "sleep 9999", id: "t", startedAt: NOW - 11 * 60_000 };
  const long = makeAgent({
    status: "busy",
    session: makeSession({ currentTool: tool, lastActivity: NOW - 11 * 60_000 }),
  });
  assert.deepEqual(kinds([long], { toolMinutes: 10 }), [["tool_minutes", "Bash running 11m (limit 10m)"]]);
  const call = { at: NOW, kind: "tool" as const, text: "Read: src/app.ts" };
  const result = { at: NOW, kind: "result" as const, text: "…" };
  const loop = makeAgent({
    session: makeSession({ activity: [call, result, call, result, call, result, call] }),
  });
  assert.deepEqual(kinds([loop], { repeatedCalls: 4 }), [[
    "repeated_calls",
    "the same Read call 4 times in a row",
  ]]);
  assert.deepEqual(kinds([loop], { repeatedCalls: 5 }), []);
  const other = { ...call, text: "Read: src/b.ts" };
  const varied = makeAgent({ session: makeSession({ activity: [call, call, other, call] }) });
  assert.deepEqual(kinds([varied], { repeatedCalls: 2 }), []);
  const stalled = makeAgent({
    status: "busy",
    statusSince: NOW - 30 * 60_000,
    session: makeSession({ lastActivity: NOW - 16 * 60_000 }),
  });
  assert.deepEqual(kinds([stalled], { stalledMinutes: 15 }), [[
    "stalled_minutes",
    "busy without progress for 16m",
  ]]);
  assert.deepEqual(kinds([{ ...stalled, status: "waiting" }], { stalledMinutes: 15 }), [], "only while busy");
});
