/**
 * OpenClaw's sessions on disk. The state directory `S` is `$OPENCLAW_STATE_DIR`, else
 * `<OPENCLAW_HOME or home>/.openclaw` (`.openclaw-<profile>` under `OPENCLAW_PROFILE`). Each agent it
 * runs (`main` unless configured otherwise) keeps its sessions in the SQLite database
 * `S/agents/<agent id>/agent/openclaw-agent.sqlite`: `session_windows` (one row per session: key,
 * model, the parent's key for a spawned subagent, times) and `transcript_events`, the session's
 * events in pi's session format (a `session` header, `model_change`, `message` records with `usage`
 * and the `cost` OpenClaw priced each response at), one JSON document per row in `seq` order, large
 * ones zstd-compressed. Releases before this store wrote the same events as
 * `S/agents/<id>/sessions/<uuid>.jsonl`; those are not read.
 *
 * A session is linked as `<database>#<session id>`.
 *
 * @module
 */

import { nodeBuiltin } from "../../formats/node_builtin.ts";
import type {
  DataDir,
  LinkContext,
  ReaderOptions,
  RecentSessions,
  SessionLink,
  SessionRead,
  SessionSource,
} from "../../vendor.ts";
import { SUBAGENT_QUIET_MS } from "../../session.ts";
import type { SubagentFacts } from "../../session.ts";
import { emptyTokens } from "../../session.ts";
import {
  type Database,
  DatabaseReads,
  recentSessions,
  type Row,
  sessionPath,
  SessionQueries,
} from "../../formats/sqlite.ts";
import { PiTranscript } from "../../formats/pi_session.ts";
import { DirListings, homeOf, namedDir } from "../../formats/files.ts";
import { resolveFrom } from "../../formats/pi_store.ts";
import { newestFirst, START_SLACK_MS } from "../../formats/recent.ts";
import { epochMs, nonBlank } from "../../formats/records.ts";
import { promptLine } from "../../formats/text.ts";

/** The variables that move OpenClaw's state directory. */
const ENV_KEYS = ["OPENCLAW_STATE_DIR", "OPENCLAW_HOME", "OPENCLAW_PROFILE"] as const;
/** Where an agent's database lies under its folder in `S/agents`. */
const AGENT_DB = "agent/openclaw-agent.sqlite";
/** At most this many events are read per session and read (the rest on the next). */
const EVENTS_PER_READ = 5_000;
const MAX_CHILDREN = 64;
/** When a session last changed: its transcript, else its row. */
const UPDATED_SQL = "coalesce(transcript_updated_at, updated_at)";

/**
 * OpenClaw's state directory for a process environment.
 *
 * @example
 * ```ts
 * openclawStateDir({}, "/home/me"); // "/home/me/.openclaw"
 * openclawStateDir({ OPENCLAW_PROFILE: "work" }, "/home/me"); // "/home/me/.openclaw-work"
 * openclawStateDir({ OPENCLAW_STATE_DIR: "~/oc" }, "/home/me"); // "/home/me/oc"
 * ```
 */
export function openclawStateDir(env: Record<string, string>, home: string): string {
  const base = env.OPENCLAW_HOME ? resolveFrom(env.OPENCLAW_HOME, home, home) : home;
  if (env.OPENCLAW_STATE_DIR) return resolveFrom(env.OPENCLAW_STATE_DIR, base, base);
  const profile = (env.OPENCLAW_PROFILE ?? "").trim();
  return `${base}/.openclaw${profile && profile !== "default" ? `-${profile}` : ""}`;
}

/** What is kept of one session between reads: its parser and the newest event fed. */
interface Followed {
  transcript: PiTranscript;
  /** Highest `seq` fed; -1 before the first. */
  seq: number;
  /** Events fed. */
  fed: number;
}

/** One read of a session: its row, the parser, and its spawned subagents' rows. */
interface WindowRead {
  row: Row;
  facts: SessionRead;
  children: Row[];
}

/**
 * OpenClaw's {@linkcode SessionSource}: the agent databases of the state directory (one short-lived
 * read-only connection per read or link, skipped while a database is unchanged; events read by `seq`,
 * only the new ones). One per collector.
 *
 * Linking: a gateway serves many sessions and `openclaw agent` names its session only on the
 * launcher's command line (the titled process has no arguments), so the session linked is the one
 * written last since the process started, among the top-level sessions of every agent, not linked to
 * another process.
 */
export class OpenClawSessionSource implements SessionSource {
  /** The variables that move the state directory. */
  readonly envKeys: readonly string[] = ENV_KEYS;
  #reads = new DatabaseReads<Followed, WindowRead>(() => ({
    transcript: new PiTranscript(),
    seq: -1,
    fed: 0,
  }));
  #listings = new DirListings();
  #queries = new SessionQueries();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions it lists (none for a report). */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named the place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${openclawStateDir(env, home)}/agents`, env, ENV_KEYS)];
  }

  /** Finds the session of a live OpenClaw process. */
  link(ctx: LinkContext): SessionLink | null {
    const since = ctx.startedAt - START_SLACK_MS;
    let best: { link: SessionLink; at: number } | null = null;
    for (const db of this.#databases(openclawStateDir(ctx.env, ctx.home), ctx.now)) {
      const rows = this.#queries.rows(db, `${db}\0${since}`, ctx.now, (d) => newestWindows(d, since, 16));
      for (const r of rows) {
        const id = String(r.id);
        const path = sessionPath(db, id);
        const at = Number(r.at) || 0;
        if (ctx.claimed.has(path) || (best && best.at >= at)) continue;
        best = { link: { path, id, linkedBy: "start" }, at };
        break;
      }
    }
    return best?.link ?? null;
  }

  /** Reads a linked session: the events added since the last read, its row and its subagents. */
  read(link: SessionLink, now: number): SessionRead | null {
    const read = this.#reads.readSession(link, now, (d, state) => readWindow(d, link.id, state));
    if (!read) return null;
    const { row, facts } = read;
    const updated = epochMs(row.updated_at);
    return {
      ...facts,
      id: link.id,
      title: promptLine(row.display_name) ?? facts.title,
      model: nonBlank(row.model) ?? facts.model,
      startedAt: facts.startedAt ?? epochMs(row.started_at) ?? epochMs(row.created_at),
      lastActivity: Math.max(facts.lastActivity ?? 0, updated ?? 0) || null,
      subagents: read.children.map((c) => subagentOf(c, now)),
    };
  }

  /** Sessions written since `sinceMs` in the agent databases of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const seen = new Set<string>();
    const found: { link: SessionLink; at: number }[] = [];
    for (const env of envs) {
      for (const db of this.#databases(openclawStateDir(env, homeOf(env)), now)) {
        if (seen.has(db)) continue;
        seen.add(db);
        found.push(
          ...recentSessions(
            db,
            (d, max) => newestWindows(d, sinceMs, max),
            (r) => epochMs(r.at),
            sinceMs,
            this.#max,
          ),
        );
      }
    }
    return newestFirst(found, { max: this.#max });
  }

  /** The agent databases of a state directory. */
  #databases(state: string, now: number): string[] {
    if (!state.startsWith("/")) return [];
    return this.#listings.list(`${state}/agents`, now).map((agent) => `${state}/agents/${agent}/${AGENT_DB}`);
  }
}

/**
 * Top-level sessions written since `since`, newest first, at most `max` (-1: all), each with `session_id`
 * and `at`.
 */
function newestWindows(d: Database, since: number, max: number): Row[] {
  const cols = d.columns("session_windows");
  if (!cols.has("session_id") || !cols.has("updated_at")) return [];
  const updated = cols.has("transcript_updated_at") ? UPDATED_SQL : "updated_at";
  const top = cols.has("parent_session_key") ? "AND parent_session_key IS NULL" : "";
  return d.all(
    `SELECT session_id AS id, ${updated} AS at FROM session_windows WHERE ${updated} >= ? ${top}
     ORDER BY at DESC LIMIT ${max < 0 ? -1 : Math.max(1, Math.floor(max))}`,
    since,
  );
}

/** Reads one session: feeds the events added since `state` was last fed, and its row and children. */
function readWindow(d: Database, id: string, state: Followed): WindowRead | null {
  if (!d.columns("session_windows").has("session_id")) return null;
  const row = d.get(
    `SELECT ${
      d.select("session_windows", [
        "session_key",
        "model",
        "display_name",
        "created_at",
        "updated_at",
        "started_at",
      ])
    } FROM session_windows WHERE session_id = ?`,
    id,
  );
  if (!row) return null;
  feedEvents(d, id, state);
  const cols = d.columns("session_windows");
  const key = nonBlank(row.session_key);
  const children = key && cols.has("parent_session_key")
    ? d.all(
      `SELECT ${
        d.select("session_windows", [
          "session_id",
          "model",
          "display_name",
          "status",
          "ended_at",
          "updated_at",
        ])
      } FROM session_windows WHERE parent_session_key = ? ORDER BY created_at LIMIT ${MAX_CHILDREN}`,
      key,
    )
    : [];
  return { row, facts: state.transcript.facts(), children };
}

/** Feeds the events after the newest one fed (all again, to a new parser, when rows went away). */
function feedEvents(d: Database, id: string, state: Followed): void {
  const cols = d.columns("transcript_events");
  if (!cols.has("seq") || !cols.has("event_json")) return;
  if (state.fed > 0) {
    const kept = d.get(
      "SELECT count(*) AS n FROM transcript_events WHERE session_id = ? AND seq <= ?",
      id,
      state.seq,
    );
    if (Number(kept?.n) !== state.fed) {
      Object.assign(state, { transcript: new PiTranscript(), seq: -1, fed: 0 });
    }
  }
  const zstd = cols.has("event_zstd") ? "event_zstd" : "NULL AS event_zstd";
  const rows = d.all(
    `SELECT seq, event_json, ${zstd} FROM transcript_events WHERE session_id = ? AND seq > ?
     ORDER BY seq LIMIT ${EVENTS_PER_READ}`,
    id,
    state.seq,
  );
  for (const r of rows) {
    state.transcript.feed(eventText(r));
    state.seq = Number(r.seq);
    state.fed++;
  }
}

/** The JSON text of one event row: as stored, or zstd-decompressed; null (a malformed event) when neither reads. */
function eventText(r: Row): string | null {
  if (typeof r.event_json === "string") return r.event_json;
  if (!(r.event_zstd instanceof Uint8Array)) return null;
  try {
    const zlib = nodeBuiltin<typeof import("node:zlib")>("node:zlib");
    return zlib ? new TextDecoder().decode(zlib.zstdDecompressSync(r.event_zstd)) : null;
  } catch {
    return null;
  }
}

/** A spawned session as a subagent: running while its row says so (or, without a status, while it is written). */
function subagentOf(r: Row, now: number): SubagentFacts {
  const updated = epochMs(r.updated_at);
  const status = nonBlank(r.status);
  const running = status !== null
    ? status === "running"
    : r.ended_at === null && updated !== null && now - updated < SUBAGENT_QUIET_MS;
  return {
    id: String(r.session_id),
    type: null,
    description: promptLine(r.display_name),
    status: running ? "running" : "done",
    model: nonBlank(r.model),
    tokens: emptyTokens(),
    currentTool: null,
    lastActivity: updated,
  };
}
