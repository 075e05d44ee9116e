/**
 * `agtop serve` left running unattended: a foreign `Host` (DNS rebinding), file descriptors running
 * out, a collection that hangs, a bearer token, and HTTPS. A real server process with the binary's
 * permissions each time.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, runAgtop, which } from "../support/fakes.ts";
import { freePort, Served, waitFor } from "../support/serve.ts";

const skip = fakesUnavailable() ?? (Deno.build.os === "windows" ? "serve is stopped with SIGTERM" : null);
if (skip) console.log(`serve hardening tests skipped: ${skip}`);

/** One raw HTTP/1.1 GET with this Host header: the status line and the body. */
async function rawGet(port: number, host: string, path = "/snapshot.json"): Promise<[string, string]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    const text = await new Response(conn.readable).text();
    const [head, body = ""] = text.split("\r\n\r\n");
    return [head.split("\r\n")[0], body];
  } finally {
    try {
      conn.close();
    } catch {
      // closed by reading to the end
    }
  }
}

const portOf = (served: Served) => Number(new URL(served.url).port);

Deno.test({
  name: "serve answers only to its own host names: a rebound DNS name gets 421 and no data",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using served = await Served.start(["--host", "metrics.example.org"]);
    const port = portOf(served);
    for (
      const host of ["attacker.example", "attacker.example:" + port, "localhost.attacker.example", "a b"]
    ) {
      const [status, body] = await rawGet(port, host);
      assert.match(status, host === "a b" ? /^HTTP\/1\.1 (400|421) / : /^HTTP\/1\.1 421 /, host);
      assert.ok(!body.includes("agents"), `no snapshot for Host ${host}`);
    }
    for (
      const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        "LOCALHOST.",
        "metrics.example.org:443",
        "[::1]:9464",
        "10.1.2.3",
        "grafana.localhost",
        Deno.hostname(),
      ]
    ) {
      const [status, body] = await rawGet(port, host);
      assert.match(status, /^HTTP\/1\.1 200 /, host);
      assert.ok(JSON.parse(body).agents, host);
    }
    const { code } = await served.stop();
    assert.equal(code, 0);
  },
});

Deno.test({
  name:
    "serve survives running out of file descriptors: idle clients are shed, scrapes answered, SIGTERM clean",
  ignore: skip !== null || !which("prlimit"),
  sanitizeResources: false,
  async fn() {
    await using served = await Served.start(["--interval", "0.5"], { wrap: ["prlimit", "--nofile=64"] });
    const port = portOf(served);
    // More idle connections than the process has descriptors: the kernel queues them, accept fails.
    const idle: Deno.Conn[] = [];
    for (let i = 0; i < 150; i++) idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const [status, body] = await rawGet(port, "localhost", "/healthz");
        assert.match(status, /^HTTP\/1\.1 200 /, `${i}: ${body}`);
        assert.match(body, /^ok \d+ agents\n$/);
        assert.ok(performance.now() - started < 5000, "answered within seconds");
      }
    } finally {
      for (const c of idle) c.close();
    }
    const started = performance.now();
    const { code, stderr } = await served.stop();
    assert.equal(code, 0, stderr);
    assert.ok(performance.now() - started < 3000);
    assert.match(stderr, /agtop: out of file descriptors; shedding idle connections\n/);
    assert.match(stderr, /agtop: stopped\n$/);
  },
});

Deno.test({
  name:
    "serve: a hung collection is restarted, /healthz says so, scrapes keep the last snapshot, SIGTERM works",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    // A real hang, no test hook: a custom recogniser with catastrophic backtracking meets a command
    // line that makes it run for hours.
    await using served = await Served.start(["-m", "Hang=(a+)+b", "--interval", "0.3", "--timeout", "1"]);
    const victim = new Deno.Command("sh", {
      args: ["-c", "sleep 60; :", `${"a".repeat(40)}!`],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const health = await waitFor("a stale /healthz", async () => {
        const r = await served.get("/healthz");
        return r.status === 503 ? r.body : undefined;
      });
      assert.match(health, /^collection failing: a collection hung for \d+s; its worker was restarted\n$/);
      const metrics = await served.get("/metrics");
      assert.equal(metrics.status, 200, "the last snapshot is still served");
      assert.match(metrics.body, /^agtop_build_info/m);
    } finally {
      victim.kill("SIGKILL");
      await victim.status;
    }
    const started = performance.now();
    const { code, stderr } = await served.stop();
    assert.equal(code, 0, stderr);
    assert.ok(performance.now() - started < 3000, "SIGTERM stops it while a worker hangs");
    assert.match(stderr, /agtop: collection failed: a collection hung for \d+s; its worker was restarted\n/);
  },
});

Deno.test({
  name:
    "serve with a token file: the bearer token is required but for /healthz; a bad token file is one line",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/token`, "s3cret-token\n");
      await Deno.writeTextFile(`${dir}/config.toml`, `[serve]\ntoken_file = "${dir}/token"\n`);
      const env = { AGTOP_CONFIG: `${dir}/config.toml` };
      await using served = await Served.start([], { env });
      assert.equal((await served.get("/healthz")).status, 200);
      for (
        const auth of [
          undefined,
          "Bearer wrong",
          "Bearer s3cret-token-",
          "Basic czNjcmV0LXRva2Vu",
          "s3cret-token",
        ]
      ) {
        const r = await fetch(`${served.url}/metrics`, { headers: auth ? { authorization: auth } : {} });
        assert.equal(r.status, 401, String(auth));
        assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="agtop"');
        assert.ok(!(await r.text()).includes("agtop_"));
      }
      const ok = await served.get("/metrics", { authorization: "Bearer s3cret-token" });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /^agtop_build_info/m);
      assert.equal((await served.stop()).code, 0);

      // A FIFO where the token belongs: refused at once, never waited on.
      await Deno.remove(`${dir}/token`);
      await new Deno.Command("mkfifo", { args: [`${dir}/token`] }).output();
      // (Read before binding: the permission to listen is not even needed to be refused.)
      const bad = await runAgtop(["serve", "--listen", `127.0.0.1:${freePort()}`], env);
      assert.equal(bad.code, 1);
      assert.equal(
        bad.stderr,
        `agtop: token file ${dir}/token: not a regular file\n`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "serve over TLS with a certificate made here: HTTPS answers, plain HTTP does not",
  ignore: skip !== null || !which("openssl"),
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // A CA of the test's, and a certificate for localhost signed by it (rustls takes no self-signed leaf).
      const openssl = async (...args: string[]) => {
        const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
          .output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      };
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
      await openssl(
        "req",
        "-x509",
        ...ec,
        "-days",
        "1",
        "-subj",
        "/CN=agtop test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
      );
      await openssl("req", ...ec, "-subj", "/CN=localhost", "-keyout", "key.pem", "-out", "leaf.csr");
      await Deno.writeTextFile(`${dir}/leaf.ext`, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
      await openssl(
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
      );
      await Deno.writeTextFile(
        `${dir}/config.toml`,
        `[serve]\ntls_cert = "${dir}/cert.pem"\ntls_key = "${dir}/key.pem"\n`,
      );
      const caCert = await Deno.readTextFile(`${dir}/ca.pem`);
      await using served = await Served.start([], { env: { AGTOP_CONFIG: `${dir}/config.toml` }, caCert });
      assert.ok(served.url.startsWith("https://"));
      const r = await served.get("/metrics");
      assert.equal(r.status, 200);
      assert.match(r.body, /^agtop_build_info/m);
      const [status] = await rawGet(portOf(served), "localhost", "/metrics").catch(() => ["refused", ""]);
      assert.doesNotMatch(status, /^HTTP\/1\.1 200/, "no plain HTTP on the TLS port");
      const { code, stderr } = await served.stop();
      assert.equal(code, 0, stderr);
      assert.match(stderr, /agtop: serving https:\/\/127\.0\.0\.1:\d+\/metrics every 5s/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
