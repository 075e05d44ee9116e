/**
 * The files a session changed, as its transcript tells it: a bounded list, each file once, where the
 * newest change decides its place; and the file names an `apply_patch` patch touches.
 *
 * @module
 */

import { cleanLine } from "./text.ts";

/** Most files kept in a session's changed-files list (the oldest changes give way). */
export const FILES_CHANGED_LIMIT = 64;
/** Longest path kept, in characters. */
const PATH_WIDTH = 4096;

/**
 * The files a session changed, oldest change first, each file once: changing a file again moves it
 * to the end. Relative paths are resolved against the working directory given with them, so one file
 * named both ways is listed once. At most {@linkcode FILES_CHANGED_LIMIT}.
 *
 * @example
 * ```ts
 * const files = new ChangedFiles();
 * files.add("src/a.ts", "/home/me/proj");
 * files.add("/home/me/proj/README.md", null);
 * files.add("/home/me/proj/src/a.ts", null);
 * files.list(); // ["/home/me/proj/README.md", "/home/me/proj/src/a.ts"]
 * ```
 */
export class ChangedFiles {
  #files = new Set<string>();

  /** Records a change of `path`; a relative path is taken relative to `cwd` when it is known. */
  add(path: string, cwd: string | null): void {
    const clean = cleanLine(path, PATH_WIDTH);
    if (!clean) return;
    const full = cwd && !isAbsolute(clean)
      ? `${cwd.replace(/[\\/]+$/, "")}/${clean.replace(/^\.\//, "")}`
      : clean;
    this.#files.delete(full);
    this.#files.add(full);
    if (this.#files.size > FILES_CHANGED_LIMIT) this.#files.delete(this.#files.values().next().value!);
  }

  /** The files, oldest change first. */
  list(): string[] {
    return [...this.#files];
  }
}

/** `/x`, `\\server\x`, `C:\x` or `C:/x`. */
function isAbsolute(path: string): boolean {
  return /^(?:[\\/]|[A-Za-z]:[\\/])/.test(path);
}

/** File lines of Codex's patch format: `*** Update File: p`, `Add File`, `Delete File`, `Move to`. */
const PATCH_FILE = /^\*\*\* (?:Update File|Add File|Delete File|Move to): (.+)$/gm;

/**
 * The files a patch in Codex's `apply_patch` format touches, in patch order: updated, added and
 * deleted files, and the new name of a moved one.
 *
 * @example
 * ```ts
 * patchFiles("*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** Add File: b.txt\n+hi\n");
 * // ["src/a.rs", "b.txt"]
 * ```
 */
export function patchFiles(patch: string): string[] {
  return [...patch.matchAll(PATCH_FILE)].map((m) => m[1].trim()).filter(Boolean);
}
