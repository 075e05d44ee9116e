/**
 * Auggie's sessions on disk (built from the format of Auggie 0.36's bundle, not run: it needs an
 * Augment login): one JSON document per session, `<cache dir>/sessions/<sessionId>.json`, where the
 * cache directory is `--augment-cache-dir <path>` when given, else `~/.augment`. A session records
 * no working directory (only the terminal it ran in), so a live process is joined with the session
 * document written last since it started, or the one `--resume <id or prefix>` names.
 *
 * @module
 */

import type * as Reader from "../../vendor.ts";
import { auggieFacts } from "./transcript.ts";
import { DirListings, homeOf, lastWritten, mtimeOf } from "../../formats/files.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { recentFiles, type SessionFile, START_SLACK_MS } from "../../formats/recent.ts";
import { resolveFrom } from "../../formats/pi_store.ts";
import { optionValue } from "../../formats/argv.ts";

/** A session id as Auggie accepts one (letters, digits, `-`, `_`). */
const SESSION_ID = /^[\w-]+$/;

/**
 * Auggie's sessions directory for a process: under `--augment-cache-dir` (relative to its working
 * directory) when its command line names one, else `<home>/.augment/sessions`.
 *
 * @example
 * ```ts
 * auggieSessionsDir(["auggie"], "/home/me/app", "/home/me"); // "/home/me/.augment/sessions"
 * auggieSessionsDir(["auggie", "--augment-cache-dir", "cache"], "/home/me/app", "/home/me");
 * // "/home/me/app/cache/sessions"
 * ```
 */
export function auggieSessionsDir(argv: readonly string[], cwd: string | null, home: string): string {
  const named = optionValue(argv, ["--augment-cache-dir"]);
  return named && cwd ? `${resolveFrom(named, cwd, home)}/sessions` : `${home}/.augment/sessions`;
}

/**
 * Auggie's {@linkcode Reader.SessionSource}; one per collector. Documents are parsed again only when they
 * changed.
 */
export class AuggieSessionSource implements Reader.SessionSource {
  /** Auggie's data moves only with its command line (`--augment-cache-dir`). */
  readonly envKeys: readonly string[] = [];
  #docs = new JsonDocuments<Reader.SessionRead>(auggieFacts);
  #listings = new DirListings();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions it lists (none for a report). */
  constructor(options: Reader.ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept by default. */
  dataDirs(_env: Record<string, string>, home: string): Reader.DataDir[] {
    return [{ path: `${home}/.augment/sessions`, from: "default" }];
  }

  /** Finds the session of a live Auggie process: the one `--resume` names, else the newest since it started. */
  link(ctx: Reader.LinkContext): Reader.SessionLink | null {
    const dir = auggieSessionsDir(ctx.argv, ctx.cwd, ctx.home);
    const files = this.#sessions(dir, ctx.now).filter((f) => !ctx.claimed.has(f.path));
    const resumed = optionValue(ctx.argv, ["-r", "--resume"], { optional: true });
    const named = resumed ? files.filter((f) => f.id.startsWith(resumed)) : [];
    const since = ctx.startedAt - START_SLACK_MS;
    const fresh = files.filter((f) => (mtimeOf(f.path) ?? -Infinity) >= since);
    const hit = lastWritten(named.length > 0 ? named : fresh, (f) => f.path);
    return hit && { path: hit.path, id: hit.id, linkedBy: named.length > 0 ? "argv" : "start" };
  }

  /** Reads a linked session document. */
  read(link: Reader.SessionLink, now: number): Reader.SessionRead | null {
    const s = this.#docs.load(link.path, now);
    if (!s?.facts) return null;
    return {
      ...s.facts,
      id: s.facts.id || link.id,
      lastActivity: Math.max(s.facts.lastActivity ?? 0, s.mtime) || null,
      malformedLines: s.facts.malformedLines + (s.broken ? 1 : 0),
    };
  }

  /** Session documents written since `sinceMs` under the homes of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): Reader.RecentSessions {
    const now = Date.now();
    const dirs = new Set(envs.map((e) => `${homeOf(e)}/.augment/sessions`));
    return recentFiles([...dirs].flatMap((dir) => this.#sessions(dir, now)), sinceMs, {
      max: this.#max,
    });
  }

  /** The `<sessionId>.json` documents of a sessions directory. */
  #sessions(dir: string, now: number): SessionFile[] {
    return this.#listings.list(dir, now).flatMap((name) => {
      const id = name.endsWith(".json") ? name.slice(0, -".json".length) : "";
      return SESSION_ID.test(id) ? [{ path: `${dir}/${name}`, id }] : [];
    });
  }
}
