/**
 * Factory Droid sessions on disk: which session a live `droid` works in, and its facts (the JSONL read
 * incrementally, the settings document beside it parsed again only when it changed).
 *
 * Layout under `FACTORY_HOME_OVERRIDE` (default: the home directory): `.factory/sessions/<cwd with each
 * "/" as "-">/<uuid>.jsonl` and `<uuid>.settings.json`; `.factory/settings.json` names the custom
 * models (`customModels`) that session settings refer to as `custom:<name>-<n>`.
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
import { droidModel, type DroidSettings, droidSettings, DroidTranscript } from "./transcript.ts";
import { readHeadLines } from "../../formats/jsonl.ts";
import { dataDirs, DirListings, lastWritten, mtimeOf, namedDir } from "../../formats/files.ts";
import { argvSessionIds, UUID } from "../../formats/argv.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { Transcripts } from "../../formats/parse_cache.ts";
import { jsonlSessions, recentFiles, type SessionFile, START_SLACK_MS } from "../../formats/recent.ts";

/** `session_start` is the first line; at most this much is read to find it. */
const HEAD_BYTES = 64 * 1024;
/** Flags naming the session to go on with: `--resume <id>` (`-r`), `exec -s/--session-id <id>`. */
const SESSION_FLAGS = ["--resume", "-r", "-s", "--session-id"];

/**
 * Droid's data directory of a process: `<FACTORY_HOME_OVERRIDE or home>/.factory`.
 *
 * @example
 * ```ts
 * factoryDir({}, "/home/me"); // "/home/me/.factory"
 * ```
 */
export function factoryDir(env: Record<string, string>, home: string): string {
  return `${env.FACTORY_HOME_OVERRIDE || home}/.factory`;
}

/**
 * The session directory of a working directory, as Droid names it: each `/` a `-`.
 *
 * @example
 * ```ts
 * projectDirName("/tmp/p2s/repo-droid"); // "-tmp-p2s-repo-droid"
 * ```
 */
export function projectDirName(cwd: string): string {
  return cwd.replaceAll("/", "-");
}

/**
 * Droid's {@linkcode SessionSource}; one per collector.
 *
 * Linking, most reliable first: a session id in argv (`--resume <id>`, `resume <id>`,
 * `exec --session-id <id>`); else the newest session of the working directory's session folder
 * written since the process started whose `session_start.cwd` is that directory, not linked to
 * another agent.
 */
export class DroidSessionSource implements SessionSource {
  /** Where Droid keeps its data. */
  readonly envKeys: readonly string[] = ["FACTORY_HOME_OVERRIDE"];
  #transcripts = new Transcripts(() => new DroidTranscript());
  #settings = new JsonDocuments<DroidSettings>(droidSettings);
  #custom = new JsonDocuments<unknown[]>((raw) => {
    const models = (raw as { customModels?: unknown })?.customModels;
    return Array.isArray(models) ? models : [];
  });
  #listings = new DirListings();
  #cwds = new Map<string, string | null>();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named the place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${factoryDir(env, home)}/sessions`, env, ["FACTORY_HOME_OVERRIDE"])];
  }

  /** Finds the session of a live Droid process. */
  link(ctx: LinkContext): SessionLink | null {
    const sessions = `${factoryDir(ctx.env, ctx.home)}/sessions`;
    const cwd = ctx.cwd;
    const resume = ctx.argv.indexOf("resume");
    const ids = [
      ...argvSessionIds(ctx.argv, (v) => UUID.test(v), SESSION_FLAGS),
      ...(resume === -1 ? [] : ctx.argv.slice(resume + 1, resume + 2).filter((a) => UUID.test(a))),
    ];
    for (const id of ids) {
      const path = this.#byId(sessions, id, cwd, ctx.now);
      if (path && !ctx.claimed.has(path)) return { path, id, linkedBy: "argv" };
    }
    if (!cwd) return null;
    const since = ctx.startedAt - START_SLACK_MS;
    const dir = `${sessions}/${projectDirName(cwd)}`;
    const candidates = this.#files(dir, ctx.now).filter((f) => {
      const mtime = ctx.claimed.has(f.path) ? null : mtimeOf(f.path);
      return mtime !== null && mtime >= since && this.#cwd(f.path) === cwd;
    });
    const pick = lastWritten(candidates, (f) => f.path);
    return pick && { path: pick.path, id: pick.id, linkedBy: "cwd" };
  }

  /** Reads a linked session: appended JSONL lines, and the settings document when it changed. */
  read(link: SessionLink, now: number): SessionRead | null {
    const t = this.#transcripts.follow(link.path, now);
    if (t.tail.mtimeMs === null) return null;
    const facts = t.parser.facts();
    const base = link.path.slice(0, -".jsonl".length);
    const settings = this.#settings.load(`${base}.settings.json`, now)?.facts ?? null;
    const id = settings?.model ?? facts.model;
    const root = link.path.slice(0, link.path.lastIndexOf("/sessions/"));
    const custom = id?.startsWith("custom:")
      ? this.#custom.load(`${root}/settings.json`, now)?.facts ?? []
      : [];
    const model = id ? droidModel(id, custom) : null;
    const tokens = settings?.tokens ?? facts.tokens;
    return {
      ...facts,
      id: facts.id || link.id,
      model,
      tokens,
      tokensByModel: settings?.tokens ? { [model ?? "unknown"]: { ...tokens } } : {},
      tokensRecorded: settings?.tokens !== undefined && settings.tokens !== null,
      contextTokens: settings?.contextTokens ?? null,
      lastActivity: Math.max(facts.lastActivity ?? 0, t.tail.mtimeMs) || null,
      malformedLines: facts.malformedLines + t.tail.skippedLines,
    };
  }

  /** Sessions written since `sinceMs` under the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const files: SessionFile[] = [];
    for (const root of dataDirs(envs, "FACTORY_HOME_OVERRIDE", factoryDir)) {
      const sessions = `${root}/sessions`;
      for (const project of this.#listings.list(sessions, now)) {
        files.push(...this.#files(`${sessions}/${project}`, now));
      }
    }
    return recentFiles(files, sinceMs, { max: this.#max });
  }

  /** The `<uuid>.jsonl` sessions of one project folder. */
  #files(dir: string, now: number): SessionFile[] {
    return jsonlSessions(dir, this.#listings.list(dir, now), (n) => !UUID.test(n.slice(0, -".jsonl".length)));
  }

  /** The session file of `id`: in the working directory's folder, else in any project folder. */
  #byId(sessions: string, id: string, cwd: string | null, now: number): string | null {
    const dirs = [
      ...(cwd ? [projectDirName(cwd)] : []),
      ...this.#listings.list(sessions, now),
    ];
    for (const dir of dirs) {
      const path = `${sessions}/${dir}/${id}.jsonl`;
      if (mtimeOf(path) !== null) return path;
    }
    return null;
  }

  /** `session_start.cwd` of a session file (cached once read). */
  #cwd(path: string): string | null {
    const known = this.#cwds.get(path);
    if (known !== undefined) return known;
    const t = new DroidTranscript();
    for (const line of readHeadLines(path, HEAD_BYTES, 1)) t.feed(line);
    const cwd = t.facts().cwd;
    if (cwd !== null) {
      if (this.#cwds.size > 4096) this.#cwds.clear();
      this.#cwds.set(path, cwd);
    }
    return cwd;
  }
}
