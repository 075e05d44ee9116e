/**
 * OpenCode's command line: how its program is told apart, the subcommands that run no agent, and the
 * options that take a value. Shared by the recogniser (`mod.ts`) and the session reader (`sessions.ts`,
 * which finds the project directory and `--session` in argv).
 *
 * @module
 */

import type { Cli } from "../../recognise.ts";

/**
 * The `opencode` command line.
 *
 * @example
 * ```ts
 * new Set(OPENCODE_CLI.valued).has("--port"); // true
 * ```
 */
export const OPENCODE_CLI: Cli = {
  bins: ["opencode"],
  packages: ["opencode-ai"],
  skip: ["serve", "web", "attach", "auth", "models", "upgrade", "uninstall", "mcp", "stats", "completion"],
  valued: [
    "--port",
    "--hostname",
    "-m",
    "--model",
    "--agent",
    "-s",
    "--session",
    "--prompt",
    "--log-level",
  ],
};
