import assert from "node:assert/strict";
import { ClaudeSessionSource } from "../../../agents/vendors/claude/sessions.ts";
import { CodexSessionSource } from "../../../agents/vendors/codex/sessions.ts";
import { MinuteUsage, totalTokens, USAGE_SPAN_MS } from "../../../agents/session.ts";
import type { SessionRead } from "../../../agents/vendor.ts";
import { type Response, writeClaude, writeCodex } from "../../support/history.ts";
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
      const recent = full.recentUsage!;
      assert.ok(recent[0].at >= start + 9 * HOUR - USAGE_SPAN_MS, "the recent timeline stays capped");
      assert.equal(without.read(link, Date.now())!.usageHistory, undefined, path);
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
