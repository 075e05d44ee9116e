/**
 * The sessions a report covers: every vendor's sessions active since a time, read by the same readers
 * and the same listing `ls --all` uses (so subagents count once, in their parent session, and each
 * agent's tokens are counted as `ls` counts them), with each session's whole usage timeline.
 *
 * @module
 */

import type { SessionLink, Vendor } from "../vendor.ts";
import { type ListedSession, SessionLinker } from "../collect/link.ts";
import { homeOf } from "../formats/files.ts";
import type { HistorySession, Unreadable } from "./types.ts";
import { loadToolReaders, readSessionCalls, type ToolCallsRead, type ToolReaders } from "./tools.ts";

/** What {@linkcode readHistory} found. */
export interface History {
  sessions: HistorySession[];
  /** Stores listed but not read: a permission refused, a reader failing on them. */
  unreadable: Unreadable[];
  /** Why some readers failed (loading, listing, reading), once per vendor and step. */
  notices: string[];
  /** Sessions in the window left unread: none unless a reader cannot list every session (Claude's, for now). */
  notRead: number;
  /** The sessions' tool calls, when asked for (`tools`). */
  calls?: ToolCallsRead;
}

/** What {@linkcode readHistory} reads. */
export interface HistoryOptions {
  /** The agents whose sessions are read. */
  vendors: readonly Vendor[];
  /** Sessions active since this time (ms since epoch). */
  since: number;
  /** More environments to look for sessions in, per vendor id (profiles, config `[data_dirs]`). */
  profiles?: Readonly<Record<string, readonly Record<string, string>[]>>;
  now: number;
  /** Hears how many sessions were read, of how many, and how many bytes their files hold so far. */
  progress?: HistoryProgress;
  /** Also read each session's tool calls (`report tools`), with its agent's tool-call reader. */
  tools?: boolean;
}

/** Hears how many sessions were read, of how many, and how many bytes their files hold so far. */
export type HistoryProgress = (read: number, total: number, bytes: number) => void;

/** What one {@linkcode HistoryReader.read} found. */
export interface HistoryRead {
  sessions: HistorySession[];
  unreadable: Unreadable[];
  /** The sessions' tool calls, when the reader was opened for them. */
  calls?: ToolCallsRead;
}

/**
 * The sessions of a history, listed once and read by one thread or several: every thread opens its own
 * reader for the same agents, one of them lists, and each reads the listed sessions it is handed.
 */
export class HistoryReader {
  #linker: SessionLinker;
  #tools: ToolReaders | null;

  private constructor(linker: SessionLinker, tools: ToolReaders | null) {
    this.#linker = linker;
    this.#tools = tools;
  }

  /**
   * A reader of the sessions of `vendors` (and of their `profiles`), its session readers loaded: ones
   * that keep whole usage histories, with no cap on how many sessions are listed; with `tools`, their
   * tool-call readers too, and each session's calls are read right after it (its file still cached).
   * The readers of agents whose session folders are not there are not loaded (see `Vendor.sessionHome`).
   *
   * @example
   * ```ts
   * import { VENDORS } from "../vendors/mod.ts";
   *
   * const reader = await HistoryReader.open(VENDORS);
   * const { listed } = reader.list(Date.now() - 7 * 86_400_000);
   * reader.read(listed, Date.now()).sessions.length;
   * ```
   */
  static async open(
    vendors: readonly Vendor[],
    profiles: Readonly<Record<string, readonly Record<string, string>[]>> = {},
    tools = false,
  ): Promise<HistoryReader> {
    const own = Deno.env.toObject();
    const present = vendors.filter((v) =>
      mayHaveSessions(v, [own, ...(profiles[v.id] ?? []).map((e) => ({ ...own, ...e }))])
    );
    const linker = new SessionLinker(present, profiles, { history: true, max: Infinity });
    const [, readers] = await Promise.all([linker.load(present), tools ? loadToolReaders(present) : null]);
    return new HistoryReader(linker, readers);
  }

  /** The sessions active since `since`, newest first; `notRead` counts the ones a reader could not list. */
  list(since: number): { listed: ListedSession[]; notRead: number } {
    const { listed, more } = this.#linker.listRecent([], new Set(), since);
    return { listed, notRead: more };
  }

  /**
   * Reads `listed` sessions: each in turn, or those whose index `next()` hands out (see
   * {@linkcode SessionLinker.readListed}). A session that cannot be read is named in `unreadable`; it
   * never stops the others.
   */
  read(
    listed: readonly ListedSession[],
    now: number,
    next?: () => number,
    progress?: HistoryProgress,
  ): HistoryRead {
    const unreadable: Unreadable[] = [];
    const tools = this.#tools;
    const calls: ToolCallsRead | undefined = tools ? { sessions: [], unreadable: [] } : undefined;
    let bytes = 0;
    const found = this.#linker.readListed(listed, now, {
      found: tools ? (h) => readSessionCalls(h, tools, calls!) : undefined,
      progress: progress && ((read, total, link) => progress(read, total, bytes += sizeOf(link.path))),
      unread: (vendor, link, error) => {
        const reason = error === null
          ? whyUnread(link)
          : error instanceof Error
          ? error.message
          : String(error);
        if (reason) unreadable.push({ agent: vendor.id, path: link.path, reason });
      },
    }, next);
    return { sessions: found, unreadable, ...(calls ? { calls } : {}) };
  }

  /** Why some readers failed (loading, listing, reading), once per vendor and step. */
  notices(): string[] {
    return this.#linker.notices();
  }
}

/**
 * Reads the sessions of `vendors` active since `since` with readers that keep whole usage histories.
 * A session that cannot be read is named in `unreadable`; it never stops the others.
 *
 * @example
 * ```ts
 * import { VENDORS } from "../vendors/mod.ts";
 *
 * const now = Date.now();
 * const history = await readHistory({ vendors: VENDORS, since: now - 7 * 86_400_000, now });
 * history.sessions.length;
 * ```
 */
export async function readHistory(opts: HistoryOptions): Promise<History> {
  const reader = await HistoryReader.open(opts.vendors, opts.profiles, opts.tools);
  const { listed, notRead } = reader.list(opts.since);
  return { ...reader.read(listed, opts.now, undefined, opts.progress), notices: reader.notices(), notRead };
}

/**
 * Whether `vendor` may have sessions to list for one of `envs`: its reader is worth loading unless its
 * default folders ({@linkcode Vendor.sessionHome}) are all missing and no variable moves them.
 */
function mayHaveSessions(vendor: Vendor, envs: readonly Record<string, string>[]): boolean {
  const home = vendor.sessionHome;
  if (!home) return true;
  return envs.some((env) =>
    home.env.some((k) => env[k]) || home.dirs.some((d) => exists(`${homeOf(env)}/${d}`))
  );
}

/** Whether something may be at `path`: false only where nothing is (one that cannot be looked at is named by its reader). */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    return !(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory);
  }
}

/** The size of a session's file in bytes; 0 for a session that is not a file of its own. */
function sizeOf(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** Why a listed session gave nothing: the error opening it, or null when it is simply gone (or empty). */
function whyUnread(link: SessionLink): string | null {
  try {
    Deno.openSync(link.path, { read: true }).close();
    return null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
    return e instanceof Error ? e.message : String(e);
  }
}
