import assert from "node:assert/strict";
import { describeTerminal } from "../../agents/terminal.ts";
import { parseTtyNr, ttyDevicePath } from "../../platform/linux/tty.ts";
import { LinuxProcessSource } from "../../platform/linux/source.ts";

// ---------------------------------------------------------------------------------------------------
// tty_nr from /proc/PID/stat.

Deno.test("parseTtyNr reads field 7 after the last ')'", () => {
  assert.equal(parseTtyNr("4048 (bash) S 4045 4048 4048 34819 4060 4194560 99 0"), 34819);
  assert.equal(parseTtyNr("7 (a) b) (c) S 1 7 7 0 -1 4194560"), 0);
  assert.equal(parseTtyNr("9 (x) S 1 9"), null);
  assert.equal(parseTtyNr("garbage"), null);
});

Deno.test("ttyDevicePath names pseudo-terminals, consoles and serial ports", () => {
  const dev = (major: number, minor: number) => (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
  assert.equal(ttyDevicePath(dev(136, 0)), "/dev/pts/0");
  assert.equal(ttyDevicePath(dev(136, 3)), "/dev/pts/3");
  assert.equal(ttyDevicePath(dev(136, 300)), "/dev/pts/300", "minors above 255 use the high bits");
  assert.equal(ttyDevicePath(dev(137, 5)), "/dev/pts/261");
  assert.equal(ttyDevicePath(dev(4, 1)), "/dev/tty1");
  assert.equal(ttyDevicePath(dev(4, 64)), "/dev/ttyS0");
  assert.equal(ttyDevicePath(dev(5, 1)), "/dev/console");
  assert.equal(ttyDevicePath(0), null, "no controlling terminal");
  assert.equal(ttyDevicePath(dev(5, 0)), null, "/dev/tty is nobody's controlling terminal");
  assert.equal(ttyDevicePath(dev(250, 1)), null, "unknown majors");
});

// ---------------------------------------------------------------------------------------------------
// Where an agent runs.

Deno.test("describeTerminal: multiplexers come first and carry what identifies the pane", () => {
  const tmux = describeTerminal("/dev/pts/3", {
    TMUX: "/tmp/tmux-1000/default,812,0",
    TMUX_PANE: "%3",
    TERM: "tmux-256color",
    TERM_PROGRAM: "tmux",
    KITTY_WINDOW_ID: "1",
  });
  assert.deepEqual(tmux, {
    tty: "/dev/pts/3",
    multiplexer: { name: "tmux", pane: "%3", session: null, socket: "/tmp/tmux-1000/default" },
    app: null,
    ssh: false,
    label: "tmux pane %3",
  });
  assert.equal(describeTerminal("/dev/pts/3", { TMUX: "/tmp/t,1,0" }).label, "tmux");
  const screen = describeTerminal("/dev/pts/4", { STY: "1234.pts-0.host", WINDOW: "2" });
  assert.deepEqual(screen.multiplexer, {
    name: "screen",
    pane: "2",
    session: "1234.pts-0.host",
    socket: null,
  });
  assert.equal(screen.label, "screen window 2");
  const zellij = describeTerminal("/dev/pts/5", {
    ZELLIJ: "0",
    ZELLIJ_SESSION_NAME: "dev",
    ZELLIJ_PANE_ID: "1",
  });
  assert.deepEqual(zellij.multiplexer, { name: "zellij", pane: "1", session: "dev", socket: null });
  assert.equal(zellij.label, "zellij pane 1");
});

Deno.test("describeTerminal: the app from TERM, then TERM_PROGRAM, then app variables", () => {
  const label = (env: Record<string, string>) => describeTerminal("/dev/pts/1", env).label;
  assert.equal(label({ TERM: "xterm-kitty", TERM_PROGRAM: "vscode" }), "kitty", "TERM is the innermost");
  assert.equal(label({ TERM: "xterm-256color", TERM_PROGRAM: "vscode" }), "vscode");
  assert.equal(label({ TERM_PROGRAM: "vscode", CURSOR_TRACE_ID: "abc" }), "cursor");
  assert.equal(label({ TERM_PROGRAM: "iTerm.app" }), "iterm2");
  assert.equal(label({ TERM_PROGRAM: "WezTerm", WEZTERM_PANE: "4" }), "wezterm");
  assert.equal(label({ TERM: "xterm-256color", WEZTERM_PANE: "4" }), "wezterm");
  assert.equal(label({ TERM: "xterm-256color", KITTY_WINDOW_ID: "2" }), "kitty");
  assert.equal(label({ TERMINAL_EMULATOR: "JetBrains-JediTerm" }), "jetbrains");
  assert.equal(label({ WT_SESSION: "a-b-c" }), "windows-terminal");
  assert.equal(label({ VTE_VERSION: "7600" }), "vte");
  assert.equal(label({ TERM_PROGRAM: "SomeNewTerm" }), "somenewterm");
  assert.equal(label({ TERM_PROGRAM: "tmux" }), "pts/1", "a multiplexer left behind is no app");
  assert.equal(label({ TERM: "xterm-256color" }), "pts/1");
});

Deno.test("describeTerminal: ssh logins and processes without a terminal", () => {
  const ssh = describeTerminal("/dev/pts/7", { SSH_CONNECTION: "10.0.0.2 50000 10.0.0.1 22" });
  assert.equal(ssh.ssh, true);
  assert.equal(ssh.label, "pts/7 over ssh");
  assert.deepEqual(describeTerminal(null, { TMUX: "/tmp/t,1,0", TMUX_PANE: "%1", TERM_PROGRAM: "vscode" }), {
    tty: null,
    multiplexer: null,
    app: null,
    ssh: false,
    label: "no terminal",
  });
});

// ---------------------------------------------------------------------------------------------------
// A real controlling terminal: `script` runs `sleep` on a fresh pseudo-terminal.

const hasScript = Deno.build.os === "linux" && (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();
if (!hasScript) console.log("real terminal test skipped: needs Linux and script(1)");

function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

Deno.test({
  name: "terminal() reads the controlling pseudo-terminal of a real process",
  ignore: !hasScript,
  async fn() {
    const child = new Deno.Command("script", {
      args: ["-qfc", "tty; exec sleep 300", "/dev/null"],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let sleeper: number | undefined;
    try {
      let text = "";
      while (!text.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("script exited early");
        text += value;
      }
      const tty = text.trim();
      assert.match(tty, /^\/dev\/pts\/\d+$/);
      using source = new LinuxProcessSource({ heldStatFiles: 0 });
      for (let i = 0; i < 250 && sleeper === undefined; i++) {
        sleeper = source.list().find((p) => p.ppid === child.pid && p.name === "sleep")?.pid;
        if (sleeper === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(sleeper !== undefined, "sleep started under script");
      assert.equal(source.terminal(sleeper), tty);
      assert.equal(source.terminal(child.pid), source.terminal(Deno.pid), "script keeps the test's terminal");
      assert.notEqual(source.terminal(Deno.pid), tty);
      assert.equal(source.terminal(999999999), null, "a vanished process");
    } finally {
      if (sleeper !== undefined) killQuietly(sleeper);
      await reader.cancel();
      child.kill("SIGKILL");
      await child.status;
    }
  },
});
