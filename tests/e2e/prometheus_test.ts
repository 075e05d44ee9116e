/**
 * With the real engines: Prometheus scrapes `agtop serve` (OpenMetrics negotiated) and node_exporter,
 * whose textfile collector reads what `contrib/textfile/agtop-textfile` wrote; the test asks
 * Prometheus's HTTP API for the agent's series, checks the token counters against the transcript,
 * grows the transcript and checks the counter rose without a reset. Every query of the Grafana
 * dashboard is run against the same Prometheus.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { BINARY_PERMISSIONS, freePort, prometheusMissing, Served, waitFor } from "../support/serve.ts";
import { RESPONSE_USAGE, startClaude } from "../support/claude_agent.ts";
import { dashboardQueries, RULES_FILE } from "../support/contrib.ts";

const skip = fakesUnavailable() ??
  prometheusMissing(["prometheus", "promtool", "prometheus-node-exporter"]);
if (skip) console.log(`Prometheus end-to-end tests skipped: ${skip}`);

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const TEXTFILE_SCRIPT = new URL("../../contrib/textfile/agtop-textfile", import.meta.url).pathname;

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

/** A daemon started for the test, killed at the end. */
function daemon(cmd: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
}

/** Runs one instant query; throws on an error status. */
async function query(base: string, expr: string): Promise<Series[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const doc = await res.json();
  if (doc.status !== "success") throw new Error(`${expr}: ${doc.errorType}: ${doc.error}`);
  return doc.data.result;
}

/** Writes the node_exporter textfile with the shipped script, agtop run as its binary would be. */
async function writeTextfile(dir: string, wrapper: string): Promise<void> {
  const out = await new Deno.Command("sh", {
    args: [TEXTFILE_SCRIPT],
    env: { TEXTFILE_DIR: dir, AGTOP: wrapper, AGTOP_ARGS: "--sample 0" },
    stdin: "null",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test({
  name: "Prometheus scrapes agtop serve and node_exporter's textfile; counters match and never reset",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using world = await FakeWorld.create();
    const claude = await startClaude(world, "prom-proj", "55555555-5555-4555-8555-555555555555", 2);
    const pid = String(claude.pid);
    await using served = await Served.start(["--interval", "0.2"]);

    // agtop as its binary runs, for the textfile recipe.
    const wrapper = world.script(
      "bin/agtop",
      `#!/bin/sh\nexec ${Deno.execPath()} run ${BINARY_PERMISSIONS.join(" ")} ${MAIN} "$@"\n`,
    );
    Deno.chmodSync(wrapper, 0o755);
    const textDir = world.dir("textfile");
    await writeTextfile(textDir, wrapper);
    assert.deepEqual([...Deno.readDirSync(textDir)].map((e) => e.name), ["agtop.prom"]);

    const nodePort = freePort();
    const node = daemon("prometheus-node-exporter", [
      `--web.listen-address=127.0.0.1:${nodePort}`,
      "--collector.disable-defaults",
      "--collector.textfile",
      `--collector.textfile.directory=${textDir}`,
    ]);
    const promPort = freePort();
    const config = world.script(
      "prometheus.yml",
      [
        "global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }",
        `rule_files: ["${RULES_FILE}"]`,
        "scrape_configs:",
        `  - { job_name: agtop, static_configs: [ { targets: ["${new URL(served.url).host}"] } ] }`,
        `  - { job_name: node, static_configs: [ { targets: ["127.0.0.1:${nodePort}"] } ] }`,
      ].join("\n") + "\n",
    );
    const prom = daemon("prometheus", [
      `--config.file=${config}`,
      `--storage.tsdb.path=${world.dir("tsdb")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    const api = `http://127.0.0.1:${promPort}`;
    try {
      // Both targets up, scraped without error (an OpenMetrics parse error would show here).
      const targets = await waitFor("both targets scraped", async () => {
        const doc = await (await fetch(`${api}/api/v1/targets`)).json();
        const active = doc.data.activeTargets as {
          labels: { job: string };
          health: string;
          lastError: string;
        }[];
        return active.length === 2 && active.every((t) => t.health === "up") ? active : undefined;
      }, 30_000);
      for (const t of targets) assert.equal(t.lastError, "", t.labels.job);

      const tokens = await waitFor("the agent's token series from serve", async () => {
        const r = await query(api, `agtop_agent_tokens_total{job="agtop",pid="${pid}"}`);
        return r.length === 5 ? r : undefined;
      });
      const labels = tokens[0].metric;
      assert.equal(labels.agent, "claude");
      assert.equal(labels.session, claude.sessionId);
      assert.equal(labels.project, "prom-proj");
      assert.equal(labels.model, "claude-sonnet-4-5-20250929");
      assert.ok(labels.host);
      const byBucket = Object.fromEntries(tokens.map((s) => [s.metric.bucket, Number(s.value[1])]));
      assert.deepEqual(byBucket, {
        input: 2 * RESPONSE_USAGE.input_tokens,
        output: 2 * RESPONSE_USAGE.output_tokens,
        cache_read: 2 * RESPONSE_USAGE.cache_read_input_tokens,
        cache_write: 2 * RESPONSE_USAGE.cache_creation_input_tokens,
        reasoning: 0,
      });
      // The UNIT reached Prometheus: the scrape was parsed as OpenMetrics.
      const meta = await (await fetch(`${api}/api/v1/metadata?metric=agtop_agent_uptime_seconds`)).json();
      assert.ok(
        meta.data.agtop_agent_uptime_seconds.some((m: { unit: string }) => m.unit === "seconds"),
        JSON.stringify(meta.data),
      );
      const status = await query(api, `agtop_agent_status{job="agtop",pid="${pid}"} == 1`);
      assert.deepEqual(status.map((s) => s.metric.status), ["waiting"]);

      // The transcript grows: the counter follows, and Prometheus saw no reset on the way.
      claude.respond();
      const output = `agtop_agent_tokens_total{job="agtop",pid="${pid}",bucket="output"}`;
      await waitFor("the grown counter", async () => {
        const r = await query(api, output);
        return Number(r[0]?.value[1]) === 3 * RESPONSE_USAGE.output_tokens ? true : undefined;
      });
      const scrapes = await waitFor("two more scrapes", async () => {
        const r = await query(api, `count_over_time(${output}[1m])`);
        return Number(r[0]?.value[1]) >= 3 ? r : undefined;
      });
      assert.ok(scrapes.length === 1);
      const resets = await query(api, `resets(agtop_agent_tokens_total{job="agtop",pid="${pid}"}[1m])`);
      assert.equal(resets.length, 5);
      for (const r of resets) assert.equal(Number(r.value[1]), 0, r.metric.bucket);
      const cpu = await query(api, `resets(agtop_agent_cpu_seconds_total{job="agtop",pid="${pid}"}[1m])`);
      assert.equal(Number(cpu[0].value[1]), 0);

      // The textfile recipe, through node_exporter.
      const fromFile = await waitFor("the agent's series from the textfile", async () => {
        const r = await query(api, `agtop_agent_tokens_total{job="node",pid="${pid}",bucket="output"}`);
        return r.length === 1 ? r : undefined;
      });
      assert.equal(Number(fromFile[0].value[1]), 2 * RESPONSE_USAGE.output_tokens);
      const fileErrors = await query(api, `node_textfile_scrape_error{job="node"}`);
      assert.equal(Number(fileErrors[0].value[1]), 0);
      await writeTextfile(textDir, wrapper);
      await waitFor("the rewritten textfile", async () => {
        const r = await query(api, `agtop_agent_tokens_total{job="node",pid="${pid}",bucket="output"}`);
        return Number(r[0]?.value[1]) === 3 * RESPONSE_USAGE.output_tokens ? true : undefined;
      });

      // The shipped rules load and evaluate without error; the waiting agent's alert is pending.
      await waitFor("every rule evaluated", async () => {
        const doc = await (await fetch(`${api}/api/v1/rules`)).json();
        const rules = doc.data.groups.flatMap((g: { rules: unknown[] }) => g.rules) as {
          name: string;
          health: string;
          lastError?: string;
        }[];
        assert.equal(rules.length, 7);
        for (const r of rules) assert.notEqual(r.health, "err", `${r.name}: ${r.lastError}`);
        return rules.every((r) => r.health === "ok") ? true : undefined;
      });
      const alerts = await waitFor("the waiting alert", async () => {
        const doc = await (await fetch(`${api}/api/v1/alerts`)).json();
        const found = (doc.data.alerts as { labels: Record<string, string>; state: string }[])
          .filter((a) => a.labels.alertname === "AgentWaitingForYou" && a.labels.pid === pid);
        return found.length ? found : undefined;
      });
      assert.equal(alerts[0].state, "pending");
      assert.ok((await query(api, `host:agtop_tokens_per_minute:rate5m{bucket="output"}`)).length > 0);

      // Every query of the Grafana dashboard runs, and the ones over current values find data.
      for (const { title, expr } of dashboardQueries()) {
        const r = await query(api, expr.replaceAll("$host", ".*").replaceAll("$__rate_interval", "1m"));
        if (!/rate\(/.test(expr)) assert.ok(r.length > 0, `${title}: ${expr} found nothing`);
      }
    } finally {
      prom.kill("SIGTERM");
      node.kill("SIGTERM");
      await prom.status;
      await node.status;
    }
  },
});
