import assert from "node:assert/strict";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { detect } from "../../../../agents/detect.ts";
import { makeProcess as proc } from "../../../support/agents.ts";

const NM = "/tmp/lab/node_modules";
const BINARY = "/home/me/.config/manicode/codebuff";

Deno.test("Codebuff: the npm launcher and the binary it downloaded are one row, the binary's", () => {
  const shell = proc(10, 1, "bash", "/usr/bin/bash", ["-bash"]);
  const launcher = proc(11, 10, "node", "/usr/bin/node", ["node", `${NM}/.bin/cb`, "my-app"]);
  const binary = proc(12, 11, "codebuff", BINARY, [BINARY, "my-app"]);
  const tool = proc(13, 12, "bash", "/usr/bin/bash", ["bash", "-c", "npm test"]);
  const found = detect(
    [shell, launcher, binary, tool],
    VENDORS,
    (p) => p.pid === 11 ? `${NM}/codebuff/index.js` : null,
  );
  assert.equal(found.length, 1);
  assert.equal(found[0].vendor.id, "codebuff");
  assert.equal(found[0].main.pid, 12);
  assert.deepEqual(found[0].members.map((m) => `${m.process.pid}:${m.role}`), ["11:launcher"]);
  assert.deepEqual(found[0].children.map((c) => c.pid), [13]);
});
