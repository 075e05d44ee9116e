/**
 * Several profiles of one agent: extra data directories (from the config file's `[data_dirs]`) turned
 * into the environment each agent reads its data directory from, so `ls --all` finds their sessions.
 *
 * @module
 */

/** The variable that names each agent's data directory, for agents that have one. */
export const PROFILE_ENV: Readonly<Record<string, string>> = {
  claude: "CLAUDE_CONFIG_DIR",
  codex: "CODEX_HOME",
  gemini: "GEMINI_CLI_HOME",
  qwen: "QWEN_RUNTIME_DIR",
  copilot: "COPILOT_HOME",
  goose: "GOOSE_PATH_ROOT",
};

/**
 * One environment per extra directory, keyed by vendor id.
 *
 * @example
 * ```ts
 * profileEnvs({ claude: ["/home/me/.claude-work"] }); // { claude: [{ CLAUDE_CONFIG_DIR: "/home/me/.claude-work" }] }
 * ```
 */
export function profileEnvs(
  dataDirs: Readonly<Record<string, readonly string[]>>,
): Record<string, Record<string, string>[]> {
  const out: Record<string, Record<string, string>[]> = {};
  for (const [vendor, dirs] of Object.entries(dataDirs)) {
    const key = PROFILE_ENV[vendor];
    if (key) out[vendor] = dirs.map((dir) => ({ [key]: dir }));
  }
  return out;
}
