/**
 * What an agent's command line says about its session: the values of its options (a working directory,
 * a data directory, a history file) and the session ids its flags name.
 *
 * @module
 */

/** A session id that is a UUID (Claude Code, Codex, Qwen Code, Cursor Agent). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--session-id <id>`, `--resume <id>`, `-r <id>`: Gemini CLI's, Qwen Code's and Claude Code's flags. */
const SESSION_FLAGS: readonly string[] = ["--session-id", "--resume", "-r"];

/**
 * Session ids named in argv that `accept` takes: the value after one of `flags` (or after its `=`),
 * argv[0] being the program. The flags are Gemini CLI's, Qwen Code's and Claude Code's unless given.
 *
 * @example
 * ```ts
 * argvSessionIds(["node", "gemini", "--resume", "latest"], (v) => v !== "latest"); // []
 * argvSessionIds(["opencode", "--session=ses_1"], (v) => v.startsWith("ses_"), ["-s", "--session"]); // ["ses_1"]
 * ```
 */
export function argvSessionIds(
  argv: string[],
  accept: (value: string) => boolean,
  flags: readonly string[] = SESSION_FLAGS,
): string[] {
  const ids: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const flag = eq === -1 ? a : a.slice(0, eq);
    if (!flags.includes(flag)) continue;
    const value = eq === -1 ? argv[i + 1] : a.slice(eq + 1);
    if (value && accept(value)) ids.push(value);
  }
  return ids;
}

/**
 * The value of the first of `names` in argv that has one (`--name value`, `--name=value`, `-n value`),
 * argv[0] being the program, or null. An empty `--name=` ends the search with null. With `optional`,
 * the option may stand without its value, so an argument starting with `-` after it is the next option.
 *
 * @example
 * ```ts
 * optionValue(["crush", "-c", "api"], ["-c", "--cwd"]); // "api"
 * optionValue(["copilot", "--resume", "--yolo"], ["--resume"], { optional: true }); // null
 * ```
 */
export function optionValue(
  argv: readonly string[],
  names: readonly string[],
  { optional = false }: { optional?: boolean } = {},
): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (names.includes(a)) {
      if (next && !(optional && next.startsWith("-"))) return next;
      continue;
    }
    const name = names.find((n) => a.startsWith(`${n}=`));
    if (name !== undefined) return a.slice(name.length + 1) || null;
  }
  return null;
}
