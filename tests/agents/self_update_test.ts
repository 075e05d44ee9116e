import assert from "node:assert/strict";
import { isSelfUpdate, updaterPids } from "../../agents/self_update.ts";

const QWEN = ["@qwen-code/qwen-code"];

Deno.test("self-update: a global install of the agent's own package, however it is started", () => {
  assert.equal(isSelfUpdate(["npm", "install", "--global", "@qwen-code/qwen-code@0.15.11"], QWEN), true);
  assert.equal(
    isSelfUpdate([
      "/usr/bin/node",
      "/usr/lib/node_modules/npm/bin/npm-cli.js",
      "i",
      "-g",
      "@qwen-code/qwen-code",
    ], QWEN),
    true,
  );
  assert.equal(isSelfUpdate(["/bin/sh", "-c", "npm install -g @qwen-code/qwen-code@latest"], QWEN), true);
  assert.equal(isSelfUpdate(["pnpm", "add", "-g", "@qwen-code/qwen-code@latest"], QWEN), true);
  assert.equal(isSelfUpdate(["yarn", "global", "add", "@qwen-code/qwen-code"], QWEN), true);
});

Deno.test("self-update: other installs are tool commands", () => {
  assert.equal(isSelfUpdate(["npm", "install", "@qwen-code/qwen-code"], QWEN), false); // not global
  assert.equal(isSelfUpdate(["npm", "install", "-g", "typescript"], QWEN), false);
  assert.equal(isSelfUpdate(["npm", "test"], QWEN), false);
  assert.equal(isSelfUpdate(["npm", "install", "-g", "@qwen-code/qwen-code"], []), false);
});

Deno.test("self-update: the install and everything below it are the updater", () => {
  const kids = [
    {
      pid: 10,
      ppid: 1,
      argv: ["node", "/usr/bin/npm", "install", "--global", "@qwen-code/qwen-code@0.15.11"],
    },
    { pid: 11, ppid: 10, argv: ["sh", "-c", "node scripts/postinstall.js"] },
    { pid: 12, ppid: 11, argv: ["node", "scripts/postinstall.js"] },
    { pid: 20, ppid: 1, argv: ["bash", "-c", "npm test"] },
  ];
  assert.deepEqual([...updaterPids(kids, QWEN)], [10, 11, 12]);
});
