/**
 * Continue CLI sessions read from what `cn` 1.5.47 wrote (tests/fixtures/continue: a finished turn,
 * then a `Bash` call in flight), and the document's other shapes.
 */
import assert from "node:assert/strict";
import { continueCli } from "../../../../agents/vendors/continue/mod.ts";
import { ContinueSessionSource } from "../../../../agents/vendors/continue/sessions.ts";
import { continueFacts, continueUsage } from "../../../../agents/vendors/continue/transcript.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURES = new URL("../../../fixtures/continue/", import.meta.url).pathname;
const ID = "8da1a91f-5a13-48b6-a329-a7d32f558b3a";

/** The fixture session under `dir` (a `CONTINUE_GLOBAL_DIR`), in working directory `cwd`. */
function writeSession(dir: string, cwd: string): string {
  Deno.mkdirSync(`${dir}/sessions`, { recursive: true });
  const path = `${dir}/sessions/${ID}.json`;
  Deno.writeTextFileSync(
    path,
    Deno.readTextFileSync(`${FIXTURES}/${ID}.json`).replaceAll("/tmp/p2s/repo-cont", cwd),
  );
  Deno.copyFileSync(`${FIXTURES}/sessions.json`, `${dir}/sessions/sessions.json`);
  return path;
}

Deno.test("continue: the session of the working directory, its call in flight, tokens and its own cost", async () => {
  await assertReaderOf(continueCli, ContinueSessionSource, "continue");
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const path = writeSession(`${home}/.continue`, cwd);
    const source = new ContinueSessionSource();
    const argv = ["node", "/p/node_modules/.bin/cn", "--auto"];
    const link = source.link(linkContext(home, { argv, cwd, startedAt: Date.now() - 60_000 }));
    assert.deepEqual(link, { path, id: ID, linkedBy: "cwd" });
    assert.equal(source.link(linkContext(home, { argv, cwd: `${home}/other` })), null);
    const f = source.read(link!, Date.now())!;
    assert.equal(f.id, ID);
    assert.equal(f.title, "Mock title");
    assert.equal(f.turn, "working");
    assert.deepEqual(
      { name: f.currentTool?.name, arg: f.currentTool?.arg, id: f.currentTool?.id },
      { name: "Bash", arg: "sleep 300; echo agtop-probe-done", id: "call_4" },
    );
    assert.equal(f.lastPrompt, "Run the probe again");
    assert.equal(f.model, "mock-model");
    // Three responses: prompt − cached tokens as input, completion − reasoning as output.
    assert.deepEqual(f.tokens, { input: 6000, output: 480, cacheRead: 9008, cacheWrite: 0, reasoning: 128 });
    assert.equal(f.costUsd, 0.016224);
    assert.equal(f.contextTokens, 5004);
    // CONTINUE_GLOBAL_DIR moves the data.
    const moved = `${home}/cn-data`;
    writeSession(moved, cwd);
    assert.deepEqual(source.recent([{ HOME: home }, { CONTINUE_GLOBAL_DIR: moved }], 0).links.length, 2);
  });
});

Deno.test("continue: a finished turn, Anthropic usage, a half-written document", () => {
  const doc = {
    sessionId: ID,
    title: "t",
    workspaceDirectory: "/w",
    history: [
      { message: { role: "user", content: [{ type: "text", text: "hi" }] }, contextItems: [] },
      {
        message: {
          role: "assistant",
          content: "hello",
          usage: {
            input_tokens: 10,
            output_tokens: 5,
            cache_read_input_tokens: 100,
            model: "claude-sonnet-4-5",
          },
        },
        contextItems: [],
      },
    ],
    usage: { totalCost: 0 },
  };
  const f = continueFacts(doc)!;
  assert.equal(f.turn, "ended");
  assert.equal(f.lastPrompt, "hi");
  assert.equal(f.model, "claude-sonnet-4-5");
  assert.deepEqual(f.tokens, { input: 10, output: 5, cacheRead: 100, cacheWrite: 0, reasoning: 0 });
  assert.equal(f.costUsd, null);
  assert.equal(continueUsage(null), null);
  assert.equal(continueFacts({ history: [] }), null);
  withHome((home) => {
    const path = writeSession(`${home}/.continue`, "/w");
    const source = new ContinueSessionSource();
    const link = { path, id: ID, linkedBy: "cwd" };
    assert.equal(source.read(link, Date.now())?.turn, "working");
    Deno.writeTextFileSync(path, '{"sessionId": "');
    const broken = source.read(link, Date.now() + 1)!;
    assert.equal(broken.turn, "working", "the last whole document's facts stay");
    assert.equal(broken.malformedLines, 1);
  });
});

Deno.test("continue: the data directory doctor checks, and the variable that moved it", () => {
  const source = new ContinueSessionSource();
  assert.deepEqual(source.dataDirs({}, "/home/me"), [{
    path: "/home/me/.continue/sessions",
    from: "default",
  }]);
  assert.deepEqual(source.dataDirs({ CONTINUE_GLOBAL_DIR: "/srv/c" }, "/home/me"), [
    { path: "/srv/c/sessions", from: "CONTINUE_GLOBAL_DIR" },
  ]);
});
