import assert from "node:assert/strict";
import { aggregate } from "../../agents/aggregates.ts";
import { renderJson } from "../../render/json.ts";
import { summaryLine } from "../../render/summary.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";

const tokens = (input: number, output: number, cacheRead = 0, cacheWrite = 0, reasoning = 0) => ({
  input,
  output,
  cacheRead,
  cacheWrite,
  reasoning,
});

Deno.test("aggregates: totals by bucket, status and project; unknown costs are counted, not zero", () => {
  const agents = [
    makeAgent({
      pid: 1,
      project: "web",
      status: "busy",
      cpuPercent: 10,
      rssBytes: 100,
      costUsd: 1.5,
      costBasis: "api",
      session: makeSession({ tokens: tokens(10, 20, 30, 40) }),
    }),
    makeAgent({
      pid: 2,
      project: "web",
      status: "waiting",
      cpuPercent: 1,
      rssBytes: 50,
      costUsd: 0.25,
      costBasis: "api",
      session: makeSession({ tokens: tokens(1, 2, 0, 0, 5) }),
    }),
    makeAgent({
      pid: 3,
      project: "api",
      status: "waiting",
      costUsd: null,
      costBasis: "unknown",
      session: makeSession({ tokens: tokens(100, 0) }),
    }),
    makeAgent({ pid: 4, project: null, status: "idle" }),
  ];
  const a = aggregate(agents);
  assert.equal(a.agents, 4);
  assert.deepEqual(a.byStatus, { busy: 1, waiting: 2, subagents: 0, limited: 0, idle: 1, done: 0 });
  assert.deepEqual(a.tokens, tokens(111, 22, 30, 40, 5));
  assert.equal(a.costUsd, 1.75);
  assert.equal(a.costUnknown, 1);
  assert.equal(a.cpuPercent, 11 + 1.5 * 2);
  assert.deepEqual(a.byProject.map((p) => [p.project, p.agents, p.costUsd]), [
    ["web", 2, 1.75],
    [null, 1, 0],
    ["api", 1, 0],
  ]);

  const snap = makeSnapshot(agents);
  assert.match(
    summaryLine(snap),
    /4 agents \(1 busy, 2 waiting, 1 idle\) · CPU 14\.0% · MEM .* · tokens 208 · cost \$1\.75\+\?/,
  );
  const doc = JSON.parse(renderJson(snap));
  assert.deepEqual(doc.aggregates.by_status, {
    busy: 1,
    waiting: 2,
    subagents: 0,
    limited: 0,
    idle: 1,
    done: 0,
  });
  assert.equal(doc.aggregates.tokens.cache_write, 40);
  assert.equal(doc.aggregates.by_project[0].project, "web");
});
