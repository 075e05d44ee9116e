/**
 * `agtop serve` as a subprocess for end-to-end tests, started with the permissions its binary has,
 * and the tools around it: free loopback ports, raw HTTP, and the Prometheus binaries when installed.
 *
 * @module
 */

import { binaryPermissions, hostTarget, TARGETS, V8_FLAGS } from "../../scripts/build.ts";
import { which } from "./fakes.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** The permission flags of agtop's binary for this machine (what `deno task serve` uses too). */
export const BINARY_PERMISSIONS: readonly string[] = binaryPermissions(hostTarget() ?? TARGETS[0]);

/** A loopback TCP port nobody listens on right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Polls `check` every 50 ms until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A running `agtop serve`. */
export class Served implements AsyncDisposable {
  readonly url: string;
  readonly child: Deno.ChildProcess;
  /** The HTTP client requests go through (one trusting the test's CA with `caCert`). */
  readonly client: Deno.HttpClient | undefined;
  #stderr: Promise<string>;

  private constructor(url: string, child: Deno.ChildProcess, caCert?: string) {
    this.url = url;
    this.child = child;
    this.client = caCert ? Deno.createHttpClient({ caCerts: [caCert] }) : undefined;
    this.#stderr = new Response(child.stderr).text();
  }

  /**
   * Starts `main.ts serve` on a free loopback port with the binary's permissions and V8 flags (plus `extra` deno
   * flags, e.g. `--preload`), and waits until `/healthz` answers 200. `wrap` runs it under another command
   * (`["prlimit", "--nofile=64"]`); `caCert` (PEM) means it serves HTTPS for `localhost` signed by that CA.
   */
  static async start(
    args: string[] = [],
    opts: {
      env?: Record<string, string>;
      extra?: string[];
      port?: number;
      wrap?: string[];
      caCert?: string;
    } = {},
  ): Promise<Served> {
    const port = opts.port ?? freePort();
    const [command, ...prefix] = [...(opts.wrap ?? []), Deno.execPath()];
    const child = new Deno.Command(command, {
      args: [
        ...prefix,
        "run",
        ...V8_FLAGS,
        ...BINARY_PERMISSIONS,
        ...(opts.extra ?? []),
        MAIN,
        "serve",
        "--listen",
        `127.0.0.1:${port}`,
        ...args,
      ],
      env: { NO_COLOR: "1", ...opts.env },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const url = opts.caCert ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
    const served = new Served(url, child, opts.caCert);
    await waitFor("serve's /healthz", async () => {
      const res = await fetch(`${served.url}/healthz`, { client: served.client });
      await res.body?.cancel();
      return res.status === 200 ? true : undefined;
    });
    return served;
  }

  /** GET `path` with optional headers: status, content type and body. */
  async get(path: string, headers: Record<string, string> = {}): Promise<{
    status: number;
    type: string;
    body: string;
  }> {
    const res = await fetch(`${this.url}${path}`, { headers, client: this.client });
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
  }

  /** Sends SIGTERM and waits: the exit status and everything it wrote to stderr. */
  async stop(): Promise<{ code: number; stderr: string }> {
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const { code } = await this.child.status;
    return { code, stderr: await this.#stderr };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.client?.close();
    try {
      this.child.kill("SIGKILL");
    } catch {
      // stopped already
    }
    await this.child.status;
    await this.#stderr.catch(() => "");
  }
}

/**
 * Why the Prometheus tests cannot run, or null when they can. With `AGTOP_REQUIRE_PROMETHEUS=1` (set
 * by `.ci/run`, which installs the packages) a missing tool fails the test run instead of skipping.
 */
export function prometheusMissing(tools: readonly string[]): string | null {
  const missing = tools.filter((t) => !which(t));
  if (!missing.length) return null;
  const why = `${
    missing.join(", ")
  } not installed (Debian: apt-get install prometheus prometheus-node-exporter)`;
  if (Deno.env.get("AGTOP_REQUIRE_PROMETHEUS") === "1") throw new Error(why);
  return Deno.build.os === "linux" ? why : `${why}; these tests run on Linux`;
}
