/**
 * The live view tells you, in a real tmux: when a fake Claude Code's transcript ends its turn, the
 * bytes agtop writes to the pane (read through `pipe-pane`, since the screen does not keep them) hold
 * the bell and the OSC 9 and OSC 777 notifications in tmux's passthrough, and the pane's title counts
 * the agents that wait. An agent already waiting at start is never told; `--no-notify` and the config
 * file's `mode = "off"` tell nothing.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { append, endTurn, prompt, startClaude } from "../support/claude_agent.ts";
import { agtopWatch, Tmux, tmuxMissing } from "../support/tmux.ts";

const skip = tmuxMissing() ?? fakesUnavailable();

/** Runs the live view over one agent that waits already and one that works, then ends the busy turn. */
async function scenario(extra: string[], env: Record<string, string> = {}) {
  await using world = await FakeWorld.create();
  const tag = `wn${crypto.randomUUID().slice(0, 6)}`;
  const idle = await startClaude(world, `${tag}-old`, crypto.randomUUID());
  const busy = await startClaude(world, `${tag}-new`, crypto.randomUUID());
  const cwd = world.dir(`work/${tag}-new`);
  append(busy, cwd, [prompt(2)]);
  const out = await Deno.makeTempFile({ prefix: "agtop-pane-" });
  try {
    await using tmux = await Tmux.start(
      ["sh", "-c", 'sleep 1; exec "$@"', "sh", ...agtopWatch(), "--interval", "0.5", ...extra],
      120,
      30,
      env,
    );
    await tmux.tmux("pipe-pane", "-O", "-t", tmux.target, `cat >> ${out}`);
    await tmux.waitFor("both agents", (s) => s.includes(`${tag}-old`) && s.includes(`${tag}-new`));
    await new Promise((r) => setTimeout(r, 1500));
    const before = await Deno.readTextFile(out);
    append(busy, cwd, [endTurn(3)]);
    await tmux.waitFor(
      "the turn ended",
      (s) => /waiting.*\n?/.test(s.split("\n").find((l) => l.includes(`${tag}-new`)) ?? ""),
    );
    await new Promise((r) => setTimeout(r, 2500));
    const title = await tmux.display("#{pane_title}");
    await tmux.keys("q");
    await tmux.assertRestored(0);
    return { tag, idle, before, after: await Deno.readTextFile(out), title };
  } finally {
    await Deno.remove(out);
  }
}

Deno.test({
  name: "watch notifies: bell, OSC 9 and 777 through tmux, title count; not for an agent waiting at start",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const { tag, before, after, title } = await scenario([]);
    assert.ok(!before.includes("]9;") && !before.includes("]777;"), "nothing told at start");
    const told = after.slice(before.length);
    assert.ok(told.includes("\x07"), "the bell");
    const who = `Claude Code (${tag}-new)`;
    assert.ok(
      told.includes(`\x1bPtmux;\x1b\x1b]9;agtop: ${who}: ${who} is waiting\x07\x1b\\`),
      "OSC 9 in passthrough",
    );
    assert.ok(
      told.includes(`\x1bPtmux;\x1b\x1b]777;notify;agtop: ${who};${who} is waiting\x07\x1b\\`),
      "OSC 777",
    );
    assert.ok(!after.includes(`${tag}-old) is waiting`), "the agent waiting at start is not told");
    assert.ok(after.includes("\x1b]2;agtop · 2 waiting\x07"), "the title counts both");
    assert.equal(title, "agtop · 2 waiting");
    assert.ok(after.includes("\x1b[23;0t"), "the title restored on the way out");
  },
});

Deno.test({
  name: 'watch --no-notify and the config file\'s [notify] mode = "off": no bell, notification or title',
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const config = await Deno.makeTempFile({ suffix: ".toml" });
    try {
      await Deno.writeTextFile(config, '[notify]\nmode = "off"\n');
      for (const [extra, env] of [[["--no-notify"], {}], [[], { AGTOP_CONFIG: config }]] as const) {
        const { after, title } = await scenario([...extra], env);
        assert.ok(
          !after.includes("\x1b]9;") && !after.includes("\x1b]777;") && !after.includes("\x1b]2;"),
          "nothing",
        );
        assert.ok(!after.includes("\x07"), "no bell");
        assert.ok(!title.startsWith("agtop"), title);
      }
    } finally {
      await Deno.remove(config);
    }
  },
});
