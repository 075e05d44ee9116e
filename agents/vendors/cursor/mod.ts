/**
 * Cursor Agent: `cursor-agent` (or `agent`) is a shell script that runs the bundled node on
 * `~/.local/share/cursor-agent/versions/<version>/index.js`.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Cursor Agent: a runtime running a script of an installed `cursor-agent` version, or a `cursor-agent`
 * binary.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * cursor.recognise(p, null); // "main" for `…/cursor-agent/versions/2026.01.01/node --use-system-ca …/index.js`
 * ```
 */
export const cursor: Vendor = {
  ...cliVendor("cursor", "Cursor Agent", { bins: ["cursor-agent"], paths: ["/cursor-agent/versions/"] }),
  sessions: (options) => import("./sessions.ts").then((m) => new m.CursorSessionSource(options)),
  sessionHome: { dirs: [".cursor"], env: [] },
};
