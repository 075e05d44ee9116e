/**
 * Read-only access to the SQLite databases agents keep their sessions in (OpenCode, Goose, Crush):
 * one short-lived connection per read, the writer's WAL honoured, a locked database retried once,
 * and columns looked up before they are selected, since these schemas change every month.
 *
 * A database in WAL mode that no process has open (no `-wal`/`-shm` beside it) is read from a copy in
 * memory: opening it in place, even read-only, would make SQLite create those two files. The copy is
 * reused while the file is unchanged and dropped when unused. A live WAL database is opened in place,
 * `readOnly`: SQLite then records its read position in the writer's `-shm` (never the database or the
 * `-wal`); `immutable=1`, which would not, ignores the `-wal` and so the newest messages.
 *
 * A database is a file anyone who can write its folder can shape (Crush's lives inside the project), so
 * every connection reads only what it was built to read: each connection gets an authorizer that
 * refuses, when a statement is prepared, any read through a view or a trigger, any recursive query,
 * any virtual table, any generated column, and anything but reading. A table name that is a view, or
 * a column computed on read, so makes that one read fail (null) instead of running forever. What is
 * left is plain scans of stored rows: a query's time is bounded by the rows it reads (a database
 * copied into memory is at most {@linkcode MEMORY_COPY_LIMIT} bytes), and the readers' queries carry
 * `LIMIT`s. (`node:sqlite` exposes no progress handler, and a timer cannot interrupt a synchronous
 * call on the same thread, so the bound is on what a statement may do, not on the clock.) The file,
 * its `-wal` and its `-shm` must be regular files: SQLite opens them itself, and a FIFO would block it.
 *
 * `node:sqlite` is loaded on the first read, not imported: importing a `node:` module costs every run
 * of agtop start-up time, even with no OpenCode, Goose or Crush on the machine.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { SessionLink } from "../vendor.ts";
import { MAX_CACHED_QUERIES, ParseCache, type ParseCacheOptions } from "./parse_cache.ts";
import { RECENT_SESSIONS_MAX } from "../vendor.ts";
import { readCapped } from "./regular.ts";

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

/** A quiescent WAL database larger than this is not copied into memory (and not read). */
export const MEMORY_COPY_LIMIT = 64 * 1024 * 1024;

/** An in-memory copy not used for this long is dropped (ms). */
const COPY_IDLE_MS = 5_000;

/**
 * In-memory copies of quiescent WAL databases, by path, with the stamp of the file they copy. Shared by
 * the whole process, not kept per reader: a copy is up to {@linkcode MEMORY_COPY_LIMIT} bytes, and every
 * reader (and every collector) of the same unchanged file can use the same one; each is dropped after
 * {@linkcode COPY_IDLE_MS} unused.
 */
const copies = new Map<string, { stamp: string; db: DatabaseSync; schema: Schema; usedAt: number }>();

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
let sqlite: typeof import("node:sqlite") | null = null;

/** SQLite result codes (primary, low byte) meaning another connection holds a lock. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** One open read-only connection, with the real tables and stored columns of its database. */
export class Database {
  #db: DatabaseSync;
  #owned: boolean;
  #schema: Schema;

  /**
   * Wraps an open connection guarded by `schema` (see {@linkcode guardConnection}; closed by
   * {@linkcode close} when `owned`); use {@linkcode readDatabase}.
   */
  constructor(db: DatabaseSync, schema: Schema, owned = true) {
    this.#db = db;
    this.#schema = schema;
    this.#owned = owned;
  }

  /** All rows of a query with positional parameters. */
  all(sql: string, ...params: (string | number | null)[]): Row[] {
    return this.#db.prepare(sql).all(...params) as Row[];
  }

  /** The first row of a query, or null. */
  get(sql: string, ...params: (string | number | null)[]): Row | null {
    return (this.#db.prepare(sql).get(...params) as Row | undefined) ?? null;
  }

  /**
   * The stored column names of `table`; empty when it is not a real table (missing, a view, a virtual
   * table). Generated columns are left out: they are computed on read.
   */
  columns(table: string): Set<string> {
    return this.#schema.get(table) ?? new Set();
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

  /** Closes the connection (a shared in-memory copy stays open). */
  close(): void {
    if (!this.#owned) return;
    try {
      this.#db.close();
    } catch {
      // already closed
    }
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
 * Opens `path` read-only, hands the connection to `read`, and closes it. A lock held by the writer
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
  dropIdleCopies(Date.now());
  for (let attempt = 0; attempt < 2; attempt++) {
    let db: Database | null = null;
    try {
      db = open(path, options.copyQuiescent ?? true);
      if (!db) return null;
      return read(db);
    } catch (e) {
      if (!isBusy(e)) return null;
    } finally {
      db?.close();
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
  const db = statOf(path);
  if (!db) return null;
  const wal = statOf(`${path}-wal`);
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
    const stamp = databaseStamp(db);
    if (!stamp) return null;
    const e = this.#entries.get(key, now, () => ({ state: this.#fresh(), stamp: null, value: null }));
    if (e.stamp !== stamp) {
      const value = readDatabase(db, (d) => read(d, e.state));
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

/** Opens a connection that cannot create or change a file, or null when there is nothing to open. */
function open(path: string, copyQuiescent: boolean): Database | null {
  const info = statOf(path);
  if (!info?.isFile) return null;
  const wal = statOf(`${path}-wal`);
  const shm = statOf(`${path}-shm`);
  if ((wal && !wal.isFile) || (shm && !shm.isFile)) return null;
  if (!walMode(path) || (wal && shm)) {
    const db = new (driver().DatabaseSync)(path, { readOnly: true });
    try {
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const schema = guardConnection(db);
      if (schema) return new Database(db, schema);
    } catch (e) {
      db.close();
      throw e;
    }
    db.close();
    return null;
  }
  if (!copyQuiescent || info.size > MEMORY_COPY_LIMIT) return null;
  const stamp = databaseStamp(path) ?? "";
  const cached = copies.get(path);
  if (cached?.stamp === stamp) {
    cached.usedAt = Date.now();
    return new Database(cached.db, cached.schema, false);
  }
  // Nobody has it open: its content is all in the main file. Read a copy, marked as a rollback-journal
  // database so that SQLite's in-memory store accepts it.
  const bytes = readCapped(path, MEMORY_COPY_LIMIT);
  if (bytes === null || bytes.length < 100) return null;
  bytes[18] = 1;
  bytes[19] = 1;
  const mem = new (driver().DatabaseSync)(":memory:");
  let schema: Schema | null;
  try {
    mem.deserialize(bytes);
    schema = guardConnection(mem);
  } catch (e) {
    mem.close();
    throw e;
  }
  if (!schema) {
    mem.close();
    return null;
  }
  cached?.db.close();
  copies.set(path, { stamp, db: mem, schema, usedAt: Date.now() });
  return new Database(mem, schema, false);
}

/**
 * Reads the real tables of `db` and their stored columns, then installs the authorizer described in
 * the module documentation, so that no later statement on `db` can read through a view or trigger,
 * recurse, touch a virtual table or a generated column, or do anything but read. Null when the
 * database has more than {@linkcode MAX_TABLES} tables.
 */
function guardConnection(db: DatabaseSync): Schema | null {
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

/** `node:sqlite`, loaded synchronously on first use (a collector tick cannot wait for `import()`). */
function driver(): typeof import("node:sqlite") {
  if (sqlite) return sqlite;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.("node:sqlite") as typeof import("node:sqlite") | undefined;
  if (!mod?.DatabaseSync) throw new Error("node:sqlite is not available");
  return sqlite = mod;
}

/** Closes the in-memory copies not used for {@linkcode COPY_IDLE_MS}. */
function dropIdleCopies(now: number): void {
  for (const [path, c] of copies) {
    if (now - c.usedAt <= COPY_IDLE_MS) continue;
    copies.delete(path);
    try {
      c.db.close();
    } catch {
      // already closed
    }
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

function statOf(path: string): { size: number; mtime: number; isFile: boolean } | null {
  try {
    const s = Deno.statSync(path);
    return { size: s.size, mtime: s.mtime?.getTime() ?? 0, isFile: s.isFile };
  } catch {
    return null;
  }
}

/** An SQL identifier in double quotes. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
