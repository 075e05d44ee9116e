/**
 * What `agtop ls` loads before it runs (design.md: start-up within 2.5× a bare `deno run`): the static
 * import graph of main.ts, as `deno info --json` reports it, holds no code only another command or option
 * needs; and `deno run` leaves dynamic imports for when they run (by default Deno loads and analyses every
 * literal `import("…")` of the graph before the program starts: ~15 ms here for the session readers and
 * the other commands).
 */

import assert from "node:assert/strict";
import { compileArgs, TARGETS } from "../scripts/build.ts";

const ROOT = new URL("../", import.meta.url);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** The modules `deno run` loads before `module` starts, relative to the root (`npm:…` as they are). */
async function staticGraph(module = "main.ts"): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", module],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { roots: string[]; modules: InfoModule[] };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const queue = [...info.roots];
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const dep of bySpecifier.get(at)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code?.specifier) queue.push(dep.code.specifier);
    }
  }
  return new Set([...seen].map((s) => s.startsWith(ROOT.href) ? s.slice(ROOT.href.length) : s));
}

Deno.test("start-up: ls loads no other command's code, no session reader and no npm package", async () => {
  // main.ts, then the live commands' module it imports for `ls`.
  const graph = new Set([...await staticGraph(), ...await staticGraph("cli/live.ts")]);
  assert.ok(graph.has("cli/ls.ts") && graph.has("agents/vendors/claude/mod.ts"), "the graph is read");
  const unneeded = [...graph].filter((m) =>
    /^agents\/vendors\/[^/]+\/(sessions|transcript|tools)\.ts$/.test(m) || m.startsWith("npm:") ||
    /^cli\/(watch|serve)\//.test(m) || /^render\/watch\/(?!notify_settings\.ts)/.test(m) || [
      "cli/help.ts",
      "cli/doctor.ts",
      "agents/doctor.ts",
      "render/doctor.ts",
      "cli/report.ts",
      "render/report.ts",
      "agents/history/report.ts",
      "cli/serve.ts",
      "cli/events.ts",
      "cli/wait.ts",
      "cli/completions.ts",
      "cli/man.ts",
      "render/metrics.ts",
      "render/privacy.ts",
    ].includes(m)
  );
  assert.deepEqual(unneeded, []);
});

Deno.test("start-up: main.ts alone (report, help, --version) loads no collector, platform or ls code", async () => {
  const graph = await staticGraph();
  assert.ok(graph.has("cli/args.ts"), "the graph is read");
  const live = [...graph].filter((m) =>
    m.startsWith("agents/collect/") || m.startsWith("platform/linux/") ||
    ["platform/mod.ts", "cli/ls.ts", "cli/live.ts", "cli/settings.ts", "agents/pricing/table.ts"].includes(m)
  );
  assert.deepEqual(live, []);
});

Deno.test("start-up: deno run loads dynamic imports lazily, deno compile still embeds them", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assert.ok(config.unstable?.includes("lazy-dynamic-imports"));
  // Lazy loading applies only without type checking: a compile that skipped it would leave the session
  // readers and the other commands out of the binary.
  for (const t of TARGETS) assert.ok(!compileArgs(t).includes("--no-check"), t.triple);
});
