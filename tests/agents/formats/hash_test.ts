import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { md5Hex, sha256Hex } from "../../../agents/formats/hash.ts";

Deno.test("md5Hex and sha256Hex match node:crypto, across block boundaries and multi-byte text", () => {
  for (
    const s of ["", "abc", "/home/me/app", "é".repeat(100), "x".repeat(55), "x".repeat(56), "x".repeat(64)]
  ) {
    assert.equal(md5Hex(s), createHash("md5").update(s).digest("hex"), s);
    assert.equal(sha256Hex(s), createHash("sha256").update(s).digest("hex"), s);
  }
  assert.equal(md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
});
