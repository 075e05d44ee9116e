/**
 * `agtop events`: one line per change, as it happens, for status bars, chat hooks and scripts. Each
 * line is written (and so flushed) on its own; a closed pipe ends the command quietly.
 *
 * @module
 */

import type { Collector } from "../agents/collect/collector.ts";
import type { Snapshot } from "../agents/types.ts";
import { eventJson, eventText, snapshotEvents } from "../render/events.ts";
import { clockTime } from "../render/watch/detail.ts";
import { Pseudonyms, redact } from "../render/privacy.ts";
import { type Alert, type AlertThresholds, snapshotAlerts } from "../render/alerts.ts";
import { Following, snapshots } from "./follow.ts";
import type { Settings } from "./settings.ts";

/** What `events` prints and how often. */
export type EventsOptions =
  & Pick<Settings, "filter" | "hidden" | "private" | "interval" | "eventFormat">
  & { alerts: AlertThresholds };

/**
 * Prints events until the output closes (or the process is stopped); returns the exit status.
 *
 * @example
 * ```ts
 * import type { Collector } from "../agents/collect/collector.ts";
 * declare const collector: Collector;
 * const print = (line: string) => {
 *   console.log(line);
 *   return Promise.resolve(true); // false would mean the output closed
 * };
 * await runEvents(collector, { filter: "", hidden: [], private: false, interval: 1.5, eventFormat: "json", alerts: {} }, print);
 * ```
 */
export async function runEvents(
  collector: Collector,
  opts: EventsOptions,
  write: (line: string) => Promise<boolean>,
): Promise<number> {
  const following = new Following(opts);
  const names = new Pseudonyms();
  let before: Snapshot | null = null;
  let raised: Alert[] = [];
  for await (const raw of snapshots(collector, opts.interval * 1000, 250)) {
    const picked = following.select(raw);
    const after = opts.private ? redact(picked, names) : picked;
    // Alerts from the real values (a redacted activity tail would look like a loop), under the shown keys.
    const now = snapshotAlerts(picked, opts.alerts).map((a) =>
      opts.private ? { ...a, key: names.key(a.key) } : a
    );
    const alerts = { before: raised, after: now };
    raised = now;
    for (const e of snapshotEvents(before, after, alerts)) {
      const line = opts.eventFormat === "json" ? eventJson(e) : eventText(e, clockTime(e.at));
      if (!await write(line + "\n")) return 0;
    }
    before = after;
  }
  return 0;
}
