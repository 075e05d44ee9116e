/**
 * Amp sessions on disk: which thread a live `amp` process works on, and its facts read from the
 * thread document (parsed again only when the file changed).
 *
 * Layout: threads in `$XDG_DATA_HOME/amp/threads/T-<uuid>.json` (default `~/.local/share`), the
 * thread last used in `$XDG_STATE_HOME/amp/last-thread-id` (default `~/.local/state`).
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
import { ampThreadFacts } from "./transcript.ts";
import { dataDirs, listDir, LISTING_TTL_MS, mtimeOf, namedDir } from "../../formats/files.ts";
import { readSmallText } from "../../formats/regular.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { newestFirst, START_SLACK_MS } from "../../formats/recent.ts";

const THREAD_ID = /^T-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Amp's data directory of a process: `$XDG_DATA_HOME/amp`, else `<home>/.local/share/amp`.
 *
 * @example
 * ```ts
 * ampDataDir({}, "/home/me"); // "/home/me/.local/share/amp"
 * ```
 */
export function ampDataDir(env: Record<string, string>, home: string): string {
  return `${env.XDG_DATA_HOME || `${home}/.local/share`}/amp`;
}

/**
 * Amp's {@linkcode SessionSource}. Keeps, per thread file, the facts of its last content, so a thread
 * is parsed again only when its modification time, size or inode changed; one per collector.
 *
 * Linking, most reliable first: a thread id (`T-<uuid>`) in argv (`amp threads continue T-…`); the
 * thread in `last-thread-id` when it was written since the process started and is in the process's
 * working directory; else the newest thread in that directory written since the process started,
 * not linked to another agent.
 */
export class AmpSessionSource implements SessionSource {
  /** Where Amp keeps threads and state. */
  readonly envKeys: readonly string[] = ["XDG_DATA_HOME", "XDG_STATE_HOME"];
  #threads: JsonDocuments<SessionRead>;
  #listings = new Map<string, { at: number; files: { path: string; id: string; mtime: number }[] }>();
  #max: number | undefined;

  /** A reader; `options.history` keeps whole usage timelines, `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
    this.#threads = new JsonDocuments((thread) => ampThreadFacts(thread, options.history));
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${ampDataDir(env, home)}/threads`, env, ["XDG_DATA_HOME"])];
  }

  /** Finds the thread of a live Amp process. */
  link(ctx: LinkContext): SessionLink | null {
    const dir = `${ampDataDir(ctx.env, ctx.home)}/threads`;
    return this.#fromArgv(dir, ctx) ?? this.#fromLastThread(dir, ctx) ?? this.#fromCwd(dir, ctx);
  }

  /** Reads a linked thread, parsing it again only when the file changed. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#threads.load(link.path, now);
    if (!s?.facts) return null;
    return {
      ...s.facts,
      id: s.facts.id || link.id,
      lastActivity: Math.max(s.facts.lastActivity ?? 0, s.mtime) || null,
      malformedLines: s.broken ? 1 : 0,
    };
  }

  /** Threads written since `sinceMs` under the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const dirs = dataDirs(envs, "XDG_DATA_HOME", (e, home) => `${ampDataDir(e, home)}/threads`);
    const now = Date.now();
    return newestFirst(
      [...dirs].flatMap((dir) => this.#list(dir, now))
        .filter((f) => f.mtime >= sinceMs)
        .map((f) => ({ link: { path: f.path, id: f.id, linkedBy: "recent" }, at: f.mtime })),
      { max: this.#max },
    );
  }

  #fromArgv(dir: string, ctx: LinkContext): SessionLink | null {
    const id = ctx.argv.find((a) => THREAD_ID.test(a));
    const path = id ? `${dir}/${id}.json` : null;
    return id && path && !ctx.claimed.has(path) && mtimeOf(path) !== null
      ? { path, id, linkedBy: "argv" }
      : null;
  }

  #fromLastThread(dir: string, ctx: LinkContext): SessionLink | null {
    const stateDir = `${ctx.env.XDG_STATE_HOME || `${ctx.home}/.local/state`}/amp`;
    const id = readSmallText(`${stateDir}/last-thread-id`)?.trim();
    if (id === undefined) return null;
    if (!THREAD_ID.test(id)) return null;
    const path = `${dir}/${id}.json`;
    if (ctx.claimed.has(path)) return null;
    const mtime = mtimeOf(path);
    if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS) return null;
    const cwd = this.#threads.load(path, ctx.now)?.facts?.cwd ?? null;
    return cwd === null || cwd === ctx.cwd ? { path, id, linkedBy: "registry" } : null;
  }

  #fromCwd(dir: string, ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const candidates = this.#list(dir, ctx.now)
      .filter((f) => f.mtime >= ctx.startedAt - START_SLACK_MS && !ctx.claimed.has(f.path))
      .sort((a, b) => b.mtime - a.mtime);
    const hit = candidates.find((f) => this.#threads.load(f.path, ctx.now)?.facts?.cwd === ctx.cwd);
    return hit ? { path: hit.path, id: hit.id, linkedBy: "cwd" } : null;
  }

  /** `T-<uuid>.json` files of a threads directory with their modification times, listed once a tick. */
  #list(dir: string, now: number): { path: string; id: string; mtime: number }[] {
    const cached = this.#listings.get(dir);
    if (cached && Math.abs(now - cached.at) < LISTING_TTL_MS) return cached.files;
    const files: { path: string; id: string; mtime: number }[] = [];
    for (const name of listDir(dir)) {
      const id = name.endsWith(".json") ? name.slice(0, -5) : "";
      if (!THREAD_ID.test(id)) continue;
      const mtime = mtimeOf(`${dir}/${name}`);
      if (mtime !== null) files.push({ path: `${dir}/${name}`, id, mtime });
    }
    this.#listings.set(dir, { at: now, files });
    return files;
  }
}
