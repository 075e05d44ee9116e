/** Cursor Agent's chat store `meta` record. */
import assert from "node:assert/strict";
import { decodeCursorMeta } from "../../../../agents/vendors/cursor/sessions.ts";

Deno.test("cursor: meta is hex-encoded JSON (text or bytes), plain JSON also read", () => {
  const json =
    '{"agentId":"a1","latestRootBlobId":"ff","name":"Fix login","mode":"agent","createdAt":1795500000000,' +
    '"lastUsedModel":"gpt-5"}';
  const hex = [...new TextEncoder().encode(json)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const want = { agentId: "a1", name: "Fix login", model: "gpt-5", createdAt: 1795500000000 };
  assert.deepEqual(decodeCursorMeta(hex), want);
  assert.deepEqual(decodeCursorMeta(new TextEncoder().encode(hex)), want);
  assert.deepEqual(decodeCursorMeta(json), want);
  assert.equal(decodeCursorMeta("zz"), null);
  assert.equal(decodeCursorMeta(42), null);
});
