/**
 * Reading tool calls out of the SQLite databases agents keep their sessions in (OpenCode, Kilo Code,
 * Goose, Crush) for `agtop report tools`: a session path `<database>#<session id>` opened read-only
 * through {@linkcode readDatabase}, and a session's child (subagent) sessions found by their parent
 * column, so that their calls count in the session that started them.
 *
 * @module
 */

import type { ToolCallRecord } from "../vendor.ts";
import { BUSY, type Database, readDatabase } from "./sqlite.ts";

/** How deep child sessions are followed. */
const MAX_DEPTH = 4;
/** Most child sessions read per session. */
const MAX_CHILDREN = 256;

/**
 * The tool calls `read` finds for the session at `path` (`<database>#<session id>`), read through a
 * read-only connection. Throws when the path names no session of a database, or the database cannot
 * be read (missing, not a database, locked by its writer, or `read` failed).
 *
 * @example
 * ```ts
 * const calls = databaseToolCalls("/home/me/api/.crush/crush.db#4b1c", (d, id) => []);
 * calls.length; // 0
 * ```
 */
export function databaseToolCalls(
  path: string,
  read: (d: Database, id: string) => ToolCallRecord[],
): ToolCallRecord[] {
  const hash = path.lastIndexOf("#");
  if (hash < 0) throw new Error("tool calls are read from the database only");
  const id = path.slice(hash + 1);
  const calls = readDatabase(path.slice(0, hash), (d) => read(d, id));
  if (calls === BUSY) throw new Error("database locked by its writer");
  if (calls === null) throw new Error("not a readable database");
  return calls;
}

/**
 * Session `id` and its descendants (children whose `parentColumn` names it, their children, … to
 * depth {@linkcode MAX_DEPTH}) in `table`, the session first, then level by level. Only `id` when the
 * table has no such column.
 *
 * @example
 * ```ts
 * import type { Database } from "./sqlite.ts";
 * declare const d: Database;
 * sessionFamily(d, "sessions", "parent_session_id", "s1"); // ["s1", "s1-child", …]
 * ```
 */
export function sessionFamily(d: Database, table: string, parentColumn: string, id: string): string[] {
  const ids = [id];
  if (!d.columns(table).has(parentColumn)) return ids;
  const seen = new Set(ids);
  let level = [id];
  for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
    level = level.flatMap((p) =>
      d.all(`SELECT id FROM "${table}" WHERE "${parentColumn}" = ? LIMIT ${MAX_CHILDREN}`, p)
        .map((r) => String(r.id))
        .filter((c) => !seen.has(c) && seen.add(c))
    );
    ids.push(...level);
  }
  return ids;
}
