/**
 * Loaded with `deno run --preload` ahead of agtop's main module, in agtop's own process and permission
 * set: as soon as agtop has given up the network, it tries to connect out (to the test's listener on
 * AGTOP_PROBE_PORT, and to an address outside) and to listen elsewhere, and prints what happened as
 * one `agtop-probe {json}` line on stderr. If agtop never gives the network up, it says so at exit.
 *
 * @module
 */

const port = Number(Deno.env.get("AGTOP_PROBE_PORT"));
let reported = false;

function report(facts: Record<string, unknown>): void {
  if (reported) return;
  reported = true;
  Deno.stderr.writeSync(new TextEncoder().encode(`agtop-probe ${JSON.stringify(facts)}\n`));
}

async function connect(hostname: string, port: number): Promise<string> {
  try {
    const conn = await Deno.connect({ hostname, port });
    conn.close();
    return "connected";
  } catch (e) {
    return (e as Error).name;
  }
}

function listen(): string {
  try {
    Deno.listen({ hostname: "127.0.0.1", port: 0 }).close();
    return "listening";
  } catch (e) {
    return (e as Error).name;
  }
}

const timer = setInterval(async () => {
  if (Deno.permissions.querySync({ name: "net" }).state === "granted") return;
  clearInterval(timer);
  report({
    loopback: await connect("127.0.0.1", port),
    outside: await connect("192.0.2.1", 443),
    listen: listen(),
  });
}, 1);
Deno.unrefTimer(timer);
globalThis.addEventListener("unload", () => report({ dropped: false }));
