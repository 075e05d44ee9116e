/**
 * Continue CLI sessions on disk: which session a live `cn` process works in, and its facts read from
 * the session document (parsed again only when the file changed).
 *
 * Layout under `CONTINUE_GLOBAL_DIR` (default `~/.continue`): `sessions/<uuid>.json`, one document per
 * session, and `sessions/sessions.json`, an index of them.
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
import { continueFacts } from "./transcript.ts";
import { dataDirs, DirListings, mtimeOf, namedDir } from "../../formats/files.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { UUID } from "../../formats/argv.ts";
import { recentFiles, type SessionFile, START_SLACK_MS } from "../../formats/recent.ts";

/**
 * Continue's data directory of a process: `CONTINUE_GLOBAL_DIR`, else `<home>/.continue`.
 *
 * @example
 * ```ts
 * continueDir({}, "/home/me"); // "/home/me/.continue"
 * ```
 */
export function continueDir(env: Record<string, string>, home: string): string {
  return env.CONTINUE_GLOBAL_DIR || `${home}/.continue`;
}

/**
 * Continue's {@linkcode SessionSource}; one per collector.
 *
 * Linking: the newest session document written since the process started whose `workspaceDirectory`
 * is the process's working directory, not linked to another agent (`cn` names no session on its
 * command line: `--resume` takes the last one, which is then rewritten).
 */
export class ContinueSessionSource implements SessionSource {
  /** Where Continue keeps its data. */
  readonly envKeys: readonly string[] = ["CONTINUE_GLOBAL_DIR"];
  #docs = new JsonDocuments<SessionRead>(continueFacts);
  #listings = new DirListings();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named the place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${continueDir(env, home)}/sessions`, env, ["CONTINUE_GLOBAL_DIR"])];
  }

  /** Finds the session of a live Continue process. */
  link(ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const since = ctx.startedAt - START_SLACK_MS;
    const candidates = this.#sessions(`${continueDir(ctx.env, ctx.home)}/sessions`, ctx.now).flatMap((f) => {
      const mtime = ctx.claimed.has(f.path) ? null : mtimeOf(f.path);
      return mtime !== null && mtime >= since ? [{ ...f, mtime }] : [];
    }).sort((a, b) => b.mtime - a.mtime);
    const hit = candidates.find((f) => this.#docs.load(f.path, ctx.now)?.facts?.cwd === ctx.cwd);
    return hit ? { path: hit.path, id: hit.id, linkedBy: "cwd" } : null;
  }

  /** Reads a linked session, parsing its document again only when the file changed. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#docs.load(link.path, now);
    if (!s?.facts) return null;
    return {
      ...s.facts,
      id: s.facts.id || link.id,
      lastActivity: s.mtime || null,
      malformedLines: s.facts.malformedLines + (s.broken ? 1 : 0),
    };
  }

  /** Sessions written since `sinceMs` under the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const dirs = dataDirs(envs, "CONTINUE_GLOBAL_DIR", (e, home) => `${continueDir(e, home)}/sessions`);
    return recentFiles([...dirs].flatMap((dir) => this.#sessions(dir, now)), sinceMs, { max: this.#max });
  }

  /** The `<uuid>.json` documents of a sessions directory. */
  #sessions(dir: string, now: number): SessionFile[] {
    return this.#listings.list(dir, now).flatMap((name) => {
      const id = name.endsWith(".json") ? name.slice(0, -5) : "";
      return UUID.test(id) ? [{ path: `${dir}/${name}`, id }] : [];
    });
  }
}
