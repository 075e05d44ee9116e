/**
 * Gemini CLI sessions on disk: which chat file a live `gemini` process writes, and its facts read
 * incrementally (the session's file plus its subagents' files).
 *
 * Layout under the data directory `R` (`$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`):
 * `R/projects.json` maps project roots to short ids (`{"projects":{"/abs/cwd":"web-app"}}`);
 * `R/tmp/<id>/.project_root` holds the root again; chats are `R/tmp/<id>/chats/session-<utc>-<id8>.jsonl`
 * (older releases: `.json`, one whole conversation rewritten on every change; older still: `<id>` is
 * the sha256 of the project root), subagents `R/tmp/<id>/chats/<sessionId>/<agentId>.jsonl`.
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
import { addTokens, emptyTokens, modelTable, SUBAGENT_QUIET_MS } from "../../session.ts";
import { GeminiTranscript } from "./transcript.ts";
import { JsonlTail, readHeadLines } from "../../formats/jsonl.ts";
import { isObject } from "../../formats/records.ts";
import { DOCUMENT_BYTES, readSmallText } from "../../formats/regular.ts";
import { argvSessionIds } from "../../formats/argv.ts";
import {
  dataDirs,
  DirListings,
  lastWritten,
  listDir,
  LISTING_TTL_MS,
  mtimeOf,
  namedDir,
  readJson,
} from "../../formats/files.ts";
import { sha256Hex } from "../../formats/hash.ts";
import { ParseCache, TailedTranscript } from "../../formats/parse_cache.ts";
import { RecentScan, START_SLACK_MS } from "../../formats/recent.ts";
import { type UsageFacts, withSubagentUsage } from "../../formats/timeline.ts";

/** `.project_root` markers are re-read after this long. */
const MARKER_TTL_MS = 10_000;
/** Bytes read from the head of a chat file to find its header. */
const HEAD_BYTES = 64 * 1024;
const CHAT = /^session-.*\.jsonl?$/;

/** One subagent chat file being followed. */
type SubagentFile = TailedTranscript<GeminiTranscript>;

/** Everything kept per chat file between reads. */
interface SessionState {
  /** Follows a `.jsonl` file; null for a whole-file `.json`. */
  tail: JsonlTail | null;
  parser: GeminiTranscript;
  /** `.json` only: identity, size and modification time of the content parsed. */
  stamp: string | null;
  mtime: number | null;
  subagents: Map<string, SubagentFile>;
  /** Parent size (or stamp) at the last read of finished subagents. */
  scanned: string;
}

/**
 * The data directory of a Gemini CLI process: `$GEMINI_CLI_HOME/.gemini`, else `<home>/.gemini`.
 *
 * @example
 * ```ts
 * geminiRoot({ GEMINI_CLI_HOME: "/x" }, "/home/me"); // "/x/.gemini"
 * geminiRoot({}, "/home/me"); // "/home/me/.gemini"
 * ```
 */
export function geminiRoot(env: Record<string, string>, home: string): string {
  return `${env.GEMINI_CLI_HOME || home}/.gemini`;
}

/**
 * Gemini CLI's {@linkcode SessionSource}. Keeps, per chat file, a {@linkcode JsonlTail} (or, for a
 * whole-file `.json`, its last stamp) and the parse state, so a tick reads only appended bytes; one
 * per collector.
 *
 * Linking: a session id in argv (`--session-id`, `--resume <id>`: the file whose name ends in its first
 * 8 characters and whose header names it); else the chat file in the project's directories (the id
 * `projects.json` gives the working directory, a `.project_root` naming it, or its sha256) written
 * last since the process started and not linked to another agent, its header's `projectHash` agreeing.
 */
export class GeminiSessionSource implements SessionSource {
  /** `GEMINI_CLI_HOME` of the agent. */
  readonly envKeys: readonly string[] = ["GEMINI_CLI_HOME"];
  #sessions = new ParseCache<SessionState>();
  #listings = new DirListings();
  #scan: RecentScan;
  #history: boolean;
  /** A new parser, keeping whole usage timelines for history readers. */
  #transcript = (): GeminiTranscript => new GeminiTranscript({ history: this.#history });
  #registries = new Map<string, { at: number; projects: Record<string, string> }>();
  #markers = new Map<string, { at: number; roots: Map<string, string> }>();
  #headers = new Map<string, { sessionId: string | null; projectHash: string | null }>();

  /** A reader; `options.history` keeps whole usage timelines, `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
    this.#history = options.history ?? false;
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${geminiRoot(env, home)}/tmp`, env, ["GEMINI_CLI_HOME"])];
  }

  /** Finds the chat file of a live Gemini CLI process. */
  link(ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const root = geminiRoot(ctx.env, ctx.home);
    const hash = sha256Hex(ctx.cwd);
    const files = this.#chatFiles(root, ctx.cwd, hash, ctx.now).filter((f) => !ctx.claimed.has(f));
    return this.#fromArgv(files, ctx.argv) ?? this.#fromCwd(files, hash, ctx);
  }

  /** Chat files modified since `sinceMs` under the data directories of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const files = [...dataDirs(envs, "GEMINI_CLI_HOME", geminiRoot)].flatMap((root) =>
      [...this.#scan.subdirs(`${root}/tmp`, "/chats")].flatMap(([dir, names]) =>
        chatNames(names).map((n) => `${dir}/${n}`)
      )
    );
    const recent = this.#scan.newest(files.map((path) => ({ path, id: "" })), sinceMs);
    return { ...recent, links: recent.links.map((l) => ({ ...l, id: this.#sessionId(l.path) })) };
  }

  /** A file named by a session id in argv. */
  #fromArgv(files: string[], argv: string[]): SessionLink | null {
    for (const id of argvSessionIds(argv, isSessionId)) {
      const suffix = `-${id.slice(0, 8)}.json`;
      const named = files.filter((f) => f.endsWith(suffix) || f.endsWith(`${suffix}l`));
      const pick = lastWritten(named.filter((f) => [null, id].includes(this.#header(f).sessionId)), (f) => f);
      if (pick) return { path: pick, id, linkedBy: "argv" };
    }
    return null;
  }

  /** The chat file written last since the process started, its header (when written) naming this project. */
  #fromCwd(files: string[], hash: string, ctx: LinkContext): SessionLink | null {
    const fresh = files.filter((f) => {
      const mtime = mtimeOf(f);
      if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS) return false;
      const recorded = this.#header(f).projectHash;
      return recorded === null || recorded === hash;
    });
    const pick = lastWritten(fresh, (f) => f);
    return pick === null ? null : { path: pick, id: this.#sessionId(pick), linkedBy: "cwd" };
  }

  /**
   * Chat files of the project directories of `cwd` (its `projects.json` id, ids whose `.project_root`
   * names it, its sha256 `hash`); a `.json` left out where its `.jsonl` exists.
   */
  #chatFiles(root: string, cwd: string, hash: string, now: number): string[] {
    const ids = new Set<string>();
    const slug = this.#registry(root, now)[cwd];
    if (slug) ids.add(slug);
    for (const [id, projectRoot] of this.#projectRoots(root, now)) if (projectRoot === cwd) ids.add(id);
    ids.add(hash);
    const out: string[] = [];
    for (const id of ids) {
      const dir = `${root}/tmp/${id}/chats`;
      for (const name of chatNames(this.#listings.list(dir, now))) out.push(`${dir}/${name}`);
    }
    return out;
  }

  /** `projects.json` (reused for a tick, as listings are): project root → short id. */
  #registry(root: string, now: number): Record<string, string> {
    const cached = this.#registries.get(root);
    if (cached && Math.abs(now - cached.at) < LISTING_TTL_MS) return cached.projects;
    const projects: Record<string, string> = {};
    const listed = readJson(`${root}/projects.json`)?.projects;
    for (const [path, id] of isObject(listed) ? Object.entries(listed) : []) {
      if (typeof id === "string" && /^[a-z0-9-]+$/.test(id)) projects[path] = id;
    }
    this.#registries.set(root, { at: now, projects });
    return projects;
  }

  /** Project directory id → the root its `.project_root` names. */
  #projectRoots(root: string, now: number): Map<string, string> {
    const cached = this.#markers.get(root);
    if (cached && Math.abs(now - cached.at) < MARKER_TTL_MS) return cached.roots;
    const roots = new Map<string, string>();
    for (const id of listDir(`${root}/tmp`)) {
      const marker = readSmallText(`${root}/tmp/${id}/.project_root`);
      if (marker !== null) roots.set(id, marker.trim());
    }
    this.#markers.set(root, { at: now, roots });
    return roots;
  }

  /** `sessionId` and `projectHash` of a `.jsonl` chat's header (cached once read); unknown for a `.json`. */
  #header(path: string): { sessionId: string | null; projectHash: string | null } {
    const cached = this.#headers.get(path);
    if (cached) return cached;
    const header = { sessionId: null as string | null, projectHash: null as string | null };
    if (!path.endsWith(".jsonl")) return header;
    const [first] = readHeadLines(path, HEAD_BYTES, 1);
    if (first === undefined) return header;
    try {
      const rec = JSON.parse(first);
      if (isObject(rec)) {
        if (typeof rec.sessionId === "string") header.sessionId = rec.sessionId;
        if (typeof rec.projectHash === "string") header.projectHash = rec.projectHash;
      }
    } catch {
      // A header that is not JSON tells nothing.
    }
    this.#headers.set(path, header);
    return header;
  }

  /** The session id of a chat file: its header's, else the 8 characters its name ends in. */
  #sessionId(path: string): string {
    return this.#header(path).sessionId ?? /-([^-]+)\.jsonl?$/.exec(path)?.[1] ?? "";
  }

  /** Reads the facts of a linked session and its subagents. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#sessions.get(link.path, now, () => ({
      tail: link.path.endsWith(".jsonl") ? new JsonlTail(link.path) : null,
      parser: this.#transcript(),
      stamp: null,
      mtime: null,
      subagents: new Map(),
      scanned: "",
    }));
    if (s.tail) {
      s.tail.read((line) => s.parser.feed(line), () => s.parser = this.#transcript());
      s.mtime = s.tail.mtimeMs;
    } else {
      readWhole(link.path, s, this.#transcript);
    }
    if (s.mtime === null) return null;
    const f = s.parser.facts();
    const id = f.id || link.id;
    const version = s.tail ? String(s.tail.size) : s.stamp ?? "";
    const changed = version !== s.scanned;
    s.scanned = version;
    const subagents = this.#subagents(link.path, id, s, changed, now);
    const tokens = { ...f.tokens };
    const byModel: Record<string, TokenBuckets> = f.tokensByModel;
    let malformed = f.malformedLines + (s.tail?.skippedLines ?? 0);
    let lastActivity = Math.max(f.lastActivity ?? 0, s.mtime);
    const usage = withSubagentUsage(f, subagents.map((sub) => sub.usage));
    for (const sub of subagents) {
      addTokens(tokens, sub.facts.tokens);
      for (const [m, t] of Object.entries(sub.byModel)) addTokens(byModel[m] ??= emptyTokens(), t);
      malformed += sub.malformed;
      lastActivity = Math.max(lastActivity, sub.facts.lastActivity ?? 0);
    }
    return {
      ...f,
      id,
      cwd: this.#projectRoot(link.path, now),
      subagents: subagents.map((x) => x.facts),
      tokens,
      tokensByModel: byModel,
      lastActivity,
      malformedLines: malformed,
      ...usage,
    };
  }

  /**
   * The subagents of a session: its `chats/<sessionId>/*.jsonl` files, joined with the parent's calls
   * that ran them (`toolCalls[].agentId`, recorded when they finish), and calls whose file is gone.
   */
  #subagents(
    path: string,
    sessionId: string,
    s: SessionState,
    changed: boolean,
    now: number,
  ): { facts: SubagentFacts; byModel: Record<string, TokenBuckets>; usage: UsageFacts; malformed: number }[] {
    const dir = `${path.slice(0, path.lastIndexOf("/"))}/${sessionId}`;
    for (const name of sessionId ? this.#listings.list(dir, now) : []) {
      const file = `${dir}/${name}`;
      if (name.endsWith(".jsonl") && !s.subagents.has(file)) {
        s.subagents.set(file, new TailedTranscript(file, () => this.#transcript()));
      }
    }
    const calls = s.parser.subagentCalls;
    const parentAt = s.parser.newestMessageAt ?? 0;
    const out: {
      startedAt: number;
      facts: SubagentFacts;
      byModel: Record<string, TokenBuckets>;
      usage: UsageFacts;
      malformed: number;
    }[] = [];
    const matched = new Set<string>();
    for (const [file, sub] of s.subagents) {
      // Finished subagents are re-read only when the session changed; active ones every tick.
      const quiet = now - (sub.tail.mtimeMs ?? 0);
      if (changed || sub.tail.mtimeMs === null || quiet < SUBAGENT_QUIET_MS) {
        sub.read();
      }
      if (sub.tail.mtimeMs === null) continue;
      const f = sub.parser.facts();
      const agentId = f.id || file.slice(file.lastIndexOf("/") + 1, -".jsonl".length);
      const call = calls.find((c) => c.agentId === agentId);
      if (call) matched.add(agentId);
      const lastActivity = Math.max(f.lastActivity ?? 0, sub.tail.mtimeMs);
      const running = !call && lastActivity >= parentAt && now - lastActivity < SUBAGENT_QUIET_MS;
      out.push({
        startedAt: f.startedAt ?? lastActivity,
        facts: {
          id: agentId,
          type: call?.name ?? null,
          description: call?.description ?? f.title,
          status: running ? "running" : "done",
          model: f.model,
          tokens: f.tokens,
          currentTool: running ? f.currentTool : null,
          lastActivity,
        },
        byModel: f.tokensByModel,
        usage: f,
        malformed: f.malformedLines + sub.tail.skippedLines,
      });
    }
    for (const call of calls) {
      if (matched.has(call.agentId!)) continue;
      out.push({
        startedAt: call.at ?? 0,
        facts: {
          id: call.agentId!,
          type: call.name,
          description: call.description,
          status: "done",
          model: null,
          tokens: emptyTokens(),
          currentTool: null,
          lastActivity: call.at,
        },
        byModel: modelTable(),
        usage: {},
        malformed: 0,
      });
    }
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The project root of a chat file: its directory's `.project_root`, else the `projects.json` entry. */
  #projectRoot(path: string, now: number): string | null {
    const chats = path.slice(0, path.lastIndexOf("/"));
    const project = chats.slice(0, chats.lastIndexOf("/"));
    const id = project.slice(project.lastIndexOf("/") + 1);
    const root = project.slice(0, project.lastIndexOf("/tmp/"));
    const marked = this.#projectRoots(root, now).get(id);
    if (marked) return marked;
    for (const [projectRoot, slug] of Object.entries(this.#registry(root, now))) {
      if (slug === id) return projectRoot;
    }
    return null;
  }
}

/** The chat files among the names of a `chats` directory: a `.json` left out where its `.jsonl` exists. */
function chatNames(names: string[]): string[] {
  return names.filter((name) => CHAT.test(name) && !(name.endsWith(".json") && names.includes(`${name}l`)));
}

/**
 * Reads a whole-file `.json` conversation again when its identity, size or modification time changed.
 * A file caught half-written does not parse: the previous facts stay until the next tick.
 */
function readWhole(path: string, s: SessionState, parser: () => GeminiTranscript): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    s.mtime = null;
    return;
  }
  s.mtime = info.mtime?.getTime() ?? 0;
  const stamp = `${info.dev}:${info.ino}:${info.size}:${s.mtime}`;
  if (stamp === s.stamp) return;
  const doc = readJson(path, DOCUMENT_BYTES);
  if (doc === null) return;
  s.parser = parser();
  s.parser.feed(doc);
  s.stamp = stamp;
}

/** A Gemini CLI session id (a uuid; not `latest` or a list index). */
function isSessionId(value: string): boolean {
  return value.length >= 8 && /^[0-9a-zA-Z-]+$/.test(value) && !/^\d+$/.test(value) && value !== "latest";
}
