/**
 * What history threads share: usage minutes packed and unpacked exactly, one counter of indices and progress.
 */

import assert from "node:assert/strict";
import {
  packMinutes,
  receiveSession,
  SharedCounter,
  shareSession,
  unpackMinutes,
} from "../../cli/report_share.ts";
import type { SessionFacts, UsageMinute } from "../../agents/session.ts";

const minute = (at: number, model: string | null, output: number): UsageMinute => ({
  at,
  model,
  tokens: { input: 3, output, cacheRead: 21_000.5, cacheWrite: 0, reasoning: 7 },
  requests: 2,
});

Deno.test("usage minutes packed for a worker's reply come back as they were, unknown models too", () => {
  const minutes = [minute(60_000, "claude-opus-4-8", 187), minute(120_000, null, 0), minute(180_000, "m", 1)];
  assert.deepStrictEqual(unpackMinutes(packMinutes(minutes)), minutes);
  assert.deepStrictEqual(unpackMinutes(packMinutes([])), []);
});

Deno.test("a shared session comes back with its history, and without recent minutes beside a history", () => {
  const base = { id: "s1", path: "/p/s1.jsonl", title: "fix it" } as unknown as SessionFacts;
  const whole = { ...base, usageHistory: [minute(60_000, "m", 5)], recentUsage: [minute(60_000, "m", 5)] };
  const back = receiveSession(structuredClone(shareSession("claude", whole)));
  assert.deepStrictEqual(back, { ...base, usageHistory: whole.usageHistory });
  const recent = { ...base, recentUsage: [minute(60_000, "m", 5)] };
  assert.deepStrictEqual(receiveSession(structuredClone(shareSession("codex", recent))), recent);
  assert.deepStrictEqual(receiveSession(shareSession("codex", base)), base);
});

Deno.test("threads sharing a counter take each session index once and count what all read", () => {
  const mine = new SharedCounter();
  const theirs = new SharedCounter(mine.buffer);
  const taken = [mine.next(), theirs.next(), mine.next(), theirs.next()];
  assert.deepEqual(taken, [0, 1, 2, 3]);
  mine.read(10 * 1024);
  assert.deepEqual(theirs.read(5 * 1024), { read: 2, bytes: 15 * 1024 });
  assert.deepEqual(mine.totals(), { read: 2, bytes: 15 * 1024 });
  // A thread's progress hook hears its own bytes so far and counts the difference, hearing all threads'.
  const heard: number[][] = [];
  const hook = theirs.counting((read, bytes) => heard.push([read, bytes]));
  hook(1, 9, 4 * 1024);
  hook(2, 9, 6 * 1024);
  assert.deepEqual(heard, [[3, 19 * 1024], [4, 21 * 1024]]);
});
