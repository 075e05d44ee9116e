/**
 * Opening files agtop did not create, as if any of them could be hostile: only a regular file is
 * opened (a FIFO, socket or device where a transcript, a meta file or `.git/HEAD` belongs would block
 * the open or never end), and what is read is capped. Nothing here throws: what is not a readable
 * regular file reads as nothing.
 *
 * Deno's `open` takes no `O_NONBLOCK`, so the path is checked with `stat` (links followed) before it
 * is opened, and the opened handle is checked with `fstat` to be the same regular file. The residual
 * race: a path replaced by a FIFO between the `stat` and the `open` still blocks that `open` until a
 * writer appears. Only someone who can write the folder can do that, and only by winning a window of
 * microseconds; the `fstat` makes sure nothing but the regular file seen is ever read.
 *
 * @module
 */

/** Cap of a small file read whole (a JSON meta file, a git file, a registry entry): 1 MiB. */
export const SMALL_FILE_BYTES = 1 << 20;

/** Cap of a JSON document that holds a whole transcript (Gemini's and Amp's session files): 64 MiB. */
export const DOCUMENT_BYTES = 64 << 20;

/** An open regular file and what `fstat` said of it. */
export interface RegularFile {
  file: Deno.FsFile;
  info: Deno.FileInfo;
}

/**
 * `path` opened for reading when it is a regular file (after links), else null: a FIFO, socket,
 * device, directory or missing path is never opened. Close the returned file.
 *
 * @example
 * ```ts
 * const opened = openRegular("/home/me/.claude/projects/-home-me-app/9f8a.jsonl");
 * if (opened) try { opened.info.size; } finally { opened.file.close(); }
 * ```
 */
export function openRegular(path: string): RegularFile | null {
  let seen: Deno.FileInfo;
  try {
    seen = Deno.statSync(path);
  } catch {
    return null;
  }
  if (!seen.isFile) return null;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return null;
  }
  try {
    const info = file.statSync();
    if (info.isFile && (seen.ino === null || (info.ino === seen.ino && info.dev === seen.dev))) {
      return { file, info };
    }
  } catch {
    // fall through: not readable
  }
  file.close();
  return null;
}

/**
 * The first `max` bytes at most of the regular file at `path`, or null when it is not one (see
 * {@linkcode openRegular}) or holds more than `max` bytes and `whole` is asked for.
 *
 * @example
 * ```ts
 * readCapped("/repo/.git/HEAD", 4096); // Uint8Array of "ref: refs/heads/main\n"
 * ```
 */
export function readCapped(path: string, max: number, whole = true): Uint8Array | null {
  const opened = openRegular(path);
  if (!opened) return null;
  const { file, info } = opened;
  try {
    if (whole && info.size > max) return null;
    const buf = new Uint8Array(Math.min(max, Math.max(info.size, 0)));
    let got = 0;
    while (got < buf.length) {
      const n = file.readSync(buf.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } catch {
    return null;
  } finally {
    file.close();
  }
}

const decoder = new TextDecoder();

/**
 * The text of the regular file at `path` when it holds at most `max` bytes (default
 * {@linkcode SMALL_FILE_BYTES}), else null: for meta files, registries and git files.
 *
 * @example
 * ```ts
 * readSmallText("/home/me/.gemini/tmp/abc/.project_root")?.trim(); // "/home/me/app"
 * ```
 */
export function readSmallText(path: string, max: number = SMALL_FILE_BYTES): string | null {
  const bytes = readCapped(path, max);
  return bytes === null ? null : decoder.decode(bytes);
}

/**
 * The text of a file the user named (a config or price file), at most `max` bytes (default
 * {@linkcode SMALL_FILE_BYTES}). Throws what `stat` throws (`Deno.errors.NotFound`, …), or an error
 * saying the path is not a regular file (a FIFO, a device) or is too large, instead of blocking on it
 * or reading it whole.
 *
 * @example
 * ```ts
 * const source = readUserFile("/home/me/.config/agtop/config.toml");
 * ```
 */
export function readUserFile(path: string, max: number = SMALL_FILE_BYTES): string {
  const info = Deno.statSync(path);
  if (!info.isFile) throw new Error("not a regular file");
  if (info.size > max) throw new Error(`larger than ${max} bytes`);
  const bytes = readCapped(path, max);
  if (bytes === null) throw new Error("not a regular file of at most " + max + " bytes");
  return decoder.decode(bytes);
}
