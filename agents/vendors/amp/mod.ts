/**
 * Amp (Sourcegraph): node running the `@sourcegraph/amp` (now also `@ampcode/cli`) package, or an `amp` binary.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Amp: a runtime running its package, or its binary.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * amp.recognise(p, "/usr/lib/node_modules/@sourcegraph/amp/dist/main.js"); // "main"
 * ```
 */
export const amp: Vendor = {
  ...cliVendor("amp", "Amp", { bins: ["amp"], packages: ["@sourcegraph/amp", "@ampcode/cli"] }),
  dangerousFlags: { flags: ["--dangerously-allow-all"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.AmpSessionSource(options)),
  sessionHome: { dirs: [".local/share/amp"], env: ["XDG_DATA_HOME"] },
  tools: () => import("./tools.ts").then((m) => m.ampToolCalls),
};
