/**
 * Cursor Agent sessions on disk: which chat store a live `cursor-agent` process writes, and what can
 * be read from it reliably.
 *
 * Cursor keeps each chat in `~/.cursor/chats/<md5(workspace path)>/<chatId>/store.db`, an SQLite blob
 * store whose only plain record is `meta` (key `0`: hex-encoded JSON with the chat's name,
 * `createdAt` and `lastUsedModel`); the messages are content-addressed blobs under a protobuf root,
 * and no token usage is stored. So a Cursor session shows its id, name, model, start and last
 * activity; tokens, tools and turns stay unknown.
 *
 * @module
 */

import type {
  DataDir,
  LinkContext,
  ReaderOptions,
  RecentSessions,
  SessionLink,
  SessionRead,
  SessionSource,
} from "../../vendor.ts";
import { bareSession } from "../../formats/bare_session.ts";
import { promptLine } from "../../formats/text.ts";
import { homeOf, listDir, mtimeOf, namedDir } from "../../formats/files.ts";
import { BUSY, databaseStamp, readDatabase } from "../../formats/sqlite.ts";
import { md5Hex } from "../../formats/hash.ts";
import { UUID } from "../../formats/argv.ts";
import { isObject, nonBlank } from "../../formats/records.ts";
import { ParseCache } from "../../formats/parse_cache.ts";
import { RecentScan, START_SLACK_MS } from "../../formats/recent.ts";

const STORE = "store.db";

/** What `meta` says about a chat. */
export interface CursorMeta {
  agentId: string | null;
  name: string | null;
  model: string | null;
  createdAt: number | null;
}

/** One chat store and what was read from it. */
interface StoreState {
  /** Modification times and sizes of `store.db` and its WAL when `meta` was read. */
  stamp: string;
  meta: CursorMeta | null;
  cwd: string | null;
}

/**
 * The directory name Cursor gives a workspace: the MD5 of its absolute path, in hex.
 *
 * @example
 * ```ts
 * cursorWorkspaceHash("/home/me/app"); // 32 hex digits
 * ```
 */
export function cursorWorkspaceHash(path: string): string {
  return md5Hex(path);
}

/**
 * The chat's `meta` record from its `value` column: hex-encoded JSON (text or bytes), or plain JSON.
 * Null when it is neither.
 *
 * @example
 * ```ts
 * const hex = [...new TextEncoder().encode('{"agentId":"a1","lastUsedModel":"gpt-5"}')]
 *   .map((b) => b.toString(16).padStart(2, "0")).join("");
 * decodeCursorMeta(hex); // { agentId: "a1", name: null, model: "gpt-5", createdAt: null }
 * ```
 */
export function decodeCursorMeta(value: unknown): CursorMeta | null {
  let text = typeof value === "string"
    ? value
    : value instanceof Uint8Array
    ? new TextDecoder().decode(value)
    : null;
  if (text === null) return null;
  text = text.trim();
  if (/^(?:[0-9a-f]{2})+$/i.test(text)) {
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    text = new TextDecoder().decode(bytes);
  }
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(r)) return null;
  return {
    agentId: nonBlank(r.agentId),
    name: nonBlank(r.name),
    model: nonBlank(r.lastUsedModel),
    createdAt: typeof r.createdAt === "number" && Number.isFinite(r.createdAt) ? r.createdAt : null,
  };
}

/**
 * Cursor Agent's {@linkcode SessionSource}; one per collector.
 *
 * Linking: a chat id after `--resume` in argv; else the newest chat of the process's working directory
 * (`chats/<md5(cwd)>/`) written since the process started, not linked to another agent.
 *
 * `meta` is read with a short read-only connection that changes nothing on disk (see
 * `agents/formats/sqlite.ts`), again only when the store changed, and only while the agent has the
 * store open when it is in WAL mode (a store nobody has open is not copied into memory).
 */
export class CursorSessionSource implements SessionSource {
  /** Nothing beyond HOME. */
  readonly envKeys: readonly string[] = [];
  #stores = new ParseCache<StoreState>();
  #hashes = new Map<string, string>();
  #scan: RecentScan;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${home}/.cursor/chats`, env, [])];
  }

  /** Finds the chat store of a live Cursor Agent process. */
  link(ctx: LinkContext): SessionLink | null {
    const chats = `${ctx.home}/.cursor/chats`;
    const own = ctx.cwd ? `${chats}/${this.#hash(ctx.cwd)}` : null;
    const link = this.#fromArgv(chats, ctx) ?? (own ? this.#fromCwd(own, ctx) : null);
    if (link && own && link.path.startsWith(`${own}/`)) this.#state(link.path, ctx.now).cwd = ctx.cwd;
    return link;
  }

  /** What the store tells: id, name, model, start, last activity. */
  read(link: SessionLink, now: number): SessionRead | null {
    const activity = activityOf(link.path);
    if (activity === null) return null;
    const s = this.#state(link.path, now);
    const stamp = databaseStamp(link.path) ?? "";
    if (stamp !== s.stamp) {
      const meta = readDatabase(link.path, (d) => {
        const row = d.get("SELECT value FROM meta WHERE key = '0'");
        return row ? decodeCursorMeta(row.value) : null;
      }, { copyQuiescent: false });
      if (meta && meta !== BUSY) [s.meta, s.stamp] = [meta, stamp];
    }
    const meta = s.meta;
    return bareSession({
      id: meta?.agentId ?? link.id,
      cwd: s.cwd,
      title: promptLine(meta?.name),
      model: meta?.model ?? null,
      startedAt: meta?.createdAt ?? null,
      lastActivity: activity,
      tokensRecorded: false,
    });
  }

  /** Chat stores written since `sinceMs` under the homes of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const homes = new Set(envs.map(homeOf).filter(Boolean));
    const files = [...homes].flatMap((home) =>
      [...this.#scan.subdirs(`${home}/.cursor/chats`)].flatMap(([dir, ids]) =>
        ids.map((id) => ({ path: `${dir}/${id}/${STORE}`, id }))
      )
    );
    return this.#scan.newest(files, sinceMs, activityOf);
  }

  #fromArgv(chats: string, ctx: LinkContext): SessionLink | null {
    const at = ctx.argv.findIndex((a) => a === "--resume" || a.startsWith("--resume="));
    if (at === -1) return null;
    const id = ctx.argv[at].startsWith("--resume=") ? ctx.argv[at].slice(9) : ctx.argv[at + 1];
    if (!id || !UUID.test(id)) return null;
    for (const hash of listDir(chats)) {
      const path = `${chats}/${hash}/${id}/${STORE}`;
      if (!ctx.claimed.has(path) && activityOf(path) !== null) return { path, id, linkedBy: "argv" };
    }
    return null;
  }

  #fromCwd(dir: string, ctx: LinkContext): SessionLink | null {
    let best: { path: string; id: string; mtime: number } | null = null;
    for (const id of listDir(dir)) {
      const path = `${dir}/${id}/${STORE}`;
      if (ctx.claimed.has(path)) continue;
      const mtime = activityOf(path);
      if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS || (best && mtime <= best.mtime)) continue;
      best = { path, id, mtime };
    }
    return best && { path: best.path, id: best.id, linkedBy: "cwd" };
  }

  #hash(cwd: string): string {
    let h = this.#hashes.get(cwd);
    if (h === undefined) this.#hashes.set(cwd, h = cursorWorkspaceHash(cwd));
    return h;
  }

  #state(path: string, now: number): StoreState {
    return this.#stores.get(path, now, () => ({ stamp: "", meta: null, cwd: null }));
  }
}

/** When the chat was last written: the newer of `store.db` and its WAL. */
function activityOf(path: string): number | null {
  const db = mtimeOf(path);
  if (db === null) return null;
  return Math.max(db, mtimeOf(`${path}-wal`) ?? 0);
}
