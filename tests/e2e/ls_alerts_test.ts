/**
 * Alerts of the config file's `[alerts]` in `ls`: a mark on the row of the table and a line saying what
 * it is over, the alert fields in JSON and CSV; and what the prompt cache saved, in JSON and CSV.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { csvRecords, parseCsv } from "../support/csv.ts";
import { startClaude } from "../support/claude_agent.ts";

const skip = fakesUnavailable();
if (skip) console.log(`ls alert end-to-end tests skipped: ${skip}`);

Deno.test({
  name:
    "ls: an agent over an [alerts] threshold is marked in the table and carries its alerts in JSON and CSV",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `al${crypto.randomUUID().slice(0, 6)}`;
    // A finished turn whose prompt filled 25,203 tokens of a 200K window (12.6 %), and an agent without a session.
    const full = await startClaude(world, `${tag}-full`, "33333333-3333-4333-8333-333333333333");
    const calm = await startClaude(world, `${tag}-calm`, "44444444-4444-4444-8444-444444444444", 0);
    const config = world.path("config.toml");
    await Deno.writeTextFile(config, "[alerts]\ncontext_percent = 10\n");
    const env = { HOME: world.dir("home"), AGTOP_CONFIG: config, COLUMNS: "160" };
    const ls = async (...args: string[]) => {
      const res = await runAgtop(["ls", "--sample", "0", "--filter", tag, ...args], env);
      assert.equal(res.code, 0, res.stderr);
      return res.stdout;
    };

    const table = await ls();
    const rowOf = (pid: number) =>
      table.split("\n").find((l) => new RegExp(`\\s${pid}\\s`).test(l) && /Claude/.test(l));
    assert.match(rowOf(full.pid)!, /^◆ waiting\s+(?:\S+\s+)?Claude Code▲\s/, table);
    assert.doesNotMatch(rowOf(calm.pid)!, /▲/, table);
    assert.match(
      table,
      new RegExp(`\\n▲ Claude Code ${full.pid}: context 13% full \\(limit 10%\\)\\n`),
      table,
    );

    const doc = JSON.parse(await ls("--format", "json"));
    const byPid = (pid: number) => doc.agents.find((a: { pid: number }) => a.pid === pid);
    assert.deepEqual(byPid(full.pid).alerts, [{
      kind: "context_percent",
      text: "context 13% full (limit 10%)",
    }]);
    assert.deepEqual(byPid(calm.pid).alerts, []);
    // 21,000 cache reads at $3 (input) instead of $0.30 per million.
    assert.ok(
      Math.abs(byPid(full.pid).cache_saved_usd - 0.0567) < 1e-9,
      String(byPid(full.pid).cache_saved_usd),
    );
    assert.equal(byPid(calm.pid).cache_saved_usd, null);

    const csv = await ls("--format", "csv");
    assert.deepEqual(
      parseCsv(csv)[0].slice(-3),
      ["cache_saved_usd", "alerts", "alert_text"],
      "appended at the end",
    );
    const csvRow = (pid: number) => csvRecords(csv).find((r) => r.pid === String(pid))!;
    assert.equal(csvRow(full.pid).alerts, "context_percent");
    assert.equal(csvRow(full.pid).alert_text, "context 13% full (limit 10%)");
    assert.equal(csvRow(full.pid).cache_saved_usd, "0.0567");
    assert.equal(csvRow(calm.pid).alerts, "");

    // Without thresholds: no mark, no alert line.
    const plain = await runAgtop(["ls", "--sample", "0", "--filter", tag], {
      ...env,
      AGTOP_CONFIG: world.path("none.toml"),
    });
    assert.doesNotMatch(plain.stdout, /▲/, plain.stdout);
  },
});
