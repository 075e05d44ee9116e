/**
 * Codebuff (npm `codebuff`, bins `codebuff` and `cb`): a node launcher, `node …/.bin/codebuff`, that
 * downloads the real, native `codebuff` binary into `~/.config/manicode/` on first start and runs it
 * as its child (with `CODEBUFF_LAUNCHER_PID` set); the binary is the agent and runs the tools. Its
 * chats are read from the format of its public source (not run here: the binary cannot be fetched).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Codebuff: the launcher (node running the package) and the binary it downloaded; of the two, the
 * detector keeps the deeper (the binary) as the agent, the launcher folded into its row.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["/home/me/.config/manicode/codebuff"]
 * codebuff.recognise(p, null); // "main"
 * ```
 */
export const codebuff: Vendor = {
  ...cliVendor("codebuff", "Codebuff", {
    bins: ["codebuff"],
    packages: ["codebuff"],
    paths: ["/.config/manicode/"],
  }),
  sessions: (options) => import("./sessions.ts").then((m) => new m.CodebuffSessionSource(options)),
  sessionHome: { dirs: [".config/manicode"], env: [] },
};
