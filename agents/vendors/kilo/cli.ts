/**
 * Kilo Code's command line (OpenCode's, plus `--worktree <name>`), shared by the recogniser (`mod.ts`)
 * and the session reader (`sessions.ts`).
 *
 * @module
 */

import type { Cli } from "../../recognise.ts";
import { OPENCODE_FAMILY_SKIP, OPENCODE_FAMILY_VALUED } from "../../formats/opencode_cli.ts";

/**
 * The `kilo` command line: bins `kilo` and `kilocode` (node shims), `.kilo` (the native binary the
 * shim starts).
 *
 * @example
 * ```ts
 * KILO_CLI.valued?.includes("--worktree"); // true
 * ```
 */
export const KILO_CLI: Cli = {
  bins: ["kilocode", "kilo", ".kilo"],
  packages: ["@kilocode/cli"],
  skip: OPENCODE_FAMILY_SKIP,
  valued: [...OPENCODE_FAMILY_VALUED, "--worktree"],
};
