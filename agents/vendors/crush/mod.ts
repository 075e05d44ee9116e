/**
 * Crush (Charm): a native Go `crush` binary (npm `@charmland/crush` installs it).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Crush: `crush` and `crush run …` are agents; its log viewer and provider update are not.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * crush.recognise(p, null); // "main" for `/home/me/go/bin/crush`
 * ```
 */
export const crush: Vendor = {
  ...cliVendor("crush", "Crush", {
    bins: ["crush"],
    packages: ["@charmland/crush"],
    skip: ["logs", "update-providers", "completion"],
  }),
  // `-y` is short for `--yolo`.
  dangerousFlags: { flags: ["--yolo", "-y"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.CrushSessionSource(options)),
  // Its sessions are in each project; its list of projects is in its global data folder.
  sessionHome: { dirs: [".local/share/crush"], env: ["CRUSH_GLOBAL_DATA", "XDG_DATA_HOME"] },
  tools: () => import("./tools.ts").then((m) => m.crushToolCalls),
};
