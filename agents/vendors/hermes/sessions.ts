/**
 * Hermes Agent's sessions on disk: the SQLite database `$HERMES_HOME/state.db` (default
 * `~/.hermes/state.db`). Table `sessions` holds one row per session with the agent's own counters
 * (`input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`),
 * `actual_cost_usd`/`estimated_cost_usd`, `model`, `title`, `cwd`, `source` (`cli`, `telegram`, …),
 * times in unix seconds and `parent_session_id`: a subagent (`delegate_task`) run, or the continuation
 * a context compression starts (its parent then ends with `end_reason` `compression`). Table `messages`
 * holds the conversation (see `transcript.ts`).
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
import type { SubagentFacts, TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, SUBAGENT_QUIET_MS } from "../../session.ts";
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
import { HermesTranscript } from "./transcript.ts";
import { dataDirs, namedDir } from "../../formats/files.ts";
import { resolveFrom } from "../../formats/pi_store.ts";
import { newestFirst, START_SLACK_MS } from "../../formats/recent.ts";
import { optionValue } from "../../formats/argv.ts";
import { epochMs, nonBlank, positive } from "../../formats/records.ts";
import { promptLine } from "../../formats/text.ts";

const MAX_CHILDREN = 64;
/**
 * A subagent not ended and written within this long is running: Hermes stamps `last_activity_at` at
 * most once a minute, so the quiet window spans a few of its stamps.
 */
const SUBAGENT_STAMP_QUIET_MS = 3 * SUBAGENT_QUIET_MS;
const SESSION_COLUMNS = [
  "id",
  "source",
  "model",
  "title",
  "cwd",
  "git_branch",
  "parent_session_id",
  "started_at",
  "ended_at",
  "end_reason",
  "last_activity_at",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "estimated_cost_usd",
  "actual_cost_usd",
] as const;
const MESSAGE_COLUMNS = [
  "role",
  "content",
  "tool_calls",
  "tool_call_id",
  "tool_name",
  "timestamp",
  "finish_reason",
];
/** When a session was last written: its newest message, its activity stamp, its start (unix seconds). */
const ACTIVE_SQL = `max(coalesce(s.last_activity_at, 0), s.started_at,
  coalesce((SELECT max(m.timestamp) FROM messages m WHERE m.session_id = s.id), 0))`;
/** Sessions a user converses in: no parent, or the continuation of one a compression ended. */
const CONVERSATION_SQL = `(s.parent_session_id IS NULL OR EXISTS (SELECT 1 FROM sessions p
  WHERE p.id = s.parent_session_id AND p.end_reason = 'compression'))`;

/**
 * Hermes's home for a process environment: `HERMES_HOME` (`~` expanded), else `<home>/.hermes`.
 *
 * @example
 * ```ts
 * hermesHome({}, "/home/me"); // "/home/me/.hermes"
 * hermesHome({ HERMES_HOME: "~/.hermes/profiles/work" }, "/home/me"); // "/home/me/.hermes/profiles/work"
 * ```
 */
export function hermesHome(env: Record<string, string>, home: string): string {
  return env.HERMES_HOME ? resolveFrom(env.HERMES_HOME, home, home) : `${home}/.hermes`;
}

/** The messages of one session read so far. */
interface Thread {
  transcript: HermesTranscript;
  /** Highest message row id fed. */
  lastId: number;
  /** Rows fed. */
  rows: number;
}

/** One session read: its row, its messages' facts and its subagents' rows. */
interface SessionRow {
  row: Row;
  facts: SessionRead;
  children: Row[];
}

/**
 * Hermes's {@linkcode SessionSource}: `state.db` (one short-lived read-only connection per read,
 * skipped while the database is unchanged; messages read by row id, only the new ones). One per
 * collector.
 *
 * Linking, most reliable first: `--resume/-r <id>` in argv; else the conversation written last since
 * the process started whose `cwd` is the process's (one not ended first: a compression ends a session
 * and goes on in a new one); for `hermes gateway`, which serves chats from anywhere, the conversation
 * written last since it started.
 */
export class HermesSessionSource implements SessionSource {
  /** Where Hermes keeps its data. */
  readonly envKeys: readonly string[] = ["HERMES_HOME"];
  #reads = new DatabaseReads<Thread, SessionRow>(() => ({
    transcript: new HermesTranscript(),
    lastId: 0,
    rows: 0,
  }));
  #queries = new SessionQueries();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions it lists (none for a report). */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named the place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(hermesHome(env, home), env, this.envKeys)];
  }

  /** Finds the session of a live Hermes process. */
  link(ctx: LinkContext): SessionLink | null {
    const db = `${hermesHome(ctx.env, ctx.home)}/state.db`;
    if (databaseStamp(db) === null) return null;
    const resume = optionValue(ctx.argv, ["--resume", "-r"]);
    if (resume && resume !== "latest") {
      const named = namedSession(
        db,
        (d) => d.get("SELECT id FROM sessions WHERE id = ?", resume),
        ctx.claimed,
      );
      if (named) return named;
    }
    const since = (ctx.startedAt - START_SLACK_MS) / 1000;
    const gateway = ctx.argv.includes("gateway");
    if (!gateway && !ctx.cwd) return null;
    const rows = this.#queries.rows(db, `${db}\0${gateway ? "" : ctx.cwd}\0${since}`, ctx.now, (d) => {
      if (!d.columns("sessions").has("cwd")) return [];
      return d.all(
        `SELECT s.id, ${ACTIVE_SQL} AS at FROM sessions s WHERE ${CONVERSATION_SQL} AND ${ACTIVE_SQL} >= ?
         ${gateway ? "" : "AND s.cwd = ?"} ORDER BY s.ended_at IS NULL DESC, at DESC LIMIT 16`,
        ...(gateway ? [since] : [since, ctx.cwd!]),
      );
    });
    const found = rowLinks(db, rows, (r) => epochMs(r.at), 0, gateway ? "start" : "cwd");
    return found.find((f) => !ctx.claimed.has(f.link.path))?.link ?? null;
  }

  /** Reads a linked session: its row, the messages added since the last read, its subagents. */
  read(link: SessionLink, now: number): SessionRead | null {
    const read = this.#reads.readSession(link, now, (d, thread) => readSession(d, link.id, thread));
    return read ? sessionFacts(read, now) : null;
  }

  /** Conversations written since `sinceMs` in the databases of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const found = [];
    for (const home of dataDirs(envs, "HERMES_HOME", hermesHome)) {
      found.push(...recentSessions(
        `${home}/state.db`,
        (d, max) =>
          d.columns("sessions").has("started_at")
            ? d.all(
              `SELECT s.id, ${ACTIVE_SQL} AS at FROM sessions s WHERE ${CONVERSATION_SQL} AND ${ACTIVE_SQL} >= ?
               ORDER BY at DESC LIMIT ${max}`,
              sinceMs / 1000,
            )
            : [],
        (r) => epochMs(r.at),
        sinceMs,
        this.#max,
      ));
    }
    return newestFirst(found, { max: this.#max });
  }
}

/** Reads one session: its row, the messages after those `thread` was fed, its subagents' rows. */
function readSession(d: Database, id: string, thread: Thread): SessionRow | null {
  const cols = d.columns("sessions");
  if (!cols.has("id")) return null;
  const row = d.get(`SELECT ${d.select("sessions", SESSION_COLUMNS)} FROM sessions WHERE id = ?`, id);
  if (!row) return null;
  const msgCols = d.columns("messages");
  if (msgCols.has("id") && msgCols.has("session_id") && msgCols.has("role")) {
    const count = Number(
      d.get("SELECT count(*) AS n FROM messages WHERE session_id = ? AND id <= ?", id, thread.lastId)?.n,
    );
    // Rows removed (a rewind): read the conversation again.
    if (count !== thread.rows) {
      Object.assign(thread, { transcript: new HermesTranscript(), lastId: 0, rows: 0 });
    }
    const kind = msgCols.has("display_kind") ? "display_kind" : "NULL AS display_kind";
    const rows = d.all(
      `SELECT id, ${d.select("messages", MESSAGE_COLUMNS)}, ${kind} FROM messages
       WHERE session_id = ? AND id > ? ORDER BY id`,
      id,
      thread.lastId,
    );
    for (const r of rows) {
      thread.transcript.feed({
        role: String(r.role ?? ""),
        content: r.content,
        toolCalls: r.tool_calls,
        toolCallId: r.tool_call_id,
        toolName: r.tool_name,
        timestamp: r.timestamp,
        finishReason: r.finish_reason,
        displayKind: r.display_kind,
      });
      thread.lastId = Math.max(thread.lastId, Number(r.id) || 0);
      thread.rows++;
    }
  }
  // A session a compression ended goes on in its child: that child is no subagent.
  const children = cols.has("parent_session_id") && row.end_reason !== "compression"
    ? d.all(
      `SELECT ${d.select("sessions", SESSION_COLUMNS)} FROM sessions WHERE parent_session_id = ?
       ORDER BY started_at LIMIT ${MAX_CHILDREN}`,
      id,
    )
    : [];
  return { row, facts: thread.transcript.facts(), children };
}

/** A session row's own token counters. */
function rowTokens(r: Row): TokenBuckets {
  return {
    input: positive(r.input_tokens),
    output: positive(r.output_tokens),
    cacheRead: positive(r.cache_read_tokens),
    cacheWrite: positive(r.cache_write_tokens),
    reasoning: positive(r.reasoning_tokens),
  };
}

/** The cost a session row records: the provider's actual one, else Hermes's estimate; null for none. */
function rowCost(r: Row): number | null {
  const cost = positive(r.actual_cost_usd) || positive(r.estimated_cost_usd);
  return cost > 0 ? cost : null;
}

/** The facts of a session: its messages' facts with its row's counters, its subagents' folded in. */
function sessionFacts(read: SessionRow, now: number): SessionRead {
  const { row, facts } = read;
  const tokens = rowTokens(row);
  const model = nonBlank(row.model);
  const byModel: Record<string, TokenBuckets> = { [model ?? "unknown"]: { ...tokens } };
  let cost = rowCost(row);
  for (const c of read.children) {
    const t = rowTokens(c);
    addTokens(tokens, t);
    addTokens(byModel[nonBlank(c.model) ?? "unknown"] ??= emptyTokens(), t);
    const own = rowCost(c);
    if (own !== null) cost = (cost ?? 0) + own;
  }
  const lastActivity = Math.max(facts.lastActivity ?? 0, epochMs(row.last_activity_at) ?? 0) || null;
  return {
    ...facts,
    id: String(row.id),
    cwd: nonBlank(row.cwd),
    gitBranch: nonBlank(row.git_branch),
    title: promptLine(row.title) ?? facts.title,
    model,
    currentTool: facts.turn === "ended" ? null : facts.currentTool,
    subagents: read.children.map((c) => subagentOf(c, now)),
    startedAt: epochMs(row.started_at) ?? facts.startedAt,
    lastActivity,
    tokens,
    tokensByModel: byModel,
    tokensRecorded: true,
    costUsd: cost,
  };
}

/** A subagent session: running until it ends, and while it was written recently. */
function subagentOf(c: Row, now: number): SubagentFacts {
  const last = epochMs(c.last_activity_at) ?? epochMs(c.started_at);
  const running = c.ended_at === null && last !== null && now - last < SUBAGENT_STAMP_QUIET_MS;
  return {
    id: String(c.id),
    type: null,
    description: promptLine(c.title),
    status: running ? "running" : "done",
    model: nonBlank(c.model),
    tokens: rowTokens(c),
    currentTool: null,
    lastActivity: last,
  };
}
