/**
 * Continue CLI: node running the npm package `@continuedev/cli` (bin `cn`).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Continue CLI: a runtime running its package or its `cn` bin.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * continueCli.recognise(p, "/p/node_modules/@continuedev/cli/dist/index.js"); // "main"
 * ```
 */
export const continueCli: Vendor = {
  ...cliVendor("continue", "Continue CLI", {
    bins: ["cn"],
    packages: ["@continuedev/cli"],
    skip: ["ls", "checks", "login", "logout"],
    valued: [
      "--config",
      "--org",
      "--rule",
      "--mcp",
      "--model",
      "--prompt",
      "--allow",
      "--ask",
      "--exclude",
      "--agent",
      "--format",
      "--fork",
    ],
  }),
  dataDirEnv: "CONTINUE_GLOBAL_DIR",
  dangerousFlags: { flags: ["--auto"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.ContinueSessionSource(options)),
  sessionHome: { dirs: [".continue"], env: ["CONTINUE_GLOBAL_DIR"] },
  tools: () => import("./tools.ts").then((m) => m.continueToolCalls),
};
