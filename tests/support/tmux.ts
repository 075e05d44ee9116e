/**
 * A private tmux server for end-to-end tests of `agtop watch`: a fixed-size pane running a command,
 * with its screen read back and keys sent to it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { descendants, RUN_PERMISSIONS } from "./fakes.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** `agtop watch` as users run it: least permissions (the collection worker inherits them), plus `extra`. */
export function agtopWatch(...extra: string[]): string[] {
  return [Deno.execPath(), "run", ...RUN_PERMISSIONS, ...extra, MAIN, "watch"];
}

/** Why tmux tests cannot run here, or null when they can. */
export function tmuxMissing(): string | null {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync().success
      ? null
      : "'tmux -V' failed";
  } catch {
    return "tmux is not installed";
  }
}

/** Quotes one word for `sh`. */
export const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** A private tmux server whose session `t` runs a command in window 0 between two markers. */
export class Tmux implements AsyncDisposable {
  readonly socket = `agtop-test-${crypto.randomUUID().slice(0, 8)}`;
  /** The pane agtop runs in: window 0 of session `t`, whatever window is active. */
  readonly target = "t:0";
  lastScreen = "";

  /** Starts `argv` in a `columns`×`rows` pane: `BEFORE-MARK` is printed first, `EXIT=<status>` after. */
  static async start(
    argv: string[],
    columns: number,
    rows: number,
    env: Record<string, string> = {},
  ): Promise<Tmux> {
    const t = new Tmux();
    const vars = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(" ");
    // NO_COLOR comes only from the test (CI exports it for the whole run).
    const script = `echo BEFORE-MARK; env -u NO_COLOR ${vars} ${
      argv.map(quote).join(" ")
    }; echo EXIT=$?; sleep 600`;
    await t.tmux(
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(columns),
      "-y",
      String(rows),
      "sh",
      "-c",
      script,
    );
    await t.tmux("set-option", "-g", "status", "off");
    return t;
  }

  /** Runs a tmux command on this server; its output. */
  async tmux(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", { args: ["-L", this.socket, ...args], stdin: "null" })
      .output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    return text;
  }

  /** agtop's screen as text (`escapes`: with colour and attributes). */
  async screen(escapes = false): Promise<string> {
    this.lastScreen = await this.tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", this.target);
    return this.lastScreen;
  }

  /** A format of agtop's pane (`-t` another target for another one). */
  async display(format: string, target = this.target): Promise<string> {
    return (await this.tmux("display-message", "-p", "-t", target, format)).trim();
  }

  /** Sends keys to agtop's pane. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux("send-keys", "-t", this.target, ...keys);
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-t", this.target, "-l", "--", text);
  }

  /** Polls the screen until `test` holds; fails with the last screen after `ms`. */
  async waitFor(what: string, test: (screen: string) => boolean, ms = 30_000, every = 150): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const s = await this.screen();
      if (test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, every));
    }
  }

  /** The pid of agtop: the child of the pane's shell. */
  async agtopPid(): Promise<number> {
    const shell = Number(await this.display("#{pane_pid}"));
    const [pid] = descendants(shell);
    assert.ok(pid, "agtop is running in the pane");
    return pid;
  }

  /** Asserts the terminal is back to normal: main screen with the earlier output, cursor shown, mouse off. */
  async assertRestored(exit: number): Promise<void> {
    const screen = await this.waitFor(`EXIT=${exit}`, (s) => s.includes(`EXIT=${exit}`));
    assert.match(screen, /BEFORE-MARK/, "the normal screen with the earlier output is back");
    assert.equal(await this.display("#{alternate_on}"), "0", "alternate screen left");
    assert.equal(await this.display("#{cursor_flag}"), "1", "cursor visible");
    assert.equal(await this.display("#{mouse_any_flag}"), "0", "mouse reporting off");
    assert.equal(await this.display("#{wrap_flag}"), "1", "line wrap back on");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
  }
}

/** The table row holding `text` (below the two header lines, which echo the filter). */
export const rowOf = (screen: string, text: string): string | undefined =>
  screen.split("\n").slice(2).find((l) => l.includes(text));
