/**
 * Claude Code sessions on disk: which transcript a live `claude` process writes, and its facts read
 * incrementally (the session file plus its subagents' files).
 *
 * Layout under the config root `R` (`$CLAUDE_CONFIG_DIR`, else `~/.claude`):
 * `R/sessions/<pid>.json` (live-session registry), `R/projects/<enc(cwd)>/<sessionId>.jsonl`,
 * `R/projects/<enc(cwd)>/<sessionId>/subagents/agent-<id>.jsonl` + `.meta.json`, and the legacy
 * `R/projects/<enc(cwd)>/agent-<id>.jsonl` beside the session files.
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
import type { SessionFacts, SubagentFacts } from "../../session.ts";
import { emptyTokens, SUBAGENT_QUIET_MS } from "../../session.ts";
import { ClaudeTranscript } from "./transcript.ts";
import { ClaudeUsage } from "./usage.ts";
import type { ClaudeSubagentCall } from "./transcript.ts";
import { JsonlTail } from "../../formats/jsonl.ts";
import {
  dataDirs,
  DirListings,
  headRecords,
  listDir,
  mtimeOf,
  namedDir,
  readJson,
} from "../../formats/files.ts";
import { argvSessionIds, UUID } from "../../formats/argv.ts";
import { ParseCache } from "../../formats/parse_cache.ts";
import { jsonlSessions, RecentScan, START_SLACK_MS } from "../../formats/recent.ts";

/** How far the registry's `startedAt` may be from the process start and still be the same process. */
export const REGISTRY_START_SLACK_MS = 5_000;
/** Bytes read from the head of a transcript to find its `cwd` or `sessionId`. */
const HEAD_BYTES = 256 * 1024;
/** A session id looked up in every project directory and not found is looked up again after this long. */
const MISSING_RETRY_MS = 10_000;
/** Registry facts are applied to a read this soon after the link that found them. */
const REGISTRY_FRESH_MS = 5_000;

/** One `R/sessions/<pid>.json`. */
interface RegistryRecord {
  sessionId: string;
  cwd: string | null;
  status: string | null;
  waitingFor: string | null;
  at: number;
}

/** One subagent transcript being followed. */
interface SubagentFile {
  agentId: string;
  tail: JsonlTail;
  parser: ClaudeTranscript;
  /** `toolUseId`, `agentType`, `description` from `.meta.json`, once read. */
  meta: { toolUseId: string | null; type: string | null; description: string | null } | null;
  metaPath: string | null;
}

/** Everything kept per session file between reads. */
interface SessionState {
  tail: JsonlTail;
  ledger: ClaudeUsage;
  parser: ClaudeTranscript;
  subagents: Map<string, SubagentFile>;
  /** Parent size at the last subagent scan; -1 forces a scan. */
  scannedSize: number;
}

/**
 * The config root of a Claude Code process: `CLAUDE_CONFIG_DIR`, else `<home>/.claude` (NFC-normalised,
 * as Claude Code does).
 *
 * @example
 * ```ts
 * claudeRoot({ CLAUDE_CONFIG_DIR: "/x" }, "/home/me"); // "/x"
 * claudeRoot({}, "/home/me"); // "/home/me/.claude"
 * ```
 */
export function claudeRoot(env: Record<string, string>, home: string): string {
  return (env.CLAUDE_CONFIG_DIR || `${home}/.claude`).normalize("NFC");
}

/**
 * Java's `String.hashCode` over UTF-16 units, as Claude Code uses it for long project paths.
 *
 * @example
 * ```ts
 * javaHash("abc"); // 96354
 * ```
 */
export function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = ((h << 5) - h + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The name Claude Code gives the project directory of a working directory: every character that is
 * not an ASCII letter or digit becomes `-`; past 200 characters the name is cut and a hash added.
 * The encoding loses information, so agtop only ever encodes forward and never decodes a name.
 *
 * @example
 * ```ts
 * projectDirName("/home/me/proj/claude/my_repo.v2"); // "-home-me-proj-claude-my-repo-v2"
 * ```
 */
export function projectDirName(cwd: string): string {
  const enc = cwd.replace(/[^a-zA-Z0-9]/g, "-");
  if (enc.length <= 200) return enc;
  return `${enc.slice(0, 200)}-${Math.abs(javaHash(cwd)).toString(36)}`;
}

/**
 * Claude Code's {@linkcode SessionSource}. Keeps, per transcript path, a {@linkcode JsonlTail} and the
 * parse state, so a tick reads only appended bytes; one per collector.
 *
 * Linking, most reliable first: the registry `R/sessions/<pid>.json` whose `procStart` equals the
 * process start stamp (or whose `startedAt` is within {@linkcode REGISTRY_START_SLACK_MS} where there is
 * no `procStart` or the platform's stamp differs); `CLAUDE_CODE_SESSION_ID` in a tool child's
 * environment; `--session-id`/`--resume`/`-r <uuid>` in argv; else the newest transcript in
 * `R/projects/<enc(cwd)>/` written since the process started and not linked to another agent,
 * confirmed by the `cwd` recorded inside it.
 */
export class ClaudeSessionSource implements SessionSource {
  /** `CLAUDE_CONFIG_DIR` of the agent; `CLAUDE_CODE_SESSION_ID` of its tool children. */
  readonly envKeys: readonly string[] = ["CLAUDE_CONFIG_DIR", "CLAUDE_CODE_SESSION_ID"];
  #sessions = new ParseCache<SessionState>();
  #registry = new ParseCache<RegistryRecord>();
  #listings = new DirListings();
  #scan: RecentScan;
  #heads = new Map<string, { cwd: string | null; sessionId: string | null }>();
  #byId = new Map<string, string>();
  #missing = new Map<string, number>();
  #history: boolean;

  /**
   * A reader; `options.history` adds each session's whole usage timeline to its facts, cuts long
   * strings short before parsing, and keeps nothing of a session once read.
   */
  constructor(options: ReaderOptions = {}) {
    this.#history = options.history ?? false;
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [
      namedDir(`${claudeRoot(env, home)}/projects`, env, ["CLAUDE_CONFIG_DIR"]),
      namedDir(`${claudeRoot(env, home)}/sessions`, env, ["CLAUDE_CONFIG_DIR"]),
    ];
  }

  /** Finds the transcript of a live Claude Code process. */
  link(ctx: LinkContext, trace?: LinkTrace): SessionLink | null {
    const root = claudeRoot(ctx.env, ctx.home);
    return this.#fromRegistry(root, ctx, trace) ?? this.#fromId(root, ctx, trace) ??
      this.#fromCwd(root, ctx, trace);
  }

  /** Session transcripts modified since `sinceMs` under the config roots of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const files = [...dataDirs(envs, "CLAUDE_CONFIG_DIR", claudeRoot)].flatMap((root) =>
      [...this.#scan.subdirs(`${root}/projects`)].flatMap(([dir, names]) =>
        jsonlSessions(dir, names, isLegacyAgent)
      )
    );
    return this.#scan.newest(files, sinceMs);
  }

  #fromRegistry(root: string, ctx: LinkContext, trace?: LinkTrace): SessionLink | null {
    const entry = `${root}/sessions/${ctx.pid}.json`;
    const raw = readJson(entry);
    if (!raw || typeof raw.sessionId !== "string" || !raw.sessionId) {
      trace?.({
        by: "registry",
        path: entry,
        skipped: raw ? "it names no session" : "no entry for this pid",
      });
      return null;
    }
    if (typeof raw.pid === "number" && raw.pid !== ctx.pid) {
      trace?.({ by: "registry", path: entry, skipped: `the entry is pid ${raw.pid}'s` });
      return null;
    }
    const procStart = raw.procStart === undefined || raw.procStart === null ? null : String(raw.procStart);
    const sameStamp = procStart !== null && procStart === String(ctx.startId);
    const startedAt = typeof raw.startedAt === "number" ? raw.startedAt : null;
    const closeStart = startedAt !== null && Math.abs(startedAt - ctx.startedAt) <= REGISTRY_START_SLACK_MS;
    const stampComparable = procStart !== null && Deno.build.os === "linux";
    if (!sameStamp && (stampComparable || !closeStart)) {
      trace?.({ by: "registry", path: entry, skipped: "its start time is another process's (a reused pid)" });
      return null;
    }
    const cwd = typeof raw.cwd === "string" && raw.cwd ? raw.cwd : ctx.cwd;
    if (!cwd) {
      trace?.({ by: "registry", path: entry, skipped: "no working directory to find the transcript in" });
      return null;
    }
    const dirs = this.#projectDirs(root, cwd, ctx.now).map((d) => d.dir);
    const path = dirs.map((d) => `${d}/${raw.sessionId}.jsonl`).find((p) => mtimeOf(p) !== null) ??
      `${dirs[0]}/${raw.sessionId}.jsonl`; // not written yet: Claude Code creates it with the first prompt
    if (ctx.claimed.has(path)) {
      trace?.({ by: "registry", path, skipped: "already linked to another agent" });
      return null;
    }
    this.#registry.set(path, {
      sessionId: raw.sessionId,
      cwd,
      status: typeof raw.status === "string" ? raw.status : null,
      waitingFor: typeof raw.waitingFor === "string" ? raw.waitingFor : null,
      at: ctx.now,
    }, ctx.now);
    return { path, id: raw.sessionId, linkedBy: "registry" };
  }

  /** A session id from a tool child's environment, else from argv. */
  #fromId(root: string, ctx: LinkContext, trace?: LinkTrace): SessionLink | null {
    const fromEnv = ctx.childEnv.map((e) => e.CLAUDE_CODE_SESSION_ID).filter((id) => id && UUID.test(id));
    for (const [ids, linkedBy] of [[fromEnv, "env"], [argvIds(ctx.argv), "argv"]] as const) {
      for (const id of ids) {
        const path = this.#findById(root, ctx.cwd, id, ctx.now);
        if (path && !ctx.claimed.has(path)) return { path, id, linkedBy };
        trace?.({
          by: linkedBy,
          path,
          skipped: path ? "already linked to another agent" : `session id ${id} has no transcript yet`,
        });
      }
    }
    return null;
  }

  #fromCwd(root: string, ctx: LinkContext, trace?: LinkTrace): SessionLink | null {
    if (!ctx.cwd) {
      trace?.({ by: "cwd", path: null, skipped: "the working directory is unreadable" });
      return null;
    }
    let best: { path: string; id: string; mtime: number } | null = null;
    for (const { dir, exact } of this.#projectDirs(root, ctx.cwd, ctx.now)) {
      const names = this.#listings.list(dir, ctx.now);
      if (!names.length) trace?.({ by: "cwd", path: dir, skipped: "no transcripts in this project folder" });
      for (const name of names) {
        if (!name.endsWith(".jsonl") || isLegacyAgent(name)) continue;
        const path = `${dir}/${name}`;
        if (ctx.claimed.has(path)) {
          trace?.({ by: "cwd", path: path, skipped: "already linked to another agent" });
          continue;
        }
        const mtime = mtimeOf(path);
        if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS) {
          trace?.({ by: "cwd", path: path, skipped: "last written before the process started" });
          continue;
        }
        if (best && mtime <= best.mtime) {
          trace?.({ by: "cwd", path: path, skipped: "a newer transcript was found" });
          continue;
        }
        const recorded = this.#head(path).cwd;
        if (recorded === null ? !exact : recorded !== ctx.cwd) {
          trace?.({ by: "cwd", path: path, skipped: "it records another working directory" });
          continue;
        }
        if (best) trace?.({ by: "cwd", path: best.path, skipped: "a newer transcript was found" });
        best = { path, id: name.slice(0, -6), mtime };
      }
    }
    return best && { path: best.path, id: best.id, linkedBy: "cwd" };
  }

  /** Finds `<sessionId>.jsonl` in the project directory of `cwd`, else in any project directory. */
  #findById(root: string, cwd: string | null, sessionId: string, now: number): string | null {
    const key = `${root}\0${sessionId}`;
    const known = this.#byId.get(key);
    if (known && mtimeOf(known) !== null) return known;
    const dirs = cwd ? this.#projectDirs(root, cwd, now).map((d) => d.dir) : [];
    let found = dirs.map((d) => `${d}/${sessionId}.jsonl`).find((p) => mtimeOf(p) !== null) ?? null;
    if (!found && !(now - (this.#missing.get(key) ?? -Infinity) < MISSING_RETRY_MS)) {
      found = this.#listings.list(`${root}/projects`, now)
        .map((name) => `${root}/projects/${name}/${sessionId}.jsonl`)
        .find((p) => mtimeOf(p) !== null) ?? null;
      if (!found) this.#missing.set(key, now);
    }
    if (found) this.#byId.set(key, found);
    return found;
  }

  /** Project directories that may hold sessions of `cwd`: its exact name and, for long paths, same-prefix names. */
  #projectDirs(root: string, cwd: string, now: number): { dir: string; exact: boolean }[] {
    const name = projectDirName(cwd);
    const out = [{ dir: `${root}/projects/${name}`, exact: true }];
    if (name.length > 200) {
      const prefix = `${name.slice(0, 200)}-`;
      for (const other of this.#listings.list(`${root}/projects`, now)) {
        if (other !== name && other.startsWith(prefix)) {
          out.push({ dir: `${root}/projects/${other}`, exact: false });
        }
      }
    }
    return out;
  }

  /** `cwd` and `sessionId` recorded in the first records of a transcript (cached once found). */
  #head(path: string): { cwd: string | null; sessionId: string | null } {
    const cached = this.#heads.get(path);
    if (cached) return cached;
    const head = { cwd: null as string | null, sessionId: null as string | null };
    for (const rec of headRecords(path, HEAD_BYTES, ['"cwd"', '"sessionId"'])) {
      if (head.cwd === null && typeof rec.cwd === "string" && rec.cwd) head.cwd = rec.cwd;
      if (head.sessionId === null && typeof rec.sessionId === "string") head.sessionId = rec.sessionId;
      if (head.cwd !== null && head.sessionId !== null) break;
    }
    if (head.cwd !== null && head.sessionId !== null) this.#heads.set(path, head);
    return head;
  }

  /** Reads the facts of a linked session: whole file the first time, appended bytes after. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#sessions.get(link.path, now, () => {
      const ledger = new ClaudeUsage();
      const state: SessionState = {
        tail: new JsonlTail(link.path),
        ledger,
        parser: new ClaudeTranscript({ ledger, source: link.path, history: this.#history }),
        subagents: new Map(),
        scannedSize: -1,
      };
      return state;
    });
    s.tail.read((line) => s.parser.feed(line), () => {
      s.ledger = new ClaudeUsage();
      s.parser = new ClaudeTranscript({ ledger: s.ledger, source: link.path, history: this.#history });
      s.subagents = new Map();
      s.scannedSize = -1;
    });
    const registry = this.#registry.peek(link.path);
    const fresh = registry && Math.abs(now - registry.at) <= REGISTRY_FRESH_MS ? registry : null;
    if (s.tail.mtimeMs === null && !fresh) return null;

    const calls = s.parser.subagentCalls;
    const scan = s.scannedSize !== s.tail.size || calls.some((c) => c.running);
    if (scan) {
      this.#findSubagents(link.path, s, now);
      s.scannedSize = s.tail.size;
    }
    for (const [file, sub] of s.subagents) {
      // Finished subagents are re-read only when the session changed; active ones every tick.
      if (scan || now - (sub.tail.mtimeMs ?? 0) < SUBAGENT_QUIET_MS) this.#readSubagent(s, file, sub);
    }
    const subagents = this.#subagentFacts(s, calls, now);
    const f = s.parser.facts();
    let malformed = f.malformedLines + s.tail.skippedLines;
    for (const sub of s.subagents.values()) malformed += sub.parser.malformedLines + sub.tail.skippedLines;
    const lastActivity = Math.max(
      f.lastActivity ?? 0,
      s.tail.mtimeMs ?? 0,
      ...subagents.map((a) => a.lastActivity ?? 0),
    );
    // A history read reads each session once: what it parsed is not kept for a next read.
    if (this.#history) this.#sessions.delete(link.path);
    return {
      ...f,
      id: link.id || f.id,
      account: claudeAccount(link.path),
      cwd: fresh?.cwd ?? f.cwd,
      subagents,
      // The registry says `idle` from start-up on: before the first prompt nothing has ended.
      turn: f.lastPrompt === null && f.turn === "unknown" && fresh?.status === "idle"
        ? "unknown"
        : registryTurn(fresh?.status ?? null) ?? f.turn,
      lastActivity: lastActivity || null,
      malformedLines: malformed,
      // An open `AskUserQuestion` says what is asked; the registry calls it a "permission prompt".
      waitingFor: f.waitingFor ?? (fresh?.status === "waiting" ? fresh.waitingFor ?? "input" : null),
      ...(this.#history ? { usageHistory: s.ledger.history() } : {}),
    };
  }

  /** Starts following subagent transcripts of one session not followed yet (both layouts). */
  #findSubagents(path: string, s: SessionState, now: number): void {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const id = path.slice(dir.length + 1, -".jsonl".length);
    const found = new Map<string, string | null>(); // transcript path → meta path
    const subDir = `${dir}/${id}/subagents`;
    const names = this.#listings.list(dir, now);
    // A history read lists the project folder once: a session without a folder of its own has no
    // subagents there (a failed look costs more than the listing).
    const subagents = this.#history && !names.includes(id) ? [] : listDir(subDir);
    for (const name of subagents) {
      if (name.startsWith("agent-") && name.endsWith(".jsonl")) {
        found.set(`${subDir}/${name}`, `${subDir}/${name.slice(0, -6)}.meta.json`);
      }
    }
    for (const name of names) {
      if (!name.startsWith("agent-") || !name.endsWith(".jsonl")) continue;
      const legacy = `${dir}/${name}`;
      if (this.#head(legacy).sessionId === id) found.set(legacy, null);
    }
    for (const [file, metaPath] of found) {
      if (s.subagents.has(file)) continue;
      const name = file.slice(file.lastIndexOf("/") + 1);
      const sub: SubagentFile = {
        agentId: name.slice("agent-".length, -".jsonl".length),
        tail: new JsonlTail(file),
        parser: new ClaudeTranscript({
          ledger: s.ledger,
          source: file,
          subagent: true,
          history: this.#history,
        }),
        meta: null,
        metaPath,
      };
      s.subagents.set(file, sub);
    }
  }

  /** Reads what a subagent transcript appended (and its `.meta.json`, until found). */
  #readSubagent(s: SessionState, file: string, sub: SubagentFile): void {
    sub.tail.read((line) => sub.parser.feed(line), () => {
      s.ledger.removeSource(file);
      sub.parser = new ClaudeTranscript({
        ledger: s.ledger,
        source: file,
        subagent: true,
        history: this.#history,
      });
    });
    if (!sub.meta && sub.metaPath) sub.meta = readMeta(sub.metaPath);
  }

  /** One entry per subagent, oldest first: its transcript's facts joined with the parent's call that started it. */
  #subagentFacts(s: SessionState, calls: ClaudeSubagentCall[], now: number): SubagentFacts[] {
    const out: { startedAt: number; facts: SubagentFacts }[] = [];
    const unmatched = new Set(calls);
    const files = [...s.subagents.entries()].map(([file, sub]) => ({ file, sub, f: sub.parser.facts() }));
    const callOf = new Map<string, ClaudeSubagentCall>();
    const take = (file: string, call: ClaudeSubagentCall | undefined) => {
      if (!call) return;
      unmatched.delete(call);
      callOf.set(file, call);
    };
    for (const { file, sub } of files) {
      take(
        file,
        calls.find((c) =>
          unmatched.has(c) &&
          (c.toolUseId === sub.meta?.toolUseId || (c.agentId !== null && c.agentId === sub.agentId))
        ),
      );
    }
    // A file without meta (legacy layout) takes the oldest running call started before it.
    for (const { file, sub, f } of files) {
      if (callOf.has(file) || sub.meta) continue;
      const started = f.startedAt ?? Infinity;
      take(file, [...unmatched].find((c) => c.running && (c.startedAt ?? 0) <= started + 1_000));
    }
    for (const { file, sub, f } of files) {
      const call = callOf.get(file);
      const lastActivity = Math.max(f.lastActivity ?? 0, sub.tail.mtimeMs ?? 0) || null;
      const active = f.turn === "working" && lastActivity !== null && now - lastActivity < SUBAGENT_QUIET_MS;
      out.push({
        startedAt: f.startedAt ?? call?.startedAt ?? 0,
        facts: {
          id: sub.agentId,
          type: sub.meta?.type ?? call?.type ?? null,
          description: sub.meta?.description ?? call?.description ?? null,
          status: call?.running || active ? "running" : "done",
          model: f.model,
          tokens: s.ledger.source(file),
          currentTool: f.currentTool,
          lastActivity,
        },
      });
    }
    for (const call of unmatched) {
      out.push({
        startedAt: call.startedAt ?? 0,
        facts: {
          id: call.agentId ?? call.toolUseId,
          type: call.type,
          description: call.description,
          status: call.running ? "running" : "done",
          model: null,
          tokens: emptyTokens(),
          currentTool: null,
          lastActivity: call.startedAt,
        },
      });
    }
    return out.sort((a, b) => a.startedAt - b.startedAt).map((o) => o.facts);
  }
}

/** Registry `status` as a turn state: `busy`/`shell` work, `idle` waits for the next prompt. */
function registryTurn(status: string | null): SessionFacts["turn"] | null {
  if (status === "busy" || status === "shell") return "working";
  if (status === "idle") return "ended";
  return null;
}

/** Session ids named in argv: `--session-id <uuid>`, `--resume <uuid>`, `-r <uuid>`; none when forking. */
function argvIds(argv: string[]): string[] {
  return argv.includes("--fork-session") ? [] : argvSessionIds(argv, (v) => UUID.test(v));
}

/** A legacy subagent transcript (`agent-<id>.jsonl`), not a session. */
function isLegacyAgent(name: string): boolean {
  return name.startsWith("agent-");
}

/** The config root a transcript lives under (`R` of `R/projects/<dir>/<id>.jsonl`): the account it is read for. */
function claudeAccount(path: string): string | null {
  const at = path.lastIndexOf("/projects/");
  return at === -1 ? null : path.slice(0, at);
}

function readMeta(path: string): SubagentFile["meta"] {
  const raw = readJson(path);
  if (!raw) return null;
  const s = (v: unknown) => (typeof v === "string" && v ? v : null);
  return { toolUseId: s(raw.toolUseId), type: s(raw.agentType), description: s(raw.description) };
}
