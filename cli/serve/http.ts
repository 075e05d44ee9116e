/**
 * The HTTP/1.1 server of `agtop serve`, small on purpose: GET and HEAD of short requests, written over
 * a plain TCP (or TLS) listener so that every limit is agtop's own. `Deno.serve` gives no way to bound
 * connections or time out a slow client, and it ends the process when `accept` runs out of file
 * descriptors; this one:
 *
 * - never stops on an `accept` error: out of descriptors (`EMFILE`, `ENFILE`) it closes the connection
 *   that has waited longest for a request (an idle keep-alive or a slow client) and tries again, backing
 *   off while nothing can be shed;
 * - holds at most {@linkcode Limits.connections} connections: a new one at the cap waits a moment for
 *   a slot (a burst of scrapes is served in turn), then the longest-waiting one is shed for it (or it is
 *   refused when every connection is being answered);
 * - gives a new connection {@linkcode Limits.headMs} to send a whole request head (slowloris; the TLS
 *   handshake counts), a kept-alive one {@linkcode Limits.idleMs} to send its next, every response
 *   {@linkcode Limits.writeMs} to be taken, and caps the head at {@linkcode Limits.headBytes};
 * - reads no request body but a short one it discards (so the reply is not lost to a reset).
 *
 * @module
 */

/** One request as the handler sees it. */
export interface HttpRequest {
  method: string;
  /** The path of the request target, without the query. */
  path: string;
  headers: Headers;
}

/** Answers one request. */
export type HttpHandler = (req: HttpRequest) => Response | Promise<Response>;

/** The bounds on clients. */
export interface Limits {
  /** Open connections at most. */
  connections: number;
  /** Time for a new connection to send its whole first request head (ms). */
  headMs: number;
  /** Time for a kept-alive connection to send its next request head (ms). */
  idleMs: number;
  /** Time for a client to take a whole response (ms). */
  writeMs: number;
  /** Size of a request head at most (bytes). */
  headBytes: number;
}

/** The bounds `serve` uses: ample for Prometheus (one connection per target, a request per scrape). */
export const DEFAULT_LIMITS: Limits = {
  connections: 64,
  headMs: 10_000,
  idleMs: 60_000,
  writeMs: 30_000,
  headBytes: 16 << 10,
};

/** Request bodies up to this size are read and dropped; larger ones close the connection. */
const DISCARDED_BODY_BYTES = 64 << 10;

const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  421: "Misdirected Request",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

/**
 * A request head that cannot be answered normally: the status to answer with, then close.
 *
 * @example
 * ```ts
 * new BadRequest(431, "request head too large").status; // 431
 * ```
 */
export class BadRequest extends Error {
  override name = "BadRequest";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Whether `e` says the process (or system) is out of file descriptors. */
function outOfDescriptors(e: unknown): boolean {
  return e instanceof Error && /os error (24|23)\b|too many open files/i.test(e.message);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** How long a new connection at the cap waits for a slot before the longest-waiting one is shed (ms). */
const CAP_GRACE_MS = 250;

/** One client connection and what it is doing now. */
class Connection {
  /** Waiting for a request head (may be shed) rather than being answered. */
  waiting = true;
  /** Requests answered on it so far: waiting after one, it is an idle keep-alive. */
  served = 0;
  /** Since when it waits (performance.now()). */
  since = performance.now();
  /** Settles once the connection is done with and its descriptor released. */
  done: Promise<void> = Promise.resolve();
  #buffer = new Uint8Array(0);
  #closed = false;

  constructor(readonly conn: Deno.Conn) {}

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `work` with a deadline: when `ms` pass first the connection is closed (which ends any read or
   * write in flight) and null is returned.
   */
  async #within<T>(ms: number, work: () => Promise<T>): Promise<T | null> {
    const timer = setTimeout(() => this.close(), ms);
    try {
      return await work();
    } catch (e) {
      if (e instanceof BadRequest) throw e;
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads until the buffer holds a request head; its text, or null when the client went or timed out.
   *
   * @throws {BadRequest} (431) when the head grows past `maxBytes`.
   */
  readHead(ms: number, maxBytes: number): Promise<string | null> {
    return this.#within(ms, async () => {
      for (;;) {
        const end = headEnd(this.#buffer);
        if (end > maxBytes || (end < 0 && this.#buffer.length > maxBytes)) {
          throw new BadRequest(431, "request head too large");
        }
        if (end >= 0) {
          const head = new TextDecoder("latin1").decode(this.#buffer.subarray(0, end));
          this.#buffer = this.#buffer.slice(end);
          return head;
        }
        if (!(await this.#fill())) return null;
      }
    });
  }

  /** Reads and drops `bytes` of body within `ms`; false when the client went or was too slow. */
  async discard(bytes: number, ms: number): Promise<boolean> {
    return await this.#within(ms, async () => {
      while (this.#buffer.length < bytes) if (!(await this.#fill())) return false;
      this.#buffer = this.#buffer.slice(bytes);
      return true;
    }) ?? false;
  }

  /** Writes all of `bytes` within `ms`; false when the client went or did not take it in time. */
  async write(bytes: Uint8Array, ms: number): Promise<boolean> {
    return await this.#within(ms, async () => {
      for (let off = 0; off < bytes.length;) off += await this.conn.write(bytes.subarray(off));
      return true;
    }) ?? false;
  }

  /** Appends what the client sends next; false at its end. */
  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(4096);
    const n = await this.conn.read(chunk);
    if (n === null) return false;
    const next = new Uint8Array(this.#buffer.length + n);
    next.set(this.#buffer);
    next.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = next;
    return true;
  }
}

/** Where the head in `buf` ends (after its blank line), or -1 when it has not yet. */
function headEnd(buf: Uint8Array): number {
  for (let i = 0; i + 1 < buf.length; i++) {
    if (buf[i] !== 10) continue;
    if (buf[i + 1] === 10) return i + 2;
    if (buf[i + 1] === 13 && buf[i + 2] === 10) return i + 3;
  }
  return -1;
}

/**
 * A request head parsed: the request and whether the connection stays open after the answer.
 *
 * @throws {BadRequest} for anything but an HTTP/1.x request with an origin-form target and valid headers.
 * @example
 * ```ts
 * const { req, keepAlive } = parseHead("GET /metrics?x=1 HTTP/1.1\r\nHost: localhost:9464\r\n\r\n");
 * req.path; // "/metrics"
 * keepAlive; // true
 * ```
 */
export function parseHead(head: string): { req: HttpRequest; keepAlive: boolean; bodyBytes: number } {
  const lines = head.replace(/\r?\n\r?\n$/, "").split(/\r?\n/);
  const m = /^([A-Z]+) (\/[^ ]*) HTTP\/1\.([01])$/.exec(lines[0]);
  if (!m) {
    if (/^[A-Z]+ \S+ HTTP\/\d/.test(lines[0])) {
      if (!/ HTTP\/1\.[01]$/.test(lines[0])) throw new BadRequest(505, "only HTTP/1.0 and HTTP/1.1");
    }
    throw new BadRequest(400, "not an HTTP/1.x request line with a path");
  }
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || /^[ \t]/.test(line)) throw new BadRequest(400, "malformed header line");
    try {
      headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    } catch {
      throw new BadRequest(400, "malformed header");
    }
  }
  const http11 = m[3] === "1";
  const host = headers.get("host");
  if ((http11 && host === null) || host?.includes(",")) throw new BadRequest(400, "one Host header");
  if (headers.has("transfer-encoding")) throw new BadRequest(413, "no request bodies");
  const length = headers.get("content-length");
  const bodyBytes = length === null ? 0 : /^\d{1,9}$/.test(length) ? Number(length) : NaN;
  if (!(bodyBytes <= DISCARDED_BODY_BYTES)) throw new BadRequest(413, "request body too large");
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = http11 ? !connection.includes("close") : connection.includes("keep-alive");
  const q = m[2].indexOf("?");
  return { req: { method: m[1], path: q < 0 ? m[2] : m[2].slice(0, q), headers }, keepAlive, bodyBytes };
}

/** The bytes of `res` as an HTTP/1.1 response (no body for HEAD, length always given). */
async function encodeResponse(res: Response, head: boolean, keepAlive: boolean): Promise<Uint8Array> {
  const body = new Uint8Array(await res.arrayBuffer());
  const lines = [`HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ""}`];
  for (const [name, value] of res.headers) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${body.length}`, `connection: ${keepAlive ? "keep-alive" : "close"}`, "", "");
  const start = new TextEncoder().encode(lines.join("\r\n"));
  if (head) return start;
  const out = new Uint8Array(start.length + body.length);
  out.set(start);
  out.set(body, start.length);
  return out;
}

/**
 * Serves `handler` on `listener` within `limits` until {@linkcode HttpServer.close}.
 *
 * @example
 * ```ts
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 9464 });
 * const server = new HttpServer(listener, () => new Response("ok\n"));
 * // … later
 * server.close();
 * await server.finished;
 * ```
 */
export class HttpServer {
  /** Resolves once the listener and every connection are closed. */
  readonly finished: Promise<void>;
  #listener: Deno.Listener;
  #handler: HttpHandler;
  #limits: Limits;
  #open = new Set<Connection>();
  #closed = false;
  /** When running out of descriptors was last reported (performance.now()). */
  #starvedAt = -Infinity;

  constructor(listener: Deno.Listener, handler: HttpHandler, limits: Limits = DEFAULT_LIMITS) {
    this.#listener = listener;
    this.#handler = handler;
    this.#limits = limits;
    this.finished = this.#acceptLoop();
  }

  /** Stops listening and closes every connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const c of this.#open) c.close();
  }

  /** Connections open now. */
  get connections(): number {
    return this.#open.size;
  }

  async #acceptLoop(): Promise<void> {
    let backoff = 10;
    while (!this.#closed) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (this.#closed) break;
        if (outOfDescriptors(e)) {
          if (performance.now() - this.#starvedAt > 60_000) {
            console.error("agtop: out of file descriptors; shedding idle connections");
            this.#starvedAt = performance.now();
          }
          // A closed connection's descriptor is released once its pending read settles: wait for
          // that, or each failed accept would shed another connection before any descriptor is free.
          const shed = this.#shed();
          if (shed) {
            await Promise.race([shed.done, sleep(1000)]);
            continue;
          }
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 1000);
        continue;
      }
      backoff = 10;
      if (!(await this.#room())) {
        conn.close();
        continue;
      }
      const c = new Connection(conn);
      this.#open.add(c);
      c.done = this.#run(c).finally(() => {
        c.close();
        this.#open.delete(c);
      });
    }
    for (const c of this.#open) c.close();
  }

  /**
   * Makes room for one more connection at the cap: an idle keep-alive is shed at once; else a burst of
   * clients is served in turn (a slot frees within {@linkcode CAP_GRACE_MS} as answers go out), and only
   * then is the connection that has waited longest for a request shed (a silent one). False when every
   * connection is being answered.
   */
  async #room(): Promise<boolean> {
    if (this.#open.size >= this.#limits.connections) this.#shed(true);
    const deadline = performance.now() + CAP_GRACE_MS;
    while (this.#open.size >= this.#limits.connections && performance.now() < deadline && !this.#closed) {
      await Promise.race([...[...this.#open].map((c) => c.done), sleep(deadline - performance.now())]);
    }
    return this.#open.size < this.#limits.connections || this.#shed() !== null;
  }

  /**
   * Closes the connection that has waited longest for a request (only among idle keep-alives with
   * `idleOnly`) and returns it; null when none waits.
   */
  #shed(idleOnly = false): Connection | null {
    let oldest: Connection | null = null;
    for (const c of this.#open) {
      if (c.waiting && (!idleOnly || c.served > 0) && (!oldest || c.since < oldest.since)) oldest = c;
    }
    oldest?.close();
    if (oldest) this.#open.delete(oldest);
    return oldest;
  }

  /** Answers the requests of one connection in turn until it closes, times out or asks to close. */
  async #run(c: Connection): Promise<void> {
    const limits = this.#limits;
    for (let first = true; !this.#closed && !c.closed; first = false) {
      c.waiting = true;
      c.since = performance.now();
      let parsed;
      try {
        const head = await c.readHead(first ? limits.headMs : limits.idleMs, limits.headBytes);
        if (head === null) return;
        c.waiting = false;
        parsed = parseHead(head);
      } catch (e) {
        await this.#refuse(c, e instanceof BadRequest ? e.status : 400);
        return;
      }
      if (parsed.bodyBytes > 0 && !(await c.discard(parsed.bodyBytes, limits.headMs))) return;
      let res: Response;
      try {
        res = await this.#handler(parsed.req);
      } catch {
        res = new Response("internal error\n", { status: 500, headers: { "content-type": "text/plain" } });
      }
      const keepAlive = parsed.keepAlive && !this.#closed;
      const bytes = await encodeResponse(res, parsed.req.method === "HEAD", keepAlive);
      if (!(await c.write(bytes, limits.writeMs)) || !keepAlive) return;
      c.served++;
    }
  }

  /** Answers a head that cannot be served with `status` and an empty body; the caller closes. */
  async #refuse(c: Connection, status: number): Promise<void> {
    const res = new Response(`${REASONS[status] ?? "error"}\n`, {
      status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
    await c.write(await encodeResponse(res, false, false), 1000);
  }
}
