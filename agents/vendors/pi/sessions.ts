/**
 * pi's sessions on disk. The agent directory `A` is `$PI_CODING_AGENT_DIR` (`~` expanded), else
 * `~/.pi/agent`; sessions are in `A/sessions/--<cwd, "/" → "-">--/<ISO time>_<id>.jsonl`, or all in
 * `$PI_CODING_AGENT_SESSION_DIR` (or `--session-dir`) when set. The format and the linking are shared
 * with oh-my-pi (`formats/pi_store.ts`).
 *
 * @module
 */

import { type PiLayout, PiSessionSource, resolveFrom } from "../../formats/pi_store.ts";
import type { ReaderOptions } from "../../vendor.ts";

/**
 * pi's agent directory for a process environment: `PI_CODING_AGENT_DIR`, else `<home>/.pi/agent`.
 *
 * @example
 * ```ts
 * piAgentDir({ PI_CODING_AGENT_DIR: "~/pi" }, "/home/me"); // "/home/me/pi"
 * piAgentDir({}, "/home/me"); // "/home/me/.pi/agent"
 * ```
 */
export function piAgentDir(env: Record<string, string>, home: string): string {
  const dir = env.PI_CODING_AGENT_DIR;
  return dir ? resolveFrom(dir, home, home) : `${home}/.pi/agent`;
}

/**
 * The directory name pi gives a working directory: the path without its leading `/`, every `/`, `\`
 * and `:` turned into `-`, between `--` and `--`.
 *
 * @example
 * ```ts
 * piProjectDir("/home/me/web-app"); // "--home-me-web-app--"
 * ```
 */
export function piProjectDir(cwd: string): string {
  return `--${cwd.replace(/^[/\\]/, "").replace(/[/\\:]/g, "-")}--`;
}

/** pi's layout: per-project directories under the agent directory, or one session directory. */
export const PI_LAYOUT: PiLayout = {
  envKeys: ["PI_CODING_AGENT_DIR", "PI_CODING_AGENT_SESSION_DIR"],
  sessionFlags: ["--session"],
  titleLine: false,
  sessionDir(env, home, cwd) {
    const flat = env.PI_CODING_AGENT_SESSION_DIR;
    return flat ? resolveFrom(flat, cwd, home) : `${piAgentDir(env, home)}/sessions/${piProjectDir(cwd)}`;
  },
  roots(env, home) {
    const flat = env.PI_CODING_AGENT_SESSION_DIR;
    return [
      { dir: `${piAgentDir(env, home)}/sessions`, nested: true },
      ...(flat ? [{ dir: resolveFrom(flat, home, home), nested: false }] : []),
    ];
  },
};

/**
 * A new reader of pi's sessions (one per collector).
 *
 * @example
 * ```ts
 * const source = piSessionSource();
 * source.envKeys; // ["PI_CODING_AGENT_DIR", "PI_CODING_AGENT_SESSION_DIR"]
 * ```
 */
export function piSessionSource(options: ReaderOptions = {}): PiSessionSource {
  return new PiSessionSource(PI_LAYOUT, options);
}
