/**
 * Read-only access to the SQLite databases agents keep their sessions in (OpenCode, Goose, Crush):
 * one connection per database, kept while it is in use (a whole `agtop report`, tick after tick in
 * the live view) and closed after {@linkcode IDLE_MS} unused, each statement prepared once per
 * connection; the writer's WAL honoured, a locked database retried once, and columns looked up
 * before they are selected, since these schemas change every month.
 *
 * A database in WAL mode that no process has open (no `-wal`/`-shm` beside it) is read from a copy in
 * memory: opening it in place, even read-only, would make SQLite create those two files. The copy is
 * reused while the file is unchanged. One larger than {@linkcode MEMORY_COPY_LIMIT} is opened in place
 * as `immutable=1` instead: SQLite then takes no lock and makes no file, and all its content is in the
 * main file. A live WAL database is opened in place, `readOnly`: SQLite then records its read position
 * in the writer's `-shm` (never the database or the `-wal`); `immutable=1`, which would not, ignores
 * the `-wal` and so the newest messages.
 *
 * A database is a file anyone who can write its folder can shape (Crush's lives inside the project), so
 * every connection reads only what it was built to read: each connection gets an authorizer that
 * refuses, when a statement is prepared, any read through a view or a trigger, any recursive query,
 * any virtual table, any generated column, and anything but reading. A table name that is a view, or
 * a column computed on read, so makes that one read fail (null) instead of running forever. What is
 * left is plain scans of stored rows: a query's time is bounded by the rows it reads, and the readers'
 * queries carry `LIMIT`s. (`node:sqlite` exposes no progress handler, and a timer cannot interrupt a synchronous
 * call on the same thread, so the bound is on what a statement may do, not on the clock.) The file,
 * its `-wal` and its `-shm` must be regular files: SQLite opens them itself, and a FIFO would block it.
 * A connection kept open is used again only while its file is the same (the same inode, its `-wal`
 * and `-shm` still regular files); when the database was written since, its tables and columns are
 * looked up again if its schema changed.
 *
 * `node:sqlite` is loaded on the first read, not imported: importing a `node:` module costs every run
 * of agtop start-up time, even with no OpenCode, Goose or Crush on the machine.
 *
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { SessionLink } from "../vendor.ts";
import { MAX_CACHED_QUERIES, ParseCache, type ParseCacheOptions } from "./parse_cache.ts";
import { RECENT_SESSIONS_MAX } from "../vendor.ts";
import { readCapped } from "./regular.ts";
import { nodeBuiltin } from "./node_builtin.ts";

/**
 * The path agtop gives a session kept in a database: the database's path, `#`, the session id.
 *
 * @example
 * ```ts
 * sessionPath("/home/me/.local/share/opencode/opencode.db", "ses_1"); // ".../opencode.db#ses_1"
 * ```
 */
export function sessionPath(db: string, id: string): string {
  return `${db}#${id}`;
}

/**
 * The database of a path made by {@linkcode sessionPath} for session `id`, or null when `path` is not
 * one (a session file of an older version).
 */
export function sessionDatabase(path: string, id: string): string | null {
  return path.endsWith(`#${id}`) ? path.slice(0, -id.length - 1) : null;
}

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** What {@linkcode readDatabase} returns when the writer still held its lock after one retry. */
export const BUSY: unique symbol = Symbol("busy");

/** How long SQLite waits for a writer's lock before a read gives up, per attempt (ms). */
export const BUSY_TIMEOUT_MS = 25;

/**
 * A quiescent WAL database up to this size is read from a copy in memory; a larger one is read in place
 * as immutable (see {@linkcode readDatabase}).
 */
export const MEMORY_COPY_LIMIT = 64 * 1024 * 1024;

/** A connection (or in-memory copy) not used for this long is closed (ms). */
const IDLE_MS = 5_000;

/** Most prepared statements kept per connection. */
const MAX_STATEMENTS = 64;

/** An open connection kept for the next reads of its database. */
interface Connection {
  db: DatabaseSync;
  schema: Schema;
  /** Prepared statements by their SQL. */
  statements: Map<string, StatementSync>;
  /** The database's {@linkcode databaseStamp} when last checked. */
  stamp: string;
  /** The inode of the file opened in place; null for an in-memory copy. */
  inode: number | null;
  /** `PRAGMA schema_version` when the schema was read (in-place connections). */
  version: number;
  usedAt: number;
}

/**
 * Open connections by path: in place (a database not in WAL mode, or a live WAL database), or to an
 * in-memory copy of a quiescent WAL database, or in place as immutable to one too large to copy (both
 * valid while its stamp is unchanged). Shared by the whole
 * process, not kept per reader: every reader (and every collector) of the same database uses the same
 * connection, and a copy of up to {@linkcode MEMORY_COPY_LIMIT} bytes is held once.
 */
const connections = new Map<string, Connection>();

/** The real tables of a database, each with its stored columns (generated ones left out). */
type Schema = Map<string, Set<string>>;

/** SQLite's authorizer codes (C API constants): the answers, and the actions agtop's reads perform. */
const AUTH = { ok: 0, deny: 1, pragma: 19, read: 20, select: 21, function: 31, recursive: 33 } as const;

/** `DatabaseSync.setAuthorizer` (SQLite's `sqlite3_set_authorizer`), present in Deno's `node:sqlite` but not in its types. */
interface Authorizable {
  setAuthorizer(
    check: (
      action: number,
      a: string | null,
      b: string | null,
      db: string | null,
      via: string | null,
    ) => number,
  ): void;
}

/** A database with more tables than this is not read (no agent's store comes near). */
const MAX_TABLES = 256;

/** The `node:sqlite` module, once loaded. */

/** SQLite result codes (primary, low byte) meaning another connection holds a lock. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** One open read-only connection, with the real tables and stored columns of its database. */
export class Database {
  #c: Connection;

  /** Wraps a kept connection guarded by its schema (see {@linkcode guardConnection}); use {@linkcode readDatabase}. */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /** All rows of a query with positional parameters (the statement prepared once per connection). */
  all(sql: string, ...params: (string | number | null)[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  /** The first row of a query, or null. */
  get(sql: string, ...params: (string | number | null)[]): Row | null {
    return (this.#statement(sql).get(...params) as Row | undefined) ?? null;
  }

  /** `sql` prepared on this connection, or the statement prepared for it before. */
  #statement(sql: string): StatementSync {
    const kept = this.#c.statements.get(sql);
    if (kept) return kept;
    const statement = this.#c.db.prepare(sql);
    if (this.#c.statements.size >= MAX_STATEMENTS) this.#c.statements.clear();
    this.#c.statements.set(sql, statement);
    return statement;
  }

  /**
   * The stored column names of `table`; empty when it is not a real table (missing, a view, a virtual
   * table). Generated columns are left out: they are computed on read.
   */
  columns(table: string): Set<string> {
    return this.#c.schema.get(table) ?? new Set();
  }

  /**
   * A select list naming `wanted` columns of `table`: each present column as itself, each missing one
   * as `NULL AS name`, so rows always carry every key.
   *
   * @example
   * ```ts
   * declare const db: Database;
   * db.select("sessions", ["id", "accumulated_cost"]); // `"id", NULL AS "accumulated_cost"` on an old schema
   * ```
   */
  select(table: string, wanted: readonly string[]): string {
    const cols = this.columns(table);
    return wanted.map((c) => (cols.has(c) ? quote(c) : `NULL AS ${quote(c)}`)).join(", ");
  }
}

/** How {@linkcode readDatabase} may read a database. */
export interface ReadOptions {
  /**
   * Whether a WAL database no process has open is read from a copy in memory (the default); when
   * false, it is not read at all (null), as for Cursor's chat stores, which agtop reads only while the
   * agent has them open.
   */
  copyQuiescent?: boolean;
}

/**
 * Opens `path` read-only (or takes the connection kept open for it) and hands it to `read`. A lock held by the writer
 * (`SQLITE_BUSY`, `SQLITE_LOCKED`) is retried once; if it is still held, returns {@linkcode BUSY} so the
 * caller can keep what it read last. Returns null when the file is missing, is not a database, or
 * `read` failed in any other way. Never throws.
 *
 * @example
 * ```ts
 * declare const lastCount: number | null;
 * const n = readDatabase("/home/me/.local/share/opencode/opencode.db", (db) => db.all("SELECT id FROM session").length);
 * const count = n === BUSY ? lastCount : n; // a locked database keeps the count read last
 * ```
 */
export function readDatabase<T>(
  path: string,
  read: (db: Database) => T,
  options: ReadOptions = {},
): T | typeof BUSY | null {
  return readStated(path, read, options.copyQuiescent ?? true, null);
}

/**
 * {@linkcode readDatabase}, given the status of the database and its `-wal` when the caller has just
 * read them (null: not yet).
 */
function readStated<T>(
  path: string,
  read: (db: Database) => T,
  copyQuiescent: boolean,
  stated: Stated | null,
): T | typeof BUSY | null {
  const now = Date.now();
  dropIdle(now);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const c = connect(path, copyQuiescent, now, attempt ? null : stated);
      return c ? read(new Database(c)) : null;
    } catch (e) {
      if (!isBusy(e)) return null;
    }
  }
  return BUSY;
}

/**
 * A cheap fingerprint of a database's content: size and modification time of the file and of its
 * `-wal`, or null when the database does not exist. Equal stamps mean nothing was written in between
 * (to the precision of the file system's clock).
 *
 * @example
 * ```ts
 * databaseStamp("/x/.crush/crush.db"); // "20480:1795491351846:41232:1795491374149"
 * ```
 */
export function databaseStamp(path: string): string | null {
  const stated = statDatabase(path);
  return stated && stampOf(stated);
}

/** The status of a database file and of its `-wal` (null when absent). */
interface Stated {
  db: Stat;
  wal: Stat | null;
}

/** The status of database `path` and its `-wal`, or null when the database does not exist. */
function statDatabase(path: string): Stated | null {
  const db = statOf(path);
  return db && { db, wal: statOf(`${path}-wal`) };
}

/** The {@linkcode databaseStamp} of a database and its `-wal` as stated. */
function stampOf({ db, wal }: Stated): string {
  return `${db.size}:${db.mtime}:${wal?.size ?? -1}:${wal?.mtime ?? -1}`;
}

/**
 * What was read from a database per key (a session, a question), read again only when the database
 * changed since (its {@linkcode databaseStamp}); a database locked by its writer keeps the value read
 * last. Each key also keeps parse state of its own (`S`, made by `fresh`) from one read to the next.
 *
 * @example
 * ```ts
 * const db = "/home/me/.local/share/opencode/opencode.db";
 * const reads = new DatabaseReads(() => ({ lastId: "" }));
 * reads.read(db, `${db}#ses_1`, Date.now(), (d, state) => d.all("SELECT id FROM part WHERE id > ?", state.lastId));
 * ```
 */
export class DatabaseReads<S, T> {
  #entries: ParseCache<{ state: S; stamp: string | null; value: T | null }>;
  #fresh: () => S;

  /** No reads yet; `options` say how long and how many entries are kept. */
  constructor(fresh: () => S, options: ParseCacheOptions = {}) {
    this.#fresh = fresh;
    this.#entries = new ParseCache(options);
  }

  /**
   * The value `read` returns for `key` of database `db`, from the last read while the database is
   * unchanged; null when the database does not exist (or `read` found nothing).
   */
  read(db: string, key: string, now: number, read: (d: Database, state: S) => T | null): T | null {
    const stated = statDatabase(db);
    if (!stated) return null;
    const stamp = stampOf(stated);
    const e = this.#entries.get(key, now, () => ({ state: this.#fresh(), stamp: null, value: null }));
    if (e.stamp !== stamp) {
      const value = readStated(db, (d) => read(d, e.state), true, stated);
      if (value !== BUSY) [e.stamp, e.value] = [stamp, value];
    }
    return e.value;
  }

  /**
   * {@linkcode DatabaseReads.read} of the session `link` names, keyed by its path, when the link is to a
   * session kept in a database ({@linkcode sessionPath}); undefined when it is to a file of its own (an
   * older version's), which the caller reads its own way.
   */
  readSession(
    link: SessionLink,
    now: number,
    read: (d: Database, state: S) => T | null,
  ): T | null | undefined {
    const db = sessionDatabase(link.path, link.id);
    return db === null ? undefined : this.read(db, link.path, now, read);
  }
}

/**
 * Links to the sessions `rows` name (by `id`) in database `db`, those active since `sinceMs` by the time
 * `at` gives a row, each with that time, in the order of the rows.
 *
 * @example
 * ```ts
 * const since = Date.parse("2026-11-24T00:00:00Z");
 * rowLinks("/x/.crush/crush.db", [{ id: "s1", updated_at: 1795491351 }], (r) => Number(r.updated_at) * 1000, since, "cwd");
 * // [{ link: { path: "/x/.crush/crush.db#s1", id: "s1", linkedBy: "cwd" }, at: 1795491351000 }]
 * ```
 */
export function rowLinks(
  db: string,
  rows: readonly Row[],
  at: (row: Row) => number | null,
  sinceMs: number,
  linkedBy: string,
): { link: SessionLink; at: number }[] {
  return rows.flatMap((r) => {
    const id = String(r.id);
    const when = at(r) ?? 0;
    return when >= sinceMs ? [{ link: { path: sessionPath(db, id), id, linkedBy }, at: when }] : [];
  });
}

/**
 * The session of database `db` that `find` returns the row of (as the id or name in an agent's argv
 * names it), linked `argv`; null when there is none, the database is locked, or the session is claimed.
 *
 * @example
 * ```ts
 * declare const id: string;
 * declare const claimed: ReadonlySet<string>;
 * namedSession("/x/.crush/crush.db", (d) => d.get("SELECT id FROM sessions WHERE id = ?", id), claimed);
 * ```
 */
export function namedSession(
  db: string,
  find: (d: Database) => Row | null,
  claimed: ReadonlySet<string>,
): SessionLink | null {
  const row = readDatabase(db, find);
  if (!row || row === BUSY) return null;
  const id = String(row.id);
  const path = sessionPath(db, id);
  return claimed.has(path) ? null : { path, id, linkedBy: "argv" };
}

/**
 * Sessions of database `db` active since `sinceMs`: the rows `query` returns (given the most it may
 * return as a SQL `LIMIT`: `max`, by default {@linkcode RECENT_SESSIONS_MAX}, and -1, no limit, for
 * `Infinity`), each with an `id` and the time `at` gives it, as links found by `recent`. None when the
 * database cannot be read.
 *
 * @example
 * ```ts
 * const db = "/home/me/.local/share/opencode/opencode.db";
 * const since = Date.now() - 24 * 3600_000;
 * recentSessions(db, (d, max) => d.all(`SELECT id, time_updated FROM session LIMIT ${max}`), (r) => Number(r.time_updated), since);
 * ```
 */
export function recentSessions(
  db: string,
  query: (d: Database, max: number) => Row[],
  at: (row: Row) => number | null,
  sinceMs: number,
  max: number = RECENT_SESSIONS_MAX,
): { link: SessionLink; at: number }[] {
  const limit = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : -1;
  const rows = readDatabase(db, (d) => query(d, limit));
  if (!rows || rows === BUSY) return [];
  return rowLinks(db, rows, at, sinceMs, "recent");
}

/**
 * The rows of queries a reader asks of session databases again and again (the sessions of a directory,
 * the newest top-level ones), each kept by key and asked again only when its database changed.
 *
 * @example
 * ```ts
 * const db = "/home/me/.local/share/opencode/opencode.db";
 * const cwd = "/home/me/shop";
 * const queries = new SessionQueries();
 * queries.rows(db, `${db}\0${cwd}`, Date.now(), (d) => d.all("SELECT id FROM session WHERE directory = ?", cwd));
 * ```
 */
export class SessionQueries {
  #reads = new DatabaseReads<null, Row[]>(() => null, { maxEntries: MAX_CACHED_QUERIES });

  /** The rows `query` returns for `key` of database `db`; none when it cannot be read. */
  rows(db: string, key: string, now: number, query: (d: Database) => Row[]): Row[] {
    return this.#reads.read(db, key, now, (d) => query(d)) ?? [];
  }
}

/**
 * The connection to read `path` through: the one kept for it while still valid, else a new one that
 * cannot create or change a file; null when there is nothing to open.
 */
function connect(
  path: string,
  copyQuiescent: boolean,
  now: number,
  stated: Stated | null,
): Connection | null {
  const { db: info, wal } = stated ?? statDatabase(path) ?? { db: null, wal: null };
  if (!info?.isFile || (wal && !wal.isFile)) return forget(path);
  const stamp = stampOf({ db: info, wal });
  const kept = connections.get(path);
  if (kept && (kept.inode === null ? kept.stamp === stamp : kept.inode === info.ino)) {
    kept.usedAt = now;
    if (kept.stamp !== stamp) {
      kept.stamp = stamp;
      const version = schemaVersion(kept.db);
      if (version !== kept.version && !regard(kept, version)) return forget(path);
    }
    return kept;
  }
  forget(path);
  // SQLite opens the -shm itself (a kept connection has it open already).
  const shm = statOf(`${path}-shm`);
  if (shm && !shm.isFile) return null;
  const c = walMode(path) && !(wal && shm)
    ? copyQuiescent
      ? info.size <= MEMORY_COPY_LIMIT ? copyOf(path, stamp, now) : frozen(path, stamp, now)
      : null
    : inPlace(path, stamp, info.ino, now);
  if (c) connections.set(path, c);
  return c;
}

/** A new read-only connection to `path` in place, guarded; null when it has too many tables. */
function inPlace(path: string, stamp: string, inode: number | null, now: number): Connection | null {
  const db = new (driver().DatabaseSync)(path, { readOnly: true });
  return kept(db, stamp, inode, now, () => db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`));
}

/**
 * A guarded connection to a copy in memory of the quiescent WAL database `path` (nobody has it open:
 * its content is all in the main file), marked as a rollback-journal database so that SQLite's
 * in-memory store accepts it.
 */
function copyOf(path: string, stamp: string, now: number): Connection | null {
  const bytes = readCapped(path, MEMORY_COPY_LIMIT);
  if (bytes === null || bytes.length < 100) return null;
  bytes[18] = 1;
  bytes[19] = 1;
  const mem = new (driver().DatabaseSync)(":memory:");
  return kept(mem, stamp, null, now, () => mem.deserialize(bytes));
}

/**
 * A guarded connection to the quiescent WAL database `path` too large to copy, read in place as
 * immutable: SQLite takes no lock and makes no `-wal` or `-shm` beside it. Kept, like a copy, only while
 * its stamp is unchanged: a writer that opens it again makes the next read open it anew.
 */
function frozen(path: string, stamp: string, now: number): Connection | null {
  return kept(new (driver().DatabaseSync)(immutableUri(path), { readOnly: true }), stamp, null, now);
}

/**
 * `db`, once `prepare`d, guarded as a connection to keep ({@linkcode guarded}); closed and null when it
 * has too many tables, closed when preparing or guarding it throws.
 */
function kept(
  db: DatabaseSync,
  stamp: string,
  inode: number | null,
  now: number,
  prepare?: () => void,
): Connection | null {
  try {
    prepare?.();
    const c = guarded(db, stamp, inode, now);
    if (c) return c;
  } catch (e) {
    db.close();
    throw e;
  }
  db.close();
  return null;
}

/**
 * The SQLite URI that opens `path` as immutable: `%`, `?` and `#` escaped, a Windows drive made a path.
 *
 * @example
 * ```ts
 * immutableUri("/home/me/.local/share/opencode/opencode.db"); // "file:/home/me/.local/share/opencode/opencode.db?immutable=1"
 * immutableUri("/srv/a?b#c%d.db"); // "file:/srv/a%3fb%23c%25d.db?immutable=1"
 * immutableUri("C:\\Users\\me\\opencode.db"); // "file:/C:/Users/me/opencode.db?immutable=1"
 * ```
 */
export function immutableUri(path: string): string {
  const slashed = path.replaceAll("\\", "/");
  const rooted = /^[A-Za-z]:/.test(slashed) ? `/${slashed}` : slashed;
  const escaped = rooted.replace(/[%?#]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `file:${escaped}?immutable=1`;
}

/** `db` guarded ({@linkcode guardConnection}) as a connection to keep; null when it has too many tables. */
function guarded(db: DatabaseSync, stamp: string, inode: number | null, now: number): Connection | null {
  const version = schemaVersion(db);
  const schema = guardConnection(db);
  return schema && { db, schema, statements: new Map(), stamp, inode, version, usedAt: now };
}

/**
 * Reads the tables and columns of a kept connection again after its schema changed (to `version`),
 * in place, so the authorizer sees them; false when the database now has too many tables.
 */
function regard(c: Connection, version: number): boolean {
  const schema = readSchema(c.db);
  if (!schema) return false;
  c.schema.clear();
  for (const [table, cols] of schema) c.schema.set(table, cols);
  c.statements.clear();
  c.version = version;
  return true;
}

/** `PRAGMA schema_version` of a connection (it changes with every change of the schema). */
function schemaVersion(db: DatabaseSync): number {
  return Number((db.prepare("PRAGMA schema_version").get() as Row | undefined)?.schema_version ?? 0);
}

/** Closes the connection kept for `path`, if any; null. */
function forget(path: string): null {
  const c = connections.get(path);
  if (c) {
    connections.delete(path);
    closeQuietly(c.db);
  }
  return null;
}

/**
 * Reads the real tables of `db` and their stored columns, then installs the authorizer described in
 * the module documentation, so that no later statement on `db` can read through a view or trigger,
 * recurse, touch a virtual table or a generated column, or do anything but read. Null when the
 * database has more than {@linkcode MAX_TABLES} tables.
 */
function guardConnection(db: DatabaseSync): Schema | null {
  const schema = readSchema(db);
  if (!schema) return null;
  (db as unknown as Authorizable).setAuthorizer((action, table, column, _db, via) => {
    if (via !== null || action === AUTH.recursive) return AUTH.deny;
    if (action === AUTH.select || action === AUTH.function || action === AUTH.pragma) return AUTH.ok;
    if (action !== AUTH.read || table === null) return AUTH.deny;
    if (table === "sqlite_master" || table === "sqlite_schema") return AUTH.ok;
    const cols = schema.get(table);
    return cols && (column === null || column === "" || cols.has(column)) ? AUTH.ok : AUTH.deny;
  });
  return schema;
}

/** The real tables of `db` and their stored columns; null when there are more than {@linkcode MAX_TABLES}. */
function readSchema(db: DatabaseSync): Schema | null {
  const tables = db.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' LIMIT ${
      MAX_TABLES + 1
    }`,
  ).all() as Row[];
  if (tables.length > MAX_TABLES) return null;
  const schema: Schema = new Map();
  for (const { name } of tables) {
    const cols = db.prepare(`PRAGMA table_xinfo(${quote(String(name))})`).all() as Row[];
    schema.set(String(name), new Set(cols.filter((c) => c.hidden === 0).map((c) => String(c.name))));
  }
  return schema;
}

/** `node:sqlite`, loaded on first use. */
function driver(): typeof import("node:sqlite") {
  const mod = nodeBuiltin<typeof import("node:sqlite")>("node:sqlite");
  if (!mod?.DatabaseSync) throw new Error("node:sqlite is not available");
  return mod;
}

/** Closes the connections (and in-memory copies) not used for {@linkcode IDLE_MS}. */
function dropIdle(now: number): void {
  for (const [path, c] of connections) if (now - c.usedAt > IDLE_MS) forget(path);
}

function closeQuietly(db: DatabaseSync): void {
  try {
    db.close();
  } catch {
    // already closed
  }
}

/** True when the database header says WAL mode (file format versions 2). */
function walMode(path: string): boolean {
  let file: Deno.FsFile | null = null;
  try {
    file = Deno.openSync(path, { read: true });
    const header = new Uint8Array(20);
    let got = 0;
    while (got < header.length) {
      const n = file.readSync(header.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    return got === header.length && (header[18] === 2 || header[19] === 2);
  } catch {
    return false;
  } finally {
    file?.close();
  }
}

function isBusy(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const code = (e as { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === SQLITE_BUSY || (code & 0xff) === SQLITE_LOCKED;
  const message = (e as { message?: unknown }).message;
  return typeof message === "string" && /database (?:table )?is locked|database is busy/i.test(message);
}

/** What agtop needs of a file's status. */
interface Stat {
  size: number;
  mtime: number;
  isFile: boolean;
  ino: number | null;
}

function statOf(path: string): Stat | null {
  try {
    const s = Deno.statSync(path);
    return { size: s.size, mtime: s.mtime?.getTime() ?? 0, isFile: s.isFile, ino: s.ino };
  } catch {
    return null;
  }
}

/** An SQL identifier in double quotes. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
