/**
 * Goose sessions on disk: which session a live `goose` process works in, and its facts.
 *
 * Sessions directory `S` = `$GOOSE_PATH_ROOT/data/sessions` when set, else
 * `$XDG_DATA_HOME/goose/sessions` (default `~/.local/share/goose/sessions`; on macOS also under
 * `~/Library/Application Support`). Current releases keep every session in the SQLite database
 * `S/sessions.db` (`sessions` with the counters and `working_dir`, `messages` with `content_json`);
 * older ones wrote `S/<name>.jsonl` (a metadata line, then one message per line).
 *
 * A session in the database is linked as `<database>#<session id>`.
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
import type { SubagentFacts, TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, modelTable, SUBAGENT_QUIET_MS } from "../../session.ts";
import {
  type Database,
  DatabaseReads,
  databaseStamp,
  namedSession,
  recentSessions,
  type Row,
  rowLinks,
  SessionQueries,
} from "../../formats/sqlite.ts";
import { gooseModel, gooseTime, GooseTranscript, gooseUsage, userVisible } from "./transcript.ts";
import { SessionMessages } from "./messages.ts";
import { readHeadLines } from "../../formats/jsonl.ts";
import { asObject, isObject, type JsonObject } from "../../formats/records.ts";
import { promptLine } from "../../formats/text.ts";
import { DirListings, homeOf, mtimeOf, namedDir } from "../../formats/files.ts";
import { MAX_CACHED_HEADS, ParseCache, TailedTranscript } from "../../formats/parse_cache.ts";
import { newestFirst, START_SLACK_MS } from "../../formats/recent.ts";

/** Bytes read from the head of a legacy session file to find its metadata line. */
const HEAD_BYTES = 64 * 1024;
const MAX_CHILDREN = 64;
const MAX_DEPTH = 4;
/** Session types that are not a user's own conversation. */
const NOT_LINKED_SQL = ["sub_agent", "hidden", "specialist"].map((t) => `'${t}'`).join(", ");
const SESSION_COLUMNS = [
  "id",
  "name",
  "description",
  "session_type",
  "working_dir",
  "created_at",
  "updated_at",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "accumulated_input_tokens",
  "accumulated_output_tokens",
  "accumulated_cache_read_tokens",
  "accumulated_cache_write_tokens",
  "accumulated_cost",
  "model_config_json",
  "parent_session_id",
] as const;

/** The messages of one session read so far, and its subagents' sessions. */
interface Thread {
  transcript: GooseTranscript;
  messages: SessionMessages;
  children: Map<string, Thread>;
}

/** One session of the database, read. */
interface DbSession {
  row: Row;
  thread: Thread;
  children: DbSession[];
}

/** A legacy JSONL session being followed, with its metadata line. */
class LegacyFile extends TailedTranscript<LegacyLines> {
  meta: JsonObject | null = null;
  metaMtime: number | null = null;
}

/**
 * The directories Goose keeps sessions in for an environment (the first existing one is used).
 *
 * @example
 * ```ts
 * gooseSessionDirs({ GOOSE_PATH_ROOT: "/srv/goose" }, "/home/me"); // ["/srv/goose/data/sessions"]
 * ```
 */
export function gooseSessionDirs(env: Record<string, string>, home: string): string[] {
  if (env.GOOSE_PATH_ROOT) return [`${env.GOOSE_PATH_ROOT}/data/sessions`];
  const dirs = [`${env.XDG_DATA_HOME || `${home}/.local/share`}/goose/sessions`];
  if (Deno.build.os === "darwin") {
    dirs.push(`${home}/Library/Application Support/Block.goose/sessions`);
    dirs.push(`${home}/Library/Application Support/goose/sessions`);
  }
  return dirs;
}

/**
 * Goose's {@linkcode SessionSource}: the SQLite `sessions.db` (one short-lived read-only connection per
 * read, skipped while the database is unchanged; messages, and from schema v10 thread messages, read
 * incrementally by row id: see {@linkcode SessionMessages}) and the JSONL
 * files of older releases. One per collector.
 *
 * Linking, most reliable first: `--id`/`--session-id <id>` or `-n/--name <name>` in argv; else the
 * newest user session whose `working_dir` is the agent's working directory, active since the process
 * started and not linked to another agent.
 */
export class GooseSessionSource implements SessionSource {
  /** `GOOSE_PATH_ROOT` and `XDG_DATA_HOME` of the agent. */
  readonly envKeys: readonly string[] = ["GOOSE_PATH_ROOT", "XDG_DATA_HOME"];
  #db = new DatabaseReads<Thread, DbSession>(newThread);
  #files = new ParseCache<LegacyFile>();
  #listings = new DirListings();
  #heads = new Map<string, { mtime: number; meta: JsonObject | null }>();
  #byDirectory = new SessionQueries();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return gooseSessionDirs(env, home).map((dir) => namedDir(dir, env, ["GOOSE_PATH_ROOT", "XDG_DATA_HOME"]));
  }

  /** Finds the session of a live Goose process. */
  link(ctx: LinkContext): SessionLink | null {
    const dir = this.#sessionsDir(ctx.env, ctx.home);
    if (!dir) return null;
    const db = `${dir}/sessions.db`;
    const hasDb = databaseStamp(db) !== null;
    const named = argvSession(ctx.argv);
    if (named && hasDb) {
      const link = namedSession(db, (d) => {
        const by = named.kind === "id" || !d.columns("sessions").has("name") ? "id" : "name";
        return d.get(
          `SELECT id FROM sessions WHERE ${by} = ? ORDER BY updated_at DESC LIMIT 1`,
          named.value,
        );
      }, ctx.claimed);
      if (link) return link;
    } else if (named && named.kind === "name") {
      const path = `${dir}/${named.value}.jsonl`;
      if (mtimeOf(path) !== null && !ctx.claimed.has(path)) {
        return { path, id: named.value, linkedBy: "argv" };
      }
    }
    if (!ctx.cwd) return null;
    const since = ctx.startedAt - START_SLACK_MS;
    if (hasDb) {
      const rows = this.#inDirectory(db, ctx.cwd, ctx.now);
      return rowLinks(db, rows, (r) => gooseTime(r.updated_at), since, "cwd")
        .find((f) => !ctx.claimed.has(f.link.path))?.link ?? null;
    }
    let best: { link: SessionLink; mtime: number } | null = null;
    for (const name of this.#listings.list(dir, ctx.now)) {
      if (!name.endsWith(".jsonl")) continue;
      const path = `${dir}/${name}`;
      const mtime = mtimeOf(path);
      if (mtime === null || mtime < since || ctx.claimed.has(path) || (best && mtime <= best.mtime)) {
        continue;
      }
      if (this.#head(path, mtime)?.working_dir !== ctx.cwd) continue;
      best = { link: { path, id: name.slice(0, -6), linkedBy: "cwd" }, mtime };
    }
    return best?.link ?? null;
  }

  /** Reads the facts of a linked session (and its subagents' sessions). */
  read(link: SessionLink, now: number): SessionRead | null {
    const read = this.#db.readSession(link, now, (d, thread) => readSession(d, link.id, thread, 0));
    if (read === undefined) return this.#readFile(link.path, link.id, now);
    return read && dbFacts(read, now);
  }

  /** User sessions active since `sinceMs` under the directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const found: { link: SessionLink; at: number }[] = [];
    const seen = new Set<string>();
    for (const env of envs) {
      const dir = this.#sessionsDir(env, homeOf(env));
      if (!dir || seen.has(dir)) continue;
      seen.add(dir);
      const db = `${dir}/sessions.db`;
      if (databaseStamp(db) !== null) {
        found.push(...recentSessions(
          db,
          (d, max) => {
            const cols = d.columns("sessions");
            const where = [
              cols.has("session_type") ? `session_type NOT IN (${NOT_LINKED_SQL})` : "",
              cols.has("parent_session_id") ? "parent_session_id IS NULL" : "",
            ].filter(Boolean);
            return d.all(
              `SELECT id, updated_at FROM sessions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
             ORDER BY updated_at DESC LIMIT ${max}`,
            );
          },
          (r) => gooseTime(r.updated_at),
          sinceMs,
          this.#max,
        ));
        continue;
      }
      for (const name of this.#listings.list(dir, now)) {
        const path = `${dir}/${name}`;
        const mtime = name.endsWith(".jsonl") ? mtimeOf(path) : null;
        if (mtime !== null && mtime >= sinceMs) {
          found.push({ link: { path, id: name.slice(0, -6), linkedBy: "recent" }, at: mtime });
        }
      }
    }
    return newestFirst(found, { max: this.#max });
  }

  /** The first sessions directory of an environment that exists. */
  #sessionsDir(env: Record<string, string>, home: string): string | null {
    for (const dir of gooseSessionDirs(env, home)) {
      try {
        if (Deno.statSync(dir).isDirectory) return dir;
      } catch {
        // next candidate
      }
    }
    return null;
  }

  /** User sessions of a working directory, newest first (cached while the database is unchanged). */
  #inDirectory(db: string, directory: string, now: number): Row[] {
    return this.#byDirectory.rows(db, `${db}\0${directory}`, now, (d) => {
      const cols = d.columns("sessions");
      const type = cols.has("session_type") ? `AND session_type NOT IN (${NOT_LINKED_SQL})` : "";
      const parent = cols.has("parent_session_id") ? "AND parent_session_id IS NULL" : "";
      return d.all(
        `SELECT id, updated_at FROM sessions WHERE working_dir = ? ${type} ${parent}
         ORDER BY updated_at DESC LIMIT 16`,
        directory,
      ).sort((a, b) => (gooseTime(b.updated_at) ?? 0) - (gooseTime(a.updated_at) ?? 0));
    });
  }

  #readFile(path: string, id: string, now: number): SessionRead | null {
    const s = this.#files.get(path, now, () => new LegacyFile(path, () => new LegacyLines()));
    s.read();
    if (s.tail.mtimeMs === null) return null;
    if (s.metaMtime !== s.tail.mtimeMs) {
      s.meta = this.#head(path, s.tail.mtimeMs) ?? s.meta;
      s.metaMtime = s.tail.mtimeMs;
    }
    const meta = s.meta ?? {};
    const usage = gooseUsage(meta);
    const t = s.parser.transcript.facts();
    const lastActivity = Math.max(t.lastActivity ?? 0, s.tail.mtimeMs);
    return {
      id,
      cwd: typeof meta.working_dir === "string" ? meta.working_dir : null,
      gitBranch: null,
      title: promptLine(meta.description),
      model: null,
      lastPrompt: promptLine(t.lastPrompt),
      currentTask: null,
      currentTool: t.turn === "ended" ? null : t.currentTool,
      subagents: [],
      turn: t.turn,
      stopReason: null,
      startedAt: t.startedAt,
      lastActivity,
      tokens: usage.tokens,
      tokensByModel: { unknown: { ...usage.tokens } },
      contextTokens: usage.contextTokens,
      contextWindow: null,
      activity: t.activity,
      malformedLines: s.parser.transcript.malformed + s.tail.skippedLines,
      costUsd: usage.cost !== null && usage.cost > 0 ? usage.cost : null,
    };
  }

  /** The metadata line of a legacy session file (cached by modification time). */
  #head(path: string, mtime: number): JsonObject | null {
    const cached = this.#heads.get(path);
    if (cached && cached.mtime === mtime) return cached.meta;
    const first = asObject(readHeadLines(path, HEAD_BYTES, 1)[0] ?? null);
    const meta = first && !("role" in first) ? first : null;
    if (this.#heads.size > MAX_CACHED_HEADS) this.#heads.clear();
    if (meta) this.#heads.set(path, { mtime, meta });
    return meta;
  }
}

/** Reads one session row, its new messages, and its subagents' sessions. */
function readSession(d: Database, id: string, thread: Thread, depth: number): DbSession | null {
  const cols = d.columns("sessions");
  if (!cols.has("id")) return null;
  const row = d.get(`SELECT ${d.select("sessions", SESSION_COLUMNS)} FROM sessions WHERE id = ?`, id);
  if (!row) return null;
  syncMessages(d, id, thread);
  const children: DbSession[] = [];
  if (depth < MAX_DEPTH && cols.has("parent_session_id")) {
    const ids = d.all(`SELECT id FROM sessions WHERE parent_session_id = ? LIMIT ${MAX_CHILDREN}`, id);
    for (const r of ids) {
      const childId = String(r.id);
      let sub = thread.children.get(childId);
      if (!sub) thread.children.set(childId, sub = newThread());
      const child = readSession(d, childId, sub, depth + 1);
      if (child) children.push(child);
    }
  }
  return { row, thread, children };
}

/** Feeds the messages added since the last read (all of them again when rows disappeared). */
function syncMessages(d: Database, id: string, thread: Thread): void {
  const { rows, reset } = thread.messages.read(d, id);
  if (reset) thread.transcript = new GooseTranscript();
  for (const r of rows) {
    thread.transcript.feed({
      role: String(r.role ?? ""),
      content: r.content_json,
      created: gooseTime(r.created_timestamp),
      userVisible: userVisible(r.metadata_json),
    });
  }
}

/** The facts of a session read from the database, its subagents' usage folded in. */
function dbFacts(read: DbSession, now: number): SessionRead {
  const { row } = read;
  const t = read.thread.transcript.facts();
  const own = gooseUsage(row);
  const { model, contextWindow } = gooseModel(row.model_config_json);
  const tokens = emptyTokens();
  const byModel: Record<string, TokenBuckets> = modelTable();
  let cost: number | null = null;
  const fold = (r: DbSession, depth: number) => {
    const u = gooseUsage(r.row);
    addTokens(tokens, u.tokens);
    addTokens(byModel[gooseModel(r.row.model_config_json).model ?? "unknown"] ??= emptyTokens(), u.tokens);
    if (u.cost !== null) cost = (cost ?? 0) + u.cost;
    if (depth < MAX_DEPTH) { for (const c of r.children) fold(c, depth + 1); }
  };
  fold(read, 0);
  const recorded = cost as number | null;
  let malformed = read.thread.transcript.malformed;
  for (const c of read.children) malformed += c.thread.transcript.malformed;
  const lastActivity = Math.max(gooseTime(row.updated_at) ?? 0, t.lastActivity ?? 0);
  return {
    id: String(row.id),
    cwd: typeof row.working_dir === "string" && row.working_dir ? row.working_dir : null,
    gitBranch: null,
    title: promptLine(row.name) ?? promptLine(row.description),
    model,
    lastPrompt: promptLine(t.lastPrompt),
    currentTask: null,
    currentTool: t.turn === "ended" ? null : t.currentTool,
    subagents: read.children.map((c) => subagentFacts(c, now)),
    turn: t.turn,
    stopReason: null,
    startedAt: gooseTime(row.created_at) ?? t.startedAt,
    lastActivity: lastActivity || null,
    tokens,
    tokensByModel: byModel,
    contextTokens: own.contextTokens,
    contextWindow,
    activity: t.activity,
    malformedLines: malformed,
    costUsd: recorded !== null && recorded > 0 ? recorded : null,
  };
}

/** A child session as a subagent: running while its turn is open and it was written recently. */
function subagentFacts(c: DbSession, now: number): SubagentFacts {
  const t = c.thread.transcript.facts();
  const tokens = emptyTokens();
  const fold = (r: DbSession, depth: number) => {
    addTokens(tokens, gooseUsage(r.row).tokens);
    if (depth < MAX_DEPTH) { for (const x of r.children) fold(x, depth + 1); }
  };
  fold(c, 0);
  const lastActivity = Math.max(gooseTime(c.row.updated_at) ?? 0, t.lastActivity ?? 0) || null;
  const running = t.turn === "working" && lastActivity !== null && now - lastActivity < SUBAGENT_QUIET_MS;
  return {
    id: String(c.row.id),
    type: typeof c.row.session_type === "string" ? c.row.session_type : null,
    description: promptLine(c.row.name) ?? promptLine(c.row.description),
    status: running ? "running" : "done",
    model: gooseModel(c.row.model_config_json).model,
    tokens,
    currentTool: running ? t.currentTool : null,
    lastActivity,
  };
}

/** The lines of a legacy session file, fed to a transcript: the metadata line is skipped, messages are fed. */
class LegacyLines {
  readonly transcript: GooseTranscript = new GooseTranscript();

  /** Feeds one line. */
  feed(line: string): void {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      this.transcript.feed({ role: "", content: null, created: null, userVisible: true }); // counted as malformed
      return;
    }
    if (!isObject(v) || typeof v.role !== "string") return; // not a message: the metadata line
    this.transcript.feed({
      role: v.role,
      content: v.content,
      created: gooseTime(v.created),
      userVisible: userVisible(v.metadata),
    });
  }
}

/** The session Goose was told to use in argv: `--id`/`--session-id <id>` or `-n/--name <name>`. */
function argvSession(argv: string[]): { kind: "id" | "name"; value: string } | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const flag = eq === -1 ? a : a.slice(0, eq);
    const kind = flag === "--id" || flag === "--session-id"
      ? "id"
      : flag === "-n" || flag === "--name"
      ? "name"
      : null;
    if (!kind) continue;
    const value = eq === -1 ? argv[i + 1] : a.slice(eq + 1);
    if (value && !value.startsWith("-") && !value.includes("/")) return { kind, value };
  }
  return null;
}

function newThread(): Thread {
  return { transcript: new GooseTranscript(), messages: new SessionMessages(), children: new Map() };
}
