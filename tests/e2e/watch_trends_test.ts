/**
 * The live view's memory in a real terminal: the detail view of a Claude Code-shaped agent draws
 * sparklines of CPU and tokens per minute, fed tick by tick, and what the prompt cache saved.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { agtopWatch, Tmux, tmuxMissing } from "../support/tmux.ts";
import { startClaude } from "../support/claude_agent.ts";

const skip = tmuxMissing() ?? fakesUnavailable();
if (skip) console.log(`watch trend end-to-end tests skipped: ${skip}`);

Deno.test({
  name: "watch: the detail view draws sparklines that new tokens raise, and what the cache saved",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `tr${crypto.randomUUID().slice(0, 6)}`;
    const claude = await startClaude(world, tag, "55555555-5555-4555-8555-555555555555");
    await using tmux = await Tmux.start([...agtopWatch(), "--interval", "0.5"], 120, 60, {
      HOME: world.dir("home"),
      NO_COLOR: "1",
    });
    await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
    await tmux.keys("/");
    await tmux.type(tag);
    await tmux.keys("Enter");
    await tmux.waitFor("the agent's row", (s) => s.includes(String(claude.pid)));
    await tmux.keys("Enter");
    const first = await tmux.waitFor(
      "the sparklines",
      (s) => /\n {2}CPU % +[▁▂▃▄▅▆▇█]+ {2}now /.test(s) && /\n {2}tokens\/min {2}[▁▂▃▄▅▆▇█]+ {2}now /.test(s),
    );
    assert.match(first, /\nLast \d+s\n/);
    // One response read 21,000 tokens from the cache: $3 a million as input instead of $0.30.
    assert.match(first, /cache saved +\$0\.06 /);
    assert.doesNotMatch(first, /context full in/, "the context does not grow");

    // Two more responses: tokens/min rises from nothing to a peak at the top of the scale.
    claude.respond();
    claude.respond();
    const after = await tmux.waitFor(
      "tokens/min rising",
      (s) => /tokens\/min {2}[▁▂▃▄▅▆▇ ]*█[▁▂▃▄▅▆▇█ ]* {2}now \S+ {2}peak [1-9]/.test(s),
    );
    assert.match(after, /cache saved +\$0\.17 /);
    await tmux.keys("q");
    await tmux.assertRestored(0);
  },
});
