/**
 * `agtop serve`: an HTTP endpoint for Prometheus. `/metrics` (OpenMetrics or the classic text format,
 * by the `Accept` header), `/snapshot.json` (the JSON of `ls --format=json`) and `/healthz`.
 *
 * Collection runs on its own interval in a watched worker (`serve/collect.ts`); a request only reads the
 * newest snapshot, and each format is rendered once per snapshot, so a burst of scrapes costs nothing
 * extra. Requests are answered only for this server's host names, with a bearer token when one is set
 * (`serve/access.ts`), by a small HTTP/1.1 server that bounds connections and times out slow clients
 * (`serve/http.ts`). The listener is bound first and the network permission is dropped right after (see
 * `network.ts`): from then on the process can neither connect anywhere nor listen anywhere else. SIGTERM
 * and SIGINT stop it cleanly, whatever the collection is doing.
 *
 * @module
 */

import type { CollectorSettings } from "../agents/collect/collector.ts";
import { readUserFile } from "../agents/formats/regular.ts";
import type { Snapshot } from "../agents/types.ts";
import type { AlertThresholds } from "../render/alerts.ts";
import { METRICS_CONTENT_TYPES, negotiateMetrics, renderMetrics } from "../render/metrics.ts";
import { UsageError } from "./args.ts";
import { formatLs } from "./ls.ts";
import { hideAgents } from "../render/view.ts";
import { dropNetwork } from "./network.ts";
import { BearerToken, HostCheck } from "./serve/access.ts";
import { WatchedCollection } from "./serve/collect.ts";
import { type HttpRequest, HttpServer } from "./serve/http.ts";

/** Where `serve` listens. */
export interface ListenAddress {
  hostname: string;
  port: number;
}

/** The default `--listen`: loopback only, the port OpenTelemetry's Prometheus exporter uses. */
export const DEFAULT_LISTEN = "127.0.0.1:9464";

/**
 * `ADDR:PORT` as hostname and port; IPv6 addresses in brackets (`[::1]:9464`).
 *
 * @example
 * ```ts
 * parseListen("0.0.0.0:9464"); // { hostname: "0.0.0.0", port: 9464 }
 * parseListen("[::]:9100");     // { hostname: "::", port: 9100 }
 * ```
 */
export function parseListen(value: string = DEFAULT_LISTEN): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(
      `invalid value '${value}' for --listen (expected ADDR:PORT, e.g. 127.0.0.1:9464 or [::]:9464)`,
    );
  }
  return { hostname: m[1] ?? m[2], port };
}

/** `hostname:port` as a URL authority (IPv6 in brackets). */
function authority({ hostname, port }: ListenAddress): string {
  return `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/** What `serve` reads once it has given up the network: its collector's settings and what to leave out. */
export interface ServeSettings {
  collect: CollectorSettings;
  /** Leave out project and session labels, and private text from the JSON (`--private`). */
  private: boolean;
  /** Agent ids or labels never exported (config `hidden`). */
  hidden: readonly string[];
  /** Thresholds of the config file's `[alerts]`: each agent's alerts in the JSON, as `ls` gives them. */
  alerts: AlertThresholds;
}

/** Certificate and key files (PEM) to serve HTTPS with. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** What `agtop serve` needs. */
export interface ServeOptions {
  listen: ListenAddress;
  /** Seconds between collections. */
  interval: number;
  /** Seconds a collection may run before its worker is restarted. */
  timeout: number;
  /** Host names answered besides addresses, loopback, the listen host and this machine's name. */
  hosts: readonly string[];
  /** A file holding the bearer token every request but `/healthz` must carry; null: no token. */
  tokenFile: string | null;
  /** Serve HTTPS with these; null: plain HTTP. */
  tls: TlsFiles | null;
  /**
   * Reads the price file and builds the collector's settings. Called after the listener is bound and
   * the network dropped, so nothing of the agents' is read while the process can still connect.
   */
  prepare: () => Promise<ServeSettings>;
}

/** A snapshot with the texts rendered from it so far. */
interface Latest {
  snapshot: Snapshot;
  tookMs: number;
  /** When the tick finished (ms since epoch). */
  at: number;
  /** Encoded bodies by format, plain and gzipped (`json`, `json.gz`, …). */
  bodies: Map<string, Promise<Bytes>>;
}

/** A response with the body, status, content type and further headers. */
function reply(
  body: string | Bytes,
  status: number,
  type: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { "content-type": type, ...extra } });
}

const TEXT = "text/plain; charset=utf-8";

/** An encoded response body. */
type Bytes = Uint8Array<ArrayBuffer>;

/** Whether an `Accept-Encoding` header takes gzip (Prometheus sends `gzip`). */
export function acceptsGzip(header: string | null): boolean {
  return (header ?? "").split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "x-gzip") && (!q || Number(q.slice(2)) > 0);
  });
}

/** `bytes` gzipped. */
async function compress(bytes: Bytes): Promise<Bytes> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The running server: the newest snapshot, its health, and the HTTP handler. */
class Server {
  #interval: number;
  #settings: ServeSettings | null = null;
  #collection: WatchedCollection | null = null;
  #latest: Latest | null = null;
  #failure: string | null = null;
  #hosts: HostCheck;
  #token: BearerToken | null;

  constructor(interval: number, hosts: HostCheck, token: BearerToken | null) {
    this.#interval = interval;
    this.#hosts = hosts;
    this.#token = token;
  }

  /**
   * Starts collecting with `settings` in a watched worker, every interval until stopped; resolves at
   * the first snapshot and rejects when the first tick fails.
   */
  start(settings: ServeSettings, timeout: number): Promise<void> {
    this.#settings = settings;
    this.#collection = new WatchedCollection(
      settings.collect,
      { intervalMs: this.#interval * 1000, timeoutMs: timeout * 1000 },
      {
        onSnapshot: (snap, tookMs) => {
          this.#latest = {
            snapshot: hideAgents(snap, settings.hidden),
            tookMs,
            at: Date.now(),
            bodies: new Map(),
          };
          if (this.#failure) console.error("agtop: collecting again");
          this.#failure = null;
        },
        onFailure: (message) => {
          if (this.#failure !== message) console.error(`agtop: collection failed: ${message}`);
          this.#failure = message;
        },
      },
    );
    return this.#collection.first;
  }

  stop(): void {
    this.#collection?.stop();
  }

  /**
   * The body of one format for the newest snapshot, rendered (and gzipped, when asked) on the first
   * request that wants it; later requests share it.
   */
  #body(
    latest: Latest,
    key: string,
    gzip: boolean,
    render: () => string | Promise<string>,
  ): Promise<Bytes> {
    const name = gzip ? `${key}.gz` : key;
    let body = latest.bodies.get(name);
    if (!body) {
      body = gzip
        ? this.#body(latest, key, false, render).then(compress)
        : Promise.resolve(render()).then((text) => new TextEncoder().encode(text));
      latest.bodies.set(name, body);
    }
    return body;
  }

  async handle(req: HttpRequest): Promise<Response> {
    if (!this.#hosts.allows(req.headers.get("host"))) {
      return reply("agtop serve does not answer to this Host (see --host)\n", 421, TEXT);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return reply("only GET and HEAD\n", 405, TEXT, { allow: "GET, HEAD" });
    }
    const path = req.path;
    if (path !== "/healthz" && this.#token && !this.#token.accepts(req.headers.get("authorization"))) {
      return reply("a bearer token is required\n", 401, TEXT, { "www-authenticate": 'Bearer realm="agtop"' });
    }
    if (path === "/") {
      return reply("agtop serve: /metrics, /snapshot.json, /healthz\n", 200, TEXT);
    }
    if (path === "/healthz") return this.#health();
    if (path !== "/metrics" && path !== "/snapshot.json") return reply("not found\n", 404, TEXT);
    const latest = this.#latest;
    if (!latest) return reply("collecting the first snapshot\n", 503, TEXT, { "retry-after": "1" });
    const priv = this.#settings?.private === true;
    const alerts = this.#settings?.alerts ?? {};
    const gzip = acceptsGzip(req.headers.get("accept-encoding"));
    const encoding: Record<string, string> = gzip ? { "content-encoding": "gzip" } : {};
    if (path === "/snapshot.json") {
      const json = await this.#body(
        latest,
        "json",
        gzip,
        () => formatLs(latest.snapshot, jsonOptions(priv, alerts)),
      );
      return reply(json, 200, "application/json; charset=utf-8", { ...encoding, vary: "accept-encoding" });
    }
    const format = negotiateMetrics(req.headers.get("accept"));
    const text = await this.#body(
      latest,
      format,
      gzip,
      () => renderMetrics(latest.snapshot, { format, private: priv, collectionMs: latest.tookMs }),
    );
    return reply(text, 200, METRICS_CONTENT_TYPES[format], { ...encoding, vary: "accept, accept-encoding" });
  }

  /** 200 while snapshots are fresh; 503 when collection fails, hangs or has fallen behind. */
  #health(): Response {
    const latest = this.#latest;
    const staleAfterMs = Math.max(3 * this.#interval * 1000, 30_000);
    const busy = this.#collection?.busyMs ?? 0;
    if (busy > staleAfterMs) {
      const restarts = this.#collection?.restarts ?? 0;
      return reply(
        `stale: a collection has run for ${Math.round(busy / 1000)}s (${restarts} worker restarts)\n`,
        503,
        TEXT,
      );
    }
    if (this.#failure) return reply(`collection failing: ${this.#failure}\n`, 503, TEXT);
    if (!latest) return reply("starting\n", 503, TEXT);
    const age = Date.now() - latest.at;
    if (age > staleAfterMs) {
      return reply(`stale: newest snapshot is ${Math.round(age / 1000)}s old\n`, 503, TEXT);
    }
    return reply(`ok ${latest.snapshot.agents.length} agents\n`, 200, TEXT);
  }
}

function jsonOptions(priv: boolean, alerts: AlertThresholds) {
  return {
    alerts,
    format: "json" as const,
    filter: "",
    sort: "cpu" as const,
    reverse: false,
    top: null,
    noColor: true,
    private: priv,
  };
}

/** Why serve could not start (the listener, the token file, the TLS files), in one line. */
export class ListenError extends Error {
  override name = "ListenError";
}

/** The text of a file the user named for serve (token, certificate, key), or a {@linkcode ListenError}. */
function readNamed(what: string, path: string): string {
  try {
    return readUserFile(path);
  } catch (e) {
    throw new ListenError(`${what} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Binds the listener (TLS when asked), with each failure as one line. */
function listen(opts: ServeOptions, where: string): Deno.Listener {
  const { hostname, port } = opts.listen;
  const tls = opts.tls && {
    cert: readNamed("TLS certificate", opts.tls.certFile),
    key: readNamed("TLS key", opts.tls.keyFile),
  };
  try {
    return tls ? Deno.listenTls({ hostname, port, ...tls }) : Deno.listen({ hostname, port });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new ListenError(
        `no permission to listen on ${where}: run agtop serve with --allow-net=${where} (deno task serve has it)`,
      );
    }
    if (e instanceof Deno.errors.AddrInUse) throw new ListenError(`${where} is already in use`);
    if (e instanceof Deno.errors.AddrNotAvailable) {
      throw new ListenError(`${where} is not an address of this machine`);
    }
    // Anything else binding can meet (a name that does not resolve, a bad certificate, …) is still one line.
    const message = e instanceof Error ? e.message : String(e);
    throw new ListenError(`cannot listen on ${where}: ${message.split("\n")[0]}`);
  }
}

/**
 * Reads the token and TLS files, binds the listener, drops the network permission, prepares (prices,
 * collector settings) and starts collecting in a watched worker, then serves until SIGTERM or SIGINT.
 * Resolves with the exit code.
 */
export async function runServe(opts: ServeOptions): Promise<number> {
  const where = authority(opts.listen);
  let token: BearerToken | null = null;
  try {
    token = opts.tokenFile === null ? null : BearerToken.read(opts.tokenFile);
  } catch (e) {
    throw new ListenError(e instanceof Error ? e.message : String(e));
  }
  const server = new Server(opts.interval, new HostCheck(opts.listen.hostname, opts.hosts), token);
  const http = new HttpServer(listen(opts, where), (req) => server.handle(req));
  dropNetwork();
  let stopped!: () => void;
  const stopping = new Promise<void>((resolve) => stopped = resolve);
  const stop = () => {
    server.stop();
    http.close();
    stopped();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGTERM", "SIGINT"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  try {
    await Promise.race([server.start(await opts.prepare(), opts.timeout), stopping]);
  } catch (e) {
    stop();
    await http.finished;
    for (const s of signals) Deno.removeSignalListener(s, stop);
    throw e;
  }
  const scheme = opts.tls ? "https" : "http";
  console.error(`agtop: serving ${scheme}://${where}/metrics every ${opts.interval}s`);
  await http.finished;
  for (const s of signals) Deno.removeSignalListener(s, stop);
  console.error("agtop: stopped");
  return 0;
}
