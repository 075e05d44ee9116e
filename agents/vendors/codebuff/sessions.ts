/**
 * Codebuff's chats on disk (built from Codebuff's public source, not run: its binary is downloaded
 * at first start): `~/.config/manicode/projects/<project folder name>/chats/<chat id>/`, the chat id
 * the time it started (`2026-12-06T17-00-00.000Z`), holding `chat-messages.json` (read here) and
 * `run-state.json`. The project is named by the last segment of its path only, so two projects of one
 * name share a folder; a live Codebuff is joined with the chat of its project written last since it
 * started.
 *
 * @module
 */

import type * as Reader from "../../vendor.ts";
import { codebuffFacts } from "./transcript.ts";
import { DirListings, homeOf, lastWritten, mtimeOf } from "../../formats/files.ts";
import { JsonDocuments } from "../../formats/json_document.ts";
import { RecentScan, START_SLACK_MS } from "../../formats/recent.ts";

/** The file of a chat folder that agtop reads. */
const MESSAGES = "chat-messages.json";

/**
 * Where Codebuff keeps the chats of a working directory.
 *
 * @example
 * ```ts
 * codebuffChatsDir("/home/me", "/home/me/src/web-app"); // "/home/me/.config/manicode/projects/web-app/chats"
 * ```
 */
export function codebuffChatsDir(home: string, cwd: string): string {
  const name = cwd.replace(/\/+$/, "").slice(cwd.replace(/\/+$/, "").lastIndexOf("/") + 1);
  return `${home}/.config/manicode/projects/${name}/chats`;
}

/** Codebuff's {@linkcode Reader.SessionSource}; one per collector. */
export class CodebuffSessionSource implements Reader.SessionSource {
  /** Codebuff's data moves with nothing but HOME. */
  readonly envKeys: readonly string[] = [];
  #docs = new JsonDocuments<Reader.SessionRead>(codebuffFacts);
  #listings = new DirListings();
  #scan: RecentScan;

  /** A reader; `options.max` caps the sessions it lists (none for a report). */
  constructor(options: Reader.ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Where its chats are kept. */
  dataDirs(_env: Record<string, string>, home: string): Reader.DataDir[] {
    return [{ path: `${home}/.config/manicode/projects`, from: "default" }];
  }

  /** The chat of the process's project written last since it started, not linked to another agent. */
  link(ctx: Reader.LinkContext): Reader.SessionLink | null {
    if (!ctx.cwd) return null;
    const dir = codebuffChatsDir(ctx.home, ctx.cwd);
    const chats = this.#listings.list(dir, ctx.now).map((id) => ({ id, path: `${dir}/${id}/${MESSAGES}` }));
    const fresh = chats.filter((c) =>
      !ctx.claimed.has(c.path) && (mtimeOf(c.path) ?? -Infinity) >= ctx.startedAt - START_SLACK_MS
    );
    const hit = lastWritten(fresh, (c) => c.path);
    return hit && { path: hit.path, id: hit.id, linkedBy: "cwd" };
  }

  /** Reads a linked chat, parsing it again only when the file changed. */
  read(link: Reader.SessionLink, now: number): Reader.SessionRead | null {
    const s = this.#docs.load(link.path, now);
    if (!s?.facts) return null;
    return {
      ...s.facts,
      id: link.id,
      lastActivity: Math.max(s.facts.lastActivity ?? 0, s.mtime) || null,
      malformedLines: s.facts.malformedLines + (s.broken ? 1 : 0),
    };
  }

  /** Chats written since `sinceMs` under the homes of `envs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): Reader.RecentSessions {
    const files = [...new Set(envs.map((e) => `${homeOf(e)}/.config/manicode/projects`))].flatMap((root) =>
      [...this.#scan.subdirs(root, "/chats")].flatMap(([dir, ids]) =>
        ids.map((id) => ({ id, path: `${dir}/${id}/${MESSAGES}` }))
      )
    );
    return this.#scan.newest(files, sinceMs);
  }
}
