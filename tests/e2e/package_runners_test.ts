/**
 * Agents started through package runners: node processes running agent scripts from the caches of
 * npx, pnpm dlx, bunx and Deno (which has no `node_modules` folder), found by `main.ts ls`.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";

const skip = fakesUnavailable();

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "package runners: agents run from npx, pnpm dlx, bunx and Deno caches are recognised",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const idle = "setInterval(() => {}, 1e9);\n";
    const scripts: [string, string][] = [
      [".npm/_npx/4c8f1e2a9b3d/node_modules/@google/gemini-cli/dist/index.js", "gemini"],
      [
        ".cache/pnpm/dlx/x7k2/19a1b2c3-4d5e/node_modules/.pnpm/@continuedev+cli@1.5.47/node_modules/@continuedev/cli/dist/cn.js",
        "continue",
      ],
      ["tmp/bunx-1000-@kilocode/cli@7.7.7/node_modules/@kilocode/cli/bin/kilo", "kilo"],
      [".cache/deno/npm/registry.npmjs.org/@qwen-code/qwen-code/0.15.10/cli.js", "qwen"],
    ];
    const spawned = scripts.map(([rel, agent]) => {
      const script = world.script(`home/${rel}`, idle);
      return { agent, pid: world.spawn("node", [script], { cwd: world.dir(`work/${agent}`) }).pid };
    });
    await new Promise((r) => setTimeout(r, 200));
    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const agents: Json[] = JSON.parse(res.stdout).agents;
    for (const { agent, pid } of spawned) {
      assert.equal(agents.find((a) => a.pid === pid)?.agent, agent, `${agent} (pid ${pid})`);
    }
  },
});
