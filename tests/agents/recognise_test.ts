/**
 * Agents started through package runners (npx, pnpm dlx, bunx, `deno run npm:…`): their files lie in
 * the runners' caches, Deno's without a `node_modules` folder.
 */
import assert from "node:assert/strict";
import type { ProcessInfo } from "../../platform/types.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { inNpmPackage, npmSpecifierPackage } from "../../agents/recognise.ts";

const HOME = "/home/me";

function runtime(argv: string[]): ProcessInfo {
  return {
    pid: 10,
    ppid: 1,
    name: argv[0],
    exe: `/usr/bin/${argv[0]}`,
    argv,
    state: "sleeping",
    threads: 4,
    startedAt: 1_780_000_000_000,
    startId: 1000,
    cpuTimeMs: 10,
    rssBytes: 50e6,
    uid: 1000,
  };
}

/** The `id:role` the built-in vendors give one process, or null. */
function classify(p: ProcessInfo, script: string | null = null): string | null {
  for (const v of VENDORS) {
    const role = v.recognise(p, script);
    if (role) return `${v.id}:${role}`;
  }
  return null;
}

Deno.test("recognise: agents run from the caches of npx, pnpm dlx, bunx and Deno", () => {
  const cases: [string[], string | null, string][] = [
    [
      ["node", `${HOME}/.npm/_npx/4c8f1e2a/node_modules/.bin/gemini`],
      `${HOME}/.npm/_npx/4c8f1e2a/node_modules/@google/gemini-cli/dist/index.js`,
      "gemini:main",
    ],
    [
      [
        "node",
        `${HOME}/.cache/pnpm/dlx/x7k2/19a1b2c3-4d5e/node_modules/.pnpm/@continuedev+cli@1.5.47/node_modules/@continuedev/cli/dist/cn.js`,
      ],
      null,
      "continue:main",
    ],
    [["bun", "/tmp/bunx-1000-@kilocode/cli@7.7.7/node_modules/@kilocode/cli/bin/kilo"], null, "kilo:main"],
    [
      [
        "deno",
        "run",
        "-A",
        `${HOME}/.cache/deno/npm/registry.npmjs.org/@google/gemini-cli/0.61.0/dist/index.js`,
      ],
      null,
      "gemini:main",
    ],
    [["deno", "run", "--allow-all", "npm:@continuedev/cli@1.5.47"], null, "continue:main"],
    [["deno", "run", "-A", "npm:@anthropic-ai/claude-code"], null, "claude:main"],
    [["deno", "run", "-A", "npm:left-pad@1.3.0"], null, ""],
  ];
  for (const [argv, script, want] of cases) {
    assert.equal(classify(runtime(argv), script) ?? "", want, argv.join(" "));
  }
});

Deno.test("recognise: npm package paths and specifiers", () => {
  const deno = `${HOME}/Library/Caches/deno/npm/registry.npmjs.org/opencode-ai/1.18.33/bin/opencode`;
  assert.ok(inNpmPackage(deno, "opencode-ai"));
  assert.ok(!inNpmPackage(deno, "opencode"));
  assert.ok(inNpmPackage(`${HOME}/.cache/deno/npm/npm.example.com/@scope/pkg/1.0.0/x.js`, "@scope/pkg"));
  assert.ok(
    !inNpmPackage(`${HOME}/.cache/deno/npm/registry.npmjs.org/@scope/pkg-two/1.0.0/x.js`, "@scope/pkg"),
  );
  assert.equal(
    npmSpecifierPackage("npm:@anthropic-ai/claude-code@2.1.0/cli.js"),
    "@anthropic-ai/claude-code",
  );
  assert.equal(npmSpecifierPackage("npm:/opencode-ai@1"), "opencode-ai");
  assert.equal(npmSpecifierPackage("npm:@scope"), null);
  assert.equal(npmSpecifierPackage("jsr:@std/path"), null);
});
