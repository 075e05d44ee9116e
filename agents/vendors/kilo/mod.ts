/**
 * Kilo Code CLI, an OpenCode fork: the npm package `@kilocode/cli` (bins `kilo` and `kilocode`), a node
 * shim that starts the native binary its postinstall links to `bin/.kilo` (from
 * `@kilocode/cli-<platform>`), which does the work and runs the tools.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";
import { KILO_CLI } from "./cli.ts";

/**
 * Kilo Code: a runtime running its package, or its binary; of the node shim and the native `.kilo`
 * it starts, the detector keeps the deeper as the agent (older releases were node alone). The server
 * (`serve`, `web`), a client of one (`attach`) and the management subcommands are not agents. No
 * `dataDirEnv`: its data moves with `XDG_DATA_HOME` (every XDG program's) or `KILO_DB` (a database
 * file, not a directory), read from the agent's environment all the same.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * kilo.recognise(p, null); // "main" for `NM/@kilocode/cli/bin/.kilo`
 * ```
 */
export const kilo: Vendor = {
  ...cliVendor("kilo", "Kilo Code", KILO_CLI),
  dangerousFlags: { flags: ["--auto"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.KiloSessionSource(options)),
  sessionHome: { dirs: [".local/share/kilo"], env: ["XDG_DATA_HOME", "KILO_DB"] },
  tools: () => import("../../formats/opencode_tools.ts").then((m) => m.openCodeToolCalls),
};
