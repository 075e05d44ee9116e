import assert from "node:assert/strict";
import { buildReport, ReportSums, sessionPieces } from "../../../agents/history/report.ts";
import { readHistory } from "../../../agents/history/collect.ts";
import { Calendar } from "../../../agents/history/calendar.ts";
import type { HistorySession } from "../../../agents/history/types.ts";
import type { SessionLink, SessionSource, Vendor } from "../../../agents/vendor.ts";
import { emptyTokens, type TokenBuckets } from "../../../agents/session.ts";
import { bundledTable } from "../../../agents/pricing/table.ts";
import { makeSession } from "../../support/agents.ts";

const t = (s: string) => Date.parse(s);
const tokens = (over: Partial<TokenBuckets>): TokenBuckets => ({ ...emptyTokens(), ...over });
const vendor = (id: string, sessions?: Vendor["sessions"]): Vendor => ({
  id,
  label: id,
  recognise: () => null,
  sessions,
});

Deno.test("report pieces: a timeline short of the totals places the rest at the session's end", () => {
  const h: HistorySession = {
    vendor: vendor("aider"),
    session: makeSession({
      lastActivity: t("2026-11-24T10:00:00Z"),
      tokens: tokens({ input: 300, output: 30 }),
      tokensByModel: { "gpt-4o": tokens({ input: 300, output: 30 }) },
      recentUsage: [{
        at: t("2026-11-24T08:00:00Z"),
        model: "gpt-4o",
        tokens: tokens({ input: 100 }),
        requests: 1,
      }],
      costUsd: 0.66,
    }),
  };
  const { pieces, timedBy } = sessionPieces(h, false);
  assert.equal(timedBy, "session");
  assert.deepEqual(pieces.map((p) => [p.at, p.tokens.input, p.tokens.output]), [
    [t("2026-11-24T08:00:00Z"), 100, 0],
    [t("2026-11-24T10:00:00Z"), 200, 30],
  ]);
  // The agent's own cost, shared by tokens.
  const shares = pieces.map((p) => p.recordedUsd!);
  assert.ok(
    Math.abs(shares[0] - 0.2) < 1e-12 && Math.abs(shares[0] + shares[1] - 0.66) < 1e-12,
    String(shares),
  );
});

Deno.test("report: cost basis per row — the agent's, list prices, or ? — and a totals row", () => {
  const at = t("2026-11-24T10:00:00Z");
  const sessions: HistorySession[] = [
    {
      vendor: vendor("opencode"),
      session: makeSession({
        path: "/a",
        lastActivity: at,
        tokensByModel: { "gpt-4o": tokens({ input: 10 }) },
        costUsd: 1.5,
      }),
    },
    {
      vendor: vendor("claude"),
      session: makeSession({
        path: "/b",
        lastActivity: at,
        tokensByModel: { "claude-sonnet-4-5": tokens({ input: 1e6, cacheRead: 1e6 }) },
      }),
    },
    {
      vendor: vendor("goose"),
      session: makeSession({
        path: "/c",
        lastActivity: at,
        tokensByModel: { "no-such-model-x": tokens({ input: 5 }) },
      }),
    },
  ];
  const report = buildReport(sessions, {
    kind: "agents",
    calendar: new Calendar("UTC"),
    prices: bundledTable(),
    since: 0,
    until: null,
    now: at,
  });
  const basis = Object.fromEntries(report.rows.map((r) => [r.key, r.costBasis]));
  assert.deepEqual(basis, { opencode: "agent", claude: "list", goose: "?" });
  const claude = report.rows.find((r) => r.key === "claude")!;
  assert.ok(Math.abs(claude.costUsd! - 3.3) < 1e-9, String(claude.costUsd)); // $3 input + $0.30 cache reads
  assert.ok(Math.abs(claude.cacheSavedUsd! - 2.7) < 1e-9, String(claude.cacheSavedUsd));
  assert.equal(report.totals.costBasis, "agent+list+?");
  assert.equal(report.totals.sessions, 3);
  assert.equal(report.rows.find((r) => r.key === "goose")!.costUsd, null);
});

Deno.test("history: a store a reader cannot read is named and counted, the others are read", async () => {
  const links: SessionLink[] = [
    { path: "/stores/good.jsonl", id: "good", linkedBy: "recent" },
    { path: "/stores/v9.jsonl", id: "v9", linkedBy: "recent" },
  ];
  const source: SessionSource = {
    envKeys: [],
    link: () => null,
    recent: () => ({ links, more: 0 }),
    read: (link) => {
      if (link.id === "v9") throw new Error("unknown format version 9");
      return makeSession({ id: link.id, lastActivity: Date.now() });
    },
  };
  const seen: number[] = [];
  const history = await readHistory({
    vendors: [vendor("fake", () => Promise.resolve(source))],
    since: 0,
    now: Date.now(),
    progress: (read, _total, bytes) => seen.push(read, bytes),
  });
  assert.deepEqual(history.sessions.map((s) => s.session.id), ["good"]);
  assert.deepEqual(history.unreadable, [{
    agent: "fake",
    path: "/stores/v9.jsonl",
    reason: "unknown format version 9",
  }]);
  assert.deepEqual(seen, [1, 0, 2, 0]); // no such files: 0 bytes
});

Deno.test("report sums: sessions summed in any split and order, merged, give the same report to the last digit", () => {
  const start = t("2026-11-20T22:00:00Z");
  const models = ["claude-sonnet-4-5", "gpt-4o", "no-such-model", "claude-haiku-4-5"];
  const sessions: HistorySession[] = Array.from({ length: 30 }, (_, i) => {
    const usageHistory = Array.from({ length: 1 + (i * 7) % 11 }, (_, j) => ({
      at: start + (i * 97 + j * 13) * 60_000,
      model: models[(i + j) % models.length],
      tokens: tokens({
        input: 1000 + i * 37 + j,
        output: 333 * j + 1,
        cacheRead: 70_001 * (i % 3),
        cacheWrite: 17 * j,
      }),
      requests: 1,
    }));
    const tokensByModel: Record<string, TokenBuckets> = {};
    for (const m of usageHistory) {
      const b = tokensByModel[m.model] ??= tokens({});
      for (const k of ["input", "output", "cacheRead", "cacheWrite"] as const) b[k] += m.tokens[k];
    }
    return {
      vendor: vendor(i % 4 === 0 ? "opencode" : "claude"),
      session: makeSession({
        id: `s${i}`,
        path: `/p/s${i}`,
        cwd: `/w/p${i % 3}`,
        startedAt: usageHistory[0].at,
        lastActivity: start + (i % 5) * 3_600_000,
        tokensByModel,
        usageHistory,
        costUsd: i % 4 === 0 ? 0.1 * i + 0.07 : null,
      }),
    };
  });
  for (const kind of ["daily", "sessions", "models", "projects"] as const) {
    const opts = {
      kind,
      calendar: new Calendar("Europe/Berlin"),
      prices: bundledTable(),
      since: start + 3_600_000,
      until: null,
      breakdown: true,
      now: start + 86_400_000,
    };
    const whole = buildReport(sessions, opts);
    for (const cut of [0, 7, 19, 30]) {
      const mine = new ReportSums(opts);
      mine.add([...sessions.slice(cut)].reverse());
      const theirs = new ReportSums({ ...opts, calendar: new Calendar("Europe/Berlin") });
      theirs.add(sessions.slice(0, cut));
      mine.merge(structuredClone(theirs.data()));
      assert.deepStrictEqual(mine.report(opts), whole, `${kind}, split at ${cut}`);
    }
  }
});
