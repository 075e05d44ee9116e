/**
 * What session readers keep between ticks, by path: parse state per transcript file (a
 * {@linkcode JsonlTail} and its parser) or per session of a database, forgotten once not used for
 * {@linkcode FORGET_AFTER_MS}, and the least recently used first past a cap.
 *
 * @module
 */

import { JsonlTail } from "./jsonl.ts";
import type { SessionRead } from "../vendor.ts";

/** An entry not used for this long is dropped (ms). */
export const FORGET_AFTER_MS = 10 * 60_000;

/**
 * At most this many entries by default (parse states: the sessions shown, their subagents and the live
 * agents' fit many times over; a session left out of the list is not kept forever).
 */
export const MAX_PARSE_STATES = 4096;

/** A cache of query results (one entry per database and question) keeps at most this many entries. */
export const MAX_CACHED_QUERIES = 256;

/** A cache of file heads (one entry per file, a plain map) is emptied past this many entries. */
export const MAX_CACHED_HEADS = 4096;

/** How long entries live and how many there may be. */
export interface ParseCacheOptions {
  /** An entry not used for this long is dropped; default {@linkcode FORGET_AFTER_MS}. */
  forgetAfterMs?: number;
  /** At most this many entries, the least recently used dropped first; default {@linkcode MAX_PARSE_STATES}. */
  maxEntries?: number;
}

/**
 * State kept per key (a transcript path, a database session), dropped when not used for a while.
 * Every {@linkcode ParseCache.get} and {@linkcode ParseCache.set} drops the entries not used for
 * `forgetAfterMs` before it (entries are kept in the order of their last use, so this looks only at
 * the ones it drops), and the least recently used entry when one more than `maxEntries` would be kept.
 *
 * @example
 * ```ts
 * const states = new ParseCache<{ lines: number }>();
 * states.get("/x/a.jsonl", Date.now(), () => ({ lines: 0 })).lines++;
 * ```
 */
export class ParseCache<T> {
  #entries = new Map<string, { value: T; usedAt: number }>();
  #forgetAfterMs: number;
  #maxEntries: number;

  /** An empty cache. */
  constructor(options: ParseCacheOptions = {}) {
    this.#forgetAfterMs = options.forgetAfterMs ?? FORGET_AFTER_MS;
    this.#maxEntries = options.maxEntries ?? MAX_PARSE_STATES;
  }

  /** The value kept for `key` (made by `make` when there is none), marked used at `now`. */
  get(key: string, now: number, make: () => T): T {
    this.#forget(now);
    const entry = this.#entries.get(key);
    if (entry) {
      entry.usedAt = now;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value;
    }
    const value = make();
    this.#add(key, value, now);
    return value;
  }

  /** The value kept for `key`, if any, without marking it used. */
  peek(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Keeps `value` for `key`, used at `now`. */
  set(key: string, value: T, now: number): void {
    this.#forget(now);
    this.#entries.delete(key);
    this.#add(key, value, now);
  }

  /** Drops the value kept for `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Every key with its value, least recently used first. */
  *entries(): Generator<[string, T]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  #add(key: string, value: T, now: number): void {
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, usedAt: now });
  }

  #forget(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.usedAt <= this.#forgetAfterMs) break;
      this.#entries.delete(key);
    }
  }
}

/** A transcript parser: it takes the lines of a JSONL file one by one. */
export interface LineParser {
  /** Takes one line of the transcript. */
  feed(line: string): void;
}

/**
 * One transcript file followed by a parser: each {@linkcode TailedTranscript.read} hands the lines
 * appended since the last read to the parser; a file truncated or replaced starts a fresh parser.
 *
 * @example
 * ```ts
 * import { QwenTranscript } from "../vendors/qwen/transcript.ts";
 *
 * const t = new TailedTranscript("/x/chat.jsonl", () => new QwenTranscript());
 * t.read();
 * t.parser.facts();
 * ```
 */
export class TailedTranscript<P extends LineParser> {
  /** The file followed. */
  readonly tail: JsonlTail;
  /** The parser of what was read since the file was last started over. */
  parser: P;
  #fresh: () => P;

  /** Follows `path` with parsers made by `fresh`; nothing is read until {@linkcode TailedTranscript.read}. */
  constructor(path: string, fresh: () => P) {
    this.tail = new JsonlTail(path);
    this.#fresh = fresh;
    this.parser = fresh();
  }

  /** Feeds the lines appended since the last read (all of them, to a fresh parser, after a reset). */
  read(): void {
    this.tail.read((line) => this.parser.feed(line), () => this.parser = this.#fresh());
  }
}

/**
 * The transcript files a reader follows, by path, each with a parser made by `fresh`; forgotten like
 * {@linkcode ParseCache} entries.
 *
 * @example
 * ```ts
 * import { QwenTranscript } from "../vendors/qwen/transcript.ts";
 *
 * const chats = new Transcripts(() => new QwenTranscript());
 * chats.follow("/x/chat.jsonl", Date.now()).parser.facts();
 * ```
 */
export class Transcripts<P extends LineParser> {
  #files = new ParseCache<TailedTranscript<P>>();
  #fresh: () => P;

  /** Follows no file yet. */
  constructor(fresh: () => P) {
    this.#fresh = fresh;
  }

  /** The transcript of `path`, its appended lines read (the whole file the first time). */
  follow(path: string, now: number): TailedTranscript<P> {
    const t = this.#files.get(path, now, () => new TailedTranscript(path, this.#fresh));
    t.read();
    return t;
  }
}

/**
 * What a reader returns for a followed transcript: its parser's facts with the link's `id` where the
 * file names none, the file's modification time as the newest activity and lines too long to read
 * counted as malformed; null while the file is missing.
 *
 * @example
 * ```ts
 * import type { SessionRead } from "../vendor.ts";
 * declare const chats: Transcripts<LineParser & { facts(): SessionRead }>;
 * transcriptRead(chats.follow("/x/chat.jsonl", Date.now()), "e351e2a0")?.turn;
 * ```
 */
export function transcriptRead(
  t: TailedTranscript<LineParser & { facts(): SessionRead }>,
  id: string,
): SessionRead | null {
  if (t.tail.mtimeMs === null) return null;
  const f = t.parser.facts();
  return {
    ...f,
    id: f.id || id,
    lastActivity: Math.max(f.lastActivity ?? 0, t.tail.mtimeMs),
    malformedLines: f.malformedLines + t.tail.skippedLines,
  };
}
