/**
 * Antigravity CLI (Google; the successor of Gemini CLI for individual accounts): the native `agy`
 * binary its install script places in `~/.local/bin` (it is not on npm). `agy` runs the agent (the
 * terminal UI, or `-p` headless); `agy help`, `install`, `plugin`, `update`, `changelog` and `models`
 * manage it.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Antigravity CLI: the `agy` binary, unless it runs one of its management commands.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["agy"], exe /home/me/.local/bin/agy
 * antigravity.recognise(p, null); // "main"
 * ```
 */
export const antigravity: Vendor = {
  ...cliVendor("antigravity", "Antigravity CLI", {
    bins: ["agy"],
    skip: ["help", "install", "plugin", "update", "changelog", "models"],
    valued: [
      "-p",
      "--print",
      "-m",
      "--model",
      "--output-format",
      "--input-format",
      "--conversation",
      "--log-file",
    ],
  }),
  dangerousFlags: { flags: ["--yolo"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.AgySessionSource(options)),
  sessionHome: { dirs: [".gemini/antigravity-cli"], env: [] },
};
