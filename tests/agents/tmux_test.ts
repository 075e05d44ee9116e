import assert from "node:assert/strict";
import {
  findTmuxPane,
  jumpToTmuxPane,
  parsePaneList,
  TmuxError,
  type TmuxServer,
} from "../../agents/tmux.ts";
import { LinuxProcessSource } from "../../platform/linux/source.ts";

Deno.test("parsePaneList reads tty, target and id, keeping spaces in session names", () => {
  const text = "/dev/pts/3 my work:1.0 %3\n/dev/pts/10 api:0.2 %12\nnot a pane line\n\n";
  assert.deepEqual(parsePaneList(text), [
    { tty: "/dev/pts/3", session: "my work", target: "my work:1.0", id: "%3" },
    { tty: "/dev/pts/10", session: "api", target: "api:0.2", id: "%12" },
  ]);
});

const skip = (() => {
  if (Deno.build.os === "windows") return "no tmux on Windows";
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null" }).outputSync().success
      ? null
      : "tmux -V failed";
  } catch {
    return "tmux is not installed (apt-get install -y tmux)";
  }
})();
if (skip) console.log(`real tmux tests skipped: ${skip}`);

const decoder = new TextDecoder();

/** Runs tmux on the private server and returns its output; throws on failure. */
async function tmux(name: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args: ["-L", name, ...args], stdin: "null" }).output();
  if (!out.success) throw new Error(`tmux ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
  return decoder.decode(out.stdout).trim();
}

/** `session:window.pane` of the active pane of the session's active window. */
function active(name: string, session: string): Promise<string> {
  return tmux(name, "display-message", "-p", "-t", session, "#{session_name}:#{window_index}.#{pane_index}");
}

Deno.test({
  name: "findTmuxPane and jumpToTmuxPane on a real tmux server, with and without an attached client",
  ignore: skip !== null,
  async fn() {
    const name = `agtop-test-${crypto.randomUUID().slice(0, 8)}`;
    const server: TmuxServer = { socketName: name };
    let client: Deno.ChildProcess | null = null;
    try {
      await tmux(name, "new-session", "-d", "-s", "my work", "-x", "80", "-y", "24", "sleep 300");
      await tmux(name, "split-window", "-t", "my work", "sleep 300");
      await tmux(name, "new-window", "-t", "my work", "sleep 300");
      await tmux(name, "new-session", "-d", "-s", "other", "-x", "80", "-y", "24", "sleep 300");
      const listed = await tmux(name, "list-panes", "-a", "-F", "#{pane_tty} #{pane_id} #{pane_pid}");
      const panes = listed.split("\n").map((l) => l.split(" "));
      assert.equal(panes.length, 4);
      const [firstTty, firstId, firstPid] = panes[0];

      const found = await findTmuxPane(firstTty, server);
      assert.deepEqual(found, { tty: firstTty, session: "my work", target: "my work:0.0", id: firstId });
      assert.equal(await findTmuxPane("/dev/pts/999999", server), null);
      assert.equal(await jumpToTmuxPane("/dev/pts/999999", server), null);

      if (Deno.build.os === "linux") {
        using source = new LinuxProcessSource({ heldStatFiles: 0 });
        assert.equal(
          source.terminal(Number(firstPid)),
          firstTty,
          "the agent's tty is how tmux names its pane",
        );
      }

      // No client attached: the window and pane are selected, no client is switched.
      assert.equal(await active(name, "my work"), "my work:1.0");
      const quiet = await jumpToTmuxPane(firstTty, server);
      assert.deepEqual(quiet, { pane: found, switched: false });
      assert.equal(await active(name, "my work"), "my work:0.0");

      // A real client (on a pseudo-terminal from `script`) watching "other" is switched over.
      client = new Deno.Command("script", {
        args: ["-qfc", `tmux -L ${name} attach -t other`, "/dev/null"],
        env: { TERM: "xterm-256color" },
        stdin: "piped",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const clients = () => tmux(name, "list-clients", "-F", "#{session_name}").catch(() => "");
      for (let i = 0; i < 250 && await clients() !== "other"; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(await clients(), "other", "the client attached");
      const jump = await jumpToTmuxPane(panes[1][0], server);
      assert.equal(jump?.switched, true);
      assert.equal(jump?.pane.target, "my work:0.1");
      assert.equal(await clients(), "my work");
      assert.equal(await active(name, "my work"), "my work:0.1");
    } finally {
      await tmux(name, "kill-server").catch(() => {});
      if (client) {
        await client.stdin.close().catch(() => {});
        await client.status;
      }
    }
  },
});

Deno.test({
  name: "a tmux call reports a missing server and, without --allow-run=tmux, the permission it needs",
  ignore: skip !== null,
  async fn() {
    const none: TmuxServer = { socketName: `agtop-test-absent-${crypto.randomUUID().slice(0, 8)}` };
    await assert.rejects(
      findTmuxPane("/dev/pts/1", none),
      (e) => e instanceof TmuxError && /list-panes/.test(e.message),
    );

    const dir = await Deno.makeTempDir({ prefix: "agtop-tmux-" });
    try {
      const script = `${dir}/find.ts`;
      const module = new URL("../../agents/tmux.ts", import.meta.url).href;
      await Deno.writeTextFile(
        script,
        `import { findTmuxPane } from ${JSON.stringify(module)};\n` +
          `findTmuxPane("/dev/pts/1", ${
            JSON.stringify(none)
          }).then(() => console.log("ok"), (e) => console.log(e.message));\n`,
      );
      const run = async (...flags: string[]) => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "--no-check", ...flags, script],
          stdin: "null",
        }).output();
        return decoder.decode(out.stdout).trim();
      };
      assert.equal(await run(), "jumping to a tmux pane needs --allow-run=tmux");
      assert.match(await run("--allow-run=tmux"), /^tmux list-panes: /, "the documented permission suffices");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
