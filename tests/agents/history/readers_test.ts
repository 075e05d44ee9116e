import assert from "node:assert/strict";
import { ClaudeSessionSource } from "../../../agents/vendors/claude/sessions.ts";
import { CodexSessionSource } from "../../../agents/vendors/codex/sessions.ts";
import { MinuteUsage, totalTokens, USAGE_SPAN_MS } from "../../../agents/session.ts";
import type { SessionRead } from "../../../agents/vendor.ts";
import { type Response, writeClaude, writeCodex } from "../../support/history.ts";
import { CopilotTranscript } from "../../../agents/vendors/copilot/transcript.ts";
import { ampThreadFacts } from "../../../agents/vendors/amp/transcript.ts";
import { assistant, thread, user } from "../../support/amp.ts";
import { withHome } from "../../support/sessions.ts";

const HOUR = 3_600_000;
const start = Date.parse("2026-11-20T08:00:00Z");
/** Ten hours of requests, one an hour: more than the recent timeline keeps. */
const responses: Response[] = Array.from({ length: 10 }, (_, i) => ({
  at: start + i * HOUR,
  model: i < 5 ? "gpt-5.2-codex" : "gpt-5.2",
  input: 100 * (i + 1),
  output: 10,
}));

const sum = (line: SessionRead["usageHistory"]) =>
  (line ?? []).reduce((n, m) => n + totalTokens(m.tokens), 0);

Deno.test("readers made with history: every request's minute, beyond the recent span; without, none", () => {
  withHome((home) => {
    const claudePath = writeClaude(home, "/w/app", "33333333-3333-4333-8333-333333333333", responses);
    const codexPath = writeCodex(home, "/w/app", "019a8b3c-1111-7aaa-8bbb-ccccdddd0002", responses);
    const cases = [
      [new ClaudeSessionSource({ history: true }), new ClaudeSessionSource(), claudePath],
      [new CodexSessionSource({ history: true }), new CodexSessionSource(), codexPath],
    ] as const;
    for (const [withHistory, without, path] of cases) {
      const link = { path, id: "", linkedBy: "recent" };
      const full = withHistory.read(link, Date.now())!;
      assert.equal(full.usageHistory?.length, 10, path);
      assert.equal(sum(full.usageHistory), totalTokens(full.tokens), path);
      assert.equal(full.usageHistory![0].at, start);
      // A history reader may leave the recent timeline out (Claude's does); where kept, it stays capped.
      const recent = full.recentUsage;
      if (recent) {
        assert.ok(recent[0].at >= start + 9 * HOUR - USAGE_SPAN_MS, "the recent timeline stays capped");
      }
      const live = without.read(link, Date.now())!;
      assert.equal(live.usageHistory, undefined, path);
      assert.ok(
        live.recentUsage![0].at >= start + 9 * HOUR - USAGE_SPAN_MS,
        "the live reader's timeline is capped",
      );
    }
  });
});

Deno.test("minute usage: clear forgets both timelines", () => {
  const usage = new MinuteUsage(true);
  usage.add(start, "m", { input: 1, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
  usage.clear();
  assert.deepEqual(usage.facts(), { recentUsage: [], usageHistory: [] });
  assert.deepEqual(new MinuteUsage().facts(), { recentUsage: [] });
});

/** Sums of a timeline's tokens by UTC day. */
const byDay = (line: SessionRead["usageHistory"]) => {
  const out: Record<string, number> = {};
  for (const m of line ?? []) {
    const day = new Date(m.at).toISOString().slice(0, 10);
    out[day] = (out[day] ?? 0) + totalTokens(m.tokens);
  }
  return out;
};
const BEFORE = Date.parse("2026-11-20T23:50:00Z");
const AFTER = Date.parse("2026-11-21T00:10:00Z");

Deno.test("Copilot CLI with history: each usage_record at its event's time, across midnight", () => {
  const event = (at: number, type: string, data: unknown) =>
    JSON.stringify({ type, data, id: `e${at}`, timestamp: new Date(at).toISOString(), parentId: null });
  const record = (at: number, input: number, output: number) =>
    event(at, "session.usage_record", {
      usage: {
        model: "gpt-5.1",
        inputTokens: input,
        outputTokens: output,
        cacheReadTokens: 0,
        reasoningTokens: 0,
      },
    });
  const t = new CopilotTranscript({ history: true });
  t.feed(event(BEFORE - 60_000, "session.start", { sessionId: "s", selectedModel: "gpt-5.1" }));
  for (const line of [record(BEFORE, 100, 10), record(AFTER, 200, 20)]) t.feed(line);
  const f = t.facts();
  assert.deepEqual(byDay(f.usageHistory), { "2026-11-20": 110, "2026-11-21": 220 });
  assert.equal(sum(f.usageHistory), totalTokens(f.tokens));
  assert.equal(new CopilotTranscript().facts().usageHistory, undefined);
});

Deno.test("Amp with history: each response at its usage timestamp, across midnight; ledger threads untimed", () => {
  const reply = (i: number, at: number, tokens: number[]) => {
    const a = assistant(i, [], { type: "complete", stopReason: "end_turn" }, tokens);
    return { ...a, usage: { ...a.usage, timestamp: new Date(at).toISOString() } };
  };
  const doc = thread([
    user(0, "go"),
    reply(1, BEFORE, [100, 10, 0, 0]),
    user(2, "more"),
    reply(3, AFTER, [200, 20, 0, 0]),
  ]);
  const f = ampThreadFacts(doc, true)!;
  assert.deepEqual(byDay(f.usageHistory), { "2026-11-20": 110, "2026-11-21": 220 });
  assert.equal(ampThreadFacts(doc)!.usageHistory, undefined);
  const ledger = { events: [{ tokens: { input: 1, output: 1 }, model: "m", toMessageId: 1 }] };
  assert.equal(ampThreadFacts({ ...doc, usageLedger: ledger }, true)!.usageHistory, undefined);
});
