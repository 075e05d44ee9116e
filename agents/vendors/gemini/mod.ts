/**
 * Gemini CLI (Google): `node …/.bin/gemini`, which relaunches itself as
 * `node --max-old-space-size=N …/.bin/gemini` (the child does the work).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Gemini CLI: node running the `@google/gemini-cli` package; of a self-relaunch, the detector keeps the
 * child as the agent. `gemini mcp …` and `gemini extensions …` manage it and are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * gemini.recognise(p, "/p/node_modules/@google/gemini-cli/dist/index.js"); // "main"
 * ```
 */
export const gemini: Vendor = {
  ...cliVendor("gemini", "Gemini CLI", {
    bins: ["gemini"],
    packages: ["@google/gemini-cli"],
    skip: ["mcp", "extensions"],
  }),
  dataDirEnv: "GEMINI_CLI_HOME",
  orphanMarkers: [{ env: "GEMINI_CLI", session: false }],
  // `-y` is short for `--yolo`.
  dangerousFlags: { flags: ["--yolo", "-y"], values: { "--approval-mode": "yolo" } },
  // `bash -c shopt -u promptvars …; _bgpids_file=…\n(\n  trap '…' EXIT\n<cmd>\n)\n__code=$?\nexit $__code`
  shellWrappers: [{
    program: "bash",
    script: /^shopt -u promptvars[^\n]*\n\(\n[ \t]*trap [^\n]*\n([\s\S]*)\n\)\n__code=/,
  }],
  sessions: (options) => import("./sessions.ts").then((m) => new m.GeminiSessionSource(options)),
  sessionHome: { dirs: [".gemini"], env: ["GEMINI_CLI_HOME"] },
  tools: () => import("./tools.ts").then((m) => m.geminiToolCalls),
};
