/**
 * oh-my-pi (`@oh-my-pi/pi-coding-agent`, command `omp`), a fork of pi: one bun process
 * (`bun …/.bin/omp`, `comm` `omp`, the executable npm's `bun/bin/bun.exe`). Its shell tool runs
 * commands inside that process, so the tool in flight is known from the session file alone.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * oh-my-pi: a runtime (bun) running its package, or its compiled `omp` binary. Its management
 * subcommands (`config`, `plugin`, `update`, `stats`, …) are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["bun", "/p/node_modules/.bin/omp"]
 * omp.recognise(p, "/p/node_modules/@oh-my-pi/pi-coding-agent/dist/cli.js"); // "main"
 * ```
 */
export const omp: Vendor = {
  ...cliVendor("omp", "oh-my-pi", {
    bins: ["omp"],
    packages: ["@oh-my-pi/pi-coding-agent"],
    skip: [
      "config",
      "plugin",
      "update",
      "stats",
      "setup",
      "install",
      "uninstall",
      "auth-broker",
      "auth-gateway",
    ],
    valued: [
      "--session",
      "--resume",
      "--session-dir",
      "--fork",
      "--provider",
      "--model",
      "--models",
      "--mode",
    ],
  }),
  dataDirEnv: "PI_CODING_AGENT_DIR",
  sessions: (options) => import("./sessions.ts").then((m) => m.ompSessionSource(options)),
  sessionHome: { dirs: [".omp"], env: ["PI_CODING_AGENT_DIR", "PI_CONFIG_DIR"] },
  tools: () => import("../../formats/pi_tools.ts").then((m) => m.piToolCalls),
};
