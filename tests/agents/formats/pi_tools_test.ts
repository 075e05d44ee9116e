/**
 * pi's and oh-my-pi's tool calls from session files they wrote (pi 0.73.1, oh-my-pi 18.2.3): a finished
 * call, one in flight, and a result marked `isError`.
 */
import assert from "node:assert/strict";
import { piToolCalls } from "../../../agents/formats/pi_tools.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

Deno.test("pi tools: toolCall blocks paired with toolResult messages", () => {
  const done = piToolCalls(`${fixtures}pi/done.jsonl`);
  assert.deepEqual(done.map((c) => [c.name, c.endedAt! - c.startedAt!, c.failed]), [["bash", 45_072, false]]);
  const inflight = piToolCalls(`${fixtures}pi/inflight.jsonl`);
  assert.deepEqual(inflight.map((c) => [c.name, c.endedAt]), [["bash", null]]);
  assert.ok(piToolCalls(`${fixtures}omp/done.jsonl`).some((c) => c.name === "task"));
});

Deno.test("pi tools: a result marked isError fails its call", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/s.jsonl`;
    const lines = Deno.readTextFileSync(`${fixtures}pi/done.jsonl`).replace(
      '"isError":false',
      '"isError":true',
    );
    Deno.writeTextFileSync(path, lines);
    assert.deepEqual(piToolCalls(path).map((c) => c.failed), [true]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
