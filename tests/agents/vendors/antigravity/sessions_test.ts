/**
 * Antigravity CLI: the `agy` binary, and its conversation transcripts. `agy` could not be run here (a
 * native binary from Google's install script, not on npm), so tests/fixtures/antigravity/
 * transcript_full.jsonl is written from the format as third parties describe it (`step_index`,
 * `source`, `type`, `created_at`, `content`, `thinking`, `tool_calls` of `{name, args}`): a finished
 * turn, then a second prompt whose `run_command` call has no response yet.
 */
import assert from "node:assert/strict";
import { antigravity } from "../../../../agents/vendors/antigravity/mod.ts";
import { agyDir, AgySessionSource } from "../../../../agents/vendors/antigravity/sessions.ts";
import { AgyTranscript } from "../../../../agents/vendors/antigravity/transcript.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURE = new URL("../../../fixtures/antigravity/transcript_full.jsonl", import.meta.url).pathname;
const LINES = Deno.readTextFileSync(FIXTURE).trimEnd().split("\n");
const OPEN = "8b0f5f0e-4c7e-4f5b-9a51-6d0c2a1e9f10";
const OLD = "0d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d";

/** A conversation's transcript under `home` with the first `lines` lines of the fixture; `open` adds its presence lock. */
function writeConversation(home: string, id: string, lines: number, open: boolean): string {
  const logs = `${agyDir(home)}/brain/${id}/.system_generated/logs`;
  Deno.mkdirSync(logs, { recursive: true });
  Deno.writeTextFileSync(`${logs}/transcript_full.jsonl`, LINES.slice(0, lines).join("\n") + "\n");
  if (open) {
    Deno.mkdirSync(`${agyDir(home)}/presence`, { recursive: true });
    Deno.writeTextFileSync(`${agyDir(home)}/presence/${id}.lock`, "");
  }
  return `${logs}/transcript_full.jsonl`;
}

Deno.test("antigravity: the agy binary runs the agent; its management commands do not", () => {
  const agy = "/home/me/.local/bin/agy";
  assert.equal(antigravity.recognise(proc(10, 1, "agy", agy, ["agy"]), null), "main");
  assert.equal(
    antigravity.recognise(proc(11, 1, "agy", agy, ["agy", "-p", "fix it", "--yolo"]), null),
    "main",
  );
  assert.equal(antigravity.recognise(proc(12, 1, "agy", agy, ["agy", "update"]), null), null);
  assert.equal(antigravity.recognise(proc(13, 1, "agy", agy, ["agy", "plugin", "list"]), null), null);
});

Deno.test("antigravity: the open conversation written since start; its command in flight, then answered", async () => {
  await assertReaderOf(antigravity, AgySessionSource, "antigravity");
  withHome((home) => {
    writeConversation(home, OLD, LINES.length, false);
    const path = writeConversation(home, OPEN, LINES.length, true);
    const now = Date.now();
    const source = new AgySessionSource();
    const ctx = linkContext(home, { argv: ["agy"], cwd: "/tmp/agy/proj", startedAt: now - 60_000, now });
    assert.deepEqual(source.link(ctx), { path, id: OPEN, linkedBy: "presence" });
    assert.equal(
      source.link({ ...ctx, claimed: new Set([path]) }),
      null,
      "only open conversations while any is open",
    );
    const named = source.link({ ...ctx, argv: ["agy", "--conversation", OLD] });
    assert.equal(named?.id, OLD);
    assert.equal(named?.linkedBy, "argv");

    const f = source.read({ path, id: OPEN, linkedBy: "presence" }, now)!;
    assert.equal(f.id, OPEN);
    assert.equal(f.turn, "working");
    assert.equal(f.currentTool?.name, "run_command");
    assert.equal(f.currentTool?.arg, "sleep 40; echo agtop-probe-done");
    assert.equal(f.lastPrompt, "run the probe again");
    assert.equal(f.title, "run the probe");
    assert.equal(f.model, null, "the transcript names no model");
    assert.deepEqual(f.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.deepEqual(
      source.recent([{ HOME: home }], now - 60_000).links.map((l) => l.id).sort(),
      [OLD, OPEN].sort(),
    );
  });
});

Deno.test("antigravity: a response ends the call; a step without calls ends the turn; bad lines are counted", () => {
  const t = new AgyTranscript();
  for (const line of LINES.slice(0, 2)) t.feed(line);
  assert.equal(t.facts().currentTool?.name, "run_command");
  t.feed(LINES[2]);
  assert.equal(t.facts().currentTool, null);
  assert.equal(t.facts().turn, "working");
  t.feed(LINES[3]);
  assert.equal(t.facts().turn, "ended");
  t.feed("{oops");
  assert.equal(t.facts().malformedLines, 1);
});
