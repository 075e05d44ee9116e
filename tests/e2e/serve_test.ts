/**
 * `agtop serve` end to end: a real server process with the binary's permissions, agent-shaped
 * processes with transcripts, and plain HTTP clients — well-behaved, concurrent, slow and broken.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { BINARY_PERMISSIONS, freePort, Served, waitFor } from "../support/serve.ts";
import { RESPONSE_USAGE, startClaude } from "../support/claude_agent.ts";
import { parseMetrics, pick } from "../support/metrics.ts";

const skip = fakesUnavailable();
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
if (skip) console.log(`serve end-to-end tests skipped: ${skip}`);

const OPENMETRICS_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75," +
  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/** Reads from `conn` until it closes or `ms` pass. */
async function readAll(conn: Deno.Conn, ms = 3000): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(4096);
  const timer = setTimeout(() => conn.close(), ms);
  try {
    for (let n; (n = await conn.read(buf)) !== null;) chunks.push(buf.slice(0, n));
  } catch {
    // closed by the timer
  }
  clearTimeout(timer);
  return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
}

Deno.test({
  name: "serve: /metrics in both formats by Accept, /snapshot.json as ls prints it, /healthz, 404 and 405",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const claude = await startClaude(world, "metrics-proj", "33333333-3333-4333-8333-333333333333", 2);
    // The config's [alerts] reach the JSON as they reach `ls`'s.
    const config = world.path("config.toml");
    await Deno.writeTextFile(config, "[alerts]\ncontext_percent = 1\n");
    await using served = await Served.start(["--interval", "0.3"], { env: { AGTOP_CONFIG: config } });
    const pid = String(claude.pid);

    const om = await waitFor("the agent's token counters", async () => {
      const r = await served.get("/metrics", { accept: OPENMETRICS_ACCEPT });
      return pick(parseMetrics(r.body), "agtop_agent_tokens_total", { pid }).length ? r : undefined;
    });
    assert.equal(om.status, 200);
    assert.equal(om.type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assert.ok(om.body.endsWith("# EOF\n"));
    assert.match(om.body, /^# UNIT agtop_agent_resident_memory_bytes bytes$/m);
    const samples = parseMetrics(om.body);
    const labels = pick(samples, "agtop_agent_tokens_total", { pid, bucket: "output" })[0].labels;
    assert.deepEqual(
      { ...labels, host: "" },
      {
        host: "",
        agent: "claude",
        pid,
        session: claude.sessionId,
        project: "metrics-proj",
        model: "claude-sonnet-4-5-20250929",
        bucket: "output",
      },
    );
    const tokens = (bucket: string) => pick(samples, "agtop_agent_tokens_total", { pid, bucket })[0].value;
    assert.equal(tokens("input"), 2 * RESPONSE_USAGE.input_tokens);
    assert.equal(tokens("output"), 2 * RESPONSE_USAGE.output_tokens);
    assert.equal(tokens("cache_read"), 2 * RESPONSE_USAGE.cache_read_input_tokens);
    assert.equal(tokens("cache_write"), 2 * RESPONSE_USAGE.cache_creation_input_tokens);
    assert.ok(pick(samples, "agtop_agent_cost_usd_total", { pid })[0].value > 0);
    const status = pick(samples, "agtop_agent_status", { pid });
    assert.equal(status.length, 6);
    assert.deepEqual(status.filter((s) => s.value === 1).map((s) => s.labels.status), ["waiting"]);
    assert.ok(pick(samples, "agtop_host_agents", { status: "waiting" })[0].value >= 1);

    const classic = await served.get("/metrics");
    assert.equal(classic.type, "text/plain; version=0.0.4; charset=utf-8");
    assert.ok(!classic.body.includes("# EOF") && !classic.body.includes("# UNIT"));
    assert.equal(pick(parseMetrics(classic.body), "agtop_agent_tokens_total", { pid }).length, 5);

    const json = await served.get("/snapshot.json");
    assert.equal(json.type, "application/json; charset=utf-8");
    const doc = JSON.parse(json.body);
    const row = doc.agents.find((a: { pid: number }) => a.pid === claude.pid);
    assert.equal(row.session.id, claude.sessionId);
    assert.equal(row.session.tokens.output, 2 * RESPONSE_USAGE.output_tokens);
    assert.deepEqual(row.alerts.map((a: { kind: string }) => a.kind), ["context_percent"]);
    const ls = JSON.parse((await runAgtop(["ls", "--format=json"])).stdout);
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(ls).sort());
    assert.deepEqual(Object.keys(row).sort(), Object.keys(ls.agents[0]).sort());

    const health = await served.get("/healthz");
    assert.equal(health.status, 200);
    assert.match(health.body, /^ok \d+ agents\n$/);
    assert.equal((await served.get("/nope")).status, 404);
    const post = await fetch(`${served.url}/metrics`, { method: "POST", body: "x" });
    await post.body?.cancel();
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");

    const { code, stderr } = await served.stop();
    assert.equal(code, 0, stderr);
    assert.match(stderr, /agtop: serving http:\/\/127\.0\.0\.1:\d+\/metrics every 0\.3s/);
    assert.match(stderr, /agtop: stopped\n$/);
  },
});

Deno.test({
  name: "serve: concurrent scrapes read one snapshot; slow and malformed clients disturb nobody; gzip",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using served = await Served.start(["--interval", "30"]);
    const port = Number(new URL(served.url).port);
    // A client that sends half a request and then nothing, and one that sends garbage.
    const slow = await Deno.connect({ hostname: "127.0.0.1", port });
    await slow.write(new TextEncoder().encode("GET /metrics HTTP/1.1\r\nHost: x\r\n"));
    const broken = await Deno.connect({ hostname: "127.0.0.1", port });
    await broken.write(new TextEncoder().encode("\x00\x01 NOT HTTP AT ALL\r\n\r\n"));
    const brokenReply = await readAll(broken);
    assert.match(brokenReply, /^HTTP\/1\.1 400|^$/, "garbage is refused or dropped, never served");

    const started = performance.now();
    const bodies = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const r = await served.get(i % 2 ? "/metrics" : "/snapshot.json");
        assert.equal(r.status, 200);
        return r.body;
      }),
    );
    const ms = performance.now() - started;
    assert.equal(new Set(bodies.filter((_, i) => i % 2)).size, 1, "every scrape read the same snapshot");
    assert.equal(new Set(bodies.filter((_, i) => i % 2 === 0)).size, 1);
    assert.ok(ms < 5000, `50 concurrent requests took ${ms.toFixed(0)}ms with a slow client connected`);
    assert.equal((await served.get("/healthz")).status, 200);
    // gzip when asked (Prometheus asks), the same text once decoded; plain otherwise.
    for (const path of ["/metrics", "/snapshot.json"]) {
      const plain = await fetch(`${served.url}${path}`, { headers: { "accept-encoding": "identity" } });
      const packed = await fetch(`${served.url}${path}`, { headers: { "accept-encoding": "gzip" } });
      assert.equal(plain.headers.get("content-encoding"), null);
      assert.equal(packed.headers.get("content-encoding"), "gzip");
      assert.equal(await packed.text(), await plain.text(), path);
    }
    slow.close();
    const { code } = await served.stop();
    assert.equal(code, 0);
  },
});

Deno.test({
  name: "serve: bad --listen or --interval is a one-line usage error; a port in use is a one-line error",
  ignore: skip !== null,
  async fn() {
    for (const args of [["--listen", "localhost"], ["--listen", "127.0.0.1:70000"], ["--interval", "0"]]) {
      const r = await runAgtop(["serve", ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(
        r.stderr,
        /^agtop: invalid value '.*' for --(listen|interval) .*\nTry 'agtop --help'\.\n$/,
      );
    }
    const port = freePort();
    const taken = Deno.listen({ hostname: "127.0.0.1", port });
    try {
      const r = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../../main.ts", import.meta.url).pathname,
          "serve",
          "--listen",
          `127.0.0.1:${port}`,
        ],
        stdin: "null",
      }).output();
      assert.equal(r.code, 1);
      assert.equal(new TextDecoder().decode(r.stderr), `agtop: 127.0.0.1:${port} is already in use\n`);
    } finally {
      taken.close();
    }
    // A bad prices file is read after binding (and dropping the network): one line, status 2, port freed.
    const prices = await Deno.makeTempFile({ suffix: ".toml" });
    await Deno.writeTextFile(prices, "[models.x]\ninput = 'cheap'\n");
    const bad = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...BINARY_PERMISSIONS,
        MAIN,
        "serve",
        "--listen",
        `127.0.0.1:${port}`,
        "--prices",
        prices,
      ],
      stdin: "null",
    }).output();
    await Deno.remove(prices);
    const badErr = new TextDecoder().decode(bad.stderr);
    assert.equal(bad.code, 2, badErr);
    assert.match(badErr, new RegExp(`^agtop: ${prices}:2: .*\nTry 'agtop --help'\.\n$`));
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    const unknown = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...BINARY_PERMISSIONS, MAIN, "serve", "--listen", "no-such-host.invalid:9464"],
      stdin: "null",
    }).output();
    assert.equal(unknown.code, 1);
    assert.match(
      new TextDecoder().decode(unknown.stderr),
      /^agtop: cannot listen on no-such-host\.invalid:9464: .+\n$/,
    );
    const noNet = await runAgtop(["serve", "--listen", `127.0.0.1:${port}`]);
    assert.equal(noNet.code, 1);
    assert.match(
      noNet.stderr,
      /^agtop: no permission to listen on 127\.0\.0\.1:\d+: run agtop serve with --allow-net=/,
    );
  },
});

Deno.test({
  name: "serve --private: no project or session labels, and the JSON is the redacted one",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const claude = await startClaude(world, "secret-project-x", "66666666-6666-4666-8666-666666666666");
    await using served = await Served.start(["--private", "--interval", "0.3"]);
    const pid = String(claude.pid);
    const text = await waitFor("the agent's series", async () => {
      const r = await served.get("/metrics", { accept: OPENMETRICS_ACCEPT });
      return pick(parseMetrics(r.body), "agtop_agent_threads", { pid }).length ? r.body : undefined;
    });
    const labels = pick(parseMetrics(text), "agtop_agent_threads", { pid })[0].labels;
    assert.deepEqual(Object.keys(labels), ["host", "agent", "pid", "model"]);
    const json = (await served.get("/snapshot.json")).body;
    for (const body of [text, json]) {
      assert.ok(!body.includes("secret-project-x"), "the project name never shows");
      assert.ok(!body.includes(world.root), "no path shows");
    }
  },
});
