import assert from "node:assert/strict";
import { readHistoryInWorkers } from "../../cli/report_read.ts";
import { readHistory } from "../../agents/history/collect.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { writeClaude, writeCodex, writeQwen } from "../support/history.ts";

const DAY_MS = 86_400_000;

/** Runs `fn` with HOME (which both threads read) pointing at a fresh history of three agents' sessions. */
async function withHome(fn: () => Promise<void>): Promise<void> {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-report-read-" }));
  const saved = Deno.env.get("HOME");
  try {
    const now = Date.now();
    for (let s = 0; s < 24; s++) {
      // Sizes differ by a factor of 40, so threads sharing one list cannot finish in step by chance.
      const responses = Array.from({ length: 1 + (s * 7) % 40 }, (_, i) => ({
        at: now - (s + 1) * DAY_MS + i * 60_000,
        model: i % 2 ? "claude-sonnet-4-5" : "claude-opus-4-5",
        input: s + i,
        output: 10 * i + 1,
        cacheRead: 100 * s,
      }));
      const id = `${String(s).padStart(8, "0")}-1111-4111-8111-111111111111`;
      writeClaude(home, `/w/p${s % 5}`, id, responses, s % 4 === 0 ? responses.slice(0, 2) : []);
      if (s % 3 === 0) {
        writeCodex(home, `/w/c${s}`, `019a8b3c-29d1-7a2e-9c1f-${String(s).padStart(12, "0")}`, responses);
      }
      if (s % 5 === 0) {
        writeQwen(home, `/w/q${s}`, `${String(s).padStart(8, "0")}-2222-4222-8222-222222222222`, responses);
      }
    }
    Deno.env.set("HOME", home);
    await fn();
  } finally {
    if (saved === undefined) Deno.env.delete("HOME");
    else Deno.env.set("HOME", saved);
    Deno.removeSync(home, { recursive: true });
  }
}

Deno.test("a history read on two threads finds what one thread finds, session by session, in order", async () => {
  await withHome(async () => {
    const now = Date.now();
    const opts = { vendors: VENDORS.filter((v) => v.sessions), since: now - 60 * DAY_MS, now };
    const heard: number[][] = [];
    const one = await readHistory(opts);
    const two = await readHistoryInWorkers(
      { ...opts, progress: (read, total) => heard.push([read, total]) },
      2,
    );
    assert.equal(one.sessions.length, 24 + 8 + 5);
    assert.deepEqual(
      two.sessions.map((h) => [h.vendor.id, h.session.path, h.session.tokens, h.session.usageHistory]),
      one.sessions.map((h) => [h.vendor.id, h.session.path, h.session.tokens, h.session.usageHistory]),
    );
    assert.deepEqual(two.unreadable, one.unreadable);
    assert.equal(two.notRead, one.notRead);
    // Progress counts both threads' sessions against the one list.
    assert.deepEqual(heard.at(-1), [37, 37]);
    assert.ok(heard.every(([read], i) => i === 0 || read >= heard[i - 1][0]));
  });
});
