/**
 * Goose `sessions.db` databases for tests, created with node:sqlite from the documented schema
 * (migrations up to v13 and the newer cache and subagent columns).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** The `schema_version`, `sessions` (with `extra` columns) and `messages` tables of a Goose database. */
export const GOOSE_SCHEMA = (extra: string): string => `
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
  user_set_name BOOLEAN DEFAULT FALSE, session_type TEXT NOT NULL DEFAULT 'user', working_dir TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  extension_data TEXT DEFAULT '{}', total_tokens INTEGER, input_tokens INTEGER, output_tokens INTEGER,
  accumulated_total_tokens INTEGER, accumulated_input_tokens INTEGER, accumulated_output_tokens INTEGER,
  schedule_id TEXT, recipe_json TEXT, user_recipe_values_json TEXT${extra});
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT, session_id TEXT NOT NULL,
  role TEXT NOT NULL, content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL,
  timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, tokens INTEGER, metadata_json TEXT);
CREATE INDEX idx_messages_session ON messages(session_id);
`;

/** The `sessions` columns migrations v6–v13 and newer builds add. */
export const GOOSE_V13 =
  `, provider_name TEXT, model_config_json TEXT, goose_mode TEXT NOT NULL DEFAULT 'auto',
  thread_id TEXT, archived_at TIMESTAMP, project_id TEXT, accumulated_cost REAL, cache_read_tokens INTEGER,
  cache_write_tokens INTEGER, accumulated_cache_read_tokens INTEGER, accumulated_cache_write_tokens INTEGER,
  parent_session_id TEXT`;

/** A time as SQLite's `CURRENT_TIMESTAMP` writes it (UTC, seconds). */
export const sqliteTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** Inserts a message of `session` with its `content` items, made at `at` (ms; stored in unix seconds). */
export const gooseMsg = (
  db: DatabaseSync,
  session: string,
  role: string,
  content: unknown[],
  at: number,
  meta?: unknown,
): void => {
  db.prepare(
    `INSERT INTO messages (session_id, role, content_json, created_timestamp, metadata_json) VALUES (?, ?, ?, ?, ?)`,
  ).run(session, role, JSON.stringify(content), Math.floor(at / 1000), meta ? JSON.stringify(meta) : null);
};

/** A `toolRequest` item calling the `name` tool (by default `developer__shell`) with `command`. */
export const shell = (id: string, command: string, name = "developer__shell"): Record<string, unknown> => ({
  type: "toolRequest",
  id,
  toolCall: { status: "success", value: { name, arguments: { command } } },
});
