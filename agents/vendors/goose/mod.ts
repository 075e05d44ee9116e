/**
 * Goose (Block): the native `goose` CLI (`goose`, `goose session`, `goose run …`). The desktop app's
 * `goosed` server is not a CLI agent.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Goose: `goose` running a session; `goose mcp <extension>` (a built-in extension it starts) is a
 * helper, and the management subcommands and the web server are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * goose.recognise(p, null); // "main" for `goose session`, "helper" for `goose mcp developer`
 * ```
 */
export const goose: Vendor = {
  ...cliVendor(
    "goose",
    "Goose",
    { bins: ["goose"], skip: ["configure", "info", "update", "web", "completion", "help"] },
    (run) => run.subcommand === "mcp" ? "helper" : "main",
  ),
  dataDirEnv: "GOOSE_PATH_ROOT",
  sessions: (options) => import("./sessions.ts").then((m) => new m.GooseSessionSource(options)),
  sessionHome: {
    dirs: [
      ".local/share/goose",
      "Library/Application Support/Block.goose",
      "Library/Application Support/goose",
    ],
    env: ["GOOSE_PATH_ROOT", "XDG_DATA_HOME"],
  },
  tools: () => import("./tools.ts").then((m) => m.gooseToolCalls),
};
