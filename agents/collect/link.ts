/**
 * Linking agents to their sessions: loads each vendor's session reader on first use, links each live
 * agent to its transcript and reads it, lists recent sessions whose process is gone, and stamps what
 * a reader returns with vendor, path and how it was linked. A reader that fails to load or throws
 * becomes a notice (`ls --verbose`) and costs only that agent's session, never its row.
 *
 * @module
 */

import type { ProcessSource } from "../../platform/types.ts";
import type { Agent } from "../types.ts";
import {
  type LinkContext,
  type LinkTrace,
  type ReaderOptions,
  RECENT_SESSIONS_MAX,
  type SessionLink,
  type SessionSource,
  type Vendor,
} from "../vendor.ts";
import { saneFacts, type SessionFacts } from "../session.ts";
import type { Detection } from "../detect.ts";
import { TERMINAL_ENV_KEYS } from "../terminal.ts";
import { Notices } from "../../platform/notices.ts";
import type { LiveRow } from "./rows.ts";

/** Environment variables every agent process is asked for (data directories). */
export const BASE_ENV_KEYS = [
  "HOME",
  "USER",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_STATE_HOME",
  "XDG_CACHE_HOME",
];

/** Most tool children whose environment is read for session links, per agent and tick. */
const CHILD_ENV_LIMIT = 16;

/** A live agent waiting for its session: its row, and what linking it needs. */
export interface Pending {
  agent: Agent;
  detection: Detection;
  vendor: Vendor;
  ctx: Omit<LinkContext, "claimed">;
}

/** What the caller of {@linkcode SessionLinker.recent} hears while it reads. */
export interface RecentWatch {
  /** After each session read: how many were read, of how many listed, and the one just read. */
  progress?: (read: number, total: number, link: SessionLink) => void;
  /** A listed session whose reader returned nothing (`error`: what it threw, else null). */
  unread?: (vendor: Vendor, link: SessionLink, error: unknown) => void;
  /** A session just read (before its `progress`). */
  found?: (linked: Linked) => void;
}

/** A session listed to be read: its agent and where it is. */
export interface ListedSession {
  vendor: Vendor;
  link: SessionLink;
}

/** A session read for a row. */
export interface Linked {
  vendor: Vendor;
  session: SessionFacts;
}

/**
 * The session side of collection, kept across ticks (readers cache their parse state per file).
 *
 * @example
 * ```ts
 * import type { ProcessSource } from "../../platform/types.ts";
 * import type { LiveRow } from "./rows.ts";
 * import { VENDORS } from "../vendors/mod.ts";
 *
 * declare const rows: LiveRow[];
 * declare const source: ProcessSource;
 * const linker = new SessionLinker(VENDORS, {});
 * await linker.load(VENDORS);
 * const pending = rows.map((row) => linker.pending(row, source, Date.now()));
 * const { sessions, claimed } = linker.link(pending, Date.now());
 * ```
 */
export class SessionLinker {
  #vendors: readonly Vendor[];
  #profiles: Readonly<Record<string, readonly Record<string, string>[]>>;
  /** Session readers loaded so far, by vendor. */
  #sources = new Map<Vendor, SessionSource>();
  /** Vendors whose session reader failed to load (tried once). */
  #failed = new Set<Vendor>();
  #envKeys: string[] = [...BASE_ENV_KEYS, ...TERMINAL_ENV_KEYS];
  #notices = new Notices();
  #readerOptions: ReaderOptions;

  /**
   * `profiles`: more environments to look for recent sessions in, per vendor id; `readerOptions`: how
   * the session readers are made (`agtop report` asks for whole usage histories).
   */
  constructor(
    vendors: readonly Vendor[],
    profiles: Readonly<Record<string, readonly Record<string, string>[]>> = {},
    readerOptions: ReaderOptions = {},
  ) {
    this.#vendors = vendors;
    this.#profiles = profiles;
    this.#readerOptions = readerOptions;
  }

  /** Environment variables to read from an agent's main process: the base ones and the loaded readers'. */
  get envKeys(): readonly string[] {
    return this.#envKeys;
  }

  /** Why some sessions are missing: readers that failed to load or threw, once per vendor and step. */
  notices(): string[] {
    return this.#notices.list();
  }

  /**
   * Loads the session readers of `vendors` not loaded yet; a reader that fails to load becomes a notice
   * and that vendor's agents are shown without sessions.
   */
  async load(vendors: readonly Vendor[]): Promise<void> {
    const missing = [...new Set(vendors)].filter((v) =>
      v.sessions && !this.#sources.has(v) && !this.#failed.has(v)
    );
    if (!missing.length) return;
    const loaded = await Promise.allSettled(missing.map((v) => v.sessions!(this.#readerOptions)));
    loaded.forEach((r, i) => {
      if (r.status === "fulfilled") this.#sources.set(missing[i], r.value);
      else {
        this.#failed.add(missing[i]);
        this.#notices.failure(`loading the ${missing[i].label} session reader`, r.reason);
      }
    });
    const keys = new Set(this.#envKeys);
    for (const s of this.#sources.values()) for (const k of s.envKeys) keys.add(k);
    this.#envKeys = [...keys];
  }

  /** What linking a live row needs: its environment (agtop's own when unreadable), files, tool children's env. */
  pending(row: LiveRow, source: ProcessSource, now: number): Pending {
    const { agent, detection: d } = row;
    const sessions = this.#sources.get(d.vendor);
    const childEnv = sessions
      ? d.children.slice(0, CHILD_ENV_LIMIT).map((c) => source.details(c.pid, sessions.envKeys).env)
      : [];
    const env = Object.keys(row.env).length ? row.env : ownEnv(this.#envKeys);
    const ctx = {
      pid: d.main.pid,
      startedAt: d.main.startedAt,
      startId: d.main.startId,
      argv: d.main.argv,
      cwd: agent.cwd,
      env,
      home: env.HOME ?? Deno.env.get("HOME") ?? "",
      openFiles: row.writing,
      childEnv,
      now,
    };
    return { agent, detection: d, vendor: d.vendor, ctx };
  }

  /**
   * Links each agent to its session and reads it, newest-started agent first: the cwd fallback takes
   * the newest unclaimed transcript, so two agents in one directory pair up by start order. Returns
   * the session of each pending agent (in its order) and the transcript paths linked. `trace` (for
   * `agtop doctor`) is asked for a {@linkcode LinkTrace} per agent, told each candidate its reader
   * passed over and then the one linked.
   */
  link(
    pending: readonly Pending[],
    now: number,
    trace?: (p: Pending) => LinkTrace | undefined,
  ): { sessions: (SessionFacts | null)[]; claimed: Set<string> } {
    const claimed = new Set<string>();
    const sessions = new Map<Pending, SessionFacts | null>();
    const order = [...pending].sort((a, b) => b.agent.startedAt - a.agent.startedAt);
    for (const p of order) {
      const reader = this.#sources.get(p.vendor);
      const told = trace?.(p);
      const link = reader
        ? this.#guard(p.vendor, "linking", () => reader.link({ ...p.ctx, claimed }, told))
        : null;
      if (link) claimed.add(link.path);
      if (link) told?.({ by: link.linkedBy, path: link.path, skipped: null });
      sessions.set(p, link ? this.#read(p.vendor, reader!, link, now) : null);
    }
    return { sessions: pending.map((p) => sessions.get(p) ?? null), claimed };
  }

  /**
   * Sessions active since `since` that no live agent holds (`claimed` grows with them): the newest
   * `max` of the reader options (by default {@linkcode RECENT_SESSIONS_MAX}) of all vendors' together, read;
   * `more` counts the others, unread. `watch` hears of each session read (`progress`: how many of how
   * many) and of each listed session whose reader returned nothing (`unread`: vanished, unreadable, or a
   * reader that threw).
   */
  recent(
    pending: readonly Pending[],
    claimed: Set<string>,
    now: number,
    since: number,
    watch: RecentWatch = {},
  ): { found: Linked[]; more: number } {
    const { listed, more } = this.listRecent(pending, claimed, since);
    return { found: this.readListed(listed, now, watch), more };
  }

  /**
   * The sessions {@linkcode recent} reads, listed newest first and claimed, not read yet; `more` counts
   * the ones past `max`.
   */
  listRecent(
    pending: readonly Pending[],
    claimed: Set<string>,
    since: number,
  ): { listed: ListedSession[]; more: number } {
    const own = ownEnv(this.#envKeys);
    const links: ListedSession[] = [];
    let more = 0;
    for (const vendor of this.#vendors) {
      const reader = this.#sources.get(vendor);
      if (!reader) continue;
      const envs = [
        own,
        ...(this.#profiles[vendor.id] ?? []).map((e) => ({ ...own, ...e })),
        ...pending.filter((p) => p.vendor === vendor).map((p) => p.ctx.env),
      ];
      const recent = this.#guard(vendor, "listing", () => reader.recent(envs, since));
      if (!recent) continue;
      more += recent.more;
      for (const link of recent.links) if (!claimed.has(link.path)) links.push({ vendor, link });
    }
    links.sort((a, b) => (b.link.at ?? 0) - (a.link.at ?? 0));
    const max = this.#readerOptions.max ?? RECENT_SESSIONS_MAX;
    more += Math.max(0, links.length - max);
    const listed = links.slice(0, max).filter(({ link }) => {
      if (claimed.has(link.path)) return false;
      claimed.add(link.path);
      return true;
    });
    return { listed, more };
  }

  /**
   * Reads listed sessions with the loaded readers: each in turn, or, given `next`, the one whose index
   * `next()` hands out until it hands out one past the list (threads sharing one list take the next
   * unread session each). `watch` as for {@linkcode recent}; its `progress` counts the sessions this call
   * read.
   */
  readListed(
    listed: readonly ListedSession[],
    now: number,
    watch: RecentWatch = {},
    next?: () => number,
  ): Linked[] {
    const found: Linked[] = [];
    let turn = 0;
    const take = next ?? (() => turn++);
    let read = 0;
    for (let i = take(); i < listed.length; i = take()) {
      const { vendor, link } = listed[i];
      const reader = this.#sources.get(vendor);
      let error: unknown = null;
      const session = reader ? this.#read(vendor, reader, link, now, (e) => error = e) : null;
      if (session) {
        found.push({ vendor, session });
        watch.found?.(found[found.length - 1]);
      } else watch.unread?.(vendor, link, error);
      watch.progress?.(++read, listed.length, link);
    }
    return found;
  }

  /**
   * The facts of a linked session (made safe: {@linkcode saneFacts}), stamped with vendor, path and how
   * it was linked; null when the reader fails.
   */
  #read(
    vendor: Vendor,
    reader: SessionSource,
    link: SessionLink,
    now: number,
    failed?: (error: unknown) => void,
  ): SessionFacts | null {
    const read = this.#guard(vendor, "reading", () => reader.read(link, now), failed);
    return read ? { ...saneFacts(read), vendor: vendor.id, path: link.path, linkedBy: link.linkedBy } : null;
  }

  /** `step()`, or null (and a notice) when it throws: one reader's failure costs one field. */
  #guard<T>(vendor: Vendor, what: string, step: () => T, failed?: (error: unknown) => void): T | null {
    try {
      return step();
    } catch (error) {
      failed?.(error);
      this.#notices.failure(`${what} ${vendor.label} sessions`, error);
      return null;
    }
  }
}

/** agtop's own values of `keys`: the fallback when an agent's environment cannot be read. */
function ownEnv(keys: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of keys) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}
