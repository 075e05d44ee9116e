/**
 * History readers list every session in the window: a report over more than 2,000 sessions of one
 * agent reads them all, while `ls` and the live view keep their cap of the newest.
 */
import assert from "node:assert/strict";
import { readHistory } from "../../../agents/history/collect.ts";
import { SessionLinker } from "../../../agents/collect/link.ts";
import { RECENT_SESSIONS_MAX } from "../../../agents/vendor.ts";
import { claude } from "../../../agents/vendors/claude/mod.ts";
import { codex } from "../../../agents/vendors/codex/mod.ts";
import { opencode } from "../../../agents/vendors/opencode/mod.ts";
import { qwen } from "../../../agents/vendors/qwen/mod.ts";
import {
  type OpenCodeSession,
  writeClaude,
  writeCodex,
  writeOpenCode,
  writeQwen,
} from "../../support/history.ts";

const COUNT = 2_100;

Deno.test("report readers: every one of 2,100 sessions of a JSONL agent and of a SQLite agent; ls keeps its cap", async () => {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-nocap-" }));
  try {
    const now = Date.now();
    const responses = (i: number) => [{ at: now - 60_000 - i * 1_000, model: "m", input: 1, output: i + 1 }];
    const ocSessions: OpenCodeSession[] = [];
    for (let i = 0; i < COUNT; i++) {
      writeQwen(home, "/w/app", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, responses(i));
      ocSessions.push({ id: `ses_${i}`, cwd: "/w/app", responses: responses(i) });
    }
    writeOpenCode(home, ocSessions);
    const vendors = [qwen, opencode];
    const profiles = { qwen: [{ HOME: home }], opencode: [{ HOME: home }] };
    const mine = (path: string) => path.startsWith(home);

    const history = await readHistory({ vendors, since: now - 86_400_000, now, profiles });
    const byAgent = (agent: string) =>
      history.sessions.filter((h) => h.vendor.id === agent && mine(h.session.path));
    assert.equal(byAgent("qwen").length, COUNT);
    assert.equal(byAgent("opencode").length, COUNT);
    assert.equal(history.notRead, 0);
    const output = byAgent("opencode").reduce((n, h) => n + h.session.tokens.output, 0);
    assert.equal(output, COUNT * (COUNT + 1) / 2, "each session read, none twice");

    const linker = new SessionLinker(vendors, profiles);
    await linker.load(vendors);
    const { found, more } = linker.recent([], new Set(), now, now - 86_400_000);
    assert.equal(found.filter((f) => mine(f.session.path)).length, RECENT_SESSIONS_MAX);
    assert.ok(more >= COUNT, "the rest counted, not read (a database is asked for its newest only)");
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test("report readers: Claude Code and Codex list every session past the cap, ls their newest", async () => {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-nocap-" }));
  try {
    const now = Date.now();
    const count = RECENT_SESSIONS_MAX + 100;
    const responses = (i: number) => [{ at: now - 60_000 - i * 1_000, model: "m", input: 1, output: i + 1 }];
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      writeClaude(home, "/w/app", id, responses(i));
      writeCodex(home, "/w/app", id, responses(i));
    }
    const vendors = [claude, codex];
    const profiles = { claude: [{ HOME: home }], codex: [{ HOME: home }] };
    const mine = (path: string) => path.startsWith(home);

    const history = await readHistory({ vendors, since: now - 86_400_000, now, profiles });
    for (const agent of ["claude", "codex"]) {
      const read = history.sessions.filter((h) => h.vendor.id === agent && mine(h.session.path));
      assert.equal(read.length, count, agent);
      assert.equal(read.reduce((n, h) => n + h.session.tokens.output, 0), count * (count + 1) / 2, agent);
    }
    assert.equal(history.notRead, 0);

    const linker = new SessionLinker(vendors, profiles);
    await linker.load(vendors);
    const { found } = linker.recent([], new Set(), now, now - 86_400_000);
    assert.equal(found.filter((f) => mine(f.session.path)).length, RECENT_SESSIONS_MAX);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
