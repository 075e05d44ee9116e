import assert from "node:assert/strict";
import { codebuffFacts } from "../../../../agents/vendors/codebuff/transcript.ts";
import { codebuffChatsDir, CodebuffSessionSource } from "../../../../agents/vendors/codebuff/sessions.ts";
import { linkContext, NOW, withHome } from "../../../support/sessions.ts";

// Built from Codebuff's public source (see tests/fixtures/codebuff/README.md), not a run.
const CHAT = "2026-12-06T17-00-00.000Z";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../../fixtures/codebuff/${name}`, import.meta.url));

Deno.test("Codebuff chat: a command and a subagent in flight; tokens not recorded", () => {
  const f = codebuffFacts(JSON.parse(fixture("inflight.json")))!;
  assert.equal(f.turn, "working");
  assert.equal(f.lastPrompt, "run the tests");
  assert.deepEqual(f.currentTool, {
    name: "run_terminal_command",
    arg: "npm test",
    id: "tc-1",
    startedAt: Date.parse("2026-12-06T17:00:02.000Z"),
  });
  assert.equal(f.tokensRecorded, false);
  assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.description, s.status, s.currentTool?.arg]), [
    ["ag-1", "file-picker", "Find the test files", "running", "**/*.test.ts"],
  ]);
});

Deno.test("Codebuff chat: a complete answer ends the turn; bad messages are counted", () => {
  const f = codebuffFacts(JSON.parse(fixture("done.json")))!;
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.subagents[0].status, "done");
  assert.equal(f.activity.at(-1)?.text, "All 42 tests pass.");
  assert.equal(codebuffFacts({ messages: [] }), null);
  assert.equal(codebuffFacts([7, { variant: "user", content: "hi" }])?.malformedLines, 1);
});

Deno.test("Codebuff sessions: the project's newest chat since the process started; recent lists chats", () => {
  withHome((home) => {
    const cwd = `${home}/src/web-app`;
    const dir = codebuffChatsDir(home, cwd);
    assert.equal(dir, `${home}/.config/manicode/projects/web-app/chats`);
    Deno.mkdirSync(`${dir}/${CHAT}`, { recursive: true });
    const path = `${dir}/${CHAT}/chat-messages.json`;
    Deno.writeTextFileSync(path, fixture("inflight.json"));
    const source = new CodebuffSessionSource();
    const link = source.link(linkContext(home, { argv: ["/x/.config/manicode/codebuff"], cwd }));
    assert.deepEqual(link, { path, id: CHAT, linkedBy: "cwd" });
    assert.equal(source.read(link!, NOW)?.id, CHAT);
    assert.equal(source.link(linkContext(home, { cwd, claimed: new Set([path]) })), null);
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), [CHAT]);
  });
});
