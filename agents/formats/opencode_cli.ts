/**
 * The command line of OpenCode and its forks (Kilo Code): the subcommands that run no agent and the
 * options that take a value. Shared by their recognisers and session readers.
 *
 * @module
 */

/**
 * Subcommands that serve others (`serve`, `web`), attach to a server or manage the agent.
 *
 * @example
 * ```ts
 * OPENCODE_FAMILY_SKIP.includes("serve"); // true
 * ```
 */
export const OPENCODE_FAMILY_SKIP: readonly string[] = [
  "serve",
  "web",
  "attach",
  "auth",
  "models",
  "upgrade",
  "uninstall",
  "mcp",
  "stats",
  "completion",
];

/**
 * Options that take the next argument as their value.
 *
 * @example
 * ```ts
 * OPENCODE_FAMILY_VALUED.includes("--session"); // true
 * ```
 */
export const OPENCODE_FAMILY_VALUED: readonly string[] = [
  "--port",
  "--hostname",
  "-m",
  "--model",
  "--agent",
  "-s",
  "--session",
  "--prompt",
  "--log-level",
];
