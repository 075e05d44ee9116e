/**
 * `agtop report tools` sums: exact median and 95th percentile on known durations, failures, calls
 * without a result, MCP servers grouped, the share of wall time, windows, projects and breakdowns.
 */
import assert from "node:assert/strict";
import {
  buildToolsReport,
  loadToolReaders,
  median,
  percentile,
  readSessionCalls,
  type SessionCalls,
  type ToolCallsRead,
} from "../../../agents/history/tools.ts";
import { Calendar } from "../../../agents/history/calendar.ts";
import type { ToolCallRecord, Vendor } from "../../../agents/vendor.ts";
import { makeSession } from "../../support/agents.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const vendor = (id: string, tools?: Vendor["tools"]): Vendor => ({
  id,
  label: id,
  recognise: () => null,
  tools,
});
const call = (
  name: string,
  at: number,
  took: number | null,
  over: Partial<ToolCallRecord> = {},
): ToolCallRecord => ({
  name,
  server: null,
  startedAt: at,
  endedAt: took === null ? null : at + took,
  answered: took !== null,
  failed: false,
  ...over,
});
const opts = { calendar: new Calendar("UTC"), since: 0, until: null, now: T0 + 86_400_000 };

/** Two sessions: Claude (100 s of wall time) and Codex (50 s), in two projects. */
function sessions(): SessionCalls[] {
  // Bash in Claude: 20 calls of 100 ms, 200 ms, … 2000 ms.
  const bash = Array.from(
    { length: 20 },
    (_, i) => call("Bash", T0 + i * 1000, (i + 1) * 100, { failed: i % 5 === 0 }),
  );
  const claude: SessionCalls = {
    history: {
      vendor: vendor("claude"),
      session: makeSession({ path: "/c.jsonl", cwd: "/w/shop", startedAt: T0, lastActivity: T0 + 100_000 }),
    },
    calls: [
      ...bash,
      call("search_issues", T0 + 30_000, 400, { server: "github" }),
      call("get_issue", T0 + 31_000, 600, { server: "github", failed: true }),
      call("Grep", T0 + 40_000, null),
    ],
  };
  const codex: SessionCalls = {
    history: {
      vendor: vendor("codex"),
      session: makeSession({
        vendor: "codex",
        path: "/x.jsonl",
        cwd: "/w/api",
        startedAt: T0,
        lastActivity: T0 + 50_000,
      }),
    },
    calls: [
      call("Bash", T0 + 2000, 5000),
      call("search_issues", T0 + 3000, 1000, { server: "github" }),
      // Made the next day: outside a window ending before it.
      call("exec_command", T0 + 86_400_000 - 1, 3000),
    ],
  };
  return [claude, codex];
}

Deno.test("median and nearest-rank percentile, exact", () => {
  const d = Array.from({ length: 20 }, (_, i) => (i + 1) * 100);
  assert.equal(median(d), 1050);
  assert.equal(percentile(d, 95), 1900);
  assert.equal(median([3]), 3);
  assert.equal(percentile([3], 95), 3);
  assert.equal(median([1, 2, 9]), 2);
  assert.equal(percentile([1, 2, 9], 95), 9);
  assert.equal(median([]), null);
  assert.equal(percentile([], 95), null);
});

Deno.test("tools report: a row per tool, MCP tools under their server, most called first", () => {
  const report = buildToolsReport(sessions(), opts);
  assert.equal(report.kind, "tools");
  assert.equal(report.schema, 1);
  assert.deepEqual(report.rows.map((r) => [r.key, r.calls]), [
    ["Bash", 21],
    ["mcp:github", 3],
    ["Grep", 1],
    ["exec_command", 1],
  ]);
  const bash = report.rows[0];
  assert.deepEqual(bash.agents, ["claude", "codex"]);
  assert.equal(bash.failed, 4);
  assert.equal(bash.timed, 21);
  // 100 … 2000 and 5000: the 11th of 21 is 1100; rank ceil(0.95 × 21) = 20 is 2000.
  assert.equal(bash.medianMs, 1100);
  assert.equal(bash.p95Ms, 2000);
  assert.equal(bash.toolMs, 21_000 + 5000);
  assert.equal(bash.sessions, 2);
  assert.equal(bash.wallMs, 150_000);
  assert.equal(bash.share, 26_000 / 150_000);
  const github = report.rows[1];
  assert.equal(github.server, "github");
  assert.equal(github.failed, 1);
  assert.equal(github.medianMs, 600);
  const grep = report.rows[2];
  assert.deepEqual([grep.unfinished, grep.timed, grep.medianMs, grep.share], [1, 0, null, 0]);
  assert.deepEqual(
    [report.totals.calls, report.totals.failed, report.totals.unfinished, report.totals.sessions],
    [26, 5, 1, 2],
  );
  assert.equal(report.totals.toolMs, 26_000 + 2000 + 3000);
  assert.equal(report.rows[0].breakdown, undefined);
});

Deno.test("tools report: --breakdown by agent, and by agent and tool under an MCP server", () => {
  const report = buildToolsReport(sessions(), { ...opts, breakdown: true });
  assert.deepEqual(report.rows[0].breakdown!.map((b) => [b.key, b.calls, b.medianMs]), [
    ["claude", 20, 1050],
    ["codex", 1, 5000],
  ]);
  assert.deepEqual(report.rows[1].breakdown!.map((b) => [b.key, b.calls, b.failed]), [
    ["claude/get_issue", 1, 1],
    ["claude/search_issues", 1, 0],
    ["codex/search_issues", 1, 0],
  ]);
});

Deno.test("tools report: calls counted by their time in the window, sessions by project", () => {
  const day = buildToolsReport(sessions(), { ...opts, since: T0, until: T0 + 86_400_000 - 1 });
  assert.equal(day.rows.find((r) => r.key === "exec_command"), undefined);
  const late = buildToolsReport(sessions(), { ...opts, since: T0 + 35_000 });
  assert.deepEqual(late.rows.map((r) => r.key), ["Grep", "exec_command"]);
  const api = buildToolsReport(sessions(), { ...opts, project: "API" });
  assert.deepEqual(api.rows.map((r) => r.key), ["Bash", "exec_command", "mcp:github"]);
  assert.deepEqual(api.rows.map((r) => r.agents), [["codex"], ["codex"], ["codex"]]);
});

Deno.test("tool calls read: each agent's reader loaded once; a failing store is named, not fatal", async () => {
  let loads = 0;
  const reader = (path: string) => {
    if (path === "/bad.jsonl") throw new Error("permission denied");
    return [call("Bash", T0, 10)];
  };
  const v = vendor("claude", () => (loads++, Promise.resolve(reader)));
  const readers = await loadToolReaders([v, v, vendor("aider")]);
  assert.equal(loads, 1);
  const read: ToolCallsRead = { sessions: [], unreadable: [] };
  const asked = [
    { vendor: v, session: makeSession({ path: "/a.jsonl" }) },
    { vendor: v, session: makeSession({ path: "/bad.jsonl" }) },
    { vendor: vendor("aider"), session: makeSession({ path: "/h.md" }) },
  ].map((h) => readSessionCalls(h, readers, read));
  assert.deepEqual(asked, [true, true, false]);
  assert.equal(read.sessions.length, 1);
  assert.deepEqual(read.unreadable, [{ agent: "claude", path: "/bad.jsonl", reason: "permission denied" }]);
});
