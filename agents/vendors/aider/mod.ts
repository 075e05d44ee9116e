/**
 * Aider: a Python console script (`python …/bin/aider`, from pip, pipx or `uv tool`) or `python -m aider`.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Aider: Python running the `aider` script or module.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * aider.recognise(p, "/home/me/.local/pipx/venvs/aider-chat/bin/aider"); // "main"
 * ```
 */
export const aider: Vendor = {
  ...cliVendor("aider", "Aider", { bins: ["aider"], modules: ["aider"] }),
  dangerousFlags: { flags: ["--yes-always"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.AiderSessionSource(options)),
  sessionHome: { dirs: [], env: [] },
};
