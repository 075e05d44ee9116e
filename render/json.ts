/**
 * `agtop ls --format=json`: the Snapshot as one JSON object with snake_case keys. This is the
 * contract scripts rely on; its `schema` number changes only on incompatible changes, and the README
 * documents every field.
 *
 * @module
 */

import { aggregate, type Aggregates } from "../agents/aggregates.ts";
import type { Snapshot } from "../agents/types.ts";
import { isoTime } from "./units.ts";

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/** Keys whose values are maps with keys of their own (env names, model ids) that stay as they are. */
const VERBATIM = new Set(["env", "tokens_by_model"]);

function toJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toJson);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    const key = snake(k);
    out[key] = VERBATIM.has(key) ? toJsonValues(val) : toJson(val);
  }
  return out;
}

function toJsonValues(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return toJson(v);
  return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, toJson(val)]));
}

/**
 * The snapshot as pretty JSON with snake_case keys and ISO-8601 times for `*_at`/`started_at`, ending
 * with `aggregates`: the totals of the agents it prints, unless given (the totals of the real agents
 * with pseudonyms for project names, for a redacted snapshot: see `redactAggregates`).
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const doc = JSON.parse(renderJson(snapshot));
 * doc.agents[0].cpu_percent;
 * ```
 */
export function renderJson(snap: Snapshot, aggregates: Aggregates = aggregate(snap.agents)): string {
  return jsonDocument({ ...snap, aggregates });
}

/**
 * Any of agtop's reports as pretty JSON the way `ls` writes a snapshot: snake_case keys, ISO-8601
 * times, invisible characters escaped.
 *
 * @example
 * ```ts
 * jsonDocument({ takenAt: 0, agentPid: 7 }); // '{\n  "taken_at": "1970-01-01T00:00:00.000Z",\n  "agent_pid": 7\n}\n'
 * ```
 */
export function jsonDocument(value: unknown): string {
  return escapeInvisible(JSON.stringify(toJson(value), timeReplacer, 2)) + "\n";
}

/**
 * Characters `JSON.stringify` leaves raw that a terminal or an editor would obey: DEL and the C1
 * controls (U+009B is CSI to many terminals), the zero-width and bidirectional marks, the line and
 * paragraph separators, the byte order mark. They can only occur inside strings of the JSON text.
 */
const INVISIBLE = /[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * JSON text with every {@linkcode INVISIBLE} character written as a `\\uXXXX` escape: the same
 * document to a parser, nothing for a terminal to obey.
 *
 * @example
 * ```ts
 * escapeInvisible(JSON.stringify("a\u202eb")); // '"a\\u202eb"'
 * ```
 */
export function escapeInvisible(json: string): string {
  return json.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const TIME_KEYS = new Set([
  "taken_at",
  "started_at",
  "status_since",
  "last_activity",
  "boot_time",
  "at",
  "limited_until",
  "resets_at",
  "last_request_at",
  "expires_at",
  "block_start",
  "start",
  "end",
]);

/** Working data of the readers that the output summarises elsewhere (`burn` sums `recent_usage`). */
const OMITTED = new Set(["recent_usage"]);

function timeReplacer(key: string, value: unknown): unknown {
  if (OMITTED.has(key)) return undefined;
  if (TIME_KEYS.has(key) && typeof value === "number") return isoTime(value);
  return value;
}
