/**
 * Crush sessions on disk: which session a live `crush` process works in, and its facts.
 *
 * Crush keeps each project's sessions in `<project>/.crush/crush.db` (`--data-dir/-D` moves the
 * directory, relative to the working directory; `--cwd/-c` sets the working directory): `sessions`
 * (title, cost, the newest request's token counts, todos, `parent_session_id` for subagents) and
 * `messages` (`parts` JSON, times in unix seconds). Crush lists the projects it ran in, with their data
 * directories, in `projects.json` of its global data folder (`$CRUSH_GLOBAL_DATA`, else
 * `$XDG_DATA_HOME/crush`, else `~/.local/share/crush`): `recent` (and so a report) reads the databases
 * named there and those of agents it has seen.
 *
 * A session is linked as `<database>#<session id>`.
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
import { emptyTokens } from "../../session.ts";
import {
  type Database,
  DatabaseReads,
  databaseStamp,
  namedSession,
  type Row,
  rowLinks,
  sessionDatabase,
  SessionQueries,
} from "../../formats/sqlite.ts";
import {
  type CrushMessage,
  type CrushSessionInfo,
  crushSubagent,
  crushTask,
  crushTurn,
  type CrushView,
  parseCrushMessage,
} from "./transcript.ts";
import { promptLine } from "../../formats/text.ts";
import { newestFirst, START_SLACK_MS } from "../../formats/recent.ts";
import { optionValue } from "../../formats/argv.ts";
import { resolve } from "../../git.ts";
import { homeOf, namedDir, readJson } from "../../formats/files.ts";

/** At most this many project databases are remembered for `recent` (then they are forgotten at once). */
const MAX_KNOWN_DATABASES = 256;
const MAX_CHILDREN = 64;
const MAX_DEPTH = 4;
const SESSION_COLUMNS = [
  "id",
  "parent_session_id",
  "title",
  "created_at",
  "updated_at",
  "cost",
  "prompt_tokens",
  "completion_tokens",
  "last_prompt_tokens",
  "todos",
  "workspace_cwd",
] as const;
const MESSAGE_COLUMNS = [
  "role",
  "parts",
  "model",
  "created_at",
  "updated_at",
  "finished_at",
  "is_summary_message",
] as const;

/** Messages of one session read so far, and its subagents' sessions. */
interface Tree {
  messages: Map<string, CrushMessage>;
  /** Rows that did not parse, by id. */
  bad: Set<string>;
  /** Newest `updated_at` seen (unix seconds). */
  watermark: number | null;
  children: Map<string, Tree>;
}

/** What a read of the database returns besides the view. */
interface Read {
  view: CrushView;
  row: Row;
  /** `last_prompt_tokens` exists: this schema counts `prompt_tokens`/`completion_tokens` cumulatively. */
  cumulative: boolean;
}

/**
 * The database of a Crush process: `--data-dir/-D` (relative to the working directory) or
 * `<cwd>/.crush`, with `--cwd/-c` applied first; null without a working directory.
 *
 * @example
 * ```ts
 * crushDatabase(["crush", "-c", "api"], "/home/me/src"); // "/home/me/src/api/.crush/crush.db"
 * ```
 */
export function crushDatabase(argv: string[], cwd: string | null): string | null {
  let dir = cwd;
  const cwdArg = optionValue(argv, ["-c", "--cwd"]);
  if (cwdArg) dir = cwd === null ? cwdArg : resolve(cwd, cwdArg);
  if (!dir) return null;
  const dataDir = optionValue(argv, ["-D", "--data-dir"]);
  return `${dataDir ? resolve(dir, dataDir) : `${dir}/.crush`}/crush.db`;
}

/**
 * Crush's {@linkcode SessionSource}: one short-lived read-only connection per read of the project's
 * database, skipped while it is unchanged; messages re-read only when their row changed. One per
 * collector.
 *
 * Linking: `-s/--session <id>` in argv; else the newest top-level session of the project's database,
 * active since the process started and not linked to another agent.
 */
export class CrushSessionSource implements SessionSource {
  /** The variables that move Crush's list of projects. */
  readonly envKeys: readonly string[] = REGISTRY_KEYS;
  #reads = new DatabaseReads<Tree, Read>(newTree);
  /** Databases of agents seen, for `recent`. */
  #known = new Set<string>();
  #newest = new SessionQueries();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [
      { path: ".crush/crush.db", from: "--data-dir or default", inProject: true },
      namedDir(crushProjectList(env, home), env, REGISTRY_KEYS),
    ];
  }

  /** Finds the session of a live Crush process. */
  link(ctx: LinkContext): SessionLink | null {
    const db = crushDatabase(ctx.argv, ctx.cwd);
    if (!db || databaseStamp(db) === null) return null;
    if (this.#known.size >= MAX_KNOWN_DATABASES) this.#known.clear();
    this.#known.add(db);
    const id = optionValue(ctx.argv, ["-s", "--session"]);
    const named = id &&
      namedSession(db, (d) => d.get(`SELECT id FROM sessions WHERE id = ?`, id), ctx.claimed);
    if (named) return named;
    const since = ctx.startedAt - START_SLACK_MS;
    return rowLinks(db, this.#topLevel(db, ctx.now), updatedAt, since, "cwd")
      .find((f) => !ctx.claimed.has(f.link.path))?.link ?? null;
  }

  /** Reads the facts of a linked session and its subagents' sessions. */
  read(link: SessionLink, now: number): SessionRead | null {
    const db = sessionDatabase(link.path, link.id);
    if (db === null) return null;
    const read = this.#reads.read(db, link.path, now, (d, tree) => readView(d, link.id, tree, 0));
    return read && facts(read, db, now);
  }

  /**
   * Top-level sessions active since `sinceMs` in the databases of the projects Crush lists (for each
   * environment of `envs`) and of agents seen so far.
   */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const listed = envs.flatMap((e) => listedDatabases(crushProjectList(e, homeOf(e))));
    const found = [...new Set([...listed, ...this.#known])].flatMap((db) =>
      databaseStamp(db) === null ? [] : rowLinks(db, this.#topLevel(db, now), updatedAt, sinceMs, "recent")
    );
    return newestFirst(found, { max: this.#max });
  }

  /** The newest 16 top-level sessions of a database, all of them without a cap (cached while it is unchanged). */
  #topLevel(db: string, now: number): Row[] {
    const limit = this.#max === Infinity ? -1 : 16;
    return this.#newest.rows(db, db, now, (d) => {
      const parent = d.columns("sessions").has("parent_session_id") ? "AND parent_session_id IS NULL" : "";
      return d.all(
        `SELECT id, updated_at FROM sessions WHERE id NOT LIKE 'title-%' ${parent}
         ORDER BY updated_at DESC LIMIT ${limit}`,
      );
    });
  }
}

/** Variables that move Crush's global data folder, the first set wins. */
const REGISTRY_KEYS = ["CRUSH_GLOBAL_DATA", "XDG_DATA_HOME"];

/**
 * Where Crush lists the projects it ran in for an environment: `projects.json` beside its global data
 * (`$CRUSH_GLOBAL_DATA`, else `$XDG_DATA_HOME/crush`, else `~/.local/share/crush`).
 *
 * @example
 * ```ts
 * crushProjectList({}, "/home/me"); // "/home/me/.local/share/crush/projects.json"
 * crushProjectList({ XDG_DATA_HOME: "/data" }, "/home/me"); // "/data/crush/projects.json"
 * ```
 */
export function crushProjectList(env: Record<string, string>, home: string): string {
  if (env.CRUSH_GLOBAL_DATA) return `${env.CRUSH_GLOBAL_DATA}/projects.json`;
  return `${env.XDG_DATA_HOME || `${home}/.local/share`}/crush/projects.json`;
}

/** An absolute path, POSIX or Windows. */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;

/** The databases of the projects a `projects.json` names (`data_dir` absolute, as Crush writes it). */
function listedDatabases(path: string): string[] {
  const projects = readJson(path)?.projects;
  if (!Array.isArray(projects)) return [];
  return projects.flatMap((p) => {
    const dir = typeof p === "object" && p !== null ? (p as Record<string, unknown>).data_dir : null;
    return typeof dir === "string" && ABSOLUTE.test(dir) ? [`${dir.replace(/[\\/]+$/, "")}/crush.db`] : [];
  });
}

/** Reads a session row, its changed messages, and its subagents' sessions. */
function readView(d: Database, id: string, tree: Tree, depth: number): Read | null {
  const cols = d.columns("sessions");
  if (!cols.has("id")) return null;
  const row = d.get(`SELECT ${d.select("sessions", SESSION_COLUMNS)} FROM sessions WHERE id = ?`, id);
  if (!row) return null;
  const malformed = syncMessages(d, id, tree);
  const children: CrushView[] = [];
  if (depth < MAX_DEPTH && cols.has("parent_session_id")) {
    const rows = d.all(
      `SELECT id FROM sessions WHERE parent_session_id = ? AND id NOT LIKE 'title-%' LIMIT ${MAX_CHILDREN}`,
      id,
    );
    for (const r of rows) {
      const childId = String(r.id);
      let sub = tree.children.get(childId);
      if (!sub) tree.children.set(childId, sub = newTree());
      const child = readView(d, childId, sub, depth + 1);
      if (child) children.push(child.view);
    }
  }
  const messages = [...tree.messages.values()].sort((a, b) =>
    (a.created ?? 0) - (b.created ?? 0) || (a.id < b.id ? -1 : 1)
  );
  return {
    view: { info: info(row), messages, children, malformed },
    row,
    cumulative: cols.has("last_prompt_tokens"),
  };
}

/** Brings the messages of a session up to date by `updated_at`; returns the rows that did not parse. */
function syncMessages(d: Database, id: string, tree: Tree): number {
  const cols = d.columns("messages");
  if (!cols.has("session_id") || !cols.has("parts")) return 0;
  const count = Number(d.get(`SELECT count(*) AS n FROM messages WHERE session_id = ?`, id)?.n ?? 0);
  if (count < tree.messages.size + tree.bad.size) {
    tree.messages.clear();
    tree.bad.clear();
    tree.watermark = null;
  }
  const select = `SELECT id, ${d.select("messages", MESSAGE_COLUMNS)} FROM messages`;
  const incremental = tree.watermark !== null && cols.has("updated_at");
  const rows = incremental
    ? d.all(`${select} WHERE session_id = ? AND updated_at >= ?`, id, tree.watermark)
    : d.all(`${select} WHERE session_id = ?`, id);
  for (const r of rows) {
    const m = parseCrushMessage(r);
    if (m) {
      tree.messages.set(m.id, m);
      tree.bad.delete(m.id);
    } else tree.bad.add(String(r.id));
    const updated = Number(r.updated_at);
    if (Number.isFinite(updated)) tree.watermark = Math.max(tree.watermark ?? 0, updated);
  }
  if (incremental && tree.messages.size + tree.bad.size !== count) {
    tree.messages.clear();
    tree.bad.clear();
    tree.watermark = null;
    return syncMessages(d, id, tree);
  }
  return tree.bad.size;
}

/** The facts of a session read from its database. */
function facts(read: Read, db: string, now: number): SessionRead {
  const { view, row } = read;
  const t = crushTurn(view.messages);
  const prompt = count(row.prompt_tokens);
  const completion = count(row.completion_tokens);
  const tokens = emptyTokens();
  if (read.cumulative) {
    tokens.input = prompt ?? 0;
    tokens.output = completion ?? 0;
  }
  const newest = view.messages.at(-1);
  const lastActivity = Math.max(view.info.updated ?? 0, newest?.updated ?? newest?.created ?? 0);
  let malformed = view.malformed;
  for (const c of view.children) malformed += c.malformed;
  const workspace = typeof row.workspace_cwd === "string" && row.workspace_cwd ? row.workspace_cwd : null;
  return {
    id: view.info.id,
    cwd: workspace ?? (db.endsWith("/.crush/crush.db") ? db.slice(0, -"/.crush/crush.db".length) : null),
    gitBranch: null,
    title: promptLine(view.info.title),
    model: t.model,
    lastPrompt: t.lastPrompt,
    currentTask: promptLine(view.info.task),
    currentTool: t.currentTool,
    subagents: view.children.map((c) => crushSubagent(c, t.pending, now)),
    turn: t.turn,
    stopReason: t.stopReason,
    startedAt: view.info.created ?? view.messages[0]?.created ?? null,
    lastActivity: lastActivity || null,
    tokens,
    tokensRecorded: read.cumulative,
    tokensByModel: read.cumulative && t.model ? { [t.model]: { ...tokens } } : {},
    contextTokens: read.cumulative ? count(row.last_prompt_tokens) : prompt,
    contextWindow: null,
    activity: t.activity,
    malformedLines: malformed,
    costUsd: view.info.cost !== null && view.info.cost > 0 ? view.info.cost : null,
  };
}

function info(row: Row): CrushSessionInfo {
  return {
    id: String(row.id),
    title: typeof row.title === "string" && row.title ? row.title : null,
    created: seconds(row.created_at),
    updated: seconds(row.updated_at),
    cost: typeof row.cost === "number" && Number.isFinite(row.cost) ? row.cost : null,
    task: crushTask(row.todos),
  };
}

function newTree(): Tree {
  return { messages: new Map(), bad: new Set(), watermark: null, children: new Map() };
}

/** When a `sessions` row was last written (unix seconds in the row), ms. */
function updatedAt(row: Row): number {
  return Number(row.updated_at) * 1000;
}

function seconds(v: unknown): number | null {
  const n = Number(v);
  if (v === null || v === undefined || !Number.isFinite(n) || n <= 0) return null;
  return n < 1e11 ? n * 1000 : n;
}

function count(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}
