/**
 * The message rows of one Goose session in `sessions.db`: its `messages` rows and, from schema v10, its
 * `thread_messages` rows (the session's own, and those of its thread that name no session), where
 * newer builds write the conversation. A message copied into both tables (the same `message_id`) is
 * read once. Read incrementally: each table by row id, from where the last read stopped.
 *
 * @module
 */

import type { Database, Row } from "../../formats/sqlite.ts";

/** The two tables a session's messages are kept in, in the order they are read. */
const TABLES = ["messages", "thread_messages"] as const;

/** The columns of a message row handed over (a missing one reads as null). */
const COLUMNS = ["id", "message_id", "role", "content_json", "created_timestamp", "metadata_json"] as const;

/** How far one table of a session has been read. */
interface TableRead {
  /** Lowest row id read, or null before the first. */
  firstId: number | null;
  /** Highest row id read (0 before the first). */
  lastId: number;
  /** Rows read. */
  rows: number;
}

/**
 * Follows the messages of one session across reads: {@linkcode SessionMessages.read} hands over the
 * rows added since the previous read, or all of them again (and says so) when rows were deleted or the
 * conversation replaced, as Goose does when it compacts one.
 *
 * @example
 * ```ts
 * import type { Database } from "../../formats/sqlite.ts";
 * declare const d: Database;
 * const messages = new SessionMessages();
 * const { rows, reset } = messages.read(d, "20261124_1"); // every row, then only new ones
 * ```
 */
export class SessionMessages {
  #tables: Record<(typeof TABLES)[number], TableRead> = { messages: fresh(), thread_messages: fresh() };
  /** `message_id`s handed over: a copy of one in the other table is skipped. */
  #seen = new Set<string>();

  /** Rows added to session `id`'s messages since the last read, oldest first in each table. */
  read(d: Database, id: string): { rows: Row[]; reset: boolean } {
    const where = TABLES.map((t) => condition(d, t, id));
    const reset = TABLES.some((t, i) => where[i] !== null && this.#replaced(d, t, where[i]!));
    if (reset) {
      for (const t of TABLES) this.#tables[t] = fresh();
      this.#seen.clear();
    }
    const rows: Row[] = [];
    TABLES.forEach((t, i) => {
      const w = where[i];
      if (w === null) return;
      const read = this.#tables[t];
      const added = d.all(
        `SELECT ${d.select(t, COLUMNS)} FROM ${t} WHERE (${w.sql}) AND id > ? ORDER BY id`,
        ...w.params,
        read.lastId,
      );
      for (const r of added) {
        read.firstId ??= Number(r.id);
        read.lastId = Math.max(read.lastId, Number(r.id) || 0);
        read.rows++;
        const copy = typeof r.message_id === "string" && r.message_id !== "";
        if (copy && this.#seen.has(r.message_id as string)) continue;
        if (copy) this.#seen.add(r.message_id as string);
        rows.push(r);
      }
    });
    return { rows, reset };
  }

  /** Whether rows of `table` read before are gone (fewer rows, or another first row). */
  #replaced(d: Database, table: (typeof TABLES)[number], w: Condition): boolean {
    const read = this.#tables[table];
    if (read.rows === 0) return false;
    const head = d.get(`SELECT count(*) AS n, min(id) AS first FROM ${table} WHERE ${w.sql}`, ...w.params);
    return Number(head?.n ?? 0) < read.rows || Number(head?.first) !== read.firstId;
  }
}

/**
 * Every message row of session `id`, oldest first in each table, a copy in both tables once (for a
 * one-off read, such as a report's tool calls).
 *
 * @example
 * ```ts
 * import type { Database } from "../../formats/sqlite.ts";
 * declare const d: Database;
 * sessionMessageRows(d, "20261124_1").length;
 * ```
 */
export function sessionMessageRows(d: Database, id: string): Row[] {
  return new SessionMessages().read(d, id).rows;
}

/** A `WHERE` condition and its parameters. */
interface Condition {
  sql: string;
  params: string[];
}

/** Which rows of `table` are session `id`'s; null when the table cannot hold them. */
function condition(d: Database, table: (typeof TABLES)[number], id: string): Condition | null {
  const cols = d.columns(table);
  if (!cols.has("id") || !cols.has("session_id") || !cols.has("content_json")) return null;
  if (table === "messages") return { sql: "session_id = ?", params: [id] };
  const thread = cols.has("thread_id") && d.columns("sessions").has("thread_id")
    ? d.get(`SELECT thread_id FROM sessions WHERE id = ?`, id)?.thread_id
    : null;
  return typeof thread === "string"
    ? { sql: "session_id = ? OR (session_id IS NULL AND thread_id = ?)", params: [id, thread] }
    : { sql: "session_id = ?", params: [id] };
}

function fresh(): TableRead {
  return { firstId: null, lastId: 0, rows: 0 };
}
