import assert from "node:assert/strict";
import type { Agent } from "../../../agents/types.ts";
import { loadStyle } from "../../../render/style.ts";
import { displayWidth } from "../../../render/text.ts";
import { renderFrame } from "../../../render/watch/frame.ts";
import { detailLines } from "../../../render/watch/detail.ts";
import { lineText } from "../../../render/watch/paint.ts";
import { applyKey, initialState, settle } from "../../../render/watch/state.ts";
import { bodyHeight } from "../../../render/watch/rows.ts";
import {
  contextFullIn,
  POINT_MS,
  Ring,
  sparkline,
  TREND_POINTS,
  Trends,
} from "../../../render/watch/trends.ts";
import { makeAgent, makeSession, makeSnapshot } from "../../support/agents.ts";
import { pressKeys } from "../../support/keys.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const tokens = (output: number) => ({ input: 0, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

/** A Claude agent at one tick: CPU, the session's output tokens so far and its context size. */
function agentAt(cpu: number, out: number, context: number, over: Partial<Agent> = {}): Agent {
  return makeAgent({
    key: "7:1",
    pid: 7,
    status: "busy",
    cpuPercent: cpu,
    contextLimit: 200_000,
    contextPercent: context / 2000,
    costUsd: 2,
    costBasis: "api",
    cacheSavedUsd: 3.456,
    session: makeSession({ id: "s1", tokens: tokens(out), contextTokens: context }),
    ...over,
  });
}

const snapAt = (at: number, agents: Agent[]) => ({ ...makeSnapshot(agents), takenAt: at });

Deno.test("Ring keeps the newest values, oldest first", () => {
  const r = new Ring<number>(3);
  assert.deepEqual(r.values(), []);
  assert.equal(r.last(), undefined);
  for (const v of [1, 2, 3, 4, 5]) r.push(v);
  assert.deepEqual(r.values(), [3, 4, 5]);
  assert.equal(r.length, 3);
  assert.equal(r.last(), 5);
});

Deno.test("sparkline: eight levels, blanks for gaps, a flat line for all zeros, values clamped to max", () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline([0, 0, 0]), "▁▁▁");
  assert.equal(sparkline([null, 10, null]), " █ ");
  assert.equal(sparkline([50, 250], 100), "▅█");
  assert.equal(sparkline([]), "");
});

Deno.test("contextFullIn: the growth rate over the window since the last drop, or nothing", () => {
  const min = 60_000;
  // 10K tokens a minute, 80K to go: 8 minutes.
  assert.equal(
    contextFullIn([{ at: 0, tokens: 100_000 }, { at: 2 * min, tokens: 120_000 }], 200_000, 2 * min),
    8 * min,
  );
  // Not growing, shrinking, too short a span, no limit: unknown.
  assert.equal(
    contextFullIn([{ at: 0, tokens: 100_000 }, { at: 5 * min, tokens: 100_000 }], 200_000, 5 * min),
    null,
  );
  assert.equal(
    contextFullIn([{ at: 0, tokens: 100_000 }, { at: 30_000, tokens: 150_000 }], 200_000, 30_000),
    null,
  );
  assert.equal(contextFullIn([{ at: 0, tokens: 1 }, { at: 5 * min, tokens: 2 }], null, 5 * min), null);
  assert.equal(contextFullIn([], 200_000, 0), null);
  // Already full.
  assert.equal(contextFullIn([{ at: 0, tokens: 200_000 }], 200_000, 0), 0);
  // A compaction (a drop) starts the measurement again: only the growth after it counts.
  const compacted = [
    { at: 0, tokens: 10_000 },
    { at: 2 * min, tokens: 180_000 },
    { at: 3 * min, tokens: 40_000 },
    { at: 5 * min, tokens: 60_000 },
  ];
  assert.equal(contextFullIn(compacted, 200_000, 5 * min), 14 * min);
  // Only the last ten minutes count.
  const old = [{ at: 0, tokens: 0 }, { at: 20 * min, tokens: 100_000 }, { at: 30 * min, tokens: 110_000 }];
  assert.equal(contextFullIn(old, 200_000, 30 * min), 90 * min);
  // Further out than a day: not shown.
  assert.equal(contextFullIn([{ at: 0, tokens: 0 }, { at: 10 * min, tokens: 10 }], 200_000, 10 * min), null);
});

Deno.test("Trends: a point per slot, CPU averaged, tokens/min from the session's growth, gaps blank", () => {
  const trends = new Trends();
  // Two ticks in the first slot, one in the second, none in the third (paused), one in the fourth.
  trends.observe(snapAt(T0, [agentAt(10, 1000, 50_000)]));
  trends.observe(snapAt(T0 + 10_000, [agentAt(30, 3000, 52_000)]));
  trends.observe(snapAt(T0 + 10_000, [agentAt(99, 9999, 99_000)])); // the same snapshot again: ignored
  trends.observe(snapAt(T0 + POINT_MS, [agentAt(50, 4000, 60_000)]));
  trends.observe(snapAt(T0 + 3 * POINT_MS, [agentAt(0, 4000, 70_000)]));
  const t = trends.of(agentAt(0, 0, 0))!;
  assert.deepEqual(t.cpu, [20, 50, null, 0]);
  const perMin = 60_000 / POINT_MS;
  assert.deepEqual(
    t.tokensPerMin,
    [2000 * perMin, 1000 * perMin, null, 0],
    "the first sight is the baseline",
  );
  assert.equal(t.minutes, 4 * POINT_MS / 60_000);
  // 20K tokens in 60 s: 130K to go at 20K a minute.
  assert.equal(t.contextFullInMs, 6.5 * 60_000);
});

Deno.test("Trends: bounded per agent, forgotten on exit, restarted with a new session", () => {
  const trends = new Trends();
  for (let i = 0; i < TREND_POINTS * 3; i++) {
    trends.observe(snapAt(T0 + i * POINT_MS, [agentAt(i, i * 10, 1000)]));
  }
  const t = trends.of(agentAt(0, 0, 0))!;
  assert.equal(t.cpu.length, TREND_POINTS);
  assert.equal(t.cpu.at(-1), TREND_POINTS * 3 - 1);
  const later = T0 + TREND_POINTS * 3 * POINT_MS;
  // A new session in the same process: its tokens are not counted as growth, its context starts over.
  trends.observe(snapAt(later, [agentAt(5, 1_000_000, 90_000, { session: makeSession({ id: "s2" }) })]));
  assert.equal(trends.of(agentAt(0, 0, 0))!.tokensPerMin.at(-1), 0);
  // A long pause fills at most a ring of blanks.
  trends.observe(snapAt(later + 1000 * POINT_MS, [agentAt(5, 0, 0)]));
  assert.equal(trends.of(agentAt(0, 0, 0))!.cpu.filter((v) => v === null).length, TREND_POINTS - 1);
  trends.observe(snapAt(later + 1001 * POINT_MS, [makeAgent({ key: "8:1", pid: 8 })]));
  assert.equal(trends.size, 1);
  trends.observe(snapAt(later + 1002 * POINT_MS, [makeAgent({ key: "/gone/session.jsonl", pid: 0 })]));
  assert.equal(trends.size, 0, "rows of sessions whose process is gone have no trend");
  assert.equal(trends.of(agentAt(0, 0, 0)), null, "the exited agent is forgotten");
});

/** Six minutes of ticks: CPU rising, 6K tokens a minute, the context growing 5K a minute. */
function sixMinutes(): { trends: Trends; last: Agent; at: number } {
  const trends = new Trends();
  let last = agentAt(0, 0, 100_000);
  let at = T0;
  for (let i = 0; i <= 18; i++) {
    at = T0 + i * POINT_MS;
    last = agentAt(i * 5, i * 2000, 100_000 + Math.floor(i / 3) * 5000);
    trends.observe(snapAt(at, [last]));
  }
  return { trends, last, at };
}

Deno.test("detail view with history: sparklines, cache saved, when the context fills", () => {
  const { trends, last, at } = sixMinutes();
  const text = detailLines(last, at, trends.of(last)).map(lineText).join("\n");
  assert.match(text, /\nLast 6m\n/);
  assert.match(text, /\n {2}CPU % {7}▁▁▂▂▂▃▃▃▄▄▅▅▅▆▆▆▇▇▇ {2}now 90\.0 {2}peak 90\.0\n/);
  assert.match(text, /\n {2}tokens\/min {2}▁█{18} {2}now 6\.0k {2}peak 6\.0k\n/);
  assert.match(text, /cache saved +\$3\.46 {2}\(cache reads at list prices vs uncached input\)/);
  assert.match(text, /fills {7}context full in ~14m at the current rate/);
  // Without a trend (ls, or the first tick): neither sparklines nor an estimate.
  const bare = detailLines(last, at, null).map(lineText).join("\n");
  assert.doesNotMatch(bare, /Last |tokens\/min|fills/);
  assert.match(bare, /cache saved/);
});

Deno.test("detail view with history in a frame: fits the screen, End scrolls to the last line", async () => {
  const { trends, last, at } = sixMinutes();
  const snap = snapAt(at, [last]);
  const size = { columns: 80, rows: 24 };
  const start = settle(initialState({ sort: "cpu", reverse: false, filter: "", all: false }), snap, size);
  let s = pressKeys(start, snap, ["enter"], size).state;
  const opts = { ...size, style: await loadStyle(false), interval: 2, trends };
  const lines = renderFrame(snap, s, opts);
  assert.ok(lines.every((l) => displayWidth(l) <= size.columns));
  assert.match(lines.join("\n"), /CPU % {7}▁/);
  s = applyKey(s, { name: "end" }, snap, size, trends).state;
  const total = detailLines(last, at, trends.of(last)).length;
  assert.equal(s.detailTop, total - bodyHeight(size.rows), "the trend's lines count");
  assert.match(renderFrame(snap, s, opts).at(-2)!, /Bash|read|tool|activity|\S/);
});
