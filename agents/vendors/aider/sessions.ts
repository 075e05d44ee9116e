/**
 * Aider sessions on disk: the chat history a live `aider` process appends to, and the facts of its
 * run read incrementally.
 *
 * Aider writes `<git root of its cwd>/.aider.chat.history.md` (the cwd outside git), or the file
 * `--chat-history-file` / `AIDER_CHAT_HISTORY_FILE` names. One file holds every run in the
 * repository; a run starts with `# aider chat started at <local time>` when the process starts.
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
import { AiderTranscript } from "./transcript.ts";
import { gitFacts } from "../../git.ts";
import { optionValue } from "../../formats/argv.ts";
import { normalisePath } from "../../formats/files.ts";
import { ParseCache, TailedTranscript } from "../../formats/parse_cache.ts";
import { recentFiles, START_SLACK_MS } from "../../formats/recent.ts";

/** Aider writes its run heading while starting up, within this long of the process start. */
export const STARTUP_MS = 120_000;
/** The history file's name when Aider picks it. */
export const DEFAULT_HISTORY = ".aider.chat.history.md";

/** One history file being followed, and the working directory of the agent that writes it. */
class HistoryFile extends TailedTranscript<AiderTranscript> {
  cwd: string | null = null;
}

/**
 * The chat history file of an Aider process and where its name came from: `--chat-history-file` in
 * argv (`argv`), `AIDER_CHAT_HISTORY_FILE` (`env`), else the default in the git root of `cwd` or
 * `cwd` itself (`cwd`). Relative names are resolved against `cwd`. Null when nothing can be resolved.
 *
 * @example
 * ```ts
 * aiderHistoryFile(["python3", "/v/bin/aider"], {}, "/home/me/app", "/home/me/app");
 * // { path: "/home/me/app/.aider.chat.history.md", linkedBy: "cwd" }
 * ```
 */
export function aiderHistoryFile(
  argv: readonly string[],
  env: Record<string, string>,
  cwd: string | null,
  gitRoot: string | null,
): { path: string; linkedBy: string } | null {
  const named = optionValue(argv, ["--chat-history-file"]);
  const [name, linkedBy] = named
    ? [named, "argv"]
    : env.AIDER_CHAT_HISTORY_FILE
    ? [env.AIDER_CHAT_HISTORY_FILE, "env"]
    : [null, "cwd"];
  if (name !== null) {
    const path = name.startsWith("/") ? name : cwd ? `${cwd}/${name}` : null;
    return path ? { path: normalisePath(path), linkedBy } : null;
  }
  const dir = gitRoot ?? cwd;
  return dir ? { path: `${dir}/${DEFAULT_HISTORY}`, linkedBy } : null;
}

/**
 * Aider's {@linkcode SessionSource}. Keeps, per history file, a {@linkcode JsonlTail} and the parser
 * of its newest run, so a tick reads only appended lines; one per collector.
 *
 * A live process is linked to its history file only when the newest run in it started with the
 * process (its heading at most `START_SLACK_MS` before and {@linkcode STARTUP_MS} after the
 * start): an older run belongs to a process that is gone. Two Aider processes in one repository
 * append to the same file; the newer one holds it.
 */
export class AiderSessionSource implements SessionSource {
  /** `AIDER_CHAT_HISTORY_FILE` of the agent. */
  readonly envKeys: readonly string[] = ["AIDER_CHAT_HISTORY_FILE"];
  #files = new ParseCache<HistoryFile>();
  #max: number | undefined;

  /** A reader; `options.max` caps the sessions `recent` lists. */
  constructor(options: ReaderOptions = {}) {
    this.#max = options.max;
  }

  /** Where its sessions are kept for an environment, and what named each place. */
  dataDirs(): DataDir[] {
    return [{
      path: DEFAULT_HISTORY,
      from: "AIDER_CHAT_HISTORY_FILE, --chat-history-file or default",
      inProject: true,
    }];
  }

  /** Finds the history file of a live Aider process whose newest run is this process's. */
  link(ctx: LinkContext): SessionLink | null {
    const cwd = ctx.cwd;
    const file = aiderHistoryFile(ctx.argv, ctx.env, cwd, cwd ? gitFacts(cwd)?.root ?? null : null);
    if (!file || ctx.claimed.has(file.path)) return null;
    const s = this.#follow(file.path, ctx.now);
    const started = s.parser.startedAt;
    const run = s.parser.run;
    if (run === null || started === null) return null;
    if (started < ctx.startedAt - START_SLACK_MS || started > ctx.startedAt + STARTUP_MS) return null;
    s.cwd = cwd;
    return { path: file.path, id: run, linkedBy: file.linkedBy };
  }

  /** The facts of the newest run in a linked history file. */
  read(link: SessionLink, now: number): SessionRead | null {
    const s = this.#follow(link.path, now);
    if (s.tail.mtimeMs === null || s.parser.run === null) return null;
    const f = s.parser.facts();
    const dir = link.path.slice(0, link.path.lastIndexOf("/"));
    const fileName = link.path.slice(dir.length + 1);
    return {
      ...f,
      id: f.id || link.id,
      // The default file sits in the repository Aider works in; a named one can be anywhere.
      cwd: s.cwd ?? (fileName === DEFAULT_HISTORY ? dir : null),
      lastActivity: s.tail.mtimeMs,
      malformedLines: f.malformedLines + s.tail.skippedLines,
    };
  }

  /**
   * History files this source has followed that were written since `sinceMs`, newest first: Aider
   * keeps them in each repository, so there is no directory to list.
   */
  recent(_envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const files = [...this.#files.entries()].flatMap(([path, s]) =>
      s.parser.run === null ? [] : [{ path, id: s.parser.run }]
    );
    return recentFiles(files, sinceMs, { max: this.#max });
  }

  /** The state of a history file, brought up to date (appended lines only after the first read). */
  #follow(path: string, now: number): HistoryFile {
    const s = this.#files.get(path, now, () => new HistoryFile(path, () => new AiderTranscript()));
    s.read();
    return s;
  }
}
