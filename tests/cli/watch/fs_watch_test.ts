import assert from "node:assert/strict";
import { TranscriptWatcher, watchedDirs } from "../../../cli/watch/fs_watch.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("watched directories: each transcript's directory and a session's subagents directory", () => {
  assert.deepEqual(
    watchedDirs([
      "/h/.claude/projects/-w/9f8a.jsonl",
      "/h/.claude/projects/-w/0b1c.jsonl",
      "/h/.codex/sessions/2026/11/24/rollout-x.jsonl",
      "/h/.gemini/tmp/abc/chats/session.json",
    ]),
    [
      "/h/.claude/projects/-w",
      "/h/.claude/projects/-w/0b1c/subagents",
      "/h/.claude/projects/-w/9f8a/subagents",
      "/h/.codex/sessions/2026/11/24",
      "/h/.codex/sessions/2026/11/24/rollout-x/subagents",
      "/h/.gemini/tmp/abc/chats",
    ],
  );
});

Deno.test({
  name: "a burst of appends is one notification; reads are none; the set re-arms; missing dirs are skipped",
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "agtop-fswatch-" });
    const file = `${root}/s.jsonl`;
    await Deno.writeTextFile(file, "{}\n");
    let calls = 0;
    const watcher = new TranscriptWatcher(() => calls++, 30);
    try {
      watcher.watch([`${root}/missing`]);
      assert.equal(watcher.watching, false, "nothing to watch");
      watcher.watch([root, `${root}/missing`]);
      assert.equal(watcher.watching, true);
      await wait(50);
      for (let i = 0; i < 5; i++) await Deno.writeTextFile(file, "{}\n", { append: true });
      await wait(150);
      assert.equal(calls, 1, "one notification per burst");
      await Deno.readTextFile(file);
      await wait(150);
      assert.equal(calls, 1, "agtop's own reads do not count");
      watcher.watch([root]);
      assert.equal(watcher.watching, true, "the same set stays armed");
      await Deno.writeTextFile(`${root}/new.jsonl`, "{}\n");
      await wait(150);
      assert.equal(calls, 2, "a new file in a watched directory counts");
      watcher.close();
      assert.equal(watcher.watching, false);
      await Deno.writeTextFile(file, "{}\n", { append: true });
      await wait(150);
      assert.equal(calls, 2, "closed");
    } finally {
      watcher.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
