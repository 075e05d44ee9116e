/**
 * Copilot CLI sessions on disk: which session a live `copilot` process has open, and its facts read
 * incrementally from the session's `events.jsonl`.
 *
 * Layout under the root `R` (`--config-dir`, else `$COPILOT_HOME`, else `~/.copilot`):
 * `R/session-state/<sessionId>/` is made when the process starts, with `workspace.yaml` (id, cwd,
 * branch, created_at), `inuse.<pid>.lock` (removed on exit; `inuse.<pid>.hold` is held open) and,
 * from the first event on, `events.jsonl`.
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
import { bareSession } from "../../formats/bare_session.ts";
import { CopilotTranscript } from "./transcript.ts";
import { dataDirs, DirListings, listDir, mtimeOf, namedDir } from "../../formats/files.ts";
import { readSmallText } from "../../formats/regular.ts";
import { ParseCache, Transcripts } from "../../formats/parse_cache.ts";
import { recentFiles, START_SLACK_MS } from "../../formats/recent.ts";
import { optionValue } from "../../formats/argv.ts";

/** A process whose lock file was not found is looked up again after this long. */
const MISSING_RETRY_MS = 10_000;
/** `workspace.yaml` is a few hundred bytes; anything larger is not read. */
const WORKSPACE_MAX_BYTES = 64 * 1024;
const EVENTS = "events.jsonl";
/** Copilot's option values never start with `-` (`--resume` may stand alone, before the next option). */
const OPTIONAL = { optional: true };
const HOLD = /\/session-state\/([^/]+)\/inuse\.(\d+)\.hold$/;

/** The top-level `key: value` scalars of a `workspace.yaml`, read once per modification. */
interface Workspace {
  mtime: number;
  fields: Record<string, string>;
}

/**
 * The data directory of a Copilot CLI process: `--config-dir <dir>` in argv, else `COPILOT_HOME`,
 * else `<home>/.copilot`.
 *
 * @example
 * ```ts
 * copilotRoot(["copilot"], { COPILOT_HOME: "/x" }, "/home/me"); // "/x"
 * copilotRoot(["copilot", "--config-dir=/y"], {}, "/home/me"); // "/y"
 * ```
 */
export function copilotRoot(argv: readonly string[], env: Record<string, string>, home: string): string {
  return optionValue(argv, ["--config-dir"], OPTIONAL) || env.COPILOT_HOME || `${home}/.copilot`;
}

/**
 * Copilot CLI's {@linkcode SessionSource}. Keeps, per `events.jsonl`, a {@linkcode JsonlTail} and the
 * parse state, so a tick reads only appended bytes; one per collector.
 *
 * Linking, most reliable first: the session directory holding the process's own
 * `inuse.<pid>.hold` open or its `inuse.<pid>.lock` (made since the process started, so a reused pid
 * is not taken for it); `--resume=<id>` in argv; else the newest session whose `workspace.yaml` cwd is
 * the process's and that was written since it started, not linked to another agent.
 */
export class CopilotSessionSource implements SessionSource {
  /** `COPILOT_HOME` of the agent. */
  readonly envKeys: readonly string[] = ["COPILOT_HOME"];
  #sessions: Transcripts<CopilotTranscript>;
  #workspaces = new Map<string, Workspace>();
  #listings = new DirListings();
  #locks = new Map<string, string>();
  #missing = new ParseCache<number>();
  #max: number | undefined;

  /** A reader; `options.history` keeps whole usage timelines, `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
    this.#sessions = new Transcripts(() => new CopilotTranscript(options));
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${copilotRoot([], env, home)}/session-state`, env, ["COPILOT_HOME"])];
  }

  /** Finds the session of a live Copilot CLI process. */
  link(ctx: LinkContext): SessionLink | null {
    const state = `${copilotRoot(ctx.argv, ctx.env, ctx.home)}/session-state`;
    return this.#fromLock(state, ctx) ?? this.#fromArgv(state, ctx) ?? this.#fromCwd(state, ctx);
  }

  /** Sessions whose events were written since `sinceMs` under the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const roots = dataDirs(envs, "COPILOT_HOME", (e, home) => copilotRoot([], e, home));
    const files = [...roots].flatMap((root) =>
      listDir(`${root}/session-state`).map((id) => ({ path: `${root}/session-state/${id}/${EVENTS}`, id }))
    );
    return recentFiles(files, sinceMs, { max: this.#max });
  }

  /** The session directory of the process's `inuse.<pid>.hold` (open) or `inuse.<pid>.lock`. */
  #fromLock(state: string, ctx: LinkContext): SessionLink | null {
    for (const file of ctx.openFiles) {
      const m = HOLD.exec(file);
      if (m && Number(m[2]) === ctx.pid && file.startsWith(`${state}/`)) {
        return this.#linkTo(state, m[1], "registry", ctx);
      }
    }
    const key = `${state}\0${ctx.pid}:${ctx.startId}`;
    const known = this.#locks.get(key);
    if (known && this.#lockOf(state, known, ctx) !== null) return this.#linkTo(state, known, "registry", ctx);
    this.#locks.delete(key);
    if (ctx.now - (this.#missing.peek(key) ?? -Infinity) < MISSING_RETRY_MS) return null;
    let best: { id: string; mtime: number } | null = null;
    for (const id of this.#listings.list(state, ctx.now)) {
      const mtime = this.#lockOf(state, id, ctx);
      if (mtime !== null && (!best || mtime > best.mtime)) best = { id, mtime };
    }
    if (!best) {
      this.#missing.set(key, ctx.now, ctx.now);
      return null;
    }
    this.#missing.delete(key);
    this.#locks.set(key, best.id);
    return this.#linkTo(state, best.id, "registry", ctx);
  }

  /** Modification time of `<id>/inuse.<pid>.lock` when it is this process's: made since it started, naming its pid. */
  #lockOf(state: string, id: string, ctx: LinkContext): number | null {
    const path = `${state}/${id}/inuse.${ctx.pid}.lock`;
    const mtime = mtimeOf(path);
    if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS) return null;
    const text = readSmall(path)?.trim() ?? "";
    return /^\d+$/.test(text) && Number(text) !== ctx.pid ? null : mtime;
  }

  #fromArgv(state: string, ctx: LinkContext): SessionLink | null {
    const id = optionValue(ctx.argv, ["--resume"], OPTIONAL);
    if (!id || id.includes("/") || mtimeOf(`${state}/${id}`) === null) return null;
    return this.#linkTo(state, id, "argv", ctx);
  }

  #fromCwd(state: string, ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    let best: { id: string; mtime: number } | null = null;
    for (const id of this.#listings.list(state, ctx.now)) {
      if (ctx.claimed.has(`${state}/${id}/${EVENTS}`)) continue;
      const mtime = Math.max(
        mtimeOf(`${state}/${id}/${EVENTS}`) ?? 0,
        mtimeOf(`${state}/${id}/workspace.yaml`) ?? 0,
      );
      if (mtime < ctx.startedAt - START_SLACK_MS || (best && mtime <= best.mtime)) continue;
      if (this.#workspace(`${state}/${id}`)?.cwd !== ctx.cwd) continue;
      best = { id, mtime };
    }
    return best && this.#linkTo(state, best.id, "cwd", ctx);
  }

  #linkTo(state: string, id: string, linkedBy: string, ctx: LinkContext): SessionLink | null {
    const path = `${state}/${id}/${EVENTS}`;
    return ctx.claimed.has(path) ? null : { path, id, linkedBy };
  }

  /** Reads the facts of a linked session: whole file the first time, appended bytes after. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#sessions.follow(link.path, now);
    const dir = link.path.slice(0, link.path.lastIndexOf("/"));
    const workspace = this.#workspace(dir);
    if (s.tail.mtimeMs === null) {
      // The session directory exists from the process start; events come with the first prompt.
      return workspace ? this.#beforeEvents(link, workspace, mtimeOf(`${dir}/workspace.yaml`)) : null;
    }
    const f = s.parser.facts();
    return {
      ...f,
      id: f.id || link.id,
      cwd: f.cwd ?? workspace?.cwd ?? null,
      gitBranch: f.gitBranch ?? workspace?.branch ?? null,
      lastActivity: Math.max(f.lastActivity ?? 0, s.tail.mtimeMs) || null,
      malformedLines: f.malformedLines + s.tail.skippedLines,
    };
  }

  /** A session that exists but has no events yet: what its `workspace.yaml` says. */
  #beforeEvents(link: SessionLink, w: Record<string, string>, mtime: number | null): SessionRead {
    const created = w.created_at ? Date.parse(w.created_at) : NaN;
    return bareSession({
      id: w.id || link.id,
      cwd: w.cwd || null,
      gitBranch: w.branch || null,
      startedAt: Number.isNaN(created) ? null : created,
      lastActivity: mtime,
    });
  }

  /** The fields of `<dir>/workspace.yaml` (cached per modification time), or null without one. */
  #workspace(dir: string): Record<string, string> | null {
    const path = `${dir}/workspace.yaml`;
    const mtime = mtimeOf(path);
    if (mtime === null) return null;
    const cached = this.#workspaces.get(path);
    if (cached && cached.mtime === mtime) return cached.fields;
    const text = readSmall(path);
    if (text === null) return null;
    const fields = parseTopLevelYaml(text);
    this.#workspaces.set(path, { mtime, fields });
    return fields;
  }
}

/**
 * The top-level `key: value` scalars of a small YAML document (plain, `'single'` or `"double"`
 * quoted); nested blocks, lists and comments are skipped.
 *
 * @example
 * ```ts
 * parseTopLevelYaml("id: 471d\ncwd: \"/home/me/cli tool\"\n"); // { id: "471d", cwd: "/home/me/cli tool" }
 * ```
 */
export function parseTopLevelYaml(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z_][\w-]*):[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value);
      } catch {
        continue;
      }
    } else if (value.startsWith("'")) {
      if (!value.endsWith("'") || value.length < 2) continue;
      value = value.slice(1, -1).replaceAll("''", "'");
    } else value = value.replace(/\s+#.*$/, "");
    if (typeof value === "string" && value !== "" && value !== "~" && value !== "null") out[m[1]] = value;
  }
  return out;
}

function readSmall(path: string): string | null {
  return readSmallText(path, WORKSPACE_MAX_BYTES);
}
