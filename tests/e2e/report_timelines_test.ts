/**
 * `agtop report` over agents whose stores record each request's time (Gemini CLI, Qwen Code, OpenCode):
 * a session that crosses midnight is split by the time of each request, and `report sessions` still
 * equals `ls --all`, session by session.
 */
import assert from "node:assert/strict";
import { runAgtop } from "../support/fakes.ts";
import { type Response, writeGemini, writeOpenCode, writeQwen } from "../support/history.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const t = (s: string) => Date.parse(s);
/** Two requests before midnight (UTC) and one after. */
const night = (model: string, scale: number): Response[] => [
  { at: t("2026-11-20T23:40:00Z"), model, input: 10 * scale, output: 1 * scale, cacheRead: 100 * scale },
  { at: t("2026-11-20T23:55:00Z"), model, input: 20 * scale, output: 2 * scale },
  { at: t("2026-11-21T00:20:00Z"), model, input: 40 * scale, output: 4 * scale },
];
const GEMINI_ID = "bd11986c-d8d4-4c5e-9a4f-0d3c1b2a7e6f";
const QWEN_ID = "e351e2a0-7c1d-4f2e-9a3b-5c6d7e8f9a0b";

async function withStores(fn: (home: string) => Promise<void>): Promise<void> {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-timelines-" }));
  try {
    writeGemini(home, "/w/web", GEMINI_ID, night("gemini-2.5-pro", 1));
    writeQwen(home, "/w/api", QWEN_ID, night("qwen3-coder-plus", 10));
    writeOpenCode(home, [{ id: "ses_night", cwd: "/w/shop", responses: night("claude-sonnet-4-5", 100) }]);
    await fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

async function json(home: string, args: string[]): Promise<Json> {
  const res = await runAgtop([...args, "--format", "json"], { HOME: home });
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

Deno.test("report daily: Gemini, Qwen and OpenCode sessions across midnight split by each request's time", async () => {
  await withStores(async (home) => {
    const doc = await json(home, ["report", "daily", "--tz", "UTC", "--breakdown"]);
    const day = (key: string, agent: string) =>
      doc.rows.find((r: Json) => r.key === key).breakdown.filter((b: Json) => b.key.startsWith(`${agent}/`))
        .reduce((n: number, b: Json) => n + b.total_tokens, 0);
    const before = 10 + 1 + 100 + 20 + 2;
    const after = 40 + 4;
    for (const [agent, scale] of [["gemini", 1], ["qwen", 10], ["opencode", 100]] as const) {
      assert.equal(day("2026-11-20", agent), before * scale, agent);
      assert.equal(day("2026-11-21", agent), after * scale, agent);
    }
  });
});

Deno.test("report sessions: Gemini, Qwen and OpenCode timed by their requests, equal to ls --all", async () => {
  await withStores(async (home) => {
    const ls = await json(home, ["ls", "--all", "--since", "30d", "--sample", "0"]);
    const gone: Json[] = ls.agents.filter((a: Json) => a.pid === 0);
    assert.deepEqual(gone.map((a) => a.agent).sort(), ["gemini", "opencode", "qwen"]);
    const doc = await json(home, ["report", "sessions", "--since", "30d"]);
    assert.equal(doc.rows.length, gone.length);
    for (const a of gone) {
      const row = doc.rows.find((r: Json) => `session:${r.session.path}` === a.key);
      assert.ok(row, `no report row for ${a.key}`);
      assert.deepEqual(row.tokens, a.session.tokens, a.agent);
      assert.equal(row.cost_usd, a.cost_usd, a.agent);
      assert.equal(row.session.timed_by, "requests", a.agent);
      assert.equal(row.requests, 3, a.agent);
    }
  });
});
