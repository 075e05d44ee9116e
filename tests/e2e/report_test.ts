/**
 * `agtop report` end to end: a generated history of Claude Code and Codex sessions spanning days, a
 * DST change, a midnight and a month edge, read through `main.ts` as users run it.
 */
import assert from "node:assert/strict";
import { runAgtop } from "../support/fakes.ts";
import { writeClaude, writeCodex } from "../support/history.ts";
import { csvRecords } from "../support/csv.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const t = (s: string) => Date.parse(s);
const SONNET = "claude-sonnet-4-5-20250929";
const CLAUDE_ID = "11111111-1111-4111-8111-111111111111";
const CODEX_ID = "019a8b3c-29d1-7a2e-9c1f-3b5d7e9f1a74";

/** A HOME with two agents' sessions; removed after `fn`. */
async function withHistory(fn: (home: string) => Promise<void>): Promise<void> {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-report-" }));
  try {
    // Berlin: 2026-03-29 01:00Z clocks go from UTC+1 to UTC+2.
    writeClaude(home, "/w/shop", CLAUDE_ID, [
      {
        at: t("2026-03-28T22:50:00Z"),
        model: SONNET,
        input: 10,
        output: 100,
        cacheRead: 1000,
        cacheWrite: 200,
      },
      { at: t("2026-03-28T23:10:00Z"), model: SONNET, input: 20, output: 200, cacheRead: 2000 },
      { at: t("2026-03-29T22:30:00Z"), model: "claude-opus-4-5", input: 5, output: 50 },
    ], [{ at: t("2026-03-28T23:20:00Z"), model: "claude-haiku-4-5", input: 7, output: 70 }]);
    writeClaude(home, "/w/blog", "22222222-2222-4222-8222-222222222222", [
      { at: t("2026-03-23T09:00:00Z"), model: SONNET, input: 1, output: 10 },
    ]);
    writeCodex(home, "/w/api", CODEX_ID, [
      { at: t("2026-03-31T22:30:00Z"), model: "gpt-5.2-codex", input: 1000, output: 300, cacheRead: 4000 },
      { at: t("2026-04-01T10:00:00Z"), model: "gpt-5.2-codex", input: 500, output: 100 },
    ]);
    await fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

async function report(home: string, args: string[]): Promise<Json> {
  const res = await runAgtop(["report", ...args, "--format", "json"], { HOME: home });
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

/** agtop's own lines of stderr (without Deno fetching an npm package it had not cached). */
const ownLines = (stderr: string) => stderr.split("\n").filter((l) => l && !l.startsWith("Download "));

const dayTokens = (doc: Json) => Object.fromEntries(doc.rows.map((r: Json) => [r.key, r.total_tokens]));

Deno.test("report sessions: the same sessions and totals as ls --all, session by session", async () => {
  await withHistory(async (home) => {
    const ls = await runAgtop(["ls", "--all", "--since", "30d", "--sample", "0", "--format", "json"], {
      HOME: home,
    });
    assert.equal(ls.code, 0, ls.stderr);
    const gone: Json[] = JSON.parse(ls.stdout).agents.filter((a: Json) => a.pid === 0);
    const doc = await report(home, ["sessions", "--since", "30d"]);
    assert.equal(doc.schema, 1);
    assert.equal(doc.rows.length, gone.length);
    assert.equal(gone.length, 3);
    for (const a of gone) {
      const row = doc.rows.find((r: Json) => `session:${r.session.path}` === a.key);
      assert.ok(row, `no report row for ${a.key}`);
      assert.equal(row.session.agent, a.agent);
      assert.deepEqual(
        [
          row.tokens.input,
          row.tokens.output,
          row.tokens.cache_read,
          row.tokens.cache_write,
          row.tokens.reasoning,
        ],
        [
          a.session.tokens.input,
          a.session.tokens.output,
          a.session.tokens.cache_read,
          a.session.tokens.cache_write,
          a.session.tokens.reasoning,
        ],
      );
      assert.equal(row.cost_usd, a.cost_usd);
    }
    // Claude's two lines per response count once; its subagent counts once, in the parent.
    const claude = doc.rows.find((r: Json) => r.session.id === CLAUDE_ID);
    assert.equal(claude.tokens.input, 10 + 20 + 5 + 7);
    assert.equal(claude.tokens.output, 100 + 200 + 50 + 70);
    assert.equal(claude.session.timed_by, "requests");
    assert.equal(doc.totals.sessions, 3);
  });
});

Deno.test("report daily: split by the time of each request, in the zone asked for, across DST", async () => {
  await withHistory(async (home) => {
    const berlin = await report(home, ["daily", "--tz", "Europe/Berlin"]);
    assert.equal(berlin.time_zone, "Europe/Berlin");
    // 22:50Z is 23:50 on the 28th; 23:10Z and the subagent's 23:20Z are past midnight (UTC+1);
    // 2026-03-29T22:30Z is 00:30 on the 30th in summer time (UTC+2).
    assert.deepEqual(dayTokens(berlin), {
      "2026-03-23": 11,
      "2026-03-28": 1310,
      "2026-03-29": 2297,
      "2026-03-30": 55,
      "2026-04-01": 5900,
    });
    const utc = await report(home, ["daily", "--tz", "UTC"]);
    assert.deepEqual(dayTokens(utc), {
      "2026-03-23": 11,
      "2026-03-28": 1310 + 2297,
      "2026-03-29": 55,
      "2026-03-31": 5300,
      "2026-04-01": 600,
    });
    assert.equal(berlin.totals.total_tokens, utc.totals.total_tokens);
    const day = berlin.rows.find((r: Json) => r.key === "2026-03-29");
    assert.deepEqual(day.agents, ["claude"]);
    assert.deepEqual(day.models, ["claude-haiku-4-5", SONNET]);
  });
});

Deno.test({
  name: "report daily: without --tz, days are cut in the system's zone (TZ), and a TZ naming none is UTC",
  // Windows keeps its own zone setting: `TZ` does not move the clock there.
  ignore: Deno.build.os === "windows",
}, async () => {
  await withHistory(async (home) => {
    const asked = await report(home, ["daily", "--tz", "Europe/Berlin", "--since", "2026-03-28"]);
    const local = await runAgtop(["report", "daily", "--since", "2026-03-28", "--format", "json"], {
      HOME: home,
      TZ: "Europe/Berlin",
    });
    assert.equal(local.code, 0, local.stderr);
    const doc = JSON.parse(local.stdout);
    assert.equal(doc.time_zone, "Europe/Berlin");
    assert.equal(doc.since, asked.since);
    assert.deepEqual(doc.rows, asked.rows);
    for (const tz of ["", "Mars/Olympus"]) {
      const res = await runAgtop(["report", "daily", "--format", "json"], { HOME: home, TZ: tz });
      assert.equal(res.code, 0, res.stderr);
      const utc = JSON.parse(res.stdout);
      assert.equal(utc.time_zone, "UTC");
      assert.deepEqual(dayTokens(utc)["2026-03-28"], 1310 + 2297);
    }
  });
});

Deno.test("report weekly and monthly: week starts and month edges in the zone", async () => {
  await withHistory(async (home) => {
    const weeks = await report(home, ["weekly", "--tz", "Europe/Berlin"]);
    // Sunday the 29th ends the week of Monday the 23rd; the 30th starts the next.
    assert.deepEqual(dayTokens(weeks), { "2026-03-23": 11 + 1310 + 2297, "2026-03-30": 55 + 5900 });
    const sundays = await report(home, ["weekly", "--tz", "Europe/Berlin", "--week-start", "sunday"]);
    assert.deepEqual(dayTokens(sundays), {
      "2026-03-22": 11 + 1310,
      "2026-03-29": 2297 + 55 + 5900,
    });
    const months = await report(home, ["monthly", "--tz", "Europe/Berlin"]);
    assert.deepEqual(dayTokens(months), { "2026-03": 11 + 1310 + 2297 + 55, "2026-04": 5900 });
    const utcMonths = await report(home, ["monthly", "--tz", "UTC"]);
    assert.deepEqual(dayTokens(utcMonths), { "2026-03": 11 + 1310 + 2297 + 55 + 5300, "2026-04": 600 });
  });
});

Deno.test("report: a window by dates, agents and projects; breakdown rows per agent and model", async () => {
  await withHistory(async (home) => {
    const window = await report(home, [
      "daily",
      "--tz",
      "UTC",
      "--since",
      "2026-03-28",
      "--until",
      "2026-03-31",
    ]);
    assert.deepEqual(Object.keys(dayTokens(window)), ["2026-03-28", "2026-03-29", "2026-03-31"]);
    const codex = await report(home, ["agents", "--agent", "codex"]);
    assert.deepEqual(codex.rows.map((r: Json) => r.key), ["codex"]);
    const shop = await report(home, ["projects", "--project", "SHO"]);
    assert.deepEqual(shop.rows.map((r: Json) => r.key), ["shop"]);
    const models = await report(home, ["models", "--breakdown"]);
    const sonnet = models.rows.find((r: Json) => r.key === SONNET);
    assert.deepEqual(sonnet.breakdown.map((b: Json) => b.key), [`claude/${SONNET}`]);
    assert.equal(models.totals.cost_basis, "list");
    assert.ok(models.totals.cache_saved_usd > 0, "cache reads saved something");
  });
});

Deno.test("report: table with bars and a totals row, CSV and Markdown carry the rows, --private hides names", async () => {
  await withHistory(async (home) => {
    const table = await runAgtop(["report", "daily", "--tz", "UTC"], { HOME: home });
    assert.equal(table.code, 0, table.stderr);
    assert.deepEqual(ownLines(table.stderr), [], "nothing on stderr when piped");
    assert.match(table.stdout, /^DATE +AGENT +INPUT/);
    assert.match(table.stdout, /█/);
    assert.match(table.stdout, /\ntotal /);
    assert.ok(!table.stdout.includes("\x1b["), "no escape sequences with NO_COLOR");
    const csv = await runAgtop(["report", "sessions", "--format", "csv"], { HOME: home });
    const rows = csvRecords(csv.stdout);
    assert.deepEqual(
      rows.map((r) => r.key).sort(),
      [CODEX_ID, CLAUDE_ID, "22222222-2222-4222-8222-222222222222", "total"].sort(),
    );
    assert.equal(rows.find((r) => r.key === CLAUDE_ID)?.project, "shop");
    const md = await runAgtop(["report", "monthly", "--format", "markdown", "--tz", "UTC"], { HOME: home });
    assert.match(md.stdout, /^\| MONTH \| AGENT \|/);
    assert.match(md.stdout, /\| \*\*total\*\* \|/);
    const priv = await runAgtop(["report", "projects", "--private", "--format", "json"], { HOME: home });
    assert.doesNotMatch(priv.stdout, /shop|blog|\/w\//);
    assert.deepEqual(JSON.parse(priv.stdout).rows.map((r: Json) => r.key).sort(), [
      "project-1",
      "project-2",
      "project-3",
    ]);
    const privSessions = await runAgtop(["report", "sessions", "--private", "--format", "csv"], {
      HOME: home,
    });
    assert.doesNotMatch(privSessions.stdout, /shop|blog|\/w\/|\.jsonl/);
  });
});

Deno.test("report: bad inputs are one line and exit 2", async () => {
  for (
    const [args, message] of [
      [["--since", "yesterday"], /invalid value 'yesterday' for --since/],
      [["--since", "2026-02-30"], /invalid value '2026-02-30' for --since/],
      [["--tz", "Mars/Olympus"], /unknown time zone 'Mars\/Olympus'/],
      [["--agent", "nobody"], /invalid value 'nobody' for --agent/],
      [["yearly"], /unknown report 'yearly'/],
      [["--since", "2026-11-02", "--until", "2026-11-01"], /--until is not after --since/],
    ] as const
  ) {
    const res = await runAgtop(["report", ...args], { HOME: "/nonexistent" });
    assert.equal(res.code, 2, res.stderr);
    assert.match(ownLines(res.stderr)[0], message);
  }
});
