import assert from "node:assert/strict";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { detect } from "../../../../agents/detect.ts";
import { grok } from "../../../../agents/vendors/grok/mod.ts";
import { makeProcess as proc } from "../../../support/agents.ts";

const NM = "/tmp/lab/node_modules";
const SCRIPT = `${NM}/@vibe-kit/grok-cli/dist/index.js`;

Deno.test("Grok CLI as it ran: node …/.bin/grok, its bash tool a /bin/sh -c child", () => {
  const shell = proc(10, 1, "bash", "/usr/bin/bash", ["-bash"]);
  const agent = proc(11, 10, "node", "/usr/bin/node", ["node", `${NM}/.bin/grok`]);
  const tool = proc(12, 11, "sh", "/usr/bin/dash", ["/bin/sh", "-c", "sleep 40; echo agtop-probe-done"]);
  const sleep = proc(13, 12, "sleep", "/usr/bin/sleep", ["sleep", "40"]);
  const found = detect([shell, agent, tool, sleep], VENDORS, (p) => p.pid === 11 ? SCRIPT : null);
  assert.equal(found.length, 1);
  assert.equal(found[0].vendor.id, "grok");
  assert.equal(found[0].main.pid, 11);
  assert.deepEqual(found[0].children.map((c) => c.pid), [12, 13]);
});

Deno.test("Grok CLI: a headless run and its git subcommand are agents; other node scripts are not", () => {
  const node = (...argv: string[]) => proc(1, 0, "node", "/usr/bin/node", ["node", ...argv]);
  assert.equal(grok.recognise(node(`${NM}/.bin/grok`, "-p", "fix it"), SCRIPT), "main");
  assert.equal(grok.recognise(node(`${NM}/.bin/grok`, "git", "commit-and-push"), SCRIPT), "main");
  assert.equal(grok.explain?.(node(`${NM}/.bin/grok`), SCRIPT)?.rule, "runtime + script");
  assert.equal(grok.recognise(node("/srv/app/grok-report.js"), "/srv/app/grok-report.js"), null);
});
