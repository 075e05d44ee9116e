/**
 * agtop may listen, never connect. The binary carries `--allow-net` (serve's address is chosen when
 * it runs), so these tests run `main.ts` with exactly the binary's permission flags and a probe module
 * preloaded into the same process: once agtop has dropped the network, the probe tries to connect to
 * a listener of the test and outside, and to listen elsewhere. All three must be refused, and the
 * test's listener must never see a connection.
 */
import assert from "node:assert/strict";
import { BINARY_PERMISSIONS, Served, waitFor } from "../support/serve.ts";

/** Runs wherever SIGTERM is a signal (it stops serve); Windows has none to send. */
const skip = Deno.build.os === "windows" ? "serve is stopped with SIGTERM, which Windows lacks" : null;
const PROBE = new URL("../support/outbound_probe.ts", import.meta.url).pathname;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const DENIED = { loopback: "NotCapable", outside: "NotCapable", listen: "NotCapable" };

/** A listener that counts the connections it gets. */
function target(): { port: number; accepted: () => number; close: () => void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  (async () => {
    for await (const conn of listener) {
      accepted++;
      conn.close();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    close: () => listener.close(),
  };
}

function probeLine(stderr: string): unknown {
  const line = stderr.split("\n").find((l) => l.startsWith("agtop-probe "));
  return line ? JSON.parse(line.slice("agtop-probe ".length)) : null;
}

Deno.test({
  name: "permissions: the binary's permission set starts with the network, and ls drops it before anything",
  ignore: skip !== null,
  async fn() {
    const t = target();
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...BINARY_PERMISSIONS, "--preload", PROBE, MAIN, "ls", "--format=json"],
        env: { AGTOP_PROBE_PORT: String(t.port) },
        stdin: "null",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.deepEqual(probeLine(stderr), DENIED);
      assert.ok(JSON.parse(new TextDecoder().decode(out.stdout)).agents);
      assert.equal(t.accepted(), 0);
    } finally {
      t.close();
    }
  },
});

Deno.test({
  name: "permissions: serve listens, then can neither connect anywhere nor listen elsewhere",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const t = target();
    try {
      await using served = await Served.start([], {
        extra: ["--preload", PROBE],
        env: { AGTOP_PROBE_PORT: String(t.port) },
      });
      assert.equal((await served.get("/healthz")).status, 200);
      await waitFor(
        "a scrape after the probe",
        async () => (await served.get("/metrics")).status === 200 || undefined,
      );
      const { code, stderr } = await served.stop();
      assert.equal(code, 0, stderr);
      assert.deepEqual(probeLine(stderr), DENIED);
      assert.equal(t.accepted(), 0);
    } finally {
      t.close();
    }
  },
});
