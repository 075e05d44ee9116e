/**
 * Grok CLI (`@vibe-kit/grok-cli`, command `grok`): one node process, `node …/.bin/grok`, whose bash tool
 * runs each command as a `/bin/sh -c CMD` child. It keeps no session on disk (only its settings, in
 * `~/.grok/user-settings.json` and the project's `.grok/settings.json`), so agtop shows it from its
 * processes alone: status, and the command in flight from its child.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Grok CLI: node running its package or its `grok` bin; `grok git commit-and-push` is a one-shot agent
 * run all the same.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["node", "/p/node_modules/.bin/grok"]
 * grok.recognise(p, "/p/node_modules/@vibe-kit/grok-cli/dist/index.js"); // "main"
 * ```
 */
export const grok: Vendor = cliVendor("grok", "Grok CLI", {
  bins: ["grok"],
  packages: ["@vibe-kit/grok-cli"],
  valued: ["-d", "--directory", "-k", "--api-key", "-u", "--base-url", "-m", "--model", "-p", "--prompt"],
});
