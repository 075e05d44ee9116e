/**
 * Poisoned values from a store: times far out of range, counts that overflow, model names that are
 * `Object.prototype` keys, and usage lines in falling time order.
 */
import assert from "node:assert/strict";
import {
  addUsage,
  emptyTokens,
  saneFacts,
  USAGE_MINUTES_LIMIT,
  type UsageMinute,
} from "../../agents/session.ts";
import { epochMs, positive, saneTime, timestamp } from "../../agents/formats/records.ts";
import { limitNotice } from "../../agents/formats/limits.ts";
import { ClaudeTranscript } from "../../agents/vendors/claude/transcript.ts";
import { sessionCost } from "../../agents/pricing/cost.ts";
import { bundledTable } from "../../agents/pricing/table.ts";
import { aggregate } from "../../agents/aggregates.ts";
import { renderJson } from "../../render/json.ts";
import { renderCsv } from "../../render/csv.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";

const line = (model: string, at: string, usage: Record<string, unknown>, id: string) =>
  JSON.stringify({
    type: "assistant",
    sessionId: "s",
    cwd: "/w",
    timestamp: at,
    message: { id, model, content: [], stop_reason: "end_turn", usage },
  });

Deno.test("far times are unknown, wherever they come from", () => {
  for (const v of [1e300, 8.64e15 + 1, Infinity, NaN, -1, 0]) assert.equal(saneTime(v), null, String(v));
  assert.equal(epochMs(1e300), null);
  assert.equal(epochMs(1e14), null); // a time in ms past the year 3000
  assert.equal(epochMs(1795491351), 1795491351000);
  assert.equal(timestamp("+275760-09-13T00:00:00.000Z"), null);
  assert.equal(
    limitNotice("You've hit your usage limit. Try again in 99999999999 days.", Date.now())?.resetsAt,
    null,
  );
  assert.equal(limitNotice("Claude AI usage limit reached|1e300", Date.now())?.resetsAt ?? null, null);
  const facts = saneFacts(makeSession({
    startedAt: 1e300,
    lastActivity: -5,
    limitedUntil: 8.64e15 * 2,
    rateLimits: [{ name: "primary", usedPercent: 1, windowMinutes: 300, resetsAt: 1e300, plan: null }],
    activity: [{ at: 1e300, kind: "text", text: "x" }],
    recentUsage: [{ at: 1e300, model: "m", tokens: emptyTokens(), requests: 1 }],
  }));
  assert.equal(facts.startedAt, null);
  assert.equal(facts.lastActivity, null);
  assert.equal(facts.limitedUntil, null);
  assert.equal(facts.rateLimits![0].resetsAt, null);
  assert.equal(facts.activity[0].at, null);
  assert.deepEqual(facts.recentUsage, []);
});

Deno.test("outputs never fail on a time out of range", () => {
  const session = makeSession({ lastActivity: 1e300, startedAt: 1e300, limitedUntil: 1e300 });
  const snap = makeSnapshot([makeAgent({ startedAt: 1e300, session })]);
  const doc = JSON.parse(renderJson(snap));
  assert.equal(doc.agents[0].started_at, null);
  assert.equal(doc.agents[0].session.last_activity, null);
  assert.ok(renderCsv(snap).includes("\r\n"));
});

Deno.test("huge counts stay finite: one poisoned session keeps the others' totals", () => {
  assert.equal(positive(1e308), 0);
  assert.equal(positive(Infinity), 0);
  const t = new ClaudeTranscript();
  const at = "2026-11-24T04:00:00.000Z";
  t.feed(line("claude-sonnet-4-5", at, { input_tokens: 1e308, output_tokens: 1e308 }, "a"));
  t.feed(line("claude-sonnet-4-5", at, { input_tokens: 1e308, output_tokens: 5 }, "b"));
  const poisoned = saneFacts(t.facts());
  assert.ok(Number.isFinite(poisoned.tokens.input) && Number.isFinite(poisoned.tokens.output));
  assert.equal(poisoned.tokens.output, 5);
  const good = makeSession({ tokens: { ...emptyTokens(), input: 100 } });
  const totals = aggregate([
    makeAgent({ session: makeSession(poisoned), costUsd: 1 }),
    makeAgent({ pid: 2, session: good, costUsd: 2 }),
  ]);
  assert.ok(Number.isFinite(totals.tokens.input), JSON.stringify(totals.tokens));
  assert.equal(totals.tokens.input, 100);
  assert.equal(saneFacts(makeSession({ costUsd: Infinity })).costUsd, null);
});

Deno.test("a model named like an Object.prototype key is counted and priced like any other", () => {
  const t = new ClaudeTranscript();
  const at = "2026-11-24T04:00:00.000Z";
  const names = ["constructor", "toString", "__proto__", "hasOwnProperty", "claude-sonnet-4-5"];
  names.forEach((m, i) => t.feed(line(m, at, { input_tokens: 10, output_tokens: 1 }, `m${i}`)));
  const f = saneFacts(t.facts());
  assert.deepEqual(Object.keys(f.tokensByModel).sort(), [...names].sort());
  for (const m of names) assert.equal(f.tokensByModel[m].input, 10, m);
  assert.equal(({} as Record<string, unknown>).input, undefined); // nothing leaked onto Object.prototype
  const cost = sessionCost(f.tokensByModel, bundledTable());
  assert.deepEqual(cost.unpriced.sort(), names.filter((n) => n !== "claude-sonnet-4-5").sort());
});

Deno.test("falling timestamps cost no more than rising ones (O(log n) per usage line)", () => {
  const N = 150_000;
  const base = Date.parse("2026-11-24T00:00:00.000Z");
  const time = (order: (i: number) => number) => {
    const t = new ClaudeTranscript();
    const start = performance.now();
    for (let i = 0; i < N; i++) {
      const at = new Date(base + order(i) * 1000).toISOString();
      t.feed(line("claude-sonnet-4-5", at, { input_tokens: 1, output_tokens: 1 }, `id${i}`));
    }
    const f = t.facts();
    assert.equal(f.tokens.input, N);
    return { ms: performance.now() - start, minutes: f.recentUsage!.length };
  };
  const rising = time((i) => i);
  const falling = time((i) => N - i);
  assert.equal(falling.minutes, rising.minutes);
  assert.ok(falling.ms < rising.ms * 1.5 + 500, `falling ${falling.ms} ms, rising ${rising.ms} ms`);
  const minutes: UsageMinute[] = [];
  for (let i = 0; i < 50_000; i++) addUsage(minutes, base - i * 60_000, "m", { ...emptyTokens(), input: 1 });
  assert.ok(minutes.length <= USAGE_MINUTES_LIMIT);
  assert.equal(minutes[minutes.length - 1].at, base);
});
