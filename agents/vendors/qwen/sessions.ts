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

import type { LinkContext, SessionLink, SessionSource } from "../../vendor.ts";
import type { SessionFacts } from "../../session.ts";
import { QwenTranscript } from "./transcript.ts";
import { JsonlTail } from "../../formats/jsonl.ts";
import { argvSessionIds } from "../../formats/argv.ts";
import { DirListings, headRecords, listDir, mtimeOf } from "../../formats/files.ts";

/** A chat file found by directory must have been written after the process started, less this much. */
export const START_SLACK_MS = 5_000;
/** Parse state of a session not read for this long is dropped. */
const FORGET_AFTER_MS = 10 * 60_000;
/** Bytes read from the head of a chat file to find the `cwd` it records. */
const HEAD_BYTES = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything kept per chat file between reads. */
interface SessionState {
  tail: JsonlTail;
  parser: QwenTranscript;
  lastRead: number;
}

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
 * state, so a tick reads only appended bytes; create one per collector (or use {@linkcode qwenSessions}).
 *
 * Linking: a session id in argv (`--resume <uuid>`, `-r <uuid>`, `--session-id <uuid>`); else the chat
 * file in `R/projects/<enc(cwd)>/chats/` written last since the process started and not linked to
 * another agent, confirmed by the `cwd` recorded inside it.
 */
export class QwenSessionSource implements SessionSource {
  /** `QWEN_RUNTIME_DIR` of the agent. */
  readonly envKeys: readonly string[] = ["QWEN_RUNTIME_DIR"];
  #sessions = new Map<string, SessionState>();
  #listings = new DirListings();
  #cwds = new Map<string, string>();

  /** Finds the chat file of a live Qwen Code process. Never throws. */
  link(ctx: LinkContext): SessionLink | null {
    try {
      if (!ctx.cwd) return null;
      const dir = `${qwenRuntimeDir(ctx.env, ctx.home, ctx.cwd)}/projects/${qwenProjectDir(ctx.cwd)}/chats`;
      return this.#fromArgv(dir, ctx) ?? this.#fromCwd(dir, ctx);
    } catch {
      return null;
    }
  }

  /** Reads the facts of a linked session: whole file the first time, appended bytes after. Never throws. */
  read(link: SessionLink, now: number): SessionFacts | null {
    try {
      for (const [path, s] of this.#sessions) {
        if (now - s.lastRead > FORGET_AFTER_MS) this.#sessions.delete(path);
      }
      let state = this.#sessions.get(link.path);
      if (!state) {
        state = { tail: new JsonlTail(link.path), parser: new QwenTranscript(), lastRead: now };
        this.#sessions.set(link.path, state);
      }
      const s = state;
      s.lastRead = now;
      s.tail.read((line) => s.parser.feed(line), () => s.parser = new QwenTranscript());
      if (s.tail.mtimeMs === null) return null;
      const f = s.parser.facts();
      return {
        ...f,
        vendor: "qwen",
        id: f.id || link.id,
        path: link.path,
        linkedBy: link.linkedBy,
        lastActivity: Math.max(f.lastActivity ?? 0, s.tail.mtimeMs),
        malformedLines: f.malformedLines + s.tail.skippedLines,
      };
    } catch {
      return null;
    }
  }

  /** Chat files modified since `sinceMs` under the runtime directories of `envs`, newest first. Never throws. */
  recent(envs: Record<string, string>[], sinceMs: number): SessionLink[] {
    const bases = new Set<string>();
    for (const e of envs) {
      const home = e.HOME || e.USERPROFILE;
      const base = qwenRuntimeDir(e, home ?? "", null);
      if (base.startsWith("/") || /^[A-Za-z]:/.test(base)) bases.add(base);
    }
    const found: { link: SessionLink; mtime: number }[] = [];
    for (const base of bases) {
      for (const project of listDir(`${base}/projects`)) {
        const dir = `${base}/projects/${project}/chats`;
        for (const name of listDir(dir)) {
          if (!name.endsWith(".jsonl")) continue;
          const path = `${dir}/${name}`;
          const mtime = mtimeOf(path);
          if (mtime !== null && mtime >= sinceMs) {
            found.push({ link: { path, id: name.slice(0, -6), linkedBy: "recent" }, mtime });
          }
        }
      }
    }
    return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.link);
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

/** Qwen Code's sessions, shared by the vendor and the collector. */
export const qwenSessions: QwenSessionSource = new QwenSessionSource();
