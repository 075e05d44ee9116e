/**
 * Copilot CLI (GitHub): `node …/.bin/copilot` (the npm loader) starts the native binary
 * `node_modules/@github/copilot-<platform>/copilot`, whose kernel name is `MainThread`.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Copilot CLI: the native binary is the agent and node running the `@github/copilot` package its
 * launcher (the agent itself in releases without a native binary).
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * copilot.recognise(p, null); // "main" for exe `…/@github/copilot-linux-x64/copilot`
 * ```
 */
export const copilot: Vendor = {
  ...cliVendor(
    "copilot",
    "Copilot CLI",
    { bins: ["copilot"], packages: ["@github/copilot"], paths: ["/node_modules/@github/copilot-"] },
    (run) => run.how === "runtime" ? "launcher" : "main",
  ),
  dataDirEnv: "COPILOT_HOME",
  dangerousFlags: { flags: ["--yolo", "--allow-all-tools", "--allow-all"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.CopilotSessionSource(options)),
  sessionHome: { dirs: [".copilot"], env: ["COPILOT_HOME"] },
  tools: () => import("./tools.ts").then((m) => m.copilotToolCalls),
};
