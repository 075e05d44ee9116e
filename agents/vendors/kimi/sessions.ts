/**
 * Kimi Code CLI's sessions on disk. Its home `K` is `$KIMI_CODE_HOME`, else `~/.kimi-code`; a session
 * is the folder `K/sessions/<workspace>/session_<uuid>/`, where `<workspace>` is
 * `wd_<slug of the folder's name>_<first 12 hex digits of the SHA-256 of its path>`. In it,
 * `state.json` (`cwd`, `title`, `lastPrompt`, the agents) and one event log per agent,
 * `agents/<agent id>/wire.jsonl` (`main` for the session's own; see `transcript.ts`).
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
import { KimiTranscript } from "./transcript.ts";
import { addTokens } from "../../session.ts";
import { DirListings, homeOf, mtimeOf, namedDir } from "../../formats/files.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { transcriptRead, Transcripts } from "../../formats/parse_cache.ts";
import { resolveFrom } from "../../formats/pi_store.ts";
import { RecentScan, type SessionFile, START_SLACK_MS } from "../../formats/recent.ts";
import { asObject, nonBlank } from "../../formats/records.ts";
import { promptLine } from "../../formats/text.ts";
import { sha256Hex } from "../../formats/hash.ts";

/** Where the session's own agent writes, inside a session folder. */
const MAIN_WIRE = "agents/main/wire.jsonl";

/**
 * Kimi Code's home for a process environment: `KIMI_CODE_HOME` (`~` expanded), else `<home>/.kimi-code`.
 *
 * @example
 * ```ts
 * kimiCodeHome({}, "/home/me"); // "/home/me/.kimi-code"
 * ```
 */
export function kimiCodeHome(env: Record<string, string>, home: string): string {
  return env.KIMI_CODE_HOME ? resolveFrom(env.KIMI_CODE_HOME, home, home) : `${home}/.kimi-code`;
}

/**
 * The folder Kimi Code keeps a working directory's sessions in, named as it names it.
 *
 * @example
 * ```ts
 * kimiWorkspace("/tmp/a2/kproj"); // "wd_kproj_f820ef30cb67"
 * ```
 */
export function kimiWorkspace(cwd: string): string {
  const path = cwd.replace(/\\/g, "/").replace(/\/+$/, "");
  const slug = (path.split("/").pop() ?? path).toLowerCase().replaceAll(/[^a-z0-9._-]+/g, "-")
    .replaceAll(/^-+|-+$/g, "").slice(0, 40).replaceAll(/^-+|-+$/g, "");
  const name = slug === "" || slug === "." || slug === ".." ? "workspace" : slug;
  return `wd_${name}_${sha256Hex(path).slice(0, 12)}`;
}

/** The session id of a main event log's path (its session folder's name). */
function sessionIdOf(wire: string): string {
  const dir = wire.slice(0, -MAIN_WIRE.length - 1);
  return dir.slice(dir.lastIndexOf("/") + 1);
}

/** What agtop reads of a session's `state.json`. */
interface KimiState {
  cwd: string | null;
  title: string | null;
}

/**
 * Kimi Code's {@linkcode SessionSource}; one per collector.
 *
 * Linking: Kimi Code titles its process `kimi-code`, so its arguments are gone; the session is the one
 * of the working directory's folder whose main event log was written last since the process started,
 * not linked to another agent.
 */
export class KimiSessionSource implements SessionSource {
  /** Where Kimi Code keeps its data. */
  readonly envKeys: readonly string[] = ["KIMI_CODE_HOME"];
  #wires: Transcripts<KimiTranscript>;
  #states = new JsonDocuments<KimiState>((raw) => {
    const o = asObject(raw);
    return o && { cwd: nonBlank(o.cwd), title: nonBlank(o.title) };
  });
  #listings = new DirListings();
  #scan: RecentScan;

  /** A reader; `options.history` keeps whole usage timelines. */
  constructor(options: ReaderOptions = {}) {
    this.#wires = new Transcripts(() => new KimiTranscript(options));
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Where its sessions are kept for an environment, and what named the place. */
  dataDirs(env: Record<string, string>, home: string): DataDir[] {
    return [namedDir(`${kimiCodeHome(env, home)}/sessions`, env, this.envKeys)];
  }

  /** Finds the session of a live Kimi Code process. */
  link(ctx: LinkContext): SessionLink | null {
    if (!ctx.cwd) return null;
    const dir = `${kimiCodeHome(ctx.env, ctx.home)}/sessions/${kimiWorkspace(ctx.cwd)}`;
    let best: { path: string; mtime: number } | null = null;
    for (const name of this.#listings.list(dir, ctx.now)) {
      const path = `${dir}/${name}/${MAIN_WIRE}`;
      if (!name.startsWith("session_") || ctx.claimed.has(path)) continue;
      const mtime = mtimeOf(path);
      if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS || (best && best.mtime >= mtime)) continue;
      best = { path, mtime };
    }
    return best && { path: best.path, id: sessionIdOf(best.path), linkedBy: "cwd" };
  }

  /** Reads a linked session: the appended lines of its event log, its `state.json` when it changed. */
  read(link: SessionLink, now: number): SessionRead | null {
    const read = transcriptRead(this.#wires.follow(link.path, now), link.id);
    if (read === null) return null;
    const dir = link.path.slice(0, -MAIN_WIRE.length - 1);
    const state = this.#states.load(`${dir}/state.json`, now)?.facts ?? null;
    const tokens = { ...read.tokens };
    // A running subagent's own log tells its tool in flight and its tokens so far (counted in the main
    // log only when it completes).
    const subagents = read.subagents.map((sub) => {
      if (sub.status !== "running") return sub;
      const own = transcriptRead(this.#wires.follow(`${dir}/agents/${sub.id}/wire.jsonl`, now), sub.id);
      if (!own) return sub;
      addTokens(tokens, own.tokens);
      return {
        ...sub,
        model: own.model ?? sub.model,
        tokens: own.tokens,
        currentTool: own.currentTool,
        lastActivity: own.lastActivity ?? sub.lastActivity,
      };
    });
    return {
      ...read,
      id: link.id,
      cwd: state?.cwd ?? read.cwd,
      title: promptLine(state?.title) ?? read.title,
      tokens,
      subagents,
    };
  }

  /** Sessions written since `sinceMs` under the homes of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const seen = new Set<string>();
    const files: SessionFile[] = [];
    for (const env of envs) {
      const sessions = `${kimiCodeHome(env, homeOf(env))}/sessions`;
      if (seen.has(sessions) || !sessions.startsWith("/")) continue;
      seen.add(sessions);
      for (const [workspace, names] of this.#scan.subdirs(sessions)) {
        for (const name of names) {
          if (name.startsWith("session_")) {
            files.push({ path: `${workspace}/${name}/${MAIN_WIRE}`, id: name });
          }
        }
      }
    }
    return this.#scan.newest(files, sinceMs);
  }
}
