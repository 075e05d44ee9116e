/**
 * OpenCode's command line: how its program is told apart, the subcommands that run no agent, and the
 * options that take a value. Shared by the recogniser (`mod.ts`) and the session reader (`sessions.ts`,
 * which finds the project directory and `--session` in argv).
 *
 * @module
 */

import type { Cli } from "../../recognise.ts";
import { OPENCODE_FAMILY_SKIP, OPENCODE_FAMILY_VALUED } from "../../formats/opencode_cli.ts";

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
  skip: OPENCODE_FAMILY_SKIP,
  valued: OPENCODE_FAMILY_VALUED,
};
