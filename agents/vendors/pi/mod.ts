/**
 * pi (`@mariozechner/pi-coding-agent`): one node process that sets its title to `pi` (so `comm` is `pi`
 * and argv `["pi", "", …]`, the executable still node), or `node …/.bin/pi` before it does; its tools
 * run as `/bin/bash -c CMD` children.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * pi: node running its package (or titled `pi`), or its compiled `pi` binary. `pi install`, `remove`,
 * `update`, `list` and `config` manage its packages and are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["pi", ""], comm "pi", exe /usr/bin/node
 * pi.recognise(p, null); // "main"
 * ```
 */
export const pi: Vendor = {
  ...cliVendor("pi", "pi", {
    bins: ["pi"],
    packages: ["@mariozechner/pi-coding-agent"],
    skip: ["install", "remove", "update", "list", "config"],
    valued: [
      "--session",
      "--session-dir",
      "--fork",
      "--provider",
      "--model",
      "--models",
      "--api-key",
      "--mode",
    ],
  }),
  dataDirEnv: "PI_CODING_AGENT_DIR",
  orphanMarkers: [{ env: "PI_CODING_AGENT", session: false }],
  sessions: (options) => import("./sessions.ts").then((m) => m.piSessionSource(options)),
  sessionHome: { dirs: [".pi"], env: ["PI_CODING_AGENT_DIR", "PI_CODING_AGENT_SESSION_DIR"] },
  tools: () => import("../../formats/pi_tools.ts").then((m) => m.piToolCalls),
};
