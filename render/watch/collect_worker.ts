/**
 * The collection side of `agtop watch`, run in a Web Worker so a slow tick never delays keys or
 * drawing: it builds its own {@linkcode Collector} from the custom matcher specs and price table it is sent, and
 * answers each tick request with a {@linkcode Snapshot}.
 *
 * `deno compile` must include this file: `--include render/watch/collect_worker.ts`.
 *
 * @module
 */

import { Collector } from "../../agents/collector.ts";
import { parseMatchers } from "../../agents/custom.ts";
import type { PriceTable } from "../../agents/pricing/table.ts";
import type { Snapshot } from "../../agents/types.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { processSource } from "../../platform/mod.ts";

/** What the live view asks of the worker. `start` comes first and once. */
export type CollectRequest =
  | { type: "start"; matchSpecs: string[]; prices: PriceTable; version: string }
  /** `recentMs`: also collect sessions active this recently whose process is gone (null: live only). */
  | { type: "tick"; recentMs: number | null };

/** What the worker answers: a snapshot per tick, or why it cannot collect. */
export type CollectReply =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "error"; name: string; message: string; stack: string | null };

/** The worker's global scope, typed for what this file uses. */
interface Scope {
  onmessage: ((e: MessageEvent<CollectRequest>) => void) | null;
  postMessage(reply: CollectReply): void;
}

const scope = globalThis as unknown as Scope;
let collector: Collector | null = null;

scope.onmessage = (e) => {
  const req = e.data;
  try {
    if (req.type === "start") {
      const vendors = [...VENDORS, ...parseMatchers(req.matchSpecs)];
      collector = new Collector({
        source: processSource(),
        vendors,
        version: req.version,
        prices: req.prices,
      });
    }
    if (!collector) throw new Error("tick before start");
    scope.postMessage({
      type: "snapshot",
      snapshot: collector.tick(req.type === "tick" ? req.recentMs : null),
    });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: "error", name: e.name, message: e.message, stack: e.stack ?? null });
  }
};
