import assert from "node:assert/strict";
import { formatBytes, formatCount, formatDuration, formatPercent, formatUsd } from "../../render/units.ts";
import { displayWidth, fit, prepareWidths, safeText, truncate } from "../../render/text.ts";
import { COLUMNS } from "../../render/columns.ts";
import { fitColumns } from "../../render/layout.ts";
import { renderTable } from "../../render/table.ts";
import { csvField, renderCsv } from "../../render/csv.ts";
import { renderJson } from "../../render/json.ts";
import { loadStyle } from "../../render/style.ts";
import { filterAgents, sortAgents } from "../../render/view.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";

Deno.test("units are human and compact", () => {
  assert.equal(formatBytes(1288490188), "1.2G");
  assert.equal(formatBytes(512), "512B");
  assert.equal(formatBytes(300 * 1024 * 1024), "300M");
  assert.equal(formatBytes(null), "—");
  assert.equal(formatDuration(45), "45s");
  assert.equal(formatDuration(192), "3m12s");
  assert.equal(formatDuration(2 * 3600 + 5 * 60), "2h05m");
  assert.equal(formatDuration(3 * 86400 + 4 * 3600), "3d04h");
  assert.equal(formatCount(950), "950");
  assert.equal(formatCount(12_345), "12.3k");
  assert.equal(formatCount(340_000), "340k");
  assert.equal(formatCount(1_234_567), "1.2M");
  assert.equal(formatPercent(3.14159), "3.1");
  assert.equal(formatPercent(250.4), "250");
  assert.equal(formatUsd(1.2345), "$1.23");
  assert.equal(formatUsd(null), "?");
});

Deno.test("safeText strips escapes and control characters from untrusted text", () => {
  assert.equal(safeText("rm -rf /\x1b[2J\nnext"), "rm -rf / next");
  assert.equal(safeText("a\x1b]0;evil title\x07b"), "ab");
  assert.equal(safeText("x\u202eevil\u202cy"), "x evil y");
  assert.equal(safeText("tab\there\r\n"), "tab here ");
});

Deno.test("safeText, the last guard before the terminal, strips every control, zero-width and bidi character", () => {
  const ranges: [number, number][] = [
    [0x00, 0x1f], // C0
    [0x7f, 0x7f], // DEL
    [0x80, 0x9f], // C1
    [0x061c, 0x061c], // Arabic letter mark
    [0x200b, 0x200f], // zero-width space, joiners, LRM, RLM
    [0x2028, 0x2029], // line and paragraph separators
    [0x202a, 0x202e], // bidi embeddings and overrides
    [0x2066, 0x2069], // bidi isolates
    [0xfeff, 0xfeff], // byte order mark, zero-width no-break space
  ];
  const ESCAPES = new Set([0x1b, 0x9b, 0x9d]);
  for (const [from, to] of ranges) {
    for (let c = from; c <= to; c++) {
      const ch = String.fromCharCode(c);
      const hex = c.toString(16).padStart(4, "0");
      if (ESCAPES.has(c)) {
        // ESC, CSI and OSC start an escape sequence: removed with what they introduce.
        assert.ok(!safeText(`a${ch}b`).includes(ch), `U+${hex} is removed`);
        continue;
      }
      assert.equal(safeText(`a${ch}b`), "a b", `U+${hex} between letters`);
      assert.equal(safeText(`${ch}${ch}`), " ", `a run of U+${hex} is one space`);
    }
  }
  assert.equal(safeText("a\x9b31mb"), "ab", "8-bit CSI");
  assert.equal(safeText("a\x1bcb"), "ab", "two-byte escape (RIS)");
});

Deno.test("truncate and fit measure display width, wide characters included", async () => {
  await prepareWidths(["日本語"]);
  assert.equal(displayWidth("日本語"), 6);
  assert.equal(truncate("npm run build:all", 8), "npm run…");
  assert.equal(truncate("日本語テキスト", 5), "日本…");
  assert.equal(fit("42", 5, true), "   42");
  assert.equal(fit("abc", 5), "abc  ");
  assert.equal(truncate("abc", 0), "");
});

Deno.test("columns drop by priority and the flexible column shrinks; nothing exceeds the width", () => {
  const agent = makeAgent({
    session: makeSession({
      currentTool: {
        name: "Bash",
        arg: "npm test -- --watch=false --reporter=dot",
        id: "t",
        startedAt: null,
      },
    }),
  });
  const cells = [COLUMNS.map((c) => c.text(agent, agent.startedAt))];
  const wide = fitColumns(COLUMNS, cells, 200);
  assert.equal(wide.columns.length, COLUMNS.length);
  for (const width of [120, 80, 60, 40, 20]) {
    const l = fitColumns(COLUMNS, cells, width);
    const used = l.widths.reduce((a, b) => a + b, 0) + 2 * (l.columns.length - 1);
    assert.ok(used <= width, `width ${width}: used ${used}`);
    assert.ok(l.columns.some((c) => c.id === "status"));
  }
  const narrow = fitColumns(COLUMNS, cells, 80).columns.map((c) => c.id);
  assert.ok(!narrow.includes("uptime"), "uptime goes before cpu");
  assert.ok(narrow.includes("cpu"));
});

Deno.test("table: aligned rows, truncated to the width, footer with totals", async () => {
  const style = await loadStyle(false);
  const snap = makeSnapshot([
    makeAgent({ pid: 11, status: "busy", cpuPercent: 12.5 }),
    makeAgent({ pid: 222, label: "Codex", agent: "codex", status: "waiting", dangerous: true }),
  ]);
  const out = renderTable(snap, { width: 70, style });
  const lines = out.trimEnd().split("\n");
  assert.match(lines[0], /^STATUS\s+(?:FOR\s+)?AGENT\s+PID/);
  assert.equal(lines.length, 4);
  for (const l of lines.slice(0, 3)) assert.ok(l.length <= 70, l);
  assert.match(lines[1], /● busy\s+(?:\d+[smhd]\s+)?Claude Code\s+11 /);
  assert.match(lines[2], /◆ waiting\s+(?:\d+[smhd]\s+)?Codex!\s+222 /);
  assert.match(lines[3], /2 agents \(1 busy, 1 waiting\) · CPU 14\.0% · MEM 400M/);
  // PID right-aligned: the end of "11" lines up with the end of "222"
  assert.equal(lines[1].indexOf("11 ") + 2, lines[2].indexOf("222 ") + 3);
});

Deno.test("table with no agents says so", async () => {
  const out = renderTable(makeSnapshot([]), { width: 80, style: await loadStyle(false) });
  assert.match(out, /^No coding agents running\.\n0 agents/);
});

Deno.test("table cells never carry control characters from argv", async () => {
  const evil = makeAgent({
    children: [
      {
        pid: 9,
        ppid: 4242,
        name: "bash",
        argv: ["bash", "-c", "echo \x1b[31mred\x1b[0m\nrm"],
        role: "child",
        state: "running",
        startedAt: 0,
        cpuPercent: 0,
        rssBytes: 0,
        threads: 1,
      },
    ],
  });
  const out = renderTable(makeSnapshot([evil]), { width: 200, style: await loadStyle(false) });
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\x00-\x09\x0b-\x1f]/.test(out), JSON.stringify(out));
  assert.match(out, /bash -c echo red rm/);
});

Deno.test("csv quotes per RFC 4180 and keeps raw numbers", () => {
  assert.equal(csvField('say "hi", then'), '"say ""hi"", then"');
  assert.equal(csvField("a\nb"), "a b");
  assert.equal(csvField(null), "");
  assert.equal(csvField(12.5), "12.5");
  const csv = renderCsv(makeSnapshot([makeAgent({ cwd: "/tmp/a,b", argv: ["claude", "--x", 'q"'] })]));
  const [header, row] = csv.split("\r\n");
  assert.ok(header.startsWith("agent,label,pid,ppid,status,project,cwd,cpu_percent,rss_bytes"));
  assert.ok(row.startsWith('claude,Claude Code,4242,1,idle,proj,"/tmp/a,b",1.5,209715200,'));
  assert.ok(row.includes('"claude --x q"""'));
});

Deno.test("json uses snake_case keys, ISO times, keeps env names and model ids verbatim", () => {
  const session = makeSession({
    tokensByModel: {
      "claude-sonnet-4-5": { input: 1, output: 2, cacheRead: 3, cacheWrite: 4, reasoning: 0 },
    },
  });
  const doc = JSON.parse(renderJson(makeSnapshot([makeAgent({ session })])));
  assert.equal(doc.schema, 1);
  assert.equal(doc.host.mem_total_bytes, 24 * 2 ** 30);
  assert.equal(doc.taken_at, "2026-11-24T10:03:12.000Z");
  const a = doc.agents[0];
  assert.equal(a.cpu_percent, 1.5);
  assert.equal(a.started_at, "2026-11-24T10:00:00.000Z");
  assert.deepEqual(a.session.tokens_by_model["claude-sonnet-4-5"], {
    input: 1,
    output: 2,
    cache_read: 3,
    cache_write: 4,
    reasoning: 0,
  });
  assert.equal(a.session.last_prompt, "run the tests");
});

Deno.test("sort and filter", () => {
  const a = makeAgent({ pid: 1, cpuPercent: 1, rssBytes: 300, project: "web" });
  const b = makeAgent({ pid: 2, cpuPercent: 9, rssBytes: 100, project: "api", label: "Codex" });
  assert.deepEqual(sortAgents([a, b], "cpu", false).map((x) => x.pid), [2, 1]);
  assert.deepEqual(sortAgents([a, b], "mem", false).map((x) => x.pid), [1, 2]);
  assert.deepEqual(sortAgents([a, b], "mem", true).map((x) => x.pid), [2, 1]);
  assert.deepEqual(filterAgents([a, b], "CODEX").map((x) => x.pid), [2]);
  assert.deepEqual(filterAgents([a, b], "web").map((x) => x.pid), [1]);
  assert.equal(filterAgents([a, b], "").length, 2);
});

Deno.test("what the agent does keeps a readable width: lower-priority columns drop first, cost stays", () => {
  const agent = makeAgent({
    session: makeSession({
      currentTool: { name: "Bash", arg: "npm run test:integration -- --runInBand", id: "t", startedAt: null },
    }),
  });
  const cells = [COLUMNS.map((c) => c.text(agent, agent.startedAt))];
  const l = fitColumns(COLUMNS, cells, 100);
  const ids = l.columns.map((c) => c.id);
  const doing = l.widths[ids.indexOf("doing")];
  assert.ok(doing >= 24, `doing is ${doing} wide`);
  assert.ok(ids.includes("cost"), ids.join(","));
  for (const gone of ["ports", "uptime", "ctx"]) {
    assert.ok(!ids.includes(gone), `${gone} dropped first: ${ids.join(",")}`);
  }
});
