// deno-lint-ignore-file no-control-regex -- matching control characters is the point
/**
 * Output that a terminal or a spreadsheet would obey: every class of control character, in every
 * output, and cells a spreadsheet would take for formulas.
 */
import assert from "node:assert/strict";
import { csvField, renderCsv } from "../../render/csv.ts";
import { renderJson } from "../../render/json.ts";
import { renderTable } from "../../render/table.ts";
import { loadStyle } from "../../render/style.ts";
import { makeAgent, makeSession, makeSnapshot } from "../support/agents.ts";

/** One character of every class that must not reach a terminal or a spreadsheet raw. */
const HOSTILE = [
  "\x00",
  "\x07",
  "\x08",
  "\x1b",
  "\x7f", // C0, DEL
  "\x80",
  "\x85",
  "\x9b",
  "\x9d",
  "\x9f", // C1 (U+009B is CSI)
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u061c", // bidi
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\ufeff",
  "\u2028",
  "\u2029", // zero-width, BOM, separators
];
const CLASS = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

const agentWith = (text: string) =>
  makeAgent({
    label: `lab${text}el`,
    cwd: `/tmp/x${text}y`,
    project: `p${text}q`,
    argv: ["claude", `--arg${text}`],
    session: makeSession({ title: `t${text}`, lastPrompt: `pr${text}`, model: `m${text}` }),
  });

Deno.test("csv: every control, bidi and zero-width character is stripped from every cell", () => {
  for (const c of HOSTILE) {
    const csv = renderCsv(makeSnapshot([agentWith(c)]));
    const body = csv.replaceAll("\r\n", "");
    assert.ok(!CLASS.test(body), `U+${c.charCodeAt(0).toString(16)} reached the CSV`);
  }
  assert.equal(csvField("a\x1b[31mred\x9b0m"), "ared");
});

Deno.test("csv: text a spreadsheet would take for a formula is prefixed with '; numbers are not", () => {
  for (
    const cell of [
      "=cmd|' /C calc'!A0",
      "+1+cmd|x",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(A1)",
      "\t=1",
      "\r=1",
      " =1",
    ]
  ) {
    const out = csvField(cell).replace(/^"|"$/g, "");
    assert.ok(out.startsWith("'"), `${JSON.stringify(cell)} → ${out}`);
  }
  assert.equal(csvField(-5), "-5");
  assert.equal(csvField("-5"), "-5");
  assert.equal(csvField("+1.5e3"), "+1.5e3");
  assert.equal(csvField("a=b"), "a=b");
  const csv = renderCsv(makeSnapshot([makeAgent({ label: '=HYPERLINK("http://x")' })]));
  assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")"`));
});

Deno.test("json: C1, bidi and zero-width characters are escaped, and the document parses back the same", () => {
  for (const c of HOSTILE) {
    const json = renderJson(makeSnapshot([agentWith(c)]));
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/.test(json));
    assert.equal(JSON.parse(json).agents[0].label, `lab${c}el`);
  }
});

Deno.test("table: no cell lets a control, bidi or zero-width character through", async () => {
  const style = await loadStyle(false);
  for (const c of HOSTILE) {
    const out = renderTable(makeSnapshot([agentWith(c)]), { width: 400, style });
    assert.ok(!CLASS.test(out), `U+${c.charCodeAt(0).toString(16)} reached the table`);
  }
});
