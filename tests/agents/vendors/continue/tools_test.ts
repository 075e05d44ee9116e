/**
 * Continue CLI's tool calls from the session document it wrote here (tests/fixtures/continue): calls
 * counted with no times (Continue keeps none), the one still `calling` without a result.
 */
import assert from "node:assert/strict";
import { continueToolCalls } from "../../../../agents/vendors/continue/tools.ts";

const FIXTURE =
  new URL("../../../fixtures/continue/8da1a91f-5a13-48b6-a329-a7d32f558b3a.json", import.meta.url)
    .pathname;

Deno.test("continue tools: toolCallStates, answered by status, no durations", () => {
  const calls = continueToolCalls(FIXTURE);
  assert.deepEqual(calls.map((c) => [c.name, c.startedAt, c.endedAt, c.answered, c.failed]), [
    ["Bash", null, null, true, false],
    ["Bash", null, null, false, false],
  ]);
});

Deno.test("continue tools: errored and canceled calls fail; MCP names split; a broken document throws", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const doc = JSON.parse(Deno.readTextFileSync(FIXTURE));
    const states = doc.history[1].toolCallStates;
    states.push(
      { ...states[0], status: "errored" },
      { ...states[0], status: "canceled", toolCall: { function: { name: "mcp__github__get_issue" } } },
    );
    Deno.writeTextFileSync(`${dir}/s.json`, JSON.stringify(doc));
    assert.deepEqual(continueToolCalls(`${dir}/s.json`).map((c) => [c.server, c.name, c.failed]), [
      [null, "Bash", false],
      [null, "Bash", true],
      ["github", "get_issue", true],
      [null, "Bash", false],
    ]);
    Deno.writeTextFileSync(`${dir}/bad.json`, "{");
    assert.throws(() => continueToolCalls(`${dir}/bad.json`), /not a readable session document/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
