/**
 * The session store of OpenCode and its forks (Kilo Code): which session a live process works in, and
 * its facts. Each agent names its own {@linkcode StoreLayout}; the store is the same.
 *
 * Data directory `D` = `$XDG_DATA_HOME/<name>` (default `~/.local/share/<name>`, also on macOS).
 * OpenCode 1.2+ keeps every session in the SQLite database `D/<name>.db` (`<name>-<channel>.db` for
 * other release channels; a variable such as `OPENCODE_DB` overrides the path): tables `session`,
 * `message`, `part`, `todo`, with the message and part details as JSON in `data`. Current releases
 * also keep the session's totals in `session` (`tokens_*`, `cost`). Older releases wrote the same JSON
 * as files: `D/storage/session/<project>/<ses>.json`, `D/storage/message/<ses>/<msg>.json`,
 * `D/storage/part/<msg>/<prt>.json`, `D/storage/todo/<ses>.json`.
 *
 * A session in the database is linked as `<database>#<session id>`, since one database holds them all.
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
import {
  type Database,
  DatabaseReads,
  databaseStamp,
  namedSession,
  recentSessions,
  type Row,
  rowLinks,
  SessionQueries,
} from "./sqlite.ts";
import {
  openCodeFacts,
  OpenCodeLedger,
  type OpenCodeMessage,
  type OpenCodePart,
  type OpenCodeSessionInfo,
  type OpenCodeView,
  parseOpenCodeMessage,
  parseOpenCodePart,
  promptText,
} from "./opencode_transcript.ts";
import { SUBAGENT_QUIET_MS } from "../session.ts";
import { epochMs } from "./records.ts";
import { argvSessionIds } from "./argv.ts";
import { DirListings, homeOf, listDir, mtimeOf, namedDir, readJson } from "./files.ts";
import { asObject, isObject, type JsonObject, positive } from "./records.ts";
import { readSmallText } from "./regular.ts";
import { MAX_CACHED_HEADS, ParseCache } from "./parse_cache.ts";
import { newestFirst, START_SLACK_MS } from "./recent.ts";
/** Parts are read for this many of the newest messages of a session. */
const PART_MESSAGES = 4;
/** Messages created this long before the oldest unsettled one are read again too (clock differences). */
const SETTLE_MARGIN_MS = 5_000;
/** Newest parts read per message. */
const PARTS_PER_MESSAGE = 30;
/** Characters of a tool's output kept for the activity tail. */
const OUTPUT_HEAD = 800;
/** Subagent sessions (and their own subagents) followed per session, and how deep. */
const MAX_CHILDREN = 64;
const MAX_DEPTH = 4;
const SESSION_ID = /^ses_[A-Za-z0-9]+$/;
/** An absolute path (POSIX, or Windows with a drive or a UNC prefix). */
const ABSOLUTE = /^(?:[A-Za-z]:)?[\\/]/;
/** Subcommands after which argv names no project directory. */
const SUBCOMMANDS = new Set(["run", "tui", "acp", "github", "pr", "session", "export", "import", "debug"]);

/** Where one agent of the OpenCode family keeps its store, and its command line. */
export interface StoreLayout {
  /** The data directory's name under `$XDG_DATA_HOME` and the database's stem: `opencode`, `kilo`. */
  readonly name: string;
  /** The variable naming the database (absolute, or relative to the data directory), e.g. `OPENCODE_DB`. */
  readonly dbEnv: string;
  /** Options of the command that take a value (so argv's project directory is found). */
  readonly valued: readonly string[];
}

/** Part `data` without the bulky fields agtop never shows (outputs, file contents, diffs). */
const SLIM_PART =
  `CASE WHEN json_valid(data) THEN json_remove(data, '$.state.output', '$.state.metadata.output',
  '$.state.metadata.diff', '$.state.metadata.preview', '$.state.metadata.files', '$.state.input.content',
  '$.state.input.oldString', '$.state.input.newString', '$.state.input.patchText', '$.state.raw',
  '$.state.attachments') ELSE data END`;
/** The head of a tool part's output. */
const OUTPUT =
  `CASE WHEN json_valid(data) THEN substr(json_extract(data, '$.state.output'), 1, ${OUTPUT_HEAD}) END`;
/** Message `data` without the summary diffs (whole file contents) of user messages. */
const SLIM_MESSAGE =
  `CASE WHEN json_valid(data) THEN json_remove(data, '$.summary', '$.system', '$.tools') ELSE data END`;
const SESSION_COLUMNS = [
  "id",
  "parent_id",
  "directory",
  "title",
  "time_created",
  "time_updated",
  "model",
  "agent",
  "tokens_input",
  "tokens_output",
  "tokens_reasoning",
  "tokens_cache_read",
  "tokens_cache_write",
  "cost",
] as const;

/** Messages of one session read so far, and its subagents' sessions. */
interface Tree {
  ledger: OpenCodeLedger;
  /** Messages that did not parse, by id (retried when they change). */
  bad: Set<string>;
  /** Modification time of each message file (storage tree only). */
  files: Map<string, number>;
  /** The newest prompt with text, by the id of its message. */
  prompt: { messageId: string; text: string } | null;
  children: Map<string, Tree>;
}

/**
 * Which parts a read takes: those of the newest messages, the last prompt and the todo item (a session
 * shown in `ls` or the live view); of the newest message while the session is active (its subagents'
 * sessions); none (a report, which shows neither tools in flight nor activity).
 */
type PartsWanted = "newest" | "active" | "none";

/** Parts read of one or more messages, and how many of them did not parse. */
interface PartsRead {
  parts: OpenCodePart[];
  malformed: number;
}

/**
 * OpenCode's data directory for an environment: `$XDG_DATA_HOME/opencode`, else
 * `<home>/.local/share/opencode`.
 *
 * @example
 * ```ts
 * openCodeDataDir({}, "/home/me"); // "/home/me/.local/share/opencode"
 * openCodeDataDir({ XDG_DATA_HOME: "/data" }, "/home/me", "kilo"); // "/data/kilo"
 * ```
 */
export function openCodeDataDir(env: Record<string, string>, home: string, name = "opencode"): string {
  return `${env.XDG_DATA_HOME || `${home}/.local/share`}/${name}`;
}

/**
 * The {@linkcode SessionSource} of an OpenCode-family store: reads the SQLite database of OpenCode 1.2+
 * (through the connection `sqlite.ts` keeps per database; a read is skipped while the database is
 * unchanged, and otherwise asks only for messages not settled at the last read) and the JSON `storage/`
 * tree of older releases. One per collector. A reader made for `agtop report` (`history`) reads no
 * parts, prompt or todo item: a report shows usage, not tools in flight or activity.
 *
 * Linking, most reliable first: `-s/--session ses_…` in argv; else the newest top-level session whose
 * `directory` is the agent's working directory (or the project directory named in argv), active since
 * the process started and not linked to another agent.
 *
 * @example
 * ```ts
 * const kilo = new OpenCodeStore({ name: "kilo", dbEnv: "KILO_DB", valued: ["-s", "--session"] });
 * kilo.envKeys; // ["KILO_DB", "XDG_DATA_HOME"]
 * ```
 */
export class OpenCodeStore implements SessionSource {
  /** The database variable and `XDG_DATA_HOME` of the agent. */
  readonly envKeys: readonly string[];
  #layout: StoreLayout;
  #valued: ReadonlySet<string>;
  #dbName: RegExp;
  #db = new DatabaseReads<Tree, OpenCodeView>(newTree);
  #legacy = new ParseCache<Tree>();
  #listings = new DirListings();
  #heads = new Map<string, { mtime: number; info: OpenCodeSessionInfo | null }>();
  #byDirectory = new SessionQueries();
  #max: number | undefined;
  #history: boolean;

  /**
   * A reader of the store `layout` describes; `options.history` keeps whole usage timelines,
   * `options.max` caps the sessions `recent` lists.
   */
  constructor(layout: StoreLayout, options: ReaderOptions = {}) {
    this.#layout = layout;
    this.#max = options.max;
    this.#history = options.history ?? false;
    this.envKeys = [layout.dbEnv, "XDG_DATA_HOME"];
    this.#valued = new Set(layout.valued);
    // Database file names in the data directory: `<name>.db`, `<name>-<channel>.db`.
    this.#dbName = new RegExp(`^${layout.name}(?:-[A-Za-z0-9._-]+)?\\.db$`);
  }

  /** Finds the session of a live OpenCode process. */
  link(ctx: LinkContext): SessionLink | null {
    const dbs = this.#databases(ctx.env, ctx.home, ctx.now);
    const cwd = projectDir(ctx.argv, ctx.cwd, this.#valued);
    for (const id of argvSessionIds(ctx.argv, (v) => SESSION_ID.test(v), ["-s", "--session"])) {
      for (const db of dbs) {
        const link = namedSession(db, (d) => d.get(`SELECT id FROM session WHERE id = ?`, id), ctx.claimed);
        if (link) return link;
      }
      const file = dbs.length ? null : this.#legacyById(this.#storageDir(ctx.env, ctx.home), id, ctx.now);
      if (file && !ctx.claimed.has(file)) return { path: file, id, linkedBy: "argv" };
    }
    if (!cwd) return null;
    const since = ctx.startedAt - START_SLACK_MS;
    const found = dbs.flatMap((db) =>
      rowLinks(db, this.#inDirectory(db, cwd, ctx.now), (r) => ms(r.time_updated), since, "cwd")
        .filter((f) => !ctx.claimed.has(f.link.path))
    );
    if (dbs.length) {
      found.sort((a, b) => b.at - a.at);
      return found[0]?.link ?? null;
    }
    return this.#legacyByCwd(this.#storageDir(ctx.env, ctx.home), cwd, since, ctx);
  }

  /** Reads the facts of a linked session and its subagents' sessions. */
  read(link: SessionLink, now: number): SessionRead | null {
    const parts = this.#history ? "none" : "newest";
    const read = this.#db.readSession(link, now, (d, tree) => readDbView(d, link.id, tree, now, 0, parts));
    const view = read === undefined ? this.#readLegacy(link.path, now) : read;
    return view && openCodeFacts(view, now, this.#history);
  }

  /** Top-level sessions active since `sinceMs` in the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const found: { link: SessionLink; at: number }[] = [];
    const seen = new Set<string>();
    for (const env of envs) {
      const home = homeOf(env);
      const dbs = this.#databases(env, home, now);
      for (const db of dbs) {
        if (seen.has(db)) continue;
        seen.add(db);
        found.push(...recentSessions(
          db,
          (d, max) =>
            d.all(
              `SELECT id, time_updated FROM session WHERE parent_id IS NULL AND time_updated >= ?
             ORDER BY time_updated DESC LIMIT ${max}`,
              sinceMs,
            ),
          (r) => ms(r.time_updated),
          sinceMs,
          this.#max,
        ));
      }
      const storage = this.#storageDir(env, home);
      if (dbs.length || seen.has(storage)) continue;
      seen.add(storage);
      for (const { path, info, mtime } of this.#legacySessions(storage, now)) {
        const at = Math.max(info.updated ?? 0, mtime);
        if (!info.parentId && at >= sinceMs) {
          found.push({ link: { path, id: info.id, linkedBy: "recent" }, at });
        }
      }
    }
    return newestFirst(found, { max: this.#max });
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    const { name, dbEnv } = this.#layout;
    const override = env[dbEnv];
    return [
      namedDir(openCodeDataDir(env, home, name), env, ["XDG_DATA_HOME"]),
      ...(override && ABSOLUTE.test(override) ? [namedDir(override, env, [dbEnv])] : []),
    ];
  }

  /** `<data dir>/storage` of an environment. */
  #storageDir(env: Record<string, string>, home: string): string {
    return `${openCodeDataDir(env, home, this.#layout.name)}/storage`;
  }

  /** The databases of an environment: the database variable's, else `<name>*.db` in the data directory. */
  #databases(env: Record<string, string>, home: string, now: number): string[] {
    const { name, dbEnv } = this.#layout;
    const dir = openCodeDataDir(env, home, name);
    const override = env[dbEnv];
    if (override) {
      if (override === ":memory:") return [];
      const path = ABSOLUTE.test(override) ? override : `${dir}/${override}`;
      return databaseStamp(path) ? [path] : [];
    }
    const main = `${name}.db`;
    return this.#listings.list(dir, now).filter((n) => this.#dbName.test(n)).sort((a, b) =>
      a === main ? -1 : b === main ? 1 : a < b ? -1 : 1
    ).map((n) => `${dir}/${n}`);
  }

  /** Top-level sessions of a directory, newest first (cached while the database is unchanged). */
  #inDirectory(db: string, directory: string, now: number): Row[] {
    return this.#byDirectory.rows(db, `${db}\0${directory}`, now, (d) => {
      const archived = d.columns("session").has("time_archived") ? "AND time_archived IS NULL" : "";
      return d.all(
        `SELECT id, time_updated FROM session WHERE directory = ? AND parent_id IS NULL ${archived}
         ORDER BY time_updated DESC LIMIT 16`,
        directory,
      );
    });
  }

  #readLegacy(path: string, now: number): OpenCodeView | null {
    const storage = path.slice(0, path.lastIndexOf("/storage/session/") + "/storage".length);
    const info = this.#head(path);
    if (!info) return null;
    const tree = this.#legacy.get(path, now, newTree);
    return this.#legacyView(storage, path, info, tree, now, 0, this.#history ? "none" : "newest");
  }

  /** One session of the storage tree as a view: messages synced by file time, newest parts read. */
  #legacyView(
    storage: string,
    path: string,
    info: OpenCodeSessionInfo,
    tree: Tree,
    now: number,
    depth: number,
    wanted: PartsWanted,
  ): OpenCodeView {
    const withParts = wanted === "newest";
    let malformed = syncLegacyMessages(storage, info.id, tree);
    const ordered = tree.ledger.ordered();
    const recentlyActive = now - (info.updated ?? 0) < SUBAGENT_QUIET_MS;
    const { parts, malformed: badParts } = withParts || (wanted === "active" && recentlyActive)
      ? newestParts(ordered, tree, withParts, (messageId, limit) => legacyParts(storage, messageId, limit))
      : { parts: [], malformed: 0 };
    malformed += badParts;
    const children: OpenCodeView[] = [];
    if (depth < MAX_DEPTH) {
      const dir = path.slice(0, path.lastIndexOf("/"));
      for (const name of this.#listings.list(dir, now)) {
        const childPath = `${dir}/${name}`;
        const child = name.endsWith(".json") ? this.#head(childPath) : null;
        if (!child || child.parentId !== info.id || children.length >= MAX_CHILDREN) continue;
        let sub = tree.children.get(child.id);
        if (!sub) tree.children.set(child.id, sub = newTree());
        const childParts = wanted === "none" ? "none" : "active";
        children.push(this.#legacyView(storage, childPath, child, sub, now, depth + 1, childParts));
      }
    }
    return {
      info,
      messages: tree.ledger,
      parts,
      prompt: withParts ? tree.prompt?.text ?? null : null,
      task: withParts ? legacyTask(storage, info.id) : null,
      children,
      malformed,
    };
  }

  #legacyById(storage: string, id: string, now: number): string | null {
    if (!SESSION_ID.test(id)) return null;
    for (const project of this.#listings.list(`${storage}/session`, now)) {
      const path = `${storage}/session/${project}/${id}.json`;
      if (this.#head(path)) return path;
    }
    return null;
  }

  #legacyByCwd(storage: string, cwd: string, since: number, ctx: LinkContext): SessionLink | null {
    let best: { link: SessionLink; updated: number } | null = null;
    for (const { path, info, mtime } of this.#legacySessions(storage, ctx.now)) {
      const updated = Math.max(info.updated ?? 0, mtime);
      if (info.parentId || info.directory !== cwd || updated < since || ctx.claimed.has(path)) continue;
      if (!best || updated > best.updated) best = { link: { path, id: info.id, linkedBy: "cwd" }, updated };
    }
    return best?.link ?? null;
  }

  /** Every session file of the storage tree with its parsed head. */
  #legacySessions(
    storage: string,
    now: number,
  ): { path: string; info: OpenCodeSessionInfo; mtime: number }[] {
    const out: { path: string; info: OpenCodeSessionInfo; mtime: number }[] = [];
    for (const project of this.#listings.list(`${storage}/session`, now)) {
      for (const name of this.#listings.list(`${storage}/session/${project}`, now)) {
        if (!name.endsWith(".json")) continue;
        const path = `${storage}/session/${project}/${name}`;
        const info = this.#head(path);
        if (info) out.push({ path, info, mtime: this.#heads.get(path)?.mtime ?? 0 });
      }
    }
    return out;
  }

  /** A session file of the storage tree, parsed (cached by modification time); null when unreadable. */
  #head(path: string): OpenCodeSessionInfo | null {
    const mtime = mtimeOf(path);
    if (mtime === null) return null;
    const cached = this.#heads.get(path);
    if (cached && cached.mtime === mtime && cached.info) return cached.info;
    const info = sessionInfo(readJson(path));
    // A half-written file is kept out of the cache and read again next time.
    if (this.#heads.size > MAX_CACHED_HEADS) this.#heads.clear();
    if (info) this.#heads.set(path, { mtime, info });
    return info ?? cached?.info ?? null;
  }
}

/** Reads one session of the database (and, below it, its subagents' sessions) into a view. */
function readDbView(
  d: Database,
  id: string,
  tree: Tree,
  now: number,
  depth: number,
  wanted: PartsWanted,
): OpenCodeView | null {
  const withParts = wanted === "newest";
  const sessionCols = d.columns("session");
  if (!sessionCols.has("id")) return null;
  const row = d.get(`SELECT ${d.select("session", SESSION_COLUMNS)} FROM session WHERE id = ?`, id);
  const info = row && sessionInfoOfRow(row);
  if (!info) return null;
  let malformed = syncDbMessages(d, id, tree);
  const ordered = tree.ledger.ordered();
  const recentlyActive = now - (info.updated ?? 0) < SUBAGENT_QUIET_MS;
  const { parts, malformed: badParts } = d.columns("part").has("message_id") &&
      (withParts || (wanted === "active" && recentlyActive))
    ? newestParts(ordered, tree, withParts, (messageId, limit) => dbParts(d, messageId, limit))
    : { parts: [], malformed: 0 };
  malformed += badParts;
  const children: OpenCodeView[] = [];
  if (depth < MAX_DEPTH && sessionCols.has("parent_id")) {
    const rows = d.all(`SELECT id FROM session WHERE parent_id = ? LIMIT ${MAX_CHILDREN}`, id);
    const live = new Set<string>();
    for (const r of rows) {
      const childId = String(r.id);
      live.add(childId);
      let sub = tree.children.get(childId);
      if (!sub) tree.children.set(childId, sub = newTree());
      const child = readDbView(d, childId, sub, now, depth + 1, wanted === "none" ? "none" : "active");
      if (child) children.push(child);
    }
    for (const k of tree.children.keys()) if (!live.has(k)) tree.children.delete(k);
  }
  return {
    info,
    messages: tree.ledger,
    parts,
    prompt: withParts ? tree.prompt?.text ?? null : null,
    task: withParts ? dbTask(d, id) : null,
    children,
    malformed,
  };
}

/**
 * The newest parts of a session, by `readParts` (from the database or the storage tree): those of its
 * newest {@linkcode PART_MESSAGES} messages with `withParts`, else of its newest message. With
 * `withParts`, the text of the last prompt is kept in `tree` too.
 */
function newestParts(
  ordered: OpenCodeMessage[],
  tree: Tree,
  withParts: boolean,
  readParts: (messageId: string, limit: number) => PartsRead,
): PartsRead {
  const out: PartsRead = { parts: [], malformed: 0 };
  for (const m of ordered.slice(withParts ? -PART_MESSAGES : -1)) {
    const read = readParts(m.id, PARTS_PER_MESSAGE);
    out.parts.push(...read.parts);
    out.malformed += read.malformed;
  }
  const lastUser = ordered.findLast((m) => m.role === "user");
  if (withParts && lastUser && tree.prompt?.messageId !== lastUser.id) {
    // Its text parts may not be written yet: the last prompt stays until they are.
    const text = promptText(readParts(lastUser.id, 200).parts);
    if (text !== null) tree.prompt = { messageId: lastUser.id, text };
  }
  return out;
}

/**
 * Brings the messages of a session up to date: the rows from the oldest response still being generated
 * on, found by the `(session_id, time_created)` index (all rows the first time, or when the row count
 * shows rows added out of order or removed). Returns the number of rows that did not parse.
 */
function syncDbMessages(d: Database, id: string, tree: Tree): number {
  const cols = d.columns("message");
  if (!cols.has("session_id") || !cols.has("data")) return 0;
  const count = Number(d.get(`SELECT count(*) AS n FROM message WHERE session_id = ?`, id)?.n ?? 0);
  if (count < tree.ledger.size) {
    tree.ledger.clear();
    tree.bad.clear();
  }
  const unsettled = cols.has("time_created") ? tree.ledger.unsettledSince() : null;
  const since = unsettled === null ? null : unsettled - SETTLE_MARGIN_MS;
  const select = `SELECT id, ${d.select("message", ["time_updated"])}, ${SLIM_MESSAGE} AS data FROM message`;
  const rows = since === null
    ? d.all(`${select} WHERE session_id = ?`, id)
    : d.all(`${select} WHERE session_id = ? AND time_created >= ?`, id, since);
  for (const r of rows) {
    const m = parseOpenCodeMessage(String(r.id), r.data, ms(r.time_updated));
    if (m) {
      tree.ledger.put(m);
      tree.bad.delete(m.id);
    } else tree.bad.add(String(r.id));
  }
  if (tree.ledger.size + tree.bad.size !== count && since !== null) {
    // A row older than the newest one seen appeared (clock skew, an import): read them all again.
    tree.ledger.clear();
    tree.bad.clear();
    return syncDbMessages(d, id, tree);
  }
  return tree.bad.size;
}

/** The newest `limit` parts of a message, slimmed in SQL. */
function dbParts(
  d: Database,
  messageId: string,
  limit: number,
): PartsRead {
  const rows = d.all(
    `SELECT id, message_id, ${SLIM_PART} AS data, ${OUTPUT} AS output FROM part
     WHERE message_id = ? ORDER BY id DESC LIMIT ?`,
    messageId,
    limit,
  );
  const parts: OpenCodePart[] = [];
  let malformed = 0;
  for (const r of rows) {
    const p = parseOpenCodePart(
      String(r.id),
      String(r.message_id),
      r.data,
      typeof r.output === "string" ? r.output : null,
    );
    if (p) parts.push(p);
    else malformed++;
  }
  return { parts, malformed };
}

/** The in-progress todo item of a session, when the `todo` table has one. */
function dbTask(d: Database, id: string): string | null {
  const cols = d.columns("todo");
  if (!cols.has("session_id") || !cols.has("content") || !cols.has("status")) return null;
  const order = cols.has("position") ? "ORDER BY position" : "";
  const row = d.get(
    `SELECT content FROM todo WHERE session_id = ? AND status = 'in_progress' ${order} LIMIT 1`,
    id,
  );
  return typeof row?.content === "string" ? row.content : null;
}

/**
 * Brings the messages of a session in the storage tree up to date: files whose modification time
 * changed are read again; a file that does not parse (half-written) keeps its last good content.
 * Returns the number of files that did not parse.
 */
function syncLegacyMessages(storage: string, id: string, tree: Tree): number {
  const dir = `${storage}/message/${id}`;
  const names = listDir(dir).filter((n) => n.endsWith(".json"));
  if (names.length < tree.files.size) {
    tree.ledger.clear();
    tree.files.clear();
    tree.bad.clear();
  }
  for (const name of names) {
    const path = `${dir}/${name}`;
    const mtime = mtimeOf(path);
    if (mtime === null || tree.files.get(name) === mtime) continue;
    const raw = readJson(path);
    const m = raw
      ? parseOpenCodeMessage(typeof raw.id === "string" ? raw.id : name.slice(0, -5), raw, mtime)
      : null;
    if (m) {
      tree.ledger.put(m);
      tree.files.set(name, mtime);
      tree.bad.delete(name);
    } else tree.bad.add(name);
  }
  return tree.bad.size;
}

/** The newest `limit` part files of a message. */
function legacyParts(
  storage: string,
  messageId: string,
  limit: number,
): PartsRead {
  const dir = `${storage}/part/${messageId}`;
  const names = listDir(dir).filter((n) => n.endsWith(".json")).sort().slice(-limit);
  const parts: OpenCodePart[] = [];
  let malformed = 0;
  for (const name of names) {
    const raw = readJson(`${dir}/${name}`);
    const p = raw &&
      parseOpenCodePart(typeof raw.id === "string" ? raw.id : name.slice(0, -5), messageId, raw);
    if (p) parts.push(p);
    else malformed++;
  }
  return { parts, malformed };
}

/** The in-progress item of `storage/todo/<ses>.json`. */
function legacyTask(storage: string, id: string): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readSmallText(`${storage}/todo/${id}.json`) ?? "null");
  } catch {
    return null;
  }
  if (!Array.isArray(raw)) return null;
  const active: unknown = raw.find((t) => isObject(t) && t.status === "in_progress");
  return isObject(active) && typeof active.content === "string" ? active.content : null;
}

/** A `session` row as session info. */
function sessionInfoOfRow(r: Row): OpenCodeSessionInfo | null {
  if (typeof r.id !== "string") return null;
  const m = asObject(r.model);
  const model = typeof m?.id === "string" ? m.id : typeof m?.modelID === "string" ? m.modelID : null;
  return {
    id: r.id,
    parentId: typeof r.parent_id === "string" && r.parent_id ? r.parent_id : null,
    directory: typeof r.directory === "string" && r.directory ? r.directory : null,
    title: typeof r.title === "string" ? r.title : null,
    created: ms(r.time_created),
    updated: ms(r.time_updated),
    model,
    agent: typeof r.agent === "string" && r.agent ? r.agent : null,
    totals: r.tokens_input === null || r.tokens_input === undefined ? null : {
      tokens: {
        input: positive(r.tokens_input),
        output: positive(r.tokens_output),
        cacheRead: positive(r.tokens_cache_read),
        cacheWrite: positive(r.tokens_cache_write),
        reasoning: positive(r.tokens_reasoning),
      },
      cost: positive(r.cost),
    },
  };
}

/** A session file of the storage tree (`{id, parentID, directory, title, time}`) as session info. */
function sessionInfo(raw: JsonObject | null): OpenCodeSessionInfo | null {
  if (!raw || typeof raw.id !== "string") return null;
  const time = isObject(raw.time) ? raw.time : {};
  return {
    id: raw.id,
    parentId: typeof raw.parentID === "string" && raw.parentID ? raw.parentID : null,
    directory: typeof raw.directory === "string" && raw.directory ? raw.directory : null,
    title: typeof raw.title === "string" ? raw.title : null,
    created: ms(time.created),
    updated: ms(time.updated),
    model: null,
    agent: null,
    totals: null,
  };
}

function newTree(): Tree {
  return {
    ledger: new OpenCodeLedger(),
    bad: new Set(),
    files: new Map(),
    prompt: null,
    children: new Map(),
  };
}

/** The project directory: `opencode [project]` when argv names an existing directory, else the cwd. */
function projectDir(argv: string[], cwd: string | null, valued: ReadonlySet<string>): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (valued.has(a)) i++;
      continue;
    }
    if (SUBCOMMANDS.has(a)) return cwd;
    const path = a.startsWith("/") ? a : cwd ? `${cwd}/${a}` : null;
    if (!path) return cwd;
    try {
      return Deno.statSync(path).isDirectory ? Deno.realPathSync(path) : cwd;
    } catch {
      return cwd;
    }
  }
  return cwd;
}

/** A time in ms (numbers, or numeric text, below 1e11 are taken as seconds), or null. */
function ms(v: unknown): number | null {
  return epochMs(typeof v === "string" && v.trim() !== "" ? Number(v) : v);
}
