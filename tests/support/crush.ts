/**
 * Crush project databases (`.crush/crush.db`) for tests, created with node:sqlite from the documented
 * schema.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { NOW } from "./sessions.ts";

/** The `sessions` and `messages` tables of a Crush project database. */
export const CRUSH_SCHEMA = `
CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0.0, updated_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL, summary_message_id TEXT, todos TEXT);
CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
  parts BLOB NOT NULL DEFAULT '[]', model TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  finished_at INTEGER, provider TEXT, is_summary_message INTEGER DEFAULT 0 NOT NULL);
CREATE INDEX idx_messages_session_id ON messages (session_id);
`;

/** A time in unix seconds, as Crush stores it. */
export const sec = (ms: number): number => Math.floor(ms / 1000);

/** Inserts session `id` (updated at {@linkcode NOW}): its parent, cost, prompt tokens and todos. */
export function crushSession(
  db: DatabaseSync,
  id: string,
  o: { parent?: string; cost?: number; prompt?: number; todos?: unknown },
) {
  db.prepare(
    `INSERT INTO sessions (id, parent_session_id, title, prompt_tokens, completion_tokens, cost, updated_at, created_at, todos)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    o.parent ?? null,
    `title of ${id}`,
    o.prompt ?? 0,
    0,
    o.cost ?? 0,
    sec(NOW),
    sec(NOW - 9000),
    o.todos ? JSON.stringify(o.todos) : null,
  );
}

/** Inserts (or replaces) message `id` of `session` with its `parts`, made at `at`, finished at `finished` (ms). */
export function crushMessage(
  db: DatabaseSync,
  id: string,
  session: string,
  role: string,
  parts: unknown[],
  at: number,
  finished?: number,
) {
  db.prepare(
    `INSERT OR REPLACE INTO messages (id, session_id, role, parts, model, provider, created_at, updated_at, finished_at)
     VALUES (?, ?, ?, ?, ?, 'anthropic', ?, ?, ?)`,
  ).run(
    id,
    session,
    role,
    JSON.stringify(parts),
    role === "assistant" ? "claude-sonnet-4-5" : null,
    sec(at),
    sec(at),
    finished ? sec(finished) : null,
  );
}

/** A finished `tool_call` part calling `name` with `input`. */
export const call = (id: string, name: string, input: unknown): Record<string, unknown> => ({
  type: "tool_call",
  data: { id, name, input: JSON.stringify(input), finished: true },
});
