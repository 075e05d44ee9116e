/**
 * Auggie (Augment Code): node running the npm package `@augmentcode/auggie` (bin `auggie`, one bundled
 * `augment.mjs`). Its sessions are read from the format its bundle writes (not run here: it needs an
 * Augment login).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Auggie: a runtime running its package or its `auggie` bin. `login`, `logout`, `mcp`, `session`
 * (listing and deleting saved sessions) and the other management subcommands are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * auggie.recognise(p, "/p/node_modules/@augmentcode/auggie/augment.mjs"); // "main"
 * ```
 */
export const auggie: Vendor = {
  ...cliVendor("auggie", "Auggie", {
    bins: ["auggie"],
    packages: ["@augmentcode/auggie"],
    skip: [
      "login",
      "logout",
      "mcp",
      "session",
      "sessions",
      "tools",
      "token",
      "upgrade",
      "update",
      "usage",
      "cost",
    ],
    valued: [
      "--log-file",
      "--log-level",
      "--augment-cache-dir",
      "--workspace-root",
      "--session-name",
      "--workspace",
      "-w",
      "-m",
      "--message",
      "--instruction-file",
      "--model",
    ],
  }),
  sessions: (options) => import("./sessions.ts").then((m) => new m.AuggieSessionSource(options)),
  sessionHome: { dirs: [".augment"], env: [] },
};
