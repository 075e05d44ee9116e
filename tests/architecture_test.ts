/**
 * The import graph of the product modules (main.ts, platform/, agents/, render/, cli/): every relative
 * import, static or dynamic, type-only or not, read from the source text. Asserts the layering:
 * no cycles, and no import that runs upward (platform/ → agents/ → render/ → cli/).
 */

import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));
const FOLDERS = ["platform", "agents", "render", "cli"];

/** Product modules, relative to the root with `/` separators. */
function productFiles(): string[] {
  const files = ["main.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(ROOT, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.isFile && path.endsWith(".ts")) files.push(path);
    }
  };
  for (const folder of FOLDERS) walk(folder);
  return files.sort();
}

/** `from "…"` of static imports and re-exports, and `import("…")` with a literal specifier. */
const SPECIFIER =
  /\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** The relative imports of `file`, resolved to product paths. */
function importsOf(file: string): string[] {
  const text = Deno.readTextFileSync(join(ROOT, file))
    // Comments (JSDoc examples show imports) are not imports.
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    // Data (`prices.json`, `deno.json`) is no module of the graph.
    if (!spec.startsWith(".") || !spec.endsWith(".ts")) continue;
    out.add(relative(ROOT, join(ROOT, dirname(file), spec)).replaceAll("\\", "/"));
  }
  return [...out].sort();
}

const FILES = productFiles();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/** Every module `file` reaches through its imports, with the chain that reaches it. */
function reach(file: string): Map<string, string[]> {
  const paths = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const next of GRAPH.get(at) ?? []) {
      if (paths.has(next)) continue;
      paths.set(next, [...paths.get(at)!, next]);
      queue.push(next);
    }
  }
  paths.delete(file);
  return paths;
}

Deno.test("architecture: every relative import resolves to a product module", () => {
  const missing = [...GRAPH].flatMap(([from, to]) =>
    to.filter((t) => !GRAPH.has(t)).map((t) => `${from} -> ${t}`)
  );
  assert.deepEqual(missing, []);
  assert.ok(GRAPH.get("cli/live.ts")!.includes("cli/ls.ts"), "static imports are read");
  assert.ok(
    GRAPH.get("agents/vendors/claude/mod.ts")!.includes("agents/vendors/claude/sessions.ts"),
    "dynamic ones too",
  );
  assert.ok(GRAPH.get("agents/vendor.ts")!.includes("agents/session.ts"), "type-only ones too");
});

Deno.test("architecture: no import cycle among product modules", () => {
  // Tarjan's strongly connected components: a component of more than one module is a cycle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of GRAPH.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || GRAPH.get(v)!.includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of FILES) if (!indices.has(f)) visit(f);
  assert.deepEqual(cycles.map((c) => c.join(" <-> ")), []);
});

Deno.test("architecture: platform/ imports nothing of agents/, render/ or cli/", () => {
  const up = [...GRAPH].filter(([from]) => from.startsWith("platform/"))
    .flatMap(([from, to]) =>
      to.filter((t) => /^(agents|render|cli)\//.test(t)).map((t) => `${from} -> ${t}`)
    );
  assert.deepEqual(up, []);
});

Deno.test("architecture: agents/ imports nothing of render/ or cli/", () => {
  const up = [...GRAPH].filter(([from]) => from.startsWith("agents/"))
    .flatMap(([from, to]) => to.filter((t) => /^(render|cli)\//.test(t)).map((t) => `${from} -> ${t}`));
  assert.deepEqual(up, []);
});

Deno.test("architecture: render/ only reads a Snapshot: no cli/, no platform/ but its types, no collector", () => {
  const found: string[] = [];
  for (const from of FILES.filter((f) => f.startsWith("render/"))) {
    for (const [to, chain] of reach(from)) {
      const bad = to.startsWith("cli/") || (to.startsWith("platform/") && to !== "platform/types.ts") ||
        to === "agents/collector.ts";
      if (bad) found.push(`${from} -> ${to} (${chain.join(" > ")})`);
    }
  }
  assert.deepEqual(found, []);
});
