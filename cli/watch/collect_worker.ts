/**
 * The collection side of `agtop watch`, run in a Web Worker so a slow tick never delays keys or
 * drawing: it builds its own {@linkcode Collector} with {@linkcode createCollector} from the settings it
 * is sent (the same way `ls` and `serve` do), and answers each tick request with a {@linkcode Snapshot}. It also ends processes on request (the
 * process list is read again first, see `agents/signals.ts`), and watches the directories of the
 * transcripts it linked, saying `changed` when one changes so the view can tick early.
 *
 * `deno compile` must include this file: `--include cli/watch/collect_worker.ts`.
 *
 * @module
 */

import { type Collector, type CollectorSettings, createCollector } from "../../agents/collect/collector.ts";
import { endProcesses, type SignalReport, type SignalTarget } from "../../agents/signals.ts";
import type { Snapshot } from "../../agents/types.ts";
import { processSource } from "../../platform/mod.ts";
import { TranscriptWatcher, watchedDirs } from "./fs_watch.ts";
import { SampledSource } from "./sampled_source.ts";

/** What the live view asks of the worker. `start` comes first and once. */
export type CollectRequest =
  | { type: "start"; settings: CollectorSettings }
  /**
   * `recentMs`: also collect sessions active this recently whose process is gone (null: live only).
   * `early`: a tick between interval ticks: per-process facts other than the list are reused.
   */
  | { type: "tick"; recentMs: number | null; early: boolean }
  /** End these processes; answered by a `signalled` reply with the same `id`. */
  | { type: "signal"; id: number; targets: SignalTarget[] };

/** Replies: a snapshot per tick or why it cannot collect, signal reports, transcript changes. */
export type CollectReply =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "error"; name: string; message: string; stack: string | null }
  | { type: "signalled"; id: number; reports: SignalReport[] }
  /** A linked transcript's directory changed since the last tick. */
  | { type: "changed" };

/** The worker's global scope, typed for what this file uses. */
interface Scope {
  onmessage: ((e: MessageEvent<CollectRequest>) => void | Promise<void>) | null;
  postMessage(reply: CollectReply): void;
}

const scope = globalThis as unknown as Scope;
let source: SampledSource | null = null;
let collector: Collector | null = null;
const watcher = new TranscriptWatcher(() => scope.postMessage({ type: "changed" }));

/** The transcripts of agents with a live process: the ones that can change. */
function livePaths(snapshot: Snapshot): string[] {
  return snapshot.agents.flatMap((a) => (a.pid > 0 && a.session ? [a.session.path] : []));
}

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    if (req.type === "signal") {
      const reports = source
        ? endProcesses(req.targets, source)
        : req.targets.map(({ pid }): SignalReport => ({ pid, outcome: "failed", detail: "not started" }));
      scope.postMessage({ type: "signalled", id: req.id, reports });
      return;
    }
    if (req.type === "start") {
      source = new SampledSource(processSource());
      collector = createCollector(req.settings, source);
    }
    if (!collector || !source) throw new Error("tick before start");
    source.begin(req.type === "tick" && req.early);
    const snapshot = await collector.tick(req.type === "tick" ? req.recentMs : null);
    watcher.watch(watchedDirs(livePaths(snapshot)));
    scope.postMessage({ type: "snapshot", snapshot });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: "error", name: e.name, message: e.message, stack: e.stack ?? null });
  }
};
