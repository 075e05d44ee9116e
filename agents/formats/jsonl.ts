/**
 * Incremental reading of an append-only JSONL file (a session transcript): each call returns only the
 * complete lines appended since the previous call, re-reading from the start when the file shrank or
 * was replaced.
 *
 * @module
 */

import { openRegular } from "./regular.ts";

/** Lines longer than this many bytes are skipped (and counted) without being held in memory whole. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

/** Bytes read from the file per system call. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Most bytes one {@linkcode JsonlTail.read} consumes: a transcript larger than that (or a sparse file
 * of many GB claiming to be one) is read on in later calls, never in one go.
 */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** What one {@linkcode JsonlTail.read} did. */
export interface TailRead {
  /** True when the file shrank or was replaced and was read again from its start. */
  reset: boolean;
  /** Complete lines handed to the callback. */
  lines: number;
  /** Bytes consumed (complete lines and skipped bytes). */
  bytes: number;
}

/** Options of a {@linkcode JsonlTail}; the defaults suit transcripts. */
export interface TailOptions {
  /** Longest line kept, in bytes; longer lines are skipped. Default {@linkcode MAX_LINE_BYTES}. */
  maxLineBytes?: number;
  /** Read size per system call, in bytes. */
  chunkBytes?: number;
  /** Most bytes consumed per {@linkcode JsonlTail.read}. Default {@linkcode MAX_READ_BYTES}. */
  maxReadBytes?: number;
}

/** Smallest read buffer: appends between ticks are usually a few KB. */
const MIN_BUFFER = 16 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

/**
 * The read buffer, kept from one read to the next (reads are synchronous, and nothing is left in it
 * between them): a new one per file costs a page fault per page it fills.
 */
let scratch: Uint8Array = new Uint8Array(0);

/**
 * Follows one JSONL file across calls. It remembers the byte offset after the last complete line, the
 * file's identity (device and inode) and size; every {@linkcode read} hands over only the complete
 * lines (ending in `\n`) appended since, so a half-written last line waits for its newline. When the
 * file shrank or its identity changed, the next read starts again at byte 0 and reports `reset` (and
 * calls `onReset` first) so the caller can drop the state it built from the old content. Invalid
 * UTF-8 becomes U+FFFD; a trailing `\r` is dropped. The lines handed over may share memory with the text
 * read around them: parse them, do not keep them. A call reads at most
 * {@linkcode MAX_READ_BYTES}; the rest waits for the next. Never throws: a missing or unreadable file,
 * or one that is not a regular file (a FIFO, a device), reads as nothing.
 *
 * @example
 * ```ts
 * const tail = new JsonlTail("/home/me/.claude/projects/-home-me-app/9f8a.jsonl");
 * let lines: string[] = [];
 * tail.read((line) => lines.push(line), () => (lines = []));
 * // later ticks: only what was appended
 * tail.read((line) => lines.push(line), () => (lines = []));
 * ```
 */
export class JsonlTail {
  /** The file followed. */
  readonly path: string;
  #maxLine: number;
  #chunk: number;
  #maxRead: number;
  #offset = 0;
  #identity: string | null = null;
  #size = 0;
  #mtimeMs: number | null = null;
  #skipping = false;
  #skipped = 0;

  /** Follows `path` from its start; nothing is read until {@linkcode JsonlTail.read}. */
  constructor(path: string, options: TailOptions = {}) {
    this.path = path;
    this.#maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.#chunk = options.chunkBytes ?? CHUNK_BYTES;
    this.#maxRead = options.maxReadBytes ?? MAX_READ_BYTES;
  }

  /** Byte offset just after the last complete line handed over (or skipped). */
  get offset(): number {
    return this.#offset;
  }

  /** File size at the last read, in bytes. */
  get size(): number {
    return this.#size;
  }

  /** Modification time at the last read (ms since epoch), or null before the file was seen. */
  get mtimeMs(): number | null {
    return this.#mtimeMs;
  }

  /** Lines skipped for being longer than the limit since the last reset. */
  get skippedLines(): number {
    return this.#skipped;
  }

  /**
   * Hands every complete line appended since the previous call to `onLine`, in file order. When the
   * file was truncated or replaced, `onReset` runs before the first line and the file is read from 0.
   */
  read(onLine: (line: string) => void, onReset?: () => void): TailRead {
    const result: TailRead = { reset: false, lines: 0, bytes: 0 };
    const opened = openRegular(this.path);
    if (!opened) return result;
    const { file, info } = opened;
    try {
      const identity = fileIdentity(info);
      if (this.#identity !== null && (identity !== this.#identity || info.size < this.#offset)) {
        this.#offset = 0;
        this.#skipping = false;
        this.#skipped = 0;
        result.reset = true;
        onReset?.();
      }
      this.#identity = identity;
      this.#size = info.size;
      this.#mtimeMs = info.mtime?.getTime() ?? null;
      if (info.size > this.#offset) {
        this.#consume(file, Math.min(info.size - this.#offset, this.#maxRead), onLine, result);
      }
    } catch {
      // An unreadable file yields what was read so far.
    } finally {
      file.close();
    }
    return result;
  }

  /**
   * Reads from the remembered offset up to `expected` bytes (to the end of the file, or the cap of one
   * read), handing over complete lines.
   */
  #consume(file: Deno.FsFile, expected: number, onLine: (line: string) => void, result: TailRead): void {
    file.seekSync(this.#offset, Deno.SeekMode.Start);
    const size = Math.min(this.#chunk, Math.max(MIN_BUFFER, expected));
    let buf: Uint8Array = scratch.length >= size ? scratch : new Uint8Array(size);
    let pending = 0; // bytes at buf[0..pending) that start an incomplete line
    while (true) {
      // A partial line fills more than half the buffer: make room (lines are bounded by maxLine).
      if (buf.length - pending < buf.length >> 1) buf = grow(buf, pending, buf.length * 2);
      const room = expected - result.bytes - pending;
      if (room <= 0) break;
      const n = file.readSync(buf.subarray(pending, pending + Math.min(this.#chunk, room)));
      if (n === null || n === 0) break;
      const end = pending + n;
      const view = buf.subarray(0, end);
      let start = 0;
      if (this.#skipping) {
        const nl = view.indexOf(NEWLINE, pending);
        if (nl === -1) {
          this.#advance(end, result);
          pending = 0;
          continue;
        }
        this.#skipping = false;
        start = nl + 1;
      }
      const last = view.lastIndexOf(NEWLINE);
      if (last >= Math.max(start, pending) && last - start <= this.#maxLine) {
        // No line here can be too long: the complete lines are decoded at once and split as text.
        result.lines += splitLines(decoder.decode(view.subarray(start, last)), onLine);
        start = last + 1;
      }
      for (
        let nl = view.indexOf(NEWLINE, Math.max(start, pending));
        nl !== -1;
        nl = view.indexOf(NEWLINE, start)
      ) {
        let stop = nl;
        if (stop > start && view[stop - 1] === CARRIAGE_RETURN) stop--;
        if (nl - start > this.#maxLine) this.#skipped++;
        else {
          onLine(decoder.decode(view.subarray(start, stop)));
          result.lines++;
        }
        start = nl + 1;
      }
      this.#advance(start, result);
      const rest = end - start;
      if (rest > this.#maxLine) {
        this.#skipping = true;
        this.#skipped++;
        this.#advance(rest, result);
        pending = 0;
      } else {
        if (start > 0) buf.copyWithin(0, start, end);
        pending = rest;
      }
    }
    if (buf.length <= CHUNK_BYTES) scratch = buf;
  }

  #advance(bytes: number, result: TailRead): void {
    this.#offset += bytes;
    result.bytes += bytes;
  }
}

/** Hands each line of `text` (lines joined by `\n`, a trailing `\r` dropped) to `onLine`; returns how many. */
function splitLines(text: string, onLine: (line: string) => void): number {
  let lines = 0;
  for (let from = 0; from <= text.length; lines++) {
    let nl = text.indexOf("\n", from);
    if (nl === -1) nl = text.length;
    const end = nl > from && text.charCodeAt(nl - 1) === CARRIAGE_RETURN ? nl - 1 : nl;
    onLine(text.slice(from, end));
    from = nl + 1;
  }
  return lines;
}

/** A stable identity of the file behind a path: device and inode, or creation time where those are unknown. */
function fileIdentity(info: Deno.FileInfo): string {
  if (info.ino !== null && info.dev !== null) return `${info.dev}:${info.ino}`;
  return `birth:${info.birthtime?.getTime() ?? 0}`;
}

/** A larger buffer holding the first `keep` bytes of `buf`. */
function grow(buf: Uint8Array, keep: number, size: number): Uint8Array {
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, keep));
  return next;
}

/** Bytes read per step by {@linkcode readHeadLines}. */
const HEAD_STEP = 64 * 1024;

/**
 * The first complete lines of a file, reading at most `maxBytes` bytes and stopping early once
 * `wantLines` lines are in (a half-written or cut last line is left out), for peeking at a
 * transcript's opening records. Never throws: a missing file, or one that is not a regular file, has
 * no lines.
 *
 * @example
 * ```ts
 * const [meta] = readHeadLines("/home/me/.codex/sessions/2026/11/24/rollout-….jsonl", 1 << 20, 1);
 * ```
 */
export function readHeadLines(path: string, maxBytes: number, wantLines = Infinity): string[] {
  return withFile(path, (file) => {
    let buf: Uint8Array = new Uint8Array(Math.min(maxBytes, HEAD_STEP));
    let filled = 0;
    let lines = 0;
    while (filled < maxBytes && lines < wantLines) {
      if (filled === buf.length) buf = grow(buf, filled, Math.min(maxBytes, filled + HEAD_STEP));
      const n = file.readSync(buf.subarray(filled, Math.min(buf.length, filled + HEAD_STEP)));
      if (n === null || n === 0) break;
      const view = buf.subarray(0, filled + n);
      for (let i = view.indexOf(NEWLINE, filled); i !== -1; i = view.indexOf(NEWLINE, i + 1)) lines++;
      filled += n;
    }
    const end = filled === 0 ? 0 : buf.lastIndexOf(NEWLINE, filled - 1) + 1;
    const out = decoder.decode(buf.subarray(0, end)).split("\n").slice(0, -1);
    return out.slice(0, wantLines).map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
  });
}

/** `read` of the regular file at `path` opened for reading, closed after; no lines when it cannot be read. */
function withFile(path: string, read: (file: Deno.FsFile) => string[]): string[] {
  const opened = openRegular(path);
  if (!opened) return [];
  const { file } = opened;
  try {
    return read(file);
  } catch {
    return [];
  } finally {
    file.close();
  }
}

/**
 * The last complete lines of a file within its final `maxBytes` bytes (a line cut by that window is
 * left out), oldest first, for the newest records of an append-only log. Never throws: a missing file
 * has no lines.
 *
 * @example
 * ```ts
 * const newest = readTailLines("/home/me/.codex/history.jsonl", 64 * 1024);
 * ```
 */
export function readTailLines(path: string, maxBytes: number): string[] {
  return withFile(path, (file) => {
    const size = file.statSync().size;
    const start = Math.max(0, size - maxBytes);
    file.seekSync(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let filled = 0;
    while (filled < buf.length) {
      const n = file.readSync(buf.subarray(filled));
      if (n === null || n === 0) break;
      filled += n;
    }
    const view = buf.subarray(0, filled);
    const first = start === 0 ? 0 : view.indexOf(NEWLINE) + 1;
    const end = view.lastIndexOf(NEWLINE) + 1;
    if (first === 0 && start > 0 || end <= first) return [];
    return decoder.decode(view.subarray(first, end)).split("\n").slice(0, -1)
      .map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
  });
}
