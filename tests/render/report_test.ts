import assert from "node:assert/strict";
import { bar, redactReport, renderReportCsv, renderReportTable } from "../../render/report.ts";
import type { Report, ReportRow } from "../../agents/history/types.ts";
import { emptyTokens } from "../../agents/session.ts";
import { loadStyle } from "../../render/style.ts";
import { csvRecords } from "../support/csv.ts";

const row = (key: string, costUsd: number | null, over: Partial<ReportRow> = {}): ReportRow => ({
  key,
  agents: ["claude"],
  models: ["claude-sonnet-4-5"],
  sessions: 1,
  requests: 1,
  tokens: { ...emptyTokens(), input: 1000 },
  totalTokens: 1000,
  costUsd,
  costBasis: "list",
  cacheSavedUsd: 0,
  ...over,
});

const report = (rows: ReportRow[], over: Partial<Report> = {}): Report => ({
  schema: 1,
  kind: "daily",
  timeZone: "UTC",
  weekStart: "monday",
  since: 0,
  until: null,
  generatedAt: 0,
  rows,
  totals: row("total", 3),
  unreadable: [],
  pricesDate: "2026-07-24",
  ...over,
});

Deno.test("report bars: scaled to the costliest row, in eighths, empty without a cost", () => {
  assert.equal(bar(2, 2, 4), "████");
  assert.equal(bar(1, 2, 4), "██");
  assert.equal(bar(1, 16, 4), "▎");
  assert.equal(bar(null, 2, 4), "");
  assert.equal(bar(0, 2, 4), "");
});

Deno.test("report table: a bar per row, totals, a footer counting unreadable stores; hostile keys sanitised", async () => {
  const text = renderReportTable(
    report([row("2026-11-23", 1), row("2026-11-24\x1b[31m", 2)], {
      unreadable: [{ agent: "claude", path: "/x", reason: "permission denied" }],
    }),
    await loadStyle(false),
  );
  const lines = text.trimEnd().split("\n");
  assert.match(
    lines[0],
    /^DATE +AGENT +INPUT +OUTPUT +REASON +CACHE R +CACHE W +TOTAL +COST +BASIS +SAVED +COST BAR$/,
  );
  assert.ok(lines[1].endsWith("████████"), lines[1]);
  assert.ok(lines[2].endsWith("████████████████"), lines[2]);
  assert.ok(!text.includes("\x1b"), "no control characters from keys");
  assert.match(lines[3], /^total /);
  assert.equal(lines[4], "1 store could not be read (--verbose names it)");
});

Deno.test("report CSV and privacy: every field, breakdown rows name their parent; --private hides paths", () => {
  const s = row("abc", 1, {
    session: {
      id: "abc",
      agent: "claude",
      title: "fix the login",
      project: "shop",
      cwd: "/home/me/shop",
      path: "/home/me/.claude/projects/-home-me-shop/abc.jsonl",
      startedAt: 0,
      lastActivity: 60_000,
      timedBy: "requests",
    },
    breakdown: [row("claude/claude-sonnet-4-5", 1)],
  });
  const doc = report([s], { kind: "sessions" });
  const recs = csvRecords(renderReportCsv(doc));
  assert.deepEqual(recs.map((r) => [r.key, r.parent]), [["abc", ""], ["claude/claude-sonnet-4-5", "abc"], [
    "total",
    "",
  ]]);
  assert.equal(recs[0].project, "shop");
  assert.equal(recs[0].last_activity, "1970-01-01T00:01:00.000Z");
  const hidden = renderReportCsv(redactReport(doc));
  assert.doesNotMatch(hidden, /shop|fix the login|\/home/);
  assert.match(hidden, /project-1/);
});
