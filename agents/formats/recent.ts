/**
 * Which sessions were active lately: the session files written since a time, newest first (for
 * `ls --all`), and how new a file found by directory must be to belong to a live process.
 *
 * @module
 */

import type { SessionLink } from "../vendor.ts";
import { listDir, mtimeOf } from "./files.ts";

/** A session found by directory must have been written after the process started, less this much (ms). */
export const START_SLACK_MS = 5_000;

/** At most this many sessions of one database are listed by `recent()` (the newest). */
export const RECENT_SESSIONS_MAX = 500;

/** A session file and the session id it holds. */
export interface SessionFile {
  path: string;
  id: string;
}

/**
 * The files written since `sinceMs` (by `mtime`, default the file's modification time), newest first,
 * as links found by `recent`.
 *
 * @example
 * ```ts
 * recentFiles([{ path: "/x/a.jsonl", id: "a" }], Date.now() - 3_600_000);
 * // [{ path: "/x/a.jsonl", id: "a", linkedBy: "recent" }] when written in the last hour
 * ```
 */
export function recentFiles(
  files: Iterable<SessionFile>,
  sinceMs: number,
  mtime: (path: string) => number | null = mtimeOf,
): SessionLink[] {
  const found: { link: SessionLink; at: number }[] = [];
  for (const { path, id } of files) {
    const at = mtime(path);
    if (at !== null && at >= sinceMs) found.push({ link: { path, id, linkedBy: "recent" }, at });
  }
  return newestFirst(found);
}

/**
 * Links ordered by when their session was last active, newest first.
 *
 * @example
 * ```ts
 * const a = { path: "/x/a.jsonl", id: "a", linkedBy: "recent" };
 * const b = { path: "/x/b.jsonl", id: "b", linkedBy: "recent" };
 * newestFirst([{ link: a, at: 1 }, { link: b, at: 2 }]); // [b, a]
 * ```
 */
export function newestFirst(found: { link: SessionLink; at: number }[]): SessionLink[] {
  return found.sort((a, b) => b.at - a.at).map((f) => f.link);
}

/**
 * The files of every subdirectory of `parent` (each with `sub` appended), as directory and names.
 *
 * @example
 * ```ts
 * for (const [dir, names] of subdirFiles("/home/me/.qwen/projects", "/chats")) names; // ["<id>.jsonl", …]
 * ```
 */
export function* subdirFiles(parent: string, sub = ""): Generator<[dir: string, names: string[]]> {
  for (const child of listDir(parent)) {
    const dir = `${parent}/${child}${sub}`;
    yield [dir, listDir(dir)];
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
