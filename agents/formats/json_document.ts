/**
 * Session documents an agent rewrites whole (one JSON document per session: Amp's threads, Continue's
 * sessions): parsed again only when the file changed, and a document caught half-written keeps the
 * facts of the last whole one.
 *
 * @module
 */

import { ParseCache } from "./parse_cache.ts";
import { readSmallText } from "./regular.ts";

/** Documents larger than this are not parsed. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** One document and what was read from it. */
export interface DocumentState<T> {
  /** `mtime:size:inode` of the content `facts` came from. */
  stamp: string;
  facts: T | null;
  /** True when the file's current content could not be parsed (a half-written document). */
  broken: boolean;
  /** Modification time of the file, ms. */
  mtime: number;
}

/**
 * The documents a reader follows, by path, each turned into facts by `parse` (null: not a session
 * document); forgotten like {@linkcode ParseCache} entries.
 *
 * @example
 * ```ts
 * const docs = new JsonDocuments((raw) => typeof raw === "object" ? raw : null);
 * docs.load("/home/me/.continue/sessions/a.json", Date.now())?.facts;
 * ```
 */
export class JsonDocuments<T> {
  #docs = new ParseCache<DocumentState<T>>();
  #parse: (raw: unknown) => T | null;

  /** Follows no document yet; `parse` turns a parsed document into facts. */
  constructor(parse: (raw: unknown) => T | null) {
    this.#parse = parse;
  }

  /** The document's state, parsed again when the file changed since the last parse; null when it is gone. */
  load(path: string, now: number): DocumentState<T> | null {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch {
      return null;
    }
    const mtime = info.mtime?.getTime() ?? 0;
    const stamp = `${mtime}:${info.size}:${info.ino ?? ""}`;
    const s = this.#docs.get(path, now, () => ({ stamp: "", facts: null, broken: false, mtime }));
    if (s.stamp === stamp) return s;
    s.stamp = stamp;
    s.mtime = mtime;
    let facts: T | null = null;
    if (info.size <= MAX_DOCUMENT_BYTES) {
      const text = readSmallText(path, MAX_DOCUMENT_BYTES);
      try {
        // Any JSON value (a session may be an array of messages, as Codebuff's): the parser checks its shape.
        facts = text === null ? null : this.#parse(JSON.parse(text));
      } catch {
        facts = null;
      }
    }
    // A document caught half-written keeps the facts of the last complete one until it is whole again.
    s.broken = facts === null;
    if (facts) s.facts = facts;
    return s;
  }
}
