/**
 * Antigravity CLI's conversations on disk, under `~/.gemini/antigravity-cli/`: `conversations/<id>.db`
 * (its own store: protobuf blobs, not read), `presence/<id>.lock` while a conversation is open, and
 * `brain/<id>/.system_generated/logs/transcript_full.jsonl`, the plain-text transcript agtop reads
 * (`transcript.jsonl`, its shortened twin, when the full one is missing). Built from the layout as
 * others describe it, not from a run.
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
import { AgyTranscript } from "./transcript.ts";
import { DirListings, homeOf, mtimeOf } from "../../formats/files.ts";
import { transcriptRead, Transcripts } from "../../formats/parse_cache.ts";
import { RecentScan, type SessionFile, START_SLACK_MS } from "../../formats/recent.ts";
import { optionValue, UUID } from "../../formats/argv.ts";

/** A conversation's transcripts, inside its `brain/<id>/` folder: the full one first. */
const TRANSCRIPTS = [
  ".system_generated/logs/transcript_full.jsonl",
  ".system_generated/logs/transcript.jsonl",
];

/**
 * Antigravity CLI's data directory under a home.
 *
 * @example
 * ```ts
 * agyDir("/home/me"); // "/home/me/.gemini/antigravity-cli"
 * ```
 */
export function agyDir(home: string): string {
  return `${home}/.gemini/antigravity-cli`;
}

/**
 * Antigravity CLI's {@linkcode SessionSource}; one per collector.
 *
 * Linking: the conversation `--conversation <id>` names; else of the conversations open now (a
 * `presence/<id>.lock`), else of all, the one whose transcript was written
 * last since the process started, not linked to another process. The transcript does not record the
 * working directory, so two `agy` processes started together may each show the other's conversation.
 */
export class AgySessionSource implements SessionSource {
  /** Antigravity CLI has no variable that moves its data. */
  readonly envKeys: readonly string[] = [];
  #transcripts = new Transcripts(() => new AgyTranscript());
  #listings = new DirListings();
  #scan: RecentScan;

  /** A reader; `options.max` caps the sessions it lists (none for a report). */
  constructor(options: ReaderOptions = {}) {
    this.#scan = new RecentScan({ max: options.max });
  }

  /** Where its conversations are kept for a home. */
  dataDirs(_env: Record<string, string>, home: string): DataDir[] {
    return [{ path: `${agyDir(home)}/brain`, from: "default" }];
  }

  /** Finds the conversation of a live `agy` process. */
  link(ctx: LinkContext): SessionLink | null {
    const dir = agyDir(ctx.home);
    const named = optionValue(ctx.argv, ["--conversation"]);
    if (named && UUID.test(named)) {
      const path = this.#transcript(`${dir}/brain/${named}`);
      if (path && !ctx.claimed.has(path)) return { path, id: named, linkedBy: "argv" };
    }
    const open = this.#listings.list(`${dir}/presence`, ctx.now).filter((n) => n.endsWith(".lock"))
      .map((n) => n.slice(0, -".lock".length));
    const ids = open.length > 0 ? open : this.#listings.list(`${dir}/brain`, ctx.now);
    let best: { link: SessionLink; mtime: number } | null = null;
    for (const id of ids) {
      if (!UUID.test(id)) continue;
      const path = this.#transcript(`${dir}/brain/${id}`);
      const mtime = path && !ctx.claimed.has(path) ? mtimeOf(path) : null;
      if (mtime === null || mtime < ctx.startedAt - START_SLACK_MS || (best && best.mtime >= mtime)) continue;
      best = { link: { path: path!, id, linkedBy: open.length > 0 ? "presence" : "start" }, mtime };
    }
    return best?.link ?? null;
  }

  /** Reads a linked conversation's transcript: the whole file once, appended lines after. */
  read(link: SessionLink, now: number): SessionRead | null {
    return transcriptRead(this.#transcripts.follow(link.path, now), link.id);
  }

  /** Conversations whose full transcript was written since `sinceMs`, newest first. */
  recent(envs: Record<string, string>[], sinceMs: number): RecentSessions {
    const files: SessionFile[] = [];
    const seen = new Set<string>();
    for (const env of envs) {
      const brain = `${agyDir(homeOf(env))}/brain`;
      if (seen.has(brain) || !brain.startsWith("/")) continue;
      seen.add(brain);
      for (const id of this.#scan.list(brain)) {
        if (UUID.test(id)) files.push({ path: `${brain}/${id}/${TRANSCRIPTS[0]}`, id });
      }
    }
    return this.#scan.newest(files, sinceMs);
  }

  /** The transcript of a conversation folder: the full one, else the short one; null when neither exists. */
  #transcript(dir: string): string | null {
    for (const rel of TRANSCRIPTS) {
      const path = `${dir}/${rel}`;
      if (mtimeOf(path) !== null) return path;
    }
    return null;
  }
}
