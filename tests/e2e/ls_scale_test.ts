/**
 * `ls --all` over a long history: more recent sessions than the cap and many old transcripts in folders
 * untouched for weeks. The newest up to the cap are listed and the rest counted, in every format.
 */
import assert from "node:assert/strict";
import { RECENT_SESSIONS_MAX } from "../../agents/vendor.ts";
import { runAgtop } from "../support/fakes.ts";
import { csvRecords } from "../support/csv.ts";

const DAY_MS = 86_400_000;
const EXTRA = 20;

/** A two-line Claude Code transcript of session `id` in `cwd`, last written at `at`. */
function transcript(dir: string, id: string, cwd: string, at: number): void {
  const line = (type: string, text: string) =>
    JSON.stringify({
      type,
      sessionId: id,
      cwd,
      timestamp: new Date(at).toISOString(),
      message: { role: type, content: text },
    });
  const path = `${dir}/${id}.jsonl`;
  Deno.writeTextFileSync(path, `${line("user", "run the tests")}\n${line("assistant", "done")}\n`);
  Deno.utimeSync(path, new Date(at), new Date(at));
}

const uuid = (kind: number, i: number) =>
  `00000000-${String(kind).padStart(4, "0")}-4000-8000-${String(i).padStart(12, "0")}`;

Deno.test("ls --all: the newest sessions up to the cap, and how many more, in table, JSON and CSV", async () => {
  const home = await Deno.makeTempDir({ prefix: "agtop-scale-" });
  try {
    const now = Date.now();
    const projects = `${home}/.claude/projects`;
    const weeksAgo = new Date(now - 30 * DAY_MS);
    for (let p = 0; p < 4; p++) {
      const dir = `${projects}/-home-me-old-${p}`;
      Deno.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 500; i++) transcript(dir, uuid(p + 1, i), `/home/me/old-${p}`, weeksAgo.getTime());
      Deno.utimeSync(dir, weeksAgo, weeksAgo);
    }
    const fresh = `${projects}/-home-me-app`;
    Deno.mkdirSync(fresh, { recursive: true });
    for (let i = 0; i < RECENT_SESSIONS_MAX + EXTRA; i++) {
      transcript(fresh, uuid(9, i), "/home/me/app", now - 120_000 - i * 1_000);
    }
    const env = { HOME: home, COLUMNS: "200" };
    const ours = (path: string | undefined) => path?.startsWith(home) ?? false;

    const json = await runAgtop(["ls", "--all", "--format", "json", "--sample", "0"], env);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    const listed = doc.agents.filter((a: { session?: { path?: string } }) => ours(a.session?.path));
    assert.equal(listed.length, RECENT_SESSIONS_MAX);
    assert.equal(doc.more_sessions, EXTRA);
    // The newest are the ones listed: session 0 is, the oldest recent one is not.
    const ids = new Set(listed.map((a: { session: { id: string } }) => a.session.id));
    assert.ok(ids.has(uuid(9, 0)) && !ids.has(uuid(9, RECENT_SESSIONS_MAX + EXTRA - 1)));

    const table = await runAgtop(["ls", "--all", "--sample", "0"], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`\\+${EXTRA} more sessions not listed`));

    const csv = await runAgtop(["ls", "--all", "--format", "csv", "--sample", "0"], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(csvRecords(csv.stdout).length >= RECENT_SESSIONS_MAX);
    assert.match(csv.stderr, new RegExp(`\\+${EXTRA} more sessions not listed`));

    const live = await runAgtop(["ls", "--format", "json", "--sample", "0"], env);
    assert.equal(JSON.parse(live.stdout).more_sessions, undefined); // only with --all
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
