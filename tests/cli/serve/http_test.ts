import assert from "node:assert/strict";
import { BadRequest, HttpServer, type Limits, parseHead } from "../../../cli/serve/http.ts";

const LIMITS: Limits = { connections: 4, headMs: 300, idleMs: 400, writeMs: 1000, headBytes: 1024 };

/** A server on a free loopback port answering `ok <path>`. */
function start(limits = LIMITS): { server: HttpServer; port: number } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = new HttpServer(listener, (req) => new Response(`ok ${req.path}\n`), limits);
  return { server, port: (listener.addr as Deno.NetAddr).port };
}

/** Everything the server sends on `conn` until it closes (or `ms` pass), as text. */
async function readUntilClosed(conn: Deno.Conn, ms = 3000): Promise<string> {
  const timer = setTimeout(() => conn.close(), ms);
  const chunks: string[] = [];
  const buf = new Uint8Array(4096);
  try {
    for (let n; (n = await conn.read(buf)) !== null;) {
      chunks.push(new TextDecoder().decode(buf.subarray(0, n)));
    }
  } catch {
    // closed by the timer
  }
  clearTimeout(timer);
  return chunks.join("");
}

const send = (conn: Deno.Conn, text: string) => conn.write(new TextEncoder().encode(text));

Deno.test("http: keep-alive and pipelined requests are answered in order; HEAD has no body", async () => {
  const { server, port } = start();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await send(
    conn,
    "GET /a?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /b HTTP/1.1\r\nHost: localhost\r\n\r\n" +
      "GET /c HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
  );
  const text = await readUntilClosed(conn);
  const replies = text.split("HTTP/1.1 ").slice(1);
  assert.equal(replies.length, 3);
  assert.match(replies[0], /content-length: 6\r\nconnection: keep-alive\r\n\r\nok \/a\n$/);
  assert.match(replies[1], /content-length: 6\r\nconnection: keep-alive\r\n\r\n$/);
  assert.match(replies[2], /connection: close\r\n\r\nok \/c\n$/);
  server.close();
  await server.finished;
});

Deno.test("http: a slow head (slowloris) and an idle keep-alive are closed at their deadlines", async () => {
  const { server, port } = start();
  const slow = await Deno.connect({ hostname: "127.0.0.1", port });
  await send(slow, "GET / HTTP/1.1\r\nHost: localhost\r\n");
  let started = performance.now();
  assert.equal(await readUntilClosed(slow), "");
  const took = performance.now() - started;
  assert.ok(took >= 250 && took < 1500, `closed after ${took}ms`);

  const idle = await Deno.connect({ hostname: "127.0.0.1", port });
  await send(idle, "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
  started = performance.now();
  assert.match(await readUntilClosed(idle), /ok \/x\n$/);
  assert.ok(performance.now() - started >= 350, "kept alive until the idle deadline");
  server.close();
  await server.finished;
});

Deno.test("http: at the connection cap the longest-waiting client is shed for a new one", async () => {
  const { server, port } = start();
  const waiting = [];
  for (let i = 0; i < LIMITS.connections; i++) {
    waiting.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await new Promise((r) => setTimeout(r, 20));
  }
  const fresh = await Deno.connect({ hostname: "127.0.0.1", port });
  await send(fresh, "GET /new HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  assert.match(await readUntilClosed(fresh), /ok \/new\n$/);
  assert.equal(await readUntilClosed(waiting[0], 200), "", "the oldest was closed");
  assert.ok(server.connections <= LIMITS.connections);
  for (const c of waiting) {
    try {
      c.close();
    } catch {
      // closed above
    }
  }
  server.close();
  await server.finished;
});

Deno.test("http: an oversized head is 431, garbage 400, a body too large 413, then closed", async () => {
  const { server, port } = start();
  for (
    const [request, status] of [
      [`GET / HTTP/1.1\r\nHost: localhost\r\nX: ${"a".repeat(2000)}\r\n\r\n`, 431],
      ["\x00\x01 NOT HTTP\r\n\r\n", 400],
      ["GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505],
      ["GET http://evil/ HTTP/1.1\r\nHost: localhost\r\n\r\n", 400],
      ["POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999\r\n\r\n", 413],
      ["POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", 413],
      ["GET / HTTP/1.1\r\n\r\n", 400],
      ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ] as const
  ) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await send(conn, request);
    assert.match(await readUntilClosed(conn), new RegExp(`^HTTP/1\\.1 ${status} `), JSON.stringify(request));
  }
  server.close();
  await server.finished;
});

Deno.test("http: parseHead reads a request and refuses what it cannot serve", () => {
  const { req, keepAlive, bodyBytes } = parseHead("GET /metrics?x HTTP/1.0\r\nAccept: text/plain\r\n\r\n");
  assert.deepEqual([req.method, req.path, req.headers.get("accept"), keepAlive, bodyBytes], [
    "GET",
    "/metrics",
    "text/plain",
    false,
    0,
  ]);
  assert.throws(() => parseHead("GET / HTTP/1.1\r\n folded\r\n\r\n"), BadRequest);
});

Deno.test("http: a burst of more clients than the cap is served in turn, none dropped", async () => {
  const { server, port } = start();
  const clients = await Promise.all(
    Array.from({ length: LIMITS.connections * 3 }, async (_, i) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await send(conn, `GET /b${i} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      return readUntilClosed(conn);
    }),
  );
  clients.forEach((text, i) => assert.match(text, new RegExp(`ok /b${i}\\n$`), `client ${i} answered`));
  server.close();
  await server.finished;
});
