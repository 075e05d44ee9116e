/**
 * Git facts of an agent's working directory (repository root, branch or detached commit, linked
 * worktree) read from the files in `.git`, with no `git` subprocess. The parsers are pure; the few
 * file reads are cached so that a steady tick costs one `stat` of `HEAD` per repository. A repository
 * is a folder anyone can shape: only regular files are read, at most {@linkcode GIT_FILE_BYTES} each.
 *
 * @module
 */

import { readSmallText } from "./formats/regular.ts";

/*
 * Path handling is written out here rather than imported from node:path: loading any node: built-in
 * starts Deno's Node compatibility layer, ~16 ms of agtop's start-up.
 */

/** The root of an absolute path (`/`, `C:/`, `//server/`), or "" for a relative one. */
function rootOf(path: string): string {
  const m = path.match(/^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/]+[\\/]|[\\/])/);
  return m ? m[0].replace(/\\/g, "/") : "";
}

/**
 * `path` made absolute against `base` and normalised (`.` and `..` resolved, one `/` between parts).
 *
 * @example
 * ```ts
 * resolve("/home/me/src", "../api/.crush"); // "/home/me/api/.crush"
 * resolve("/home/me/src", "/tmp/data"); // "/tmp/data"
 * ```
 */
export function resolve(base: string, path = "."): string {
  const full = rootOf(path) ? path : `${base}/${path}`;
  const root = rootOf(full);
  const parts: string[] = [];
  for (const part of full.slice(root.length).split(/[\\/]+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return root + parts.join("/");
}

/** `dir` joined with a relative `name`. */
function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** The parent directory; the root is its own parent. */
function dirname(path: string): string {
  const root = rootOf(path);
  const i = path.lastIndexOf("/");
  return i < root.length ? root || "." : path.slice(0, i) || root;
}

/** Where a working directory's repository is and what its `HEAD` says. */
export interface GitFacts {
  /** Top-level directory of the working tree that holds the cwd. */
  root: string;
  /** Checked-out branch (`main`, `feature/x`), or null when HEAD is detached. */
  branch: string | null;
  /** Abbreviated commit (7 hex digits) when HEAD is detached, else null. */
  detached: string | null;
  /** True when the cwd is in a linked worktree (`git worktree add`), not the main one. */
  worktree: boolean;
  /** The git directory shared by every worktree of the repository (`<main>/.git`). */
  commonDir: string;
}

/** What `HEAD` names: a branch, or a commit when detached. */
export type GitHead = { branch: string; detached: null } | { branch: null; detached: string };

/** Length of an abbreviated commit, as `git log --oneline` prints by default. */
const SHORT_SHA = 7;
const BRANCH_PREFIX = "refs/heads/";

/**
 * Parses a `HEAD` file: `ref: refs/heads/<branch>` names a branch (another ref is kept whole), a
 * bare object id means a detached HEAD. Null for anything else.
 *
 * @example
 * ```ts
 * parseHead("ref: refs/heads/main\n"); // { branch: "main", detached: null }
 * parseHead("3f1c2a9d0e8b7c6a5f4e3d2c1b0a998877665544\n"); // { branch: null, detached: "3f1c2a9" }
 * ```
 */
export function parseHead(text: string): GitHead | null {
  const line = text.trim();
  if (line.startsWith("ref:")) {
    const ref = line.slice(4).trim();
    if (ref.length === 0) return null;
    return { branch: ref.startsWith(BRANCH_PREFIX) ? ref.slice(BRANCH_PREFIX.length) : ref, detached: null };
  }
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(line)
    ? { branch: null, detached: line.slice(0, SHORT_SHA) }
    : null;
}

/**
 * Parses a `.git` file (linked worktrees and submodules): `gitdir: <path>`, returned as written
 * (relative paths are relative to the file's directory). Null when the file says something else.
 *
 * @example
 * ```ts
 * parseGitFile("gitdir: /src/app/.git/worktrees/fix\n"); // "/src/app/.git/worktrees/fix"
 * ```
 */
export function parseGitFile(text: string): string | null {
  const match = /^gitdir:[ \t]*(.+?)[ \t]*$/m.exec(text);
  return match ? match[1] : null;
}

/**
 * The shared git directory named by a linked worktree's `commondir` file (usually `../..`),
 * resolved against that worktree's git directory.
 *
 * @example
 * ```ts
 * resolveCommonDir("../..\n", "/src/app/.git/worktrees/fix"); // "/src/app/.git"
 * ```
 */
export function resolveCommonDir(text: string, gitDir: string): string {
  return resolve(gitDir, text.trim());
}

/** The repository a cwd belongs to, found by walking up; cached per cwd. */
interface Location {
  root: string;
  gitDir: string;
  commonDir: string;
  worktree: boolean;
}

/** A parsed `HEAD` with the stamp (mtime, inode, size) of the file it was read from. */
interface HeadRead {
  stamp: string;
  head: GitHead | null;
}

const CACHE_LIMIT = 1024;

/** Most bytes read of a git file (`HEAD`, a worktree's `.git`, `commondir`): they hold one line. */
const GIT_FILE_BYTES = 64 * 1024;
const locations = new Map<string, Location>();
/** Directories found outside any repository, with when: looked at again after {@linkcode NO_REPO_RECHECK_MS}. */
const outside = new Map<string, number>();
/** How long "not in a repository" is believed before the walk up is done again (a `git init` shows then). */
export const NO_REPO_RECHECK_MS = 10_000;
const heads = new Map<string, HeadRead>();

/**
 * Git facts of the repository that holds `cwd`, or null when it is in none (or its `.git` is
 * unreadable or broken). Walks up from `cwd` to the first `.git`: a directory (the main worktree),
 * or a file `gitdir: …` (a linked worktree or a submodule; a linked worktree's git directory has a
 * `commondir`). The location is cached per cwd and `HEAD` per git directory by its mtime, inode and
 * size, so a repeated call costs one `stat`; a cwd in no repository is walked up again on each
 * call. Needs `--allow-read` for the cwd and its parents.
 *
 * @example
 * ```ts
 * gitFacts("/src/app/lib"); // { root: "/src/app", branch: "main", detached: null, worktree: false, … }
 * ```
 */
export function gitFacts(cwd: string): GitFacts | null {
  const known = locations.get(cwd);
  if (known !== undefined) {
    const facts = factsAt(known);
    if (facts !== null) return facts;
    locations.delete(cwd);
  }
  const checked = outside.get(cwd);
  if (checked !== undefined && Date.now() - checked < NO_REPO_RECHECK_MS) return null;
  const found = locate(cwd);
  if (found === null) {
    if (outside.size >= CACHE_LIMIT) outside.clear();
    outside.set(cwd, Date.now());
    return null;
  }
  outside.delete(cwd);
  if (locations.size >= CACHE_LIMIT) locations.clear();
  locations.set(cwd, found);
  return factsAt(found);
}

/** Facts of a located repository, reading `HEAD` only when its stamp changed; null when it is gone. */
function factsAt(at: Location): GitFacts | null {
  const headPath = join(at.gitDir, "HEAD");
  const info = attempt(() => Deno.statSync(headPath));
  if (info === null || !info.isFile) {
    heads.delete(at.gitDir);
    return null;
  }
  const stamp = `${info.mtime?.getTime()}:${info.ino}:${info.size}`;
  let read = heads.get(at.gitDir);
  if (read === undefined || read.stamp !== stamp) {
    const text = readSmallText(headPath, GIT_FILE_BYTES);
    if (heads.size >= CACHE_LIMIT) heads.clear();
    heads.set(at.gitDir, read = { stamp, head: text === null ? null : parseHead(text) });
  }
  if (read.head === null) return null;
  return { root: at.root, ...read.head, worktree: at.worktree, commonDir: at.commonDir };
}

/** Walks up from `cwd` to the first `.git` and resolves its git and common directories. */
function locate(cwd: string): Location | null {
  for (let dir = resolve(cwd);; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    const info = attempt(() => Deno.statSync(dotGit));
    if (info?.isDirectory) return { root: dir, gitDir: dotGit, commonDir: dotGit, worktree: false };
    if (info?.isFile) {
      const text = readSmallText(dotGit, GIT_FILE_BYTES);
      const target = text === null ? null : parseGitFile(text);
      if (target === null) return null;
      const gitDir = resolve(dir, target);
      const common = readSmallText(join(gitDir, "commondir"), GIT_FILE_BYTES);
      return common === null
        ? { root: dir, gitDir, commonDir: gitDir, worktree: false }
        : { root: dir, gitDir, commonDir: resolveCommonDir(common, gitDir), worktree: true };
    }
    if (dirname(dir) === dir) return null;
  }
}

/** The value of `read`, or null when it throws (a missing or unreadable file). */
function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
