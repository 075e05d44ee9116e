/**
 * Which sessions were active lately: the session files written since a time, newest first (for
 * `ls --all`), and how new a file found by directory must be to belong to a live process.
 *
 * @module
 */

import { RECENT_SESSIONS_MAX, type RecentSessions, type SessionLink } from "../vendor.ts";
import { listDir, mtimeOf } from "./files.ts";

/** A session found by directory must have been written after the process started, less this much (ms). */
export const START_SLACK_MS = 5_000;

/** Files known to be older than the window are looked at again this many per scan (round robin). */
export const SWEEP_PER_SCAN = 2_048;

/**
 * The files of a folder unchanged for this long before the window began (no session created there
 * since) are not looked at one by one on the first scan (ms): sessions rarely run this long.
 */
export const QUIET_FOLDER_MS = 7 * 86_400_000;

/** A directory changed this recently (ms) is listed again next time: its mtime may hide a later change. */
const RACY_MS = 2_000;

/** A session file and the session id it holds. */
export interface SessionFile {
  path: string;
  id: string;
}

/** A session found and when it was last written. */
export interface Found {
  link: SessionLink;
  at: number;
}

/** How many recent sessions are listed, and which. */
export interface ListOptions {
  /** Most links listed, the newest ({@linkcode RECENT_SESSIONS_MAX} by default; `Infinity`: all). */
  max?: number;
  /** Takes a session or passes it over (asked newest first, so it may read the file). */
  accept?: (link: SessionLink) => boolean;
}

/**
 * Sessions newest first as recent links (each with its time), at most `max` (by default
 * {@linkcode RECENT_SESSIONS_MAX}) of those `accept` takes (asked only until the cap is reached), and
 * how many more there were.
 *
 * @example
 * ```ts
 * const a = { path: "/x/a.jsonl", id: "a", linkedBy: "recent" };
 * const b = { path: "/x/b.jsonl", id: "b", linkedBy: "recent" };
 * newestFirst([{ link: a, at: 1 }, { link: b, at: 2 }]).links; // [b, a] (with `at`)
 * newestFirst([{ link: a, at: 1 }, { link: b, at: 2 }], { max: 1 }).more; // 1
 * ```
 */
export function newestFirst(found: Found[], options: ListOptions = {}): RecentSessions {
  const { accept, max = RECENT_SESSIONS_MAX } = options;
  found.sort((a, b) => b.at - a.at);
  const links: SessionLink[] = [];
  let i = 0;
  for (; i < found.length && links.length < max; i++) {
    const { link, at } = found[i];
    if (!accept || accept(link)) links.push({ ...link, at });
  }
  return { links, more: found.length - i };
}

/**
 * The files written since `sinceMs` (by `mtime`, default the file's modification time), newest first,
 * as links found by `recent`, at most `max` of them (see {@linkcode newestFirst}). Every file is looked
 * at: for a tree that grows with the history, use a {@linkcode RecentScan}.
 *
 * @example
 * ```ts
 * recentFiles([{ path: "/x/a.jsonl", id: "a" }], Date.now() - 3_600_000).links;
 * // [{ path: "/x/a.jsonl", id: "a", linkedBy: "recent", at: … }] when written in the last hour
 * ```
 */
export function recentFiles(
  files: Iterable<SessionFile>,
  sinceMs: number,
  options: { mtime?: (path: string) => number | null; max?: number } = {},
): RecentSessions {
  const { mtime = mtimeOf, max } = options;
  const found: Found[] = [];
  for (const { path, id } of files) {
    const at = mtime(path);
    if (at !== null && at >= sinceMs) found.push({ link: { path, id, linkedBy: "recent" }, at });
  }
  return newestFirst(found, { max });
}

/**
 * Recent session files of a tree that only grows, at a cost per scan that follows what changed rather
 * than the history: a directory is listed again only when its mtime changed (a file was added, removed
 * or renamed); a file is looked at (`stat`, never read) when it is new, or was written within the
 * window last time. A file found older than the window is not looked at again every scan: appends do
 * not change a directory, so such files are looked at again {@linkcode SWEEP_PER_SCAN} at a time, round
 * robin; and the files of a directory unchanged since {@linkcode QUIET_FOLDER_MS} before the window began
 * (all created long before it) are first looked at that way too, so a session written a week after its
 * folder last changed shows up a few scans late (and not in a one-shot `ls --all`). Lists at most `max`
 * sessions (by default {@linkcode RECENT_SESSIONS_MAX}). Keep one per session source.
 *
 * @example
 * ```ts
 * const scan = new RecentScan();
 * const files = [...scan.subdirs("/home/me/.qwen/projects", "/chats")]
 *   .flatMap(([dir, names]) => jsonlSessions(dir, names));
 * scan.newest(files, Date.now() - 86_400_000).links; // newest first, at most RECENT_SESSIONS_MAX
 * ```
 */
export class RecentScan {
  #dirs = new Map<string, { mtime: number | null; names: string[]; racy: boolean }>();
  /** Modification times seen (null: missing), by path. */
  #times = new Map<string, number | null>();
  #sweep = 0;
  #sweepPerScan: number;
  #max: number | undefined;

  /**
   * A scan listing at most `max` sessions, that looks at `sweepPerScan` files older than the window per
   * call (default {@linkcode SWEEP_PER_SCAN}, tests use fewer; every one for a scan without a cap, whose
   * one read must find every session of a report's window).
   */
  constructor(options: { max?: number; sweepPerScan?: number } = {}) {
    this.#sweepPerScan = options.sweepPerScan ?? (options.max === Infinity ? Infinity : SWEEP_PER_SCAN);
    this.#max = options.max;
  }

  /** The names in `dir` (none when it cannot be read), listed again only when the directory changed. */
  list(dir: string): string[] {
    const mtime = mtimeOf(dir);
    const cached = this.#dirs.get(dir);
    if (cached && !cached.racy && cached.mtime === mtime) return cached.names;
    const names = mtime === null ? [] : listDir(dir);
    this.#dirs.set(dir, { mtime, names, racy: mtime !== null && Date.now() - mtime < RACY_MS });
    return names;
  }

  /** The names of every subdirectory of `parent` (each with `sub` appended), as directory and names. */
  *subdirs(parent: string, sub = ""): Generator<[dir: string, names: string[]]> {
    for (const child of this.list(parent)) {
      const dir = `${parent}/${child}${sub}`;
      yield [dir, this.list(dir)];
    }
  }

  /**
   * The newest of `files` written since `sinceMs` (by `mtime`, default the file's modification time),
   * as {@linkcode newestFirst} lists them (with `accept` and the scan's `max`).
   */
  newest(
    files: Iterable<SessionFile>,
    sinceMs: number,
    mtime: (path: string) => number | null = mtimeOf,
    accept?: (link: SessionLink) => boolean,
  ): RecentSessions {
    const found: Found[] = [];
    const pool: SessionFile[] = [];
    const seen = new Map<string, number | null>();
    const look = (f: SessionFile) => {
      const at = mtime(f.path);
      seen.set(f.path, at);
      if (at !== null && at >= sinceMs) {
        found.push({ link: { path: f.path, id: f.id, linkedBy: "recent" }, at });
      }
    };
    for (const f of files) {
      const known = this.#times.get(f.path);
      const fresh = known === undefined
        ? !this.#folderQuiet(f.path, sinceMs)
        : known !== null && known >= sinceMs;
      if (fresh) look(f);
      else {
        pool.push(f);
        seen.set(f.path, known ?? null);
      }
    }
    const n = Math.min(this.#sweepPerScan, pool.length);
    for (let i = 0; i < n; i++) look(pool[(this.#sweep + i) % pool.length]);
    this.#sweep = pool.length ? (this.#sweep + n) % pool.length : 0;
    this.#times = seen;
    return newestFirst(found, { accept, max: this.#max });
  }

  /** True when the folder of `path` was listed and has not changed since well before `sinceMs`. */
  #folderQuiet(path: string, sinceMs: number): boolean {
    const mtime = this.#dirs.get(path.slice(0, path.lastIndexOf("/")))?.mtime;
    return mtime !== undefined && mtime !== null && mtime < sinceMs - QUIET_FOLDER_MS;
  }
}

/**
 * `<id>.jsonl` files among `names` of `dir` (those `skip` leaves), as session files.
 *
 * @example
 * ```ts
 * jsonlSessions("/x", ["a.jsonl", "b.txt"]); // [{ path: "/x/a.jsonl", id: "a" }]
 * ```
 */
export function jsonlSessions(dir: string, names: string[], skip?: (name: string) => boolean): SessionFile[] {
  return names.filter((n) => n.endsWith(".jsonl") && !skip?.(n)).map((n) => ({
    path: `${dir}/${n}`,
    id: n.slice(0, -".jsonl".length),
  }));
}

/**
 * The `.jsonl` file among `names` of `dir` written last since a process started (less
 * {@linkcode START_SLACK_MS}), not in `claimed`, that `accept` takes (checked newest first, so
 * `accept` may read the file), or null.
 *
 * @example
 * ```ts
 * newestSince("/x", ["a.jsonl"], { startedAt: Date.now() - 60_000, claimed: new Set() }, () => true);
 * // { path: "/x/a.jsonl", name: "a.jsonl" } when written in the last minute
 * ```
 */
export function newestSince(
  dir: string,
  names: readonly string[],
  since: { startedAt: number; claimed: ReadonlySet<string> },
  accept: (path: string) => boolean,
): { path: string; name: string } | null {
  const fresh: { path: string; name: string; mtime: number }[] = [];
  for (const name of names) {
    const path = `${dir}/${name}`;
    if (!name.endsWith(".jsonl") || since.claimed.has(path)) continue;
    const mtime = mtimeOf(path);
    if (mtime !== null && mtime >= since.startedAt - START_SLACK_MS) fresh.push({ path, name, mtime });
  }
  const hit = fresh.sort((a, b) => b.mtime - a.mtime).find((f) => accept(f.path));
  return hit ? { path: hit.path, name: hit.name } : null;
}
