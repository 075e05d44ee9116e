/**
 * OpenCode: one native (Bun-compiled) `opencode` process, from npm (`node_modules/opencode-ai/bin/opencode.exe`,
 * or a node launcher in `opencode-ai` that starts the platform binary) or the installer (`~/.opencode/bin/opencode`).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";
import { OPENCODE_CLI } from "./cli.ts";

/**
 * OpenCode: `opencode [project]` and `opencode run …` are agents; the server (`serve`, `web`), the client
 * of a server (`attach`) and the management subcommands are not.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * opencode.recognise(p, null); // "main" for `NPM_BIN/opencode`, null for `opencode serve --port 4096`
 * ```
 */
export const opencode: Vendor = {
  ...cliVendor("opencode", "OpenCode", OPENCODE_CLI),
  sessions: (options) => import("./sessions.ts").then((m) => new m.OpenCodeSessionSource(options)),
  sessionHome: { dirs: [".local/share/opencode"], env: ["XDG_DATA_HOME", "OPENCODE_DB"] },
  tools: () => import("../../formats/opencode_tools.ts").then((m) => m.openCodeToolCalls),
};
