/**
 * Where pi and oh-my-pi keep their session files and how a live process is joined with its own: one
 * {@linkcode SessionSource} for both, given each agent's directory layout.
 *
 * Both write `<sessions dir>/<ISO time>_<session id>.jsonl`, one directory per working directory
 * (named differently by each), or all in one directory given by `--session-dir` (pi also
 * `PI_CODING_AGENT_SESSION_DIR`). Neither holds the file open: it is appended to line by line.
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
} from "../vendor.ts";
import { PiTranscript } from "./pi_session.ts";
import { withSubagents } from "./pi_subagents.ts";
import { DirListings, headRecords, homeOf, mtimeOf, namedDir, normalisePath } from "./files.ts";
import { transcriptRead, Transcripts } from "./parse_cache.ts";
import { jsonlSessions, newestSince, RecentScan, type SessionFile } from "./recent.ts";
import { nonBlank } from "./records.ts";
import { promptLine } from "./text.ts";

/** Bytes read from the head of a session file to find its header (oh-my-pi pads its title line). */
const HEAD_BYTES = 64 * 1024;

/** How one agent of the pi family lays out its sessions. */
export interface PiLayout {
  /** Environment variables the layout reads from the agent process. */
  readonly envKeys: readonly string[];
  /** Options naming the session to open (`--session <path|id prefix>`). */
  readonly sessionFlags: readonly string[];
  /** True when the first line is a `title` record the agent rewrites in place (oh-my-pi). */
  readonly titleLine: boolean;
  /** The directory a live agent in `cwd` writes its sessions to, unless argv names one. */
  sessionDir(env: Record<string, string>, home: string, cwd: string): string;
  /**
   * Directories of session files for `ls --all`: `nested` ones hold one directory per working
   * directory, the others the files themselves.
   */
  roots(env: Record<string, string>, home: string): { dir: string; nested: boolean }[];
}

/**
 * The session id in a session file's name, `<ISO time>_<id>.jsonl`.
 *
 * @example
 * ```ts
 * piSessionId("2026-12-06T10-00-00-000Z_019af3c2-7d1e-7aa0-9b3c-5d6e7f8a9b0c.jsonl");
 * // "019af3c2-7d1e-7aa0-9b3c-5d6e7f8a9b0c"
 * ```
 */
export function piSessionId(name: string): string {
  const base = name.endsWith(".jsonl") ? name.slice(0, -".jsonl".length) : name;
  return base.slice(base.lastIndexOf("_") + 1);
}

/**
 * `path` made absolute against `cwd` (`~` expanded against `home`), without `.` and `..` segments.
 *
 * @example
 * ```ts
 * resolveFrom("../s", "/home/me/app", "/home/me"); // "/home/me/s"
 * ```
 */
export function resolveFrom(path: string, cwd: string, home: string): string {
  if (path === "~" || path.startsWith("~/")) return normalisePath(`${home}${path.slice(1)}`);
  return normalisePath(path.startsWith("/") ? path : `${cwd}/${path}`);
}

/**
 * The {@linkcode SessionSource} of pi and its forks. Keeps, per session file, its tail and parse
 * state, so a tick reads only appended bytes; one per collector.
 *
 * Linking, most reliable first: the session `--session` names (a file, or a session id prefix looked
 * up in the sessions directory); else the file in the agent's sessions directory (`--session-dir`, else
 * the layout's) written last since the process started, not linked to another agent, whose header
 * records the process's working directory.
 */
export class PiSessionSource implements SessionSource {
  /** Environment variables the layout reads. */
  readonly envKeys: readonly string[];
  #layout: PiLayout;
  #sessions: Transcripts<PiTranscript>;
  #subagents: Transcripts<PiTranscript>;
  #listings = new DirListings();
  #scan: RecentScan;
  #cwds = new Map<string, string | null>();
  #titles = new Map<string, { mtime: number; title: string | null }>();

  /**
   * A source reading sessions laid out as `layout` says; `options.history` keeps whole usage timelines,
   * `options.max` caps the sessions `recent` lists.
   */
  constructor(layout: PiLayout, options: ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
    this.#sessions = new Transcripts(() => new PiTranscript(options));
    this.#subagents = new Transcripts(() => new PiTranscript(options));
    this.#layout = layout;
    this.envKeys = layout.envKeys;
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return this.#layout.roots(env, home).map(({ dir }) => namedDir(dir, env, this.envKeys));
  }

  /** Finds the session file of a live agent. */
  link(ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const named = flagValue(ctx.argv, ["--session-dir"]);
    const dir = named !== null
      ? resolveFrom(named, ctx.cwd, ctx.home)
      : this.#layout.sessionDir(ctx.env, ctx.home, ctx.cwd);
    return this.#fromArgv(dir, ctx) ?? this.#fromCwd(dir, ctx);
  }

  /**
   * Reads the facts of a linked session, with its subagents' (oh-my-pi): whole files the first time,
   * appended bytes after.
   */
  read(link: SessionLink, now: number): SessionRead | null {
    const session = this.#sessions.follow(link.path, now);
    const own = transcriptRead(session, link.id);
    if (own === null) return null;
    const calls = session.parser.subagentCalls;
    const read = withSubagents(own, link.path, calls, this.#subagents, this.#listings, now);
    if (!this.#layout.titleLine) return read;
    return { ...read, title: this.#title(link.path, own.lastActivity ?? 0) ?? read.title };
  }

  /** Session files modified since `sinceMs` under the session directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const seen = new Set<string>();
    const files: SessionFile[] = [];
    for (const env of envs) {
      const home = homeOf(env);
      for (const { dir, nested } of this.#layout.roots(env, home)) {
        if (seen.has(dir) || !dir.startsWith("/")) continue;
        seen.add(dir);
        const dirs: Iterable<[string, string[]]> = nested
          ? this.#scan.subdirs(dir)
          : [[dir, this.#scan.list(dir)]];
        for (const [d, names] of dirs) {
          files.push(...jsonlSessions(d, names).map((f) => ({ ...f, id: piSessionId(f.id) })));
        }
      }
    }
    return this.#scan.newest(files, sinceMs);
  }

  #fromArgv(dir: string, ctx: LinkContext): SessionLink | null {
    const value = flagValue(ctx.argv, this.#layout.sessionFlags);
    if (value === null) return null;
    if (value.includes("/") || value.endsWith(".jsonl")) {
      const path = resolveFrom(value, ctx.cwd!, ctx.home);
      const name = path.slice(path.lastIndexOf("/") + 1);
      return !ctx.claimed.has(path) && mtimeOf(path) !== null
        ? { path, id: piSessionId(name), linkedBy: "argv" }
        : null;
    }
    for (const name of this.#listings.list(dir, ctx.now)) {
      const path = `${dir}/${name}`;
      if (!name.endsWith(".jsonl") || !piSessionId(name).startsWith(value) || ctx.claimed.has(path)) continue;
      return { path, id: piSessionId(name), linkedBy: "argv" };
    }
    return null;
  }

  #fromCwd(dir: string, ctx: LinkContext): SessionLink | null {
    const names = this.#listings.list(dir, ctx.now);
    const hit = newestSince(dir, names, ctx, (path) => this.#cwd(path) === ctx.cwd);
    return hit && { path: hit.path, id: piSessionId(hit.name), linkedBy: "cwd" };
  }

  /** The `cwd` of a session file's header (cached once read). */
  #cwd(path: string): string | null {
    if (this.#cwds.has(path)) return this.#cwds.get(path)!;
    for (const rec of headRecords(path, HEAD_BYTES, ['"session"'])) {
      if (rec.type !== "session") continue;
      const cwd = nonBlank(rec.cwd);
      this.#cwds.set(path, cwd);
      return cwd;
    }
    return null;
  }

  /**
   * The title of oh-my-pi's first line, which it rewrites in place (so appending never shows it): read
   * again when the file changed; null for files that start otherwise.
   */
  #title(path: string, mtime: number): string | null {
    const cached = this.#titles.get(path);
    if (cached?.mtime === mtime) return cached.title;
    const first = headRecords(path, HEAD_BYTES, ['"title"']).next().value;
    const title = first?.type === "title" ? promptLine(nonBlank(first.title)) : null;
    if (this.#titles.size > 256) this.#titles.clear();
    this.#titles.set(path, { mtime, title });
    return title;
  }
}

/** The value of the first of `flags` in argv (`--flag value` or `--flag=value`), or null. */
function flagValue(argv: readonly string[], flags: readonly string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    if (flags.includes(eq === -1 ? a : a.slice(0, eq))) {
      const v = eq === -1 ? argv[i + 1] : a.slice(eq + 1);
      return v && !v.startsWith("-") ? v : null;
    }
  }
  return null;
}
