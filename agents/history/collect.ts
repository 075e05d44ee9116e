/**
 * The sessions a report covers: every vendor's sessions active since a time, read by the same readers
 * and the same listing `ls --all` uses (so subagents count once, in their parent session, and each
 * agent's tokens are counted as `ls` counts them), with each session's whole usage timeline.
 *
 * @module
 */

import type { RecentSessions, SessionLink, Vendor } from "../vendor.ts";
import { SessionLinker } from "../collect/link.ts";
import type { HistorySession, Unreadable } from "./types.ts";

/** What {@linkcode readHistory} found. */
export interface History {
  sessions: HistorySession[];
  /** Stores listed but not read: a permission refused, a reader failing on them. */
  unreadable: Unreadable[];
  /** Why some readers failed (loading, listing, reading), once per vendor and step. */
  notices: string[];
  /** Sessions in the window left unread: none unless a reader cannot list every session (Claude's, for now). */
  notRead: number;
}

/** What {@linkcode readHistory} reads. */
export interface HistoryOptions {
  /** The agents whose sessions are read. */
  vendors: readonly Vendor[];
  /** Sessions active since this time (ms since epoch). */
  since: number;
  /** More environments to look for sessions in, per vendor id (profiles, config `[data_dirs]`). */
  profiles?: Readonly<Record<string, readonly Record<string, string>[]>>;
  now: number;
  /** Hears how many sessions were read, of how many, and how many bytes their files hold so far. */
  progress?: (read: number, total: number, bytes: number) => void;
  /** Read only every `of`-th session listed, from the `index`-th on (the share of one of `of` workers). */
  shard?: { index: number; of: number };
}

/**
 * Reads the sessions of `vendors` active since `since` with readers that keep whole usage histories.
 * A session that cannot be read is named in `unreadable`; it never stops the others.
 *
 * @example
 * ```ts
 * import { VENDORS } from "../vendors/mod.ts";
 *
 * const now = Date.now();
 * const history = await readHistory({ vendors: VENDORS, since: now - 7 * 86_400_000, now });
 * history.sessions.length;
 * ```
 */
export async function readHistory(opts: HistoryOptions): Promise<History> {
  const vendors = opts.shard ? opts.vendors.map((v) => sharded(v, opts.shard!)) : opts.vendors;
  const linker = new SessionLinker(vendors, opts.profiles ?? {}, { history: true, max: Infinity });
  await linker.load(vendors);
  const unreadable: Unreadable[] = [];
  let bytes = 0;
  const progress = opts.progress;
  const { found, more } = linker.recent([], new Set(), opts.now, opts.since, {
    progress: progress && ((read, total, link) => progress(read, total, bytes += sizeOf(link.path))),
    unread: (vendor, link, error) => {
      const reason = error === null
        ? whyUnread(link)
        : error instanceof Error
        ? error.message
        : String(error);
      if (reason) unreadable.push({ agent: vendor.id, path: link.path, reason });
    },
  });
  return { sessions: found, unreadable, notices: linker.notices(), notRead: more };
}

/**
 * `vendor` with a reader that lists only its share of the sessions: every `of`-th from the `index`-th
 * (sessions come newest first, so the shares are alike), the ones left unlisted counted once, by share 0.
 */
function sharded(vendor: Vendor, shard: { index: number; of: number }): Vendor {
  const sessions = vendor.sessions;
  if (!sessions) return vendor;
  return {
    ...vendor,
    sessions: async (options) => {
      const reader = await sessions(options);
      const recent = (envs: Record<string, string>[], since: number): RecentSessions => {
        const all = reader.recent(envs, since);
        return {
          links: all.links.filter((_, i) => i % shard.of === shard.index),
          more: shard.index === 0 ? all.more : 0,
        };
      };
      // The reader's methods run on the reader itself (they use its private fields).
      return new Proxy(reader, {
        get: (target, key) => {
          if (key === "recent") return recent;
          const value = Reflect.get(target, key);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  };
}

/** The size of a session's file in bytes; 0 for a session that is not a file of its own. */
function sizeOf(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** Why a listed session gave nothing: the error opening it, or null when it is simply gone (or empty). */
function whyUnread(link: SessionLink): string | null {
  try {
    Deno.openSync(link.path, { read: true }).close();
    return null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
    return e instanceof Error ? e.message : String(e);
  }
}
