/**
 * Early ticks for `agtop watch`: the collection worker watches the directories of the transcripts it
 * linked, so a transcript that changes shows within a few tens of milliseconds instead of at the next
 * interval. Processes are still sampled at the interval; when watching is not possible (inotify or
 * kqueue limits, a directory that vanished) the view simply keeps to the interval.
 *
 * @module
 */

/** Events closer together than this make one notification. */
export const DEBOUNCE_MS = 30;

/**
 * The directories to watch for a set of transcript paths: each transcript's directory and, for a
 * `.jsonl` session, the `<session>/subagents` directory beside it (Claude Code's subagent transcripts).
 *
 * @example
 * ```ts
 * watchedDirs(["/h/.claude/projects/-w/9f8a.jsonl"]);
 * // ["/h/.claude/projects/-w", "/h/.claude/projects/-w/9f8a/subagents"]
 * ```
 */
export function watchedDirs(paths: Iterable<string>): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const cut = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
    if (cut > 0) dirs.add(p.slice(0, cut));
    if (p.endsWith(".jsonl")) dirs.add(`${p.slice(0, -".jsonl".length)}/subagents`);
  }
  return [...dirs].sort();
}

/**
 * Watches a set of directories and calls `onChange` once per burst of changes in them (created,
 * modified, renamed or removed entries; reads never count, so agtop's own reads of the transcripts do
 * not wake it). {@linkcode TranscriptWatcher.watch} re-arms only when the set changes.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 *
 * declare const snapshot: Snapshot;
 * const watcher = new TranscriptWatcher(() => console.log("changed"));
 * watcher.watch(watchedDirs(snapshot.agents.flatMap((a) => a.session ? [a.session.path] : [])));
 * watcher.close();
 * ```
 */
export class TranscriptWatcher {
  #onChange: () => void;
  #debounceMs: number;
  #key: string | null = null;
  #watcher: Deno.FsWatcher | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onChange: () => void, debounceMs: number = DEBOUNCE_MS) {
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
  }

  /** True while a watch is armed. */
  get watching(): boolean {
    return this.#watcher !== null;
  }

  /** Watches the directories among `dirs` that exist now; nothing happens when the set is unchanged. */
  watch(dirs: readonly string[]): void {
    const existing = dirs.filter(isDirectory);
    const key = existing.join("\0");
    if (key === this.#key) return;
    this.#key = key;
    this.#stop();
    if (!existing.length) return;
    try {
      this.#watcher = Deno.watchFs(existing, { recursive: false });
    } catch {
      return; // out of watches, or a directory vanished meanwhile: the interval will do
    }
    this.#pump(this.#watcher);
  }

  /** Stops watching. */
  close(): void {
    this.#key = null;
    this.#stop();
  }

  async #pump(watcher: Deno.FsWatcher): Promise<void> {
    try {
      for await (const event of watcher) {
        if (event.kind !== "access" && event.kind !== "other") this.#notify();
      }
    } catch {
      // The watch broke (a watched directory was removed): wait for the next set.
    }
    if (this.#watcher === watcher) {
      this.#watcher = null;
      this.#key = null;
    }
  }

  #notify(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onChange();
    }, this.#debounceMs);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const w = this.#watcher;
    this.#watcher = null;
    try {
      w?.close();
    } catch {
      // already closed
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
