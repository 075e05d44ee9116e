/**
 * Codex CLI sessions on disk: which rollout a live `codex` process writes, and its facts read
 * incrementally (the thread's rollout plus the rollouts of the subagents it spawned).
 *
 * Layout under `CODEX_HOME` (default `~/.codex`): `sessions/YYYY/MM/DD/rollout-<local time>-<threadId>.jsonl`,
 * date directories in local time; a subagent is its own rollout whose `session_meta` names its parent. A
 * resumed thread goes on in its rollout, in the date directory of the day it began; `history.jsonl`
 * (`{session_id, ts, text}` per prompt) says which threads had prompts lately.
 *
 * @module
 */

import type {
  DataDir,
  LinkContext,
  LinkTrace,
  ReaderOptions,
  RecentSessions,
  SessionLink,
  SessionRead,
  SessionSource,
} from "../../vendor.ts";
import type { SubagentFacts, TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, mergeMinutes, modelTable, SUBAGENT_QUIET_MS } from "../../session.ts";
import { CodexTranscript } from "./transcript.ts";
import type { CodexMeta } from "./transcript.ts";
import { readHeadLines, readTailLines } from "../../formats/jsonl.ts";
import { dataDirs, DirListings, lastWritten, mtimeOf, namedDir, normalisePath } from "../../formats/files.ts";
import { UUID } from "../../formats/argv.ts";
import { Transcripts } from "../../formats/parse_cache.ts";
import { RecentScan, START_SLACK_MS } from "../../formats/recent.ts";

/** Date directories searched back from today when linking by working directory. */
export const LINK_DAYS = 3;
/** `session_meta` carries the base instructions and can be large; at most this much is read to find it. */
const META_BYTES = 1024 * 1024;
/** Subagents of subagents are followed this deep. */
const MAX_DEPTH = 4;
/** A thread id looked up everywhere and not found is looked up again after this long. */
const MISSING_RETRY_MS = 10_000;
const DAY_MS = 86_400_000;
/** The newest prompts of `history.jsonl` are looked for in at most this many bytes at its end. */
const HISTORY_TAIL_BYTES = 256 * 1024;
const ROLLOUT = /^rollout-.*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** A thread's facts with its subagents' tokens folded in. */
interface ThreadRead {
  meta: CodexMeta | null;
  facts: ReturnType<CodexTranscript["facts"]>;
  tokens: TokenBuckets;
  byModel: Record<string, TokenBuckets>;
  lastActivity: number | null;
  malformed: number;
}

/**
 * The data directory of a Codex process: `CODEX_HOME`, else `<home>/.codex`.
 *
 * @example
 * ```ts
 * codexHome({}, "/home/me"); // "/home/me/.codex"
 * ```
 */
export function codexHome(env: Record<string, string>, home: string): string {
  return env.CODEX_HOME || `${home}/.codex`;
}

/**
 * The thread id in a rollout file name, or null for other files.
 *
 * @example
 * ```ts
 * rolloutThreadId("rollout-2026-11-24T03-29-12-01a2b3c4-0000-7000-8000-000000000074.jsonl");
 * // "01a2b3c4-0000-7000-8000-000000000074"
 * ```
 */
export function rolloutThreadId(name: string): string | null {
  return ROLLOUT.exec(name)?.[1] ?? null;
}

/**
 * Codex's {@linkcode SessionSource}. Keeps, per rollout path, a {@linkcode JsonlTail} and the parse
 * state, so a tick reads only appended bytes; one per collector.
 *
 * Linking, most reliable first: a top-level rollout the agent's processes hold open (`codex exec`
 * itself, or the app-server daemon of a TUI: then the one in the agent's working directory);
 * `CODEX_SESSION_ID`/`CODEX_THREAD_ID` in a tool child's environment; `resume <uuid>` in argv; else the
 * newest top-level rollout of the last {@linkcode LINK_DAYS} days whose `session_meta.cwd` is the
 * agent's working directory (`-C/--cd` honoured), written since the process started and not linked
 * to another agent.
 */
export class CodexSessionSource implements SessionSource {
  /** `CODEX_HOME` of the agent; `CODEX_THREAD_ID`/`CODEX_SESSION_ID` of its tool children. */
  readonly envKeys: readonly string[] = ["CODEX_HOME", "CODEX_THREAD_ID", "CODEX_SESSION_ID"];
  #threads: Transcripts<CodexTranscript>;
  #metas = new Map<string, CodexMeta>();
  #listings = new DirListings();
  #scan: RecentScan;
  #byId = new Map<string, string>();
  #missing = new Map<string, number>();
  #history = new Map<string, { stamp: string; prompts: { id: string; at: number }[] }>();

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${codexHome(env, home)}/sessions`, env, ["CODEX_HOME"])];
  }

  /** A reader; `options.history` adds each thread's whole usage timeline (subagents' included) to its facts. */
  constructor(options: ReaderOptions = {}) {
    this.#threads = new Transcripts(() => new CodexTranscript(options));
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Finds the rollout of a live Codex process. */
  link(ctx: LinkContext, trace?: LinkTrace): SessionLink | null {
    const home = codexHome(ctx.env, ctx.home);
    const cwd = effectiveCwd(ctx.argv, ctx.cwd);
    return this.#fromOpenFiles(ctx, cwd) ?? this.#fromIds(home, ctx, cwd, trace) ??
      this.#fromCwd(home, ctx, cwd, trace);
  }

  /** Reads the facts of a linked thread and its subagents: whole files the first time, appended bytes after. */
  read(link: SessionLink, now: number): SessionRead | null {
    const t = this.#readThread(link.path, now, 0, new Set());
    if (!t) return null;
    return {
      ...t.facts,
      id: t.facts.id || link.id,
      account: homeOf(link.path),
      tokens: t.tokens,
      tokensByModel: t.byModel,
      lastActivity: t.lastActivity,
      malformedLines: t.malformed,
    };
  }

  /**
   * Top-level rollouts modified since `sinceMs` under the data directories of `envs`, newest first: the
   * date folders of the window only (by name), each listed again only when it changed.
   */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const now = Date.now();
    const days = Math.min(Math.ceil((now - sinceMs) / DAY_MS) + 1, 366);
    const files = [...dataDirs(envs, "CODEX_HOME", codexHome)].flatMap((home) => {
      const rollouts = this.#rollouts(home, now, days, (dir) => this.#scan.list(dir));
      return [...rollouts, ...this.#resumed(home, sinceMs, now, rollouts)];
    });
    return this.#scan.newest(files, sinceMs, mtimeOf, (link) => !this.#meta(link.path)?.subagent);
  }

  #fromOpenFiles(ctx: LinkContext, cwd: string | null): SessionLink | null {
    const open = ctx.openFiles.flatMap((path) => {
      const id = rolloutThreadId(path.slice(path.lastIndexOf("/") + 1));
      const meta = id ? this.#meta(path) : null;
      return id && !meta?.subagent && !ctx.claimed.has(path) ? [{ path, id, meta }] : [];
    });
    // A shared app-server daemon holds the rollouts of every TUI using it: keep the ones in this cwd
    // (or not telling theirs yet: `session_meta` is written with the first prompt).
    const pick = lastWritten(open.filter((o) => !o.meta?.cwd || o.meta.cwd === cwd), (o) => o.path);
    return pick && { path: pick.path, id: pick.id, linkedBy: "fd" };
  }

  #fromIds(home: string, ctx: LinkContext, cwd: string | null, trace?: LinkTrace): SessionLink | null {
    const fromEnv = ctx.childEnv.map((e) => e.CODEX_SESSION_ID || e.CODEX_THREAD_ID).filter((id) =>
      id && UUID.test(id)
    );
    for (const [ids, linkedBy] of [[fromEnv, "env"], [argvThreadIds(ctx.argv), "argv"]] as const) {
      for (const id of ids) {
        let path = this.#findThread(home, id, ctx.now);
        // A subagent's tool runs carry the subagent's thread: walk up to the top-level thread.
        for (let depth = 0; path && this.#meta(path)?.subagent && depth < MAX_DEPTH; depth++) {
          const parent = this.#meta(path)?.parentThreadId;
          path = parent ? this.#findThread(home, parent, ctx.now) : null;
        }
        if (!path || ctx.claimed.has(path)) {
          trace?.({
            by: linkedBy,
            path,
            skipped: path ? "already linked to another agent" : `thread ${id} has no rollout`,
          });
          continue;
        }
        // Tool shells of a shared daemon may belong to another TUI: the thread must be in this cwd.
        const threadCwd = this.#meta(path)?.cwd;
        if (linkedBy === "env" && cwd !== null && threadCwd && threadCwd !== cwd) {
          trace?.({ by: linkedBy, path, skipped: "it records another working directory" });
          continue;
        }
        return { path, id: this.#meta(path)?.id || id, linkedBy };
      }
    }
    return null;
  }

  #fromCwd(home: string, ctx: LinkContext, cwd: string | null, trace?: LinkTrace): SessionLink | null {
    if (!cwd) {
      trace?.({ by: "cwd", path: null, skipped: "the working directory is unreadable" });
      return null;
    }
    const days = Math.min(LINK_DAYS, Math.ceil((ctx.now - ctx.startedAt) / DAY_MS) + 1);
    const rollouts = this.#rollouts(home, ctx.now, Math.max(days, 1));
    const candidates = [
      ...rollouts,
      ...this.#resumed(home, ctx.startedAt - START_SLACK_MS, ctx.now, rollouts),
    ]
      .flatMap(({ path, id }) => {
        const mtime = ctx.claimed.has(path) ? null : mtimeOf(path);
        const meta = mtime === null || mtime < ctx.startedAt - START_SLACK_MS ? null : this.#meta(path);
        if (meta && !meta.subagent && meta.cwd === cwd) return [{ path, id, meta, mtime }];
        trace?.({ by: "cwd", path, skipped: rolloutSkipped(ctx, path, mtime, meta) });
        return [];
      });
    const pick = lastWritten(candidates, (c) => c.path);
    for (const c of candidates) {
      if (c !== pick) trace?.({ by: "cwd", path: c.path, skipped: "a newer rollout was found" });
    }
    return pick && { path: pick.path, id: pick.id, linkedBy: "cwd" };
  }

  /**
   * Rollouts of threads with a prompt in `history.jsonl` since `sinceMs` that are not among `known`
   * (the recent date directories): threads resumed from an older date directory.
   */
  #resumed(
    home: string,
    sinceMs: number,
    now: number,
    known: readonly { path: string; id: string }[],
  ): { path: string; id: string }[] {
    const seen = new Set(known.map((r) => r.id));
    const out: { path: string; id: string }[] = [];
    for (const { id, at } of this.#prompts(home)) {
      if (at < sinceMs || seen.has(id)) continue;
      seen.add(id);
      const path = this.#findThread(home, id, now);
      if (path) out.push({ path, id });
    }
    return out;
  }

  /** The prompts at the end of `history.jsonl` (thread id and time), read again when the file changed. */
  #prompts(home: string): { id: string; at: number }[] {
    const path = `${home}/history.jsonl`;
    let stamp: string;
    try {
      const info = Deno.statSync(path);
      stamp = `${info.mtime?.getTime()}:${info.size}`;
    } catch {
      return [];
    }
    const cached = this.#history.get(home);
    if (cached?.stamp === stamp) return cached.prompts;
    const prompts: { id: string; at: number }[] = [];
    for (const line of readTailLines(path, HISTORY_TAIL_BYTES)) {
      try {
        const rec = JSON.parse(line);
        if (typeof rec?.session_id === "string" && UUID.test(rec.session_id) && typeof rec.ts === "number") {
          prompts.push({ id: rec.session_id, at: rec.ts * 1000 });
        }
      } catch {
        // a line being written
      }
    }
    this.#history.set(home, { stamp, prompts });
    return prompts;
  }

  /**
   * Rollout files in the date directories of the last `days` days (local time), newest day first, each
   * directory listed by `list` (default: once a tick).
   */
  #rollouts(
    home: string,
    now: number,
    days: number,
    list = (dir: string) => this.#listings.list(dir, now),
  ): { path: string; id: string }[] {
    const out: { path: string; id: string }[] = [];
    for (let d = 0; d < days; d++) {
      const dir = `${home}/sessions/${dateDir(now - d * DAY_MS)}`;
      for (const name of list(dir)) {
        const id = rolloutThreadId(name);
        if (id) out.push({ path: `${dir}/${name}`, id });
      }
    }
    return out;
  }

  /** The rollout of a thread: recent date directories first, then every date directory (cached). */
  #findThread(home: string, id: string, now: number): string | null {
    const key = `${home}\0${id}`;
    const known = this.#byId.get(key);
    if (known && mtimeOf(known) !== null) return known;
    let found = this.#rollouts(home, now, LINK_DAYS).find((r) => r.id === id)?.path ?? null;
    if (!found && !(now - (this.#missing.get(key) ?? -Infinity) < MISSING_RETRY_MS)) {
      found = this.#searchAll(`${home}/sessions`, id, now);
      if (!found) this.#missing.set(key, now);
    }
    if (found) this.#byId.set(key, found);
    return found;
  }

  /** Walks `sessions/YYYY/MM/DD` (newest first) for the rollout of `id`. */
  #searchAll(root: string, id: string, now: number): string | null {
    const desc = (dir: string) => this.#listings.list(dir, now).slice().sort().reverse();
    for (const y of desc(root)) {
      for (const m of desc(`${root}/${y}`)) {
        for (const d of desc(`${root}/${y}/${m}`)) {
          const dir = `${root}/${y}/${m}/${d}`;
          const name = this.#listings.list(dir, now).find((n) => rolloutThreadId(n) === id);
          if (name) return `${dir}/${name}`;
        }
      }
    }
    return null;
  }

  /** The first `session_meta` of a rollout (cached once found; a rollout may still be empty). */
  #meta(path: string): CodexMeta | null {
    const cached = this.#metas.get(path);
    if (cached) return cached;
    const parser = new CodexTranscript();
    for (const line of readHeadLines(path, META_BYTES, 1)) parser.feed(line);
    if (parser.meta) this.#metas.set(path, parser.meta);
    return parser.meta;
  }

  /** Reads one rollout and, recursively, the rollouts of the subagents it spawned. */
  #readThread(path: string, now: number, depth: number, seen: Set<string>): ThreadRead | null {
    seen.add(path);
    const s = this.#threads.follow(path, now);
    if (s.tail.mtimeMs === null) return null;
    const facts = s.parser.facts();
    const tokens = { ...facts.tokens };
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(facts.tokensByModel)) byModel[m] = { ...t };
    let lastActivity = Math.max(facts.lastActivity ?? 0, s.tail.mtimeMs);
    let malformed = facts.malformedLines + s.tail.skippedLines;
    const home = homeOf(path);
    const subagents: SubagentFacts[] = [];
    const history = facts.usageHistory ? [...facts.usageHistory] : null;
    const spawned = s.parser.subagents; // the same order as facts.subagents
    for (const [i, sub] of facts.subagents.entries()) {
      const childPath = spawned[i]?.known && home && depth < MAX_DEPTH
        ? this.#findThread(home, sub.id, now)
        : null;
      const child = childPath && !seen.has(childPath)
        ? this.#readThread(childPath, now, depth + 1, seen)
        : null;
      if (!child) {
        subagents.push(sub);
        continue;
      }
      addTokens(tokens, child.tokens);
      for (const [m, t] of Object.entries(child.byModel)) addTokens(byModel[m] ??= emptyTokens(), t);
      if (history && child.facts.usageHistory) history.push(...child.facts.usageHistory);
      malformed += child.malformed;
      const childActive = child.lastActivity !== null && now - child.lastActivity < SUBAGENT_QUIET_MS;
      const running = child.facts.turn === "working"
        ? childActive || sub.status === "running"
        : child.facts.turn === "ended"
        ? false
        : sub.status === "running";
      if (child.lastActivity !== null) lastActivity = Math.max(lastActivity, child.lastActivity);
      subagents.push({
        ...sub,
        type: sub.type ?? child.meta?.nickname ?? null,
        status: running ? "running" : "done",
        model: child.facts.model ?? sub.model,
        tokens: child.tokens,
        currentTool: child.facts.currentTool,
        lastActivity: child.lastActivity,
      });
    }
    return {
      meta: s.parser.meta,
      facts: { ...facts, subagents, ...(history ? { usageHistory: mergeMinutes(history) } : {}) },
      tokens,
      byModel,
      lastActivity: lastActivity || null,
      malformed,
    };
  }
}

/** The Codex home a rollout lives under (`H` of `H/sessions/YYYY/MM/DD/…`): the account it is read for. */
function homeOf(path: string): string | null {
  return path.includes("/sessions/") ? path.slice(0, path.lastIndexOf("/sessions/")) : null;
}

/** The directory Codex works in: `-C/--cd <dir>` resolved against the process cwd, else the process cwd. */
function effectiveCwd(argv: string[], cwd: string | null): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let dir: string | undefined;
    if (a === "-C" || a === "--cd") dir = argv[i + 1];
    else if (a.startsWith("--cd=")) dir = a.slice(5);
    else if (a.startsWith("-C") && a.length > 2) dir = a.slice(2);
    if (!dir) continue;
    if (dir.startsWith("/")) return normalisePath(dir);
    return cwd ? normalisePath(`${cwd}/${dir}`) : null;
  }
  return cwd;
}

/** Thread ids named in argv: `codex resume <uuid>`, `codex exec resume <uuid>`. */
function argvThreadIds(argv: string[]): string[] {
  const at = argv.indexOf("resume");
  if (at === -1) return [];
  return argv.slice(at + 1).filter((a) => UUID.test(a)).slice(0, 1);
}

/** `YYYY/MM/DD` of a time in local time, as Codex names its date directories. */
function dateDir(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
}

/** Why the cwd link passed a rollout over (`agtop doctor`). */
function rolloutSkipped(
  ctx: LinkContext,
  path: string,
  mtime: number | null,
  meta: { subagent: boolean } | null,
): string {
  if (ctx.claimed.has(path)) return "already linked to another agent";
  if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS) {
    return "last written before the process started";
  }
  return meta?.subagent ? "a subagent's thread" : "it records another working directory";
}
