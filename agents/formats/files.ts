/**
 * The file system as session sources read it: directory listings (reused for one tick), modification
 * times, small JSON files and the opening records of a transcript, the file written last, and the data
 * directories of the environments agents ran with. Nothing here throws: a missing or unreadable file
 * reads as nothing.
 *
 * @module
 */

import type { DataDir } from "../vendor.ts";
import { readHeadLines } from "./jsonl.ts";
import { readSmallText, SMALL_FILE_BYTES } from "./regular.ts";
import { isObject, type JsonObject } from "./records.ts";

/** Directory listings are reused for this long (one tick). */
export const LISTING_TTL_MS = 1_000;

/**
 * The names in a directory, or none when it cannot be read.
 *
 * @example
 * ```ts
 * listDir("/home/me/.claude/projects"); // ["-home-me-app", …]
 * ```
 */
export function listDir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * When a file was last modified (ms since epoch; 0 where the platform does not tell), or null when it
 * does not exist.
 *
 * @example
 * ```ts
 * mtimeOf("/home/me/.codex/sessions/2026/11/24/rollout-….jsonl"); // 1795491351846
 * ```
 */
export function mtimeOf(path: string): number | null {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch {
    return null;
  }
}

/**
 * Directory listings of one session source, each reused for {@linkcode LISTING_TTL_MS} so that a tick
 * lists a directory once however many agents look into it.
 *
 * @example
 * ```ts
 * const listings = new DirListings();
 * listings.list("/home/me/.qwen/projects", Date.now()); // listed
 * listings.list("/home/me/.qwen/projects", Date.now()); // the same names, not listed again
 * ```
 */
export class DirListings {
  #listings = new Map<string, { at: number; names: string[] }>();

  /** The names in `dir` (see {@linkcode listDir}) as listed within a tick of `now`. */
  list(dir: string, now: number): string[] {
    const cached = this.#listings.get(dir);
    if (cached && Math.abs(now - cached.at) < LISTING_TTL_MS) return cached.names;
    const names = listDir(dir);
    this.#listings.set(dir, { at: now, names });
    return names;
  }
}

/**
 * The JSON object a file holds, or null when it is missing, is not a regular file, holds more than
 * `max` bytes (default {@linkcode SMALL_FILE_BYTES}), is not JSON or holds no object.
 *
 * @example
 * ```ts
 * readJson("/home/me/.claude/sessions/4242.json")?.sessionId; // "9f8a…"
 * ```
 */
export function readJson(path: string, max: number = SMALL_FILE_BYTES): JsonObject | null {
  const text = readSmallText(path, max);
  if (text === null) return null;
  try {
    const v = JSON.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The JSON objects among the first complete lines of a transcript (at most `maxBytes` read; with
 * `mentions`, only lines whose text contains one of them are parsed), in file order, parsed as they
 * are taken; lines that are not JSON objects are passed over.
 *
 * @example
 * ```ts
 * let cwd: string | null = null;
 * for (const rec of headRecords("/home/me/.codex/sessions/2026/11/24/rollout-1.jsonl", 256 * 1024, ['"cwd"'])) {
 *   if (typeof rec.cwd === "string") cwd ??= rec.cwd;
 * }
 * ```
 */
export function* headRecords(path: string, maxBytes: number, mentions?: string[]): Generator<JsonObject> {
  for (const line of readHeadLines(path, maxBytes)) {
    if (mentions && !mentions.some((m) => line.includes(m))) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (isObject(rec)) yield rec;
  }
}

/**
 * The item whose file was written last (`pathOf` names its file), or null; an item whose file is
 * missing is never taken.
 *
 * @example
 * ```ts
 * lastWritten(["/x/session-a.jsonl", "/x/session-b.jsonl"], (p) => p); // the newer one
 * ```
 */
export function lastWritten<T>(items: readonly T[], pathOf: (item: T) => string): T | null {
  let best: T | null = null;
  let bestMtime = -Infinity;
  for (const item of items) {
    const mtime = mtimeOf(pathOf(item)) ?? -Infinity;
    if (mtime > bestMtime) [best, bestMtime] = [item, mtime];
  }
  return best;
}

/**
 * The data directories of the environments agents ran with, each once, in order: `dirOf(env, home)`
 * for every environment that sets `key` or has a home (`HOME`, else `USERPROFILE`; "" without one).
 *
 * @example
 * ```ts
 * const codexHome = (env: Record<string, string>, home: string) => env.CODEX_HOME || `${home}/.codex`;
 * dataDirs([{ HOME: "/home/me" }, { CODEX_HOME: "/srv/codex" }], "CODEX_HOME", codexHome);
 * // Set { "/home/me/.codex", "/srv/codex" }
 * ```
 */
export function dataDirs(
  envs: Record<string, string>[],
  key: string,
  dirOf: (env: Record<string, string>, home: string) => string,
): Set<string> {
  const dirs = new Set<string>();
  for (const e of envs) {
    const home = homeOf(e);
    if (e[key] || home) dirs.add(dirOf(e, home));
  }
  return dirs;
}

/**
 * The home directory an environment names (`HOME`, on Windows `USERPROFILE`), or "" when none.
 *
 * @example
 * ```ts
 * homeOf({ USERPROFILE: "C:\\Users\\me" }); // "C:\\Users\\me"
 * ```
 */
export function homeOf(env: Readonly<Record<string, string>>): string {
  return env.HOME || env.USERPROFILE || "";
}

/**
 * An absolute path without `.`, `..` and empty segments.
 *
 * @example
 * ```ts
 * normalisePath("/home/me/app/../api/./src"); // "/home/me/api/src"
 * ```
 */
export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") parts.pop();
    else if (part && part !== ".") parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/**
 * A data directory and what named it: the first of `keys` set in `env`, else `default`.
 *
 * @example
 * ```ts
 * namedDir("/srv/codex/sessions", { CODEX_HOME: "/srv/codex" }, ["CODEX_HOME"]); // { path: "/srv/codex/sessions", from: "CODEX_HOME" }
 * ```
 */
export function namedDir(path: string, env: Record<string, string>, keys: readonly string[]): DataDir {
  return { path, from: keys.find((k) => env[k]) ?? "default" };
}
