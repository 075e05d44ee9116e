/**
 * The metrics text: both formats, labels and their bounds, private mode, counters that never fall, and
 * `promtool check metrics` on what `ls --format=openmetrics` prints.
 */
import assert from "node:assert/strict";
import { negotiateMetrics, renderMetrics } from "../../render/metrics.ts";
import { acceptsGzip } from "../../cli/serve.ts";
import { AgentCounters, type ProcessCounters } from "../../agents/counters.ts";
import type { SubagentFacts } from "../../agents/session.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";
import { parseMetrics, pick } from "../support/metrics.ts";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { startClaude } from "../support/claude_agent.ts";
import { prometheusMissing } from "../support/serve.ts";
import { dashboardQueries, metricNames, ruleQueries, RULES_FILE } from "../support/contrib.ts";

const tokens = { input: 10, output: 20, cacheRead: 30, cacheWrite: 40, reasoning: 5 };

const SUBAGENT: SubagentFacts = {
  id: "",
  type: "x",
  description: null,
  status: "done",
  model: null,
  tokens,
  currentTool: null,
  lastActivity: null,
};

function snapshot() {
  return makeSnapshot([
    makeAgent({
      pid: 100,
      status: "busy",
      project: 'we"ird\\proj\nname\x1b[31m',
      cpuPercent: 150,
      cpuTimeMs: 12_500,
      costUsd: 1.25,
      contextPercent: 42,
      session: makeSession({
        id: "s-1",
        model: "claude-sonnet-4-5",
        tokens,
        subagents: [
          { ...SUBAGENT, id: "a", status: "running" },
          { ...SUBAGENT, id: "b", status: "done" },
        ],
      }),
    }),
    makeAgent({ pid: 200, agent: "cursor", session: makeSession({ id: "s-2", tokensRecorded: false }) }),
    makeAgent({ pid: 0, key: "/gone.jsonl", status: "done", session: makeSession({ id: "s-3", tokens }) }),
  ]);
}

Deno.test("metrics: OpenMetrics has UNIT and EOF; the classic format has neither; families are contiguous", () => {
  const om = renderMetrics(snapshot(), { format: "openmetrics", collectionMs: 4.2 });
  const classic = renderMetrics(snapshot(), { format: "prometheus" });
  assert.ok(om.endsWith("\n# EOF\n"));
  assert.match(om, /^# TYPE agtop_agent_cpu_seconds_total counter$/m);
  assert.match(om, /^# UNIT agtop_agent_uptime_seconds seconds$/m);
  assert.ok(!/^# UNIT agtop_agent_cpu_seconds_total/m.test(om), "no UNIT that is not the name's suffix");
  assert.ok(!classic.includes("# EOF") && !classic.includes("# UNIT"));
  assert.match(om, /^agtop_collection_duration_seconds\{host="box"\} 0\.0042$/m);
  assert.ok(!classic.includes("agtop_collection_duration_seconds{"), "only when the duration is known");
  // Every sample follows its own family's TYPE line, each family once.
  const seen = new Set<string>();
  let family = "";
  for (const line of om.split("\n")) {
    const type = /^# TYPE (\S+)/.exec(line);
    if (type) {
      assert.ok(!seen.has(type[1]), `${type[1]} declared twice`);
      seen.add(family = type[1]);
    } else if (line && !line.startsWith("#")) {
      assert.equal(line.split(/[{ ]/)[0], family, line);
    }
  }
});

Deno.test("metrics: per-agent values, status state set, host totals; gone sessions are left out", () => {
  const s = parseMetrics(renderMetrics(snapshot(), { format: "openmetrics" }));
  const one = (name: string, labels: Record<string, string> = {}) => {
    const found = pick(s, name, labels);
    assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}`);
    return found[0].value;
  };
  assert.equal(one("agtop_agent_cpu_seconds_total", { pid: "100" }), 12.5);
  assert.equal(one("agtop_agent_cpu_ratio", { pid: "100" }), 1.5);
  assert.equal(one("agtop_agent_tokens_total", { pid: "100", bucket: "cache_write" }), 40);
  assert.equal(one("agtop_agent_cost_usd_total", { pid: "100" }), 1.25);
  assert.equal(one("agtop_agent_context_ratio", { pid: "100" }), 0.42);
  assert.equal(one("agtop_agent_subagents", { pid: "100" }), 1);
  assert.equal(one("agtop_agent_status", { pid: "100", status: "busy" }), 1);
  assert.equal(one("agtop_agent_status", { pid: "100", status: "idle" }), 0);
  assert.equal(pick(s, "agtop_agent_tokens_total", { pid: "200" }).length, 0, "cursor records no tokens");
  assert.equal(pick(s, "agtop_agent_cost_usd_total", { pid: "200" }).length, 0, "unknown cost is absent");
  assert.equal(pick(s, "agtop_agent_status", { pid: "0" }).length, 0);
  assert.equal(one("agtop_host_agents", { status: "busy" }), 1);
  assert.equal(one("agtop_host_agents", { status: "idle" }), 1);
  assert.equal(one("agtop_host_agents", { status: "done" }), 0);
  assert.equal(one("agtop_host_tokens", { bucket: "output" }), 20);
  assert.equal(one("agtop_host_cost_usd"), 1.25);
  assert.equal(one("agtop_build_info", { version: "0.0.0-test" }), 1);
});

Deno.test("metrics: label values are escaped, stripped of control characters and bounded", () => {
  const s = parseMetrics(renderMetrics(snapshot(), { format: "prometheus" }));
  const labels = pick(s, "agtop_agent_threads", { pid: "100" })[0].labels;
  assert.equal(labels.project, 'we"ird\\proj name');
  assert.deepEqual(Object.keys(labels), ["host", "agent", "pid", "session", "project", "model"]);
  const long = makeSnapshot([makeAgent({ project: "p".repeat(500) })]);
  const bounded = pick(parseMetrics(renderMetrics(long, { format: "prometheus" })), "agtop_agent_threads")[0];
  assert.equal(bounded.labels.project.length, 128);
});

Deno.test("metrics: --private drops the project and session labels and nothing else", () => {
  const text = renderMetrics(snapshot(), { format: "openmetrics", private: true });
  const labels = pick(parseMetrics(text), "agtop_agent_threads", { pid: "100" })[0].labels;
  assert.deepEqual(Object.keys(labels), ["host", "agent", "pid", "model"]);
  assert.ok(!text.includes('we\\"ird') && !text.includes("s-1"));
});

Deno.test("metrics: the Accept header picks the format", () => {
  assert.equal(negotiateMetrics(null), "prometheus");
  assert.equal(negotiateMetrics("*/*"), "prometheus");
  assert.equal(negotiateMetrics("text/plain"), "prometheus");
  assert.equal(
    negotiateMetrics("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
    "openmetrics",
  );
  assert.equal(negotiateMetrics("application/openmetrics-text; q=0.2, text/plain"), "prometheus");
  assert.equal(negotiateMetrics("Application/OpenMetrics-Text"), "openmetrics");
  assert.equal(negotiateMetrics("application/openmetrics-text;q=0"), "prometheus");
});

Deno.test("serve: gzip only when the Accept-Encoding header takes it", () => {
  assert.equal(acceptsGzip("gzip"), true);
  assert.equal(acceptsGzip("br;q=1.0, gzip;q=0.8, *;q=0.1"), true);
  assert.equal(acceptsGzip("GZIP"), true);
  assert.equal(acceptsGzip("gzip;q=0"), false);
  assert.equal(acceptsGzip("identity"), false);
  assert.equal(acceptsGzip(null), false);
});

Deno.test("counters: a member that exits keeps its CPU time and IO in the agent's totals", () => {
  const c = new AgentCounters();
  const main: ProcessCounters = { cpuTimeMs: 1000, readBytes: 10, writeBytes: null };
  const helper: ProcessCounters = { cpuTimeMs: 500, readBytes: 5, writeBytes: 7 };
  assert.deepEqual(c.total("a", new Map([["m", main], ["h", helper]])), {
    cpuTimeMs: 1500,
    readBytes: 15,
    writeBytes: 7,
  });
  c.endTick();
  const later: ProcessCounters = { cpuTimeMs: 1100, readBytes: 12, writeBytes: null };
  assert.deepEqual(c.total("a", new Map([["m", later]])), { cpuTimeMs: 1600, readBytes: 17, writeBytes: 7 });
  c.endTick();
  c.endTick(); // agent a gone: forgotten
  assert.deepEqual(c.total("a", new Map([["m", later]])), {
    cpuTimeMs: 1100,
    readBytes: 12,
    writeBytes: null,
  });
});

Deno.test("the Grafana dashboard and the Prometheus rules use only metric names that agtop writes", () => {
  const written = new Set(
    [...renderMetrics(snapshot(), { format: "openmetrics", collectionMs: 1 }).matchAll(/^# TYPE (\S+)/gm)]
      .map((m) => m[1]),
  );
  const queries = [...dashboardQueries(), ...ruleQueries()];
  assert.ok(dashboardQueries().length >= 10 && ruleQueries().length >= 5);
  const used = new Set(queries.flatMap(({ expr }) => metricNames(expr)));
  for (const { title, expr } of queries) {
    assert.ok(metricNames(expr).length > 0 || expr.startsWith("host:agtop_"), `${title}: ${expr}`);
  }
  for (const name of used) assert.ok(written.has(name), `${name} is used but agtop never writes it`);
  for (const must of ["agtop_host_agents", "agtop_agent_cost_usd_total", "agtop_agent_tokens_total"]) {
    assert.ok(used.has(must), must);
  }
});

const promtoolSkip = fakesUnavailable() ?? prometheusMissing(["promtool"]);

Deno.test({
  name: "ls --format=openmetrics and --format=prometheus pass promtool check metrics",
  ignore: promtoolSkip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const claude = await startClaude(world, "promtool-proj", "44444444-4444-4444-8444-444444444444", 3);
    for (const format of ["openmetrics", "prometheus"]) {
      const r = await runAgtop(["ls", `--format=${format}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        pick(parseMetrics(r.stdout), "agtop_agent_tokens_total", { pid: String(claude.pid) }).length,
        5,
      );
      const check = new Deno.Command("promtool", {
        args: ["check", "metrics"],
        stdin: "piped",
        stderr: "piped",
      })
        .spawn();
      const writer = check.stdin.getWriter();
      await writer.write(new TextEncoder().encode(r.stdout));
      await writer.close();
      const out = await check.output();
      assert.equal(out.code, 0, `${format}: ${new TextDecoder().decode(out.stderr)}`);
    }
  },
});

Deno.test({
  name: "the shipped Prometheus rules pass promtool check rules",
  ignore: promtoolSkip !== null,
  async fn() {
    const out = await new Deno.Command("promtool", { args: ["check", "rules", RULES_FILE] }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /SUCCESS: 7 rules found/);
  },
});
