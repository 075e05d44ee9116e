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
 * `node:sqlite` and `node:crypto` are loaded on first use, which only a Cursor chat store causes, so
 * agtop's start-up does not pay for them.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { LinkContext, SessionLink, SessionSource } from "../../vendor.ts";
import type { SessionFacts } from "../../session.ts";
import { emptyTokens } from "../../session.ts";
import { promptLine } from "../../formats/text.ts";
import { listDir, mtimeOf } from "../../formats/files.ts";
import { databaseStamp } from "../../formats/sqlite.ts";

/** A chat found by directory must have been written after the process started, less this much. */
export const START_SLACK_MS = 5_000;
/** Parse state of a store not read for this long is dropped. */
const FORGET_AFTER_MS = 10 * 60_000;
/** The SQLite header is 100 bytes; bytes 18 and 19 say whether the database is in WAL mode (2) or not (1). */
const SQLITE_HEADER = "SQLite format 3\0";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  lastRead: number;
}

type NodeBuiltins = { getBuiltinModule(id: string): unknown };

/** A Node built-in module, loaded on first use (synchronously, as a collector tick needs it). */
function builtin<T>(specifier: string): T {
  const proc = (globalThis as unknown as { process?: NodeBuiltins }).process;
  if (!proc?.getBuiltinModule) throw new Error(`${specifier} is not available`);
  return proc.getBuiltinModule(specifier) as T;
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
  const { createHash } = builtin<typeof import("node:crypto")>("node:crypto");
  return createHash("md5").update(path).digest("hex");
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
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);
  return {
    agentId: s(r.agentId),
    name: s(r.name),
    model: s(r.lastUsedModel),
    createdAt: typeof r.createdAt === "number" && Number.isFinite(r.createdAt) ? r.createdAt : null,
  };
}

/**
 * Cursor Agent's {@linkcode SessionSource}; create one per collector (or use {@linkcode cursorSessions}).
 *
 * Linking: a chat id after `--resume` in argv; else the newest chat of the process's working directory
 * (`chats/<md5(cwd)>/`) written since the process started, not linked to another agent.
 *
 * `meta` is read with a short read-only connection, and only when that changes nothing on disk: a
 * database in WAL mode is opened only while its `-wal` and `-shm` files exist (the agent has it open),
 * because SQLite would otherwise create them.
 */
export class CursorSessionSource implements SessionSource {
  /** Nothing beyond HOME. */
  readonly envKeys: readonly string[] = [];
  #stores = new Map<string, StoreState>();
  #hashes = new Map<string, string>();

  /** Finds the chat store of a live Cursor Agent process. Never throws. */
  link(ctx: LinkContext): SessionLink | null {
    try {
      const chats = `${ctx.home}/.cursor/chats`;
      const own = ctx.cwd ? `${chats}/${this.#hash(ctx.cwd)}` : null;
      const link = this.#fromArgv(chats, ctx) ?? (own ? this.#fromCwd(own, ctx) : null);
      if (link && own && link.path.startsWith(`${own}/`)) this.#state(link.path, ctx.now).cwd = ctx.cwd;
      return link;
    } catch {
      return null;
    }
  }

  /** What the store tells: id, name, model, start, last activity. Never throws. */
  read(link: SessionLink, now: number): SessionFacts | null {
    try {
      this.#forget(now);
      const activity = activityOf(link.path);
      if (activity === null) return null;
      const s = this.#state(link.path, now);
      const stamp = databaseStamp(link.path) ?? "";
      if (stamp !== s.stamp && safeToOpen(link.path)) {
        const meta = readMeta(link.path);
        if (meta) [s.meta, s.stamp] = [meta, stamp];
      }
      const meta = s.meta;
      return {
        vendor: "cursor",
        id: meta?.agentId ?? link.id,
        path: link.path,
        linkedBy: link.linkedBy,
        cwd: s.cwd,
        gitBranch: null,
        title: promptLine(meta?.name),
        model: meta?.model ?? null,
        lastPrompt: null,
        currentTask: null,
        currentTool: null,
        subagents: [],
        turn: "unknown",
        stopReason: null,
        startedAt: meta?.createdAt ?? null,
        lastActivity: activity,
        tokens: emptyTokens(),
        tokensRecorded: false,
        tokensByModel: {},
        contextTokens: null,
        contextWindow: null,
        activity: [],
        malformedLines: 0,
      };
    } catch {
      return null;
    }
  }

  /** Chat stores written since `sinceMs` under the homes of `envs`, newest first. Never throws. */
  recent(envs: Record<string, string>[], sinceMs: number): SessionLink[] {
    const found: { link: SessionLink; mtime: number }[] = [];
    const homes = new Set(envs.map((e) => e.HOME || e.USERPROFILE).filter(Boolean));
    for (const home of homes) {
      const chats = `${home}/.cursor/chats`;
      for (const hash of listDir(chats)) {
        for (const id of listDir(`${chats}/${hash}`)) {
          const path = `${chats}/${hash}/${id}/${STORE}`;
          const mtime = activityOf(path);
          if (mtime !== null && mtime >= sinceMs) {
            found.push({ link: { path, id, linkedBy: "recent" }, mtime });
          }
        }
      }
    }
    return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.link);
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
    let s = this.#stores.get(path);
    if (!s) this.#stores.set(path, s = { stamp: "", meta: null, cwd: null, lastRead: now });
    s.lastRead = now;
    return s;
  }

  #forget(now: number): void {
    for (const [path, s] of this.#stores) if (now - s.lastRead > FORGET_AFTER_MS) this.#stores.delete(path);
  }
}

/** Cursor Agent's sessions, shared by the vendor and the collector. */
export const cursorSessions: CursorSessionSource = new CursorSessionSource();

/** The chat's `meta` record, or null when the store cannot be read. */
function readMeta(path: string): CursorMeta | null {
  let db: DatabaseSync | null = null;
  try {
    const sqlite = builtin<typeof import("node:sqlite")>("node:sqlite");
    db = new sqlite.DatabaseSync(path, { readOnly: true });
    const row = db.prepare("SELECT value FROM meta WHERE key = '0'").get();
    return row ? decodeCursorMeta(row.value) : null;
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      // already closed
    }
  }
}

/**
 * Whether opening the database read-only leaves the disk as it is: a rollback-journal database
 * always; a WAL database only while its `-wal` and `-shm` files exist.
 */
function safeToOpen(path: string): boolean {
  const header = new Uint8Array(100);
  try {
    using file = Deno.openSync(path, { read: true });
    if (file.readSync(header) !== 100) return false;
  } catch {
    return false;
  }
  if (new TextDecoder().decode(header.subarray(0, 16)) !== SQLITE_HEADER) return false;
  if (header[18] === 1 && header[19] === 1) return true;
  return mtimeOf(`${path}-wal`) !== null && mtimeOf(`${path}-shm`) !== null;
}

/** When the chat was last written: the newer of `store.db` and its WAL. */
function activityOf(path: string): number | null {
  const db = mtimeOf(path);
  if (db === null) return null;
  return Math.max(db, mtimeOf(`${path}-wal`) ?? 0);
}
