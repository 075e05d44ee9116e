/**
 * Who `agtop serve` answers. Two checks before any path is served:
 *
 * - **Host**: the `Host` header must name this server — an IP address literal, `localhost` (or a name
 *   under `.localhost`, which browsers resolve to loopback themselves), the `--listen` host, this
 *   machine's host name, or a name given with `--host` or the config file's `[serve] hosts`. A web page
 *   that rebinds its own DNS name to this machine sends its own name, so it gets 421 and never reads
 *   `/snapshot.json` (DNS rebinding). An address literal cannot be rebound: a page served from that
 *   address is this server.
 * - **Token** (optional, config `[serve] token_file`): `Authorization: Bearer <token>`, compared in
 *   constant time; `/healthz` stays open for probes.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { readUserFile } from "../../agents/formats/regular.ts";

/** Names every server answers to, whatever it listens on. */
const LOOPBACK_NAMES = ["localhost"];

/** A name or address as the `Host` header has it, lower-cased, without a port or a trailing dot. */
function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * The host of a `Host` header value, without its port (IPv6 keeps no brackets); null when malformed.
 *
 * @example
 * ```ts
 * hostOf("LocalHost:9464"); // "localhost"
 * hostOf("[::1]:9464");     // "::1"
 * hostOf("a b");            // null
 * ```
 */
export function hostOf(header: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/@]+))(?::\d{1,5})?$/.exec(header.trim());
  return m ? normalise(m[1] ?? m[2]) : null;
}

/** Whether `host` is an IPv4 dotted quad or an IPv6 address (as {@linkcode hostOf} leaves it). */
function isAddress(host: string): boolean {
  if (host.includes(":")) return /^[0-9a-f:.]+$/.test(host);
  const parts = host.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) < 256);
}

/**
 * The `Host` check of one server: the names it answers to besides any address literal.
 *
 * @example
 * ```ts
 * const hosts = new HostCheck("0.0.0.0", ["metrics.example.org"], "devbox-1");
 * hosts.allows("devbox-1:9464");         // true
 * hosts.allows("192.168.1.20:9464");     // true: an address cannot be rebound
 * hosts.allows("attacker.example:9464"); // false
 * ```
 */
export class HostCheck {
  readonly names: ReadonlySet<string>;

  /**
   * @param listen the `--listen` host.
   * @param extra names from `--host` and the config file.
   * @param machine this machine's host name (`Deno.hostname()`), when known.
   */
  constructor(listen: string, extra: readonly string[], machine: string | null = safeHostname()) {
    const names = [...LOOPBACK_NAMES, listen, ...extra];
    if (machine) names.push(machine, machine.split(".")[0]);
    this.names = new Set(names.map(normalise).filter(Boolean));
  }

  /** Whether a request with this `Host` header (null: none, as HTTP/1.0 may send) is for this server. */
  allows(header: string | null): boolean {
    if (header === null) return true;
    const host = hostOf(header);
    if (host === null) return false;
    return isAddress(host) || host.endsWith(".localhost") || this.names.has(host);
  }
}

/** This machine's host name, or null when Deno may not say. */
function safeHostname(): string | null {
  try {
    return Deno.hostname();
  } catch {
    return null;
  }
}

/**
 * A bearer token to require. The token file is read by the rules for files the user names (a regular
 * file, small); its first line is the token, which must not be empty.
 *
 * @example
 * ```ts
 * const token = BearerToken.read("/etc/agtop/token");
 * token.accepts("Bearer s3cret"); // true when the file holds "s3cret"
 * ```
 */
export class BearerToken {
  #digest: Uint8Array;

  constructor(token: string) {
    this.#digest = digest(token);
  }

  /**
   * The token in `path`.
   *
   * @throws {Error} with a one-line message when the file cannot be read or holds no token.
   */
  static read(path: string): BearerToken {
    let text: string;
    try {
      text = readUserFile(path, 4096);
    } catch (e) {
      throw new Error(`token file ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const token = text.split(/\r?\n/)[0].trim();
    if (!token) throw new Error(`token file ${path}: no token on its first line`);
    return new BearerToken(token);
  }

  /** Whether an `Authorization` header carries the token; the comparison takes the same time either way. */
  accepts(header: string | null): boolean {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
    return timingSafeEqual(digest(m ? m[1] : ""), this.#digest) && m !== null;
  }
}

/** SHA-256 of `text`: equal lengths for {@linkcode timingSafeEqual}, whatever was sent. */
function digest(text: string): Uint8Array {
  return createHash("sha256").update(text).digest();
}
