import assert from "node:assert/strict";
import { cutLongStrings } from "../../../agents/formats/long_strings.ts";

Deno.test("cutLongStrings: long strings cut, short ones and the structure kept", () => {
  const rec = {
    type: "user",
    message: { content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "x".repeat(5000) }] },
    toolUseResult: { stdout: "y".repeat(3000), stderr: "", agentId: "a1" },
    timestamp: "2026-11-24T03:26:48.100Z",
  };
  const cut = JSON.parse(cutLongStrings(JSON.stringify(rec), 100));
  assert.equal(cut.message.content[0].content, "x".repeat(100));
  assert.equal(cut.toolUseResult.stdout, "y".repeat(100));
  assert.deepEqual({ ...cut, message: null, toolUseResult: null }, {
    ...rec,
    message: null,
    toolUseResult: null,
  });
  assert.equal(cut.toolUseResult.agentId, "a1");
  assert.equal(cut.message.content[0].tool_use_id, "toolu_1");
});

Deno.test("cutLongStrings: never cuts inside an escape, and escaped quotes do not end a string", () => {
  for (let pad = 0; pad < 8; pad++) {
    const text = "a".repeat(pad) + '\\"quoted\\" \u00e9\u2028 tab\t\n'.repeat(40) + "\ud83d\ude00".repeat(20);
    const line = JSON.stringify({ text, after: "kept" });
    const parsed = JSON.parse(cutLongStrings(line, 64));
    assert.ok(text.startsWith(parsed.text.replace(/[\ud800-\udbff]$/, "")), `pad ${pad}`);
    assert.ok(parsed.text.length <= 64);
    assert.equal(parsed.after, "kept");
  }
  // \u escapes as written (control characters): cut before an escape that would be split.
  const ctl = JSON.stringify({ s: "\u0001".repeat(50) });
  for (let keep = 10; keep < 20; keep++) assert.ok(JSON.parse(cutLongStrings(ctl, keep)).s.length >= 1);
});

Deno.test("cutLongStrings: a line with no long string, or not JSON, comes back as it is", () => {
  const line = JSON.stringify({ a: "short", b: [1, 2, 3] });
  assert.equal(cutLongStrings(line, 100), line);
  const open = '{"a":"' + "z".repeat(500);
  assert.equal(cutLongStrings(open, 100), open);
});
