/**
 * Jumping to the tmux pane an agent runs in: find the pane whose tty is the agent's controlling
 * terminal, then bring it to the front. These are the only functions of agtop that start a
 * subprocess, and they need `--allow-run=tmux`, which agtop is not given by default.
 *
 * @module
 */

/** One tmux pane. */
export interface TmuxPane {
  /** The pane's terminal device, e.g. `/dev/pts/3`. */
  tty: string;
  /** Session name (may contain spaces). */
  session: string;
  /** `session:window.pane`, e.g. `work:1.0`. */
  target: string;
  /** Pane id, e.g. `%3`: unique on its server, the safest `-t` target. */
  id: string;
}

/** Which tmux server to talk to: a socket path (`-S`, as in `TMUX`), a socket name (`-L`), or the default. */
export interface TmuxServer {
  socketPath?: string;
  socketName?: string;
}

/** What a jump did. */
export interface TmuxJump {
  pane: TmuxPane;
  /** True when an attached client was switched to the pane; false when no client could be switched. */
  switched: boolean;
}

/** tmux could not be run or answered with an error; the message says what to do. */
export class TmuxError extends Error {
  override name = "TmuxError";
}

/** `list-panes -F` format that {@linkcode parsePaneList} reads. */
export const PANE_FORMAT = "#{pane_tty} #{session_name}:#{window_index}.#{pane_index} #{pane_id}";

/**
 * Parses `tmux list-panes -a -F` output in {@linkcode PANE_FORMAT}. The tty is the first word and the
 * pane id the last, so session names with spaces survive (tmux forbids `:` and `.` in them).
 *
 * @example
 * ```ts
 * parsePaneList("/dev/pts/3 my work:1.0 %3\n");
 * // [{ tty: "/dev/pts/3", session: "my work", target: "my work:1.0", id: "%3" }]
 * ```
 */
export function parsePaneList(text: string): TmuxPane[] {
  const panes: TmuxPane[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\S+) (.*):(\d+)\.(\d+) (%\d+)$/.exec(line);
    if (match === null) continue;
    const [, tty, session, window, pane, id] = match;
    panes.push({ tty, session, target: `${session}:${window}.${pane}`, id });
  }
  return panes;
}

/**
 * The tmux pane whose terminal is `tty`, on the given server; null when no pane has it.
 * Needs `--allow-run=tmux`.
 *
 * @throws {TmuxError} when tmux is not installed, not permitted, or fails (no server on that socket).
 * @example
 * ```ts
 * const pane = await findTmuxPane("/dev/pts/3", { socketPath: "/tmp/tmux-1000/default" });
 * ```
 */
export async function findTmuxPane(tty: string, server: TmuxServer = {}): Promise<TmuxPane | null> {
  const listed = await tmux(server, ["list-panes", "-a", "-F", PANE_FORMAT]);
  return parsePaneList(listed).find((p) => p.tty === tty) ?? null;
}

/**
 * Brings the pane whose terminal is `tty` to the front: selects its window and the pane, then
 * switches the client to its session (the client agtop runs in when agtop runs inside tmux,
 * otherwise the most recently active client of that server). With no client attached the window
 * and pane are still selected, so the next `tmux attach` lands there. Resolves to null when no
 * pane has that tty. Needs `--allow-run=tmux`.
 *
 * @throws {TmuxError} when tmux is not installed, not permitted, or fails.
 * @example
 * ```ts
 * const jump = await jumpToTmuxPane("/dev/pts/3");
 * if (jump && !jump.switched) console.log(`selected ${jump.pane.target}; attach to see it`);
 * ```
 */
export async function jumpToTmuxPane(tty: string, server: TmuxServer = {}): Promise<TmuxJump | null> {
  const pane = await findTmuxPane(tty, server);
  if (pane === null) return null;
  await tmux(server, ["select-window", "-t", pane.id]);
  await tmux(server, ["select-pane", "-t", pane.id]);
  let switched = true;
  try {
    await tmux(server, ["switch-client", "-t", pane.id]);
  } catch (e) {
    if (!(e instanceof TmuxError)) throw e;
    switched = false;
  }
  return { pane, switched };
}

/** Runs one tmux command on `server` and returns its standard output. */
async function tmux(server: TmuxServer, args: string[]): Promise<string> {
  const socket = server.socketPath
    ? ["-S", server.socketPath]
    : server.socketName
    ? ["-L", server.socketName]
    : [];
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("tmux", { args: [...socket, ...args], stdin: "null" }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new TmuxError("tmux is not installed");
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new TmuxError("jumping to a tmux pane needs --allow-run=tmux");
    }
    throw new TmuxError(`cannot run tmux: ${e instanceof Error ? e.message : String(e)}`);
  }
  const decoder = new TextDecoder();
  if (!out.success) {
    const reason = decoder.decode(out.stderr).trim().split("\n")[0] || `exit status ${out.code}`;
    throw new TmuxError(`tmux ${args[0]}: ${reason}`);
  }
  return decoder.decode(out.stdout);
}
