/**
 * Qwen Code sessions on disk: which chat file a live `qwen` process writes, and its facts read
 * incrementally.
 *
 * Layout under the runtime directory `R` (`$QWEN_RUNTIME_DIR`, else `~/.qwen`):
 * `R/projects/<enc(cwd)>/chats/<sessionId>.jsonl`, where `enc` turns every character that is not an
 * ASCII letter or digit into `-` (the path lower-cased first on Windows). Every record carries the `cwd`.
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
import { QwenTranscript } from "./transcript.ts";
import { argvSessionIds, UUID } from "../../formats/argv.ts";
import { DirListings, headRecords, homeOf, mtimeOf, namedDir } from "../../formats/files.ts";
import { Transcripts } from "../../formats/parse_cache.ts";
import { jsonlSessions, RecentScan, START_SLACK_MS } from "../../formats/recent.ts";

/** Bytes read from the head of a chat file to find the `cwd` it records. */
const HEAD_BYTES = 256 * 1024;

/**
 * The runtime directory of a Qwen Code process: `QWEN_RUNTIME_DIR` (`~` expanded, a relative path
 * taken from the working directory), else `<home>/.qwen`.
 *
 * @example
 * ```ts
 * qwenRuntimeDir({ QWEN_RUNTIME_DIR: "~/rt" }, "/home/me", "/work"); // "/home/me/rt"
 * qwenRuntimeDir({}, "/home/me", "/work"); // "/home/me/.qwen"
 * ```
 */
export function qwenRuntimeDir(env: Record<string, string>, home: string, cwd: string | null): string {
  const dir = env.QWEN_RUNTIME_DIR;
  if (!dir) return `${home}/.qwen`;
  if (dir === "~" || dir.startsWith("~/")) return `${home}${dir.slice(1)}`;
  if (/^(?:[A-Za-z]:)?[\\/]/.test(dir) || !cwd) return dir;
  return `${cwd}/${dir}`;
}

/**
 * The directory name Qwen Code gives a project: every character that is not an ASCII letter or digit
 * becomes `-` (lower-cased first on Windows). Only ever encoded forward: the encoding loses information.
 *
 * @example
 * ```ts
 * qwenProjectDir("/home/me/proj/qwen/api_srv"); // "-home-me-proj-qwen-api-srv"
 * ```
 */
export function qwenProjectDir(cwd: string): string {
  return (Deno.build.os === "windows" ? cwd.toLowerCase() : cwd).replace(/[^a-zA-Z0-9]/g, "-");
}

/**
 * Qwen Code's {@linkcode SessionSource}. Keeps, per chat file, a {@linkcode JsonlTail} and the parse
 * state, so a tick reads only appended bytes; one per collector.
 *
 * Linking: a session id in argv (`--resume <uuid>`, `-r <uuid>`, `--session-id <uuid>`); else the chat
 * file in `R/projects/<enc(cwd)>/chats/` written last since the process started and not linked to
 * another agent, confirmed by the `cwd` recorded inside it.
 */
export class QwenSessionSource implements SessionSource {
  /** `QWEN_RUNTIME_DIR` of the agent. */
  readonly envKeys: readonly string[] = ["QWEN_RUNTIME_DIR"];
  #sessions: Transcripts<QwenTranscript>;
  #listings = new DirListings();
  #scan: RecentScan;
  #cwds = new Map<string, string>();

  /** A reader; `options.history` keeps whole usage timelines, `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
    this.#sessions = new Transcripts(() => new QwenTranscript(options));
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${qwenRuntimeDir(env, home, null)}/projects`, env, ["QWEN_RUNTIME_DIR"])];
  }

  /** Finds the chat file of a live Qwen Code process. */
  link(ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const dir = `${qwenRuntimeDir(ctx.env, ctx.home, ctx.cwd)}/projects/${qwenProjectDir(ctx.cwd)}/chats`;
    return this.#fromArgv(dir, ctx) ?? this.#fromCwd(dir, ctx);
  }

  /** Reads the facts of a linked session: whole file the first time, appended bytes after. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#sessions.follow(link.path, now);
    if (s.tail.mtimeMs === null) return null;
    const f = s.parser.facts();
    return {
      ...f,
      id: f.id || link.id,
      lastActivity: Math.max(f.lastActivity ?? 0, s.tail.mtimeMs),
      malformedLines: f.malformedLines + s.tail.skippedLines,
    };
  }

  /** Chat files modified since `sinceMs` under the runtime directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const bases = new Set<string>();
    for (const e of envs) {
      const base = qwenRuntimeDir(e, homeOf(e), null);
      if (base.startsWith("/") || /^[A-Za-z]:/.test(base)) bases.add(base);
    }
    const files = [...bases].flatMap((base) =>
      [...this.#scan.subdirs(`${base}/projects`, "/chats")].flatMap(([dir, names]) =>
        jsonlSessions(dir, names)
      )
    );
    return this.#scan.newest(files, sinceMs);
  }

  #fromArgv(dir: string, ctx: LinkContext): SessionLink | null {
    for (const id of argvSessionIds(ctx.argv, (v) => UUID.test(v))) {
      const path = `${dir}/${id}.jsonl`;
      if (!ctx.claimed.has(path) && mtimeOf(path) !== null) return { path, id, linkedBy: "argv" };
    }
    return null;
  }

  #fromCwd(dir: string, ctx: LinkContext): SessionLink | null {
    let best: { path: string; id: string; mtime: number } | null = null;
    for (const name of this.#listings.list(dir, ctx.now)) {
      if (!name.endsWith(".jsonl")) continue;
      const path = `${dir}/${name}`;
      if (ctx.claimed.has(path)) continue;
      const mtime = mtimeOf(path);
      if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS || (best && mtime <= best.mtime)) continue;
      const recorded = this.#cwd(path);
      if (recorded !== null && recorded !== ctx.cwd) continue;
      best = { path, id: name.slice(0, -6), mtime };
    }
    return best && { path: best.path, id: best.id, linkedBy: "cwd" };
  }

  /** The `cwd` the first records of a chat file carry (cached once found). */
  #cwd(path: string): string | null {
    const cached = this.#cwds.get(path);
    if (cached !== undefined) return cached;
    for (const rec of headRecords(path, HEAD_BYTES, ['"cwd"'])) {
      if (typeof rec.cwd === "string" && rec.cwd) {
        this.#cwds.set(path, rec.cwd);
        return rec.cwd;
      }
    }
    return null;
  }
}
