/**
 * `agtop report tools` end to end: the fixture stores of Claude Code (with a subagent), Codex, Qwen
 * Code, Copilot CLI, pi, Factory Droid, Continue and Kilo Code in a temporary HOME, read through
 * `main.ts` as users run it.
 */
import assert from "node:assert/strict";
import { runAgtop } from "../support/fakes.ts";
import { csvRecords } from "../support/csv.ts";
import { projectDirName } from "../../agents/vendors/claude/sessions.ts";
import { DatabaseSync } from "node:sqlite";

// deno-lint-ignore no-explicit-any
type Json = any;

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const CLAUDE_ID = "33333333-3333-4333-8333-333333333333";
const CODEX = "rollout-2026-11-24T11-00-00-019a8b3c-9999-7aaa-8bbb-ccccdddd0002.jsonl";

/** Copies a fixture to `to`, dated at `at` (when the agent last wrote it). */
function place(from: string, to: string, at: string): void {
  Deno.mkdirSync(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  Deno.copyFileSync(`${FIXTURES}${from}`, to);
  Deno.utimeSync(to, new Date(at), new Date(at));
}

/** A HOME holding eight agents' sessions; removed after `fn`. */
async function withStores(fn: (home: string) => Promise<void>): Promise<void> {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-tools-" }));
  try {
    const claude = `${home}/.claude/projects/${projectDirName("/home/me/shop")}/${CLAUDE_ID}`;
    place("claude/tools.jsonl", `${claude}.jsonl`, "2026-11-24T10:03:00Z");
    place(
      "claude/tools/subagents/agent-a7f.jsonl",
      `${claude}/subagents/agent-a7f.jsonl`,
      "2026-11-24T10:00:21Z",
    );
    const d = new Date();
    const two = (n: number) => String(n).padStart(2, "0");
    const day = `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
    place(`codex/${CODEX}`, `${home}/.codex/sessions/${day}/${CODEX}`, "2026-11-24T11:00:55Z");
    place(
      "qwen/tools.jsonl",
      `${home}/.qwen/projects/-home-me-api/chats/23574e2b-662b-409c-ba7a-3d707b477173.jsonl`,
      "2026-11-24T13:00:08Z",
    );
    place(
      "copilot/tools-events.jsonl",
      `${home}/.copilot/session-state/471dd490-0000-4000-8000-000000000003/events.jsonl`,
      "2026-11-24T14:00:06Z",
    );
    place(
      "pi/done.jsonl",
      `${home}/.pi/agent/sessions/--tmp-p1s-repo-pi--/2026-12-06T16-03-59-206Z_01a24c19-0a65-73f7-a525-a83a38eaaa26.jsonl`,
      "2026-12-06T16:04:54.471Z",
    );
    place(
      "droid/7468ca47-c088-4b64-a42e-3225bd87ed2c.jsonl",
      `${home}/.factory/sessions/-tmp-p2s-repo-droid/7468ca47-c088-4b64-a42e-3225bd87ed2c.jsonl`,
      "2026-12-06T16:03:31Z",
    );
    place(
      "continue/8da1a91f-5a13-48b6-a329-a7d32f558b3a.json",
      `${home}/.continue/sessions/8da1a91f-5a13-48b6-a329-a7d32f558b3a.json`,
      "2026-12-06T16:05:00Z",
    );
    Deno.mkdirSync(`${home}/.local/share/kilo`, { recursive: true });
    const db = new DatabaseSync(`${home}/.local/share/kilo/kilo.db`);
    db.exec(Deno.readTextFileSync(`${FIXTURES}kilo/in-flight.sql`));
    db.close();
    await fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

async function run(home: string, args: string[]): Promise<string> {
  const res = await runAgtop(["report", "tools", ...args], { HOME: home });
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

const row = (doc: Json, key: string) => doc.rows.find((r: Json) => r.key === key);

Deno.test("report tools: calls, failures, median and p95 per tool from five agents' transcripts", async () => {
  await withStores(async (home) => {
    const doc = JSON.parse(await run(home, ["--format", "json", "--tz", "UTC"]));
    assert.equal(doc.schema, 1);
    assert.equal(doc.kind, "tools");
    const bash = row(doc, "Bash");
    // Claude's 2 s, 1 s (failed) and the slow 120 s end-to-end run; Continue's two, with no times.
    assert.deepEqual([bash.calls, bash.failed, bash.unfinished, bash.timed, bash.median_ms, bash.p95_ms], [
      5,
      1,
      1,
      3,
      2000,
      120_000,
    ]);
    assert.deepEqual(bash.agents, ["claude", "continue"]);
    assert.deepEqual([row(doc, "Execute").calls, row(doc, "Execute").unfinished], [2, 1]);
    assert.deepEqual(row(doc, "task").agents, ["kilo"]);
    // Claude's two, Codex's one (an MCP error) and Qwen's one (an error response).
    const github = row(doc, "mcp:github");
    assert.deepEqual([github.server, github.calls, github.failed, github.agents], ["github", 4, 3, [
      "claude",
      "codex",
      "qwen",
    ]]);
    assert.equal(row(doc, "mcp:github-mcp-server").calls, 1);
    // The subagent's call counts in its parent session.
    assert.equal(row(doc, "Glob").calls, 1);
    // Interrupted or still running: counted, no duration.
    for (const key of ["Grep", "read_file", "edit"]) {
      assert.deepEqual([row(doc, key).calls, row(doc, key).unfinished, row(doc, key).median_ms], [
        1,
        1,
        null,
      ]);
    }
    const exec = row(doc, "exec_command");
    assert.deepEqual([exec.calls, exec.failed, exec.unfinished, exec.median_ms], [4, 1, 1, 2000]);
    assert.deepEqual(row(doc, "bash").agents, ["copilot", "kilo", "pi"]);
    assert.equal(doc.totals.calls, doc.rows.reduce((n: number, r: Json) => n + r.calls, 0));
    assert.equal(doc.totals.sessions, 8);
    // Claude's session ran 10:00:00–10:03:00; its tools took 2 + 1 + 0.8 + 2 + 120 + 0.2 + 1 s.
    const claude = JSON.parse(await run(home, ["--format", "json", "--agent", "claude"]));
    assert.equal(claude.totals.wall_ms, 180_000);
    assert.equal(claude.totals.tool_ms, 127_000);
    assert.equal(claude.totals.share, 127_000 / 180_000);
  });
});

Deno.test("report tools: --breakdown, --since/--until by the call time, --project", async () => {
  await withStores(async (home) => {
    const doc = JSON.parse(await run(home, ["--format", "json", "--breakdown"]));
    assert.deepEqual(row(doc, "mcp:github").breakdown.map((b: Json) => [b.key, b.calls]), [
      ["claude/get_issue", 1],
      ["claude/search_issues", 1],
      ["codex/search_issues", 1],
      ["qwen/search_issues", 1],
    ]);
    assert.deepEqual(row(doc, "bash").breakdown.map((b: Json) => b.key), ["copilot", "kilo", "pi"]);
    const window = JSON.parse(
      await run(home, [
        "--format",
        "json",
        "--tz",
        "UTC",
        "--since",
        "2026-11-24",
        "--until",
        "2026-11-24",
      ]),
    );
    // pi's, Droid's, Continue's and Kilo's calls were made in December.
    assert.deepEqual(window.totals.agents, ["claude", "codex", "copilot", "qwen"]);
    assert.deepEqual(row(window, "bash").agents, ["copilot"]);
    const api = JSON.parse(await run(home, ["--format", "json", "--project", "api"]));
    assert.deepEqual(api.totals.agents, ["qwen"]);
  });
});

Deno.test("report tools: table with bars and totals, CSV, Markdown; --private prints no argument", async () => {
  await withStores(async (home) => {
    const table = await run(home, ["--private"]);
    const lines = table.trimEnd().split("\n");
    assert.match(
      lines[0],
      /^TOOL\s+AGENT\s+CALLS\s+FAILED\s+NO RESULT\s+MEDIAN\s+P95\s+TOOL TIME\s+SHARE\s+CALLS BAR$/,
    );
    assert.match(table, /^exec_command\s+codex\s+4\s+1\s+1\s+2\.0s\s+.*█/m);
    assert.match(lines.at(-1)!, /^total\s+\d+/);
    const csv = csvRecords(await run(home, ["--format", "csv", "--private"]));
    assert.equal(csv.at(-1)!.key, "total");
    assert.equal(csv.find((r) => r.key === "mcp:github")!.server, "github");
    const md = await run(home, ["--format", "markdown", "--private"]);
    assert.match(md, /^\| TOOL \| AGENT \|/);
    for (const text of [table, md, await run(home, ["--format", "json", "--private"])]) {
      for (const secret of ["npm run lint", "flaky test", "cargo build", "/home/me", "curl", "Not Found"]) {
        assert.ok(!text.includes(secret), `${secret} printed`);
      }
      assert.ok(text.includes("search_issues") || text.includes("mcp:github"));
    }
  });
});
