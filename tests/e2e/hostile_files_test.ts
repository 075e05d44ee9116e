/**
 * Files that are not what they claim, end to end: FIFOs, links to /dev/zero and sparse multi-GB files
 * where transcripts, meta files, registry files, git files, a config and a price file belong. `main.ts`
 * runs as a subprocess with a timeout, so a regression (a read that blocks or never ends) fails here
 * instead of hanging the suite.
 */
import assert from "node:assert/strict";
import { RUN_PERMISSIONS } from "../support/fakes.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

const TIMEOUT_MS = 20_000;

/** Runs agtop with `env`, killed after {@linkcode TIMEOUT_MS}; `finished` false when it was killed. */
async function runBounded(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  const dec = new TextDecoder();
  return {
    finished: out.signal === null,
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

function mkfifo(path: string): void {
  const r = new Deno.Command("mkfifo", { args: [path] }).outputSync();
  if (!r.success) throw new Error(`mkfifo ${path} failed`);
}

/** A sparse file of `bytes` (nothing written: reading it yields zeros for ever, as far as agtop cares). */
function sparse(path: string, bytes: number): void {
  Deno.writeTextFileSync(path, "");
  Deno.truncateSync(path, bytes);
}

const GB = 2 ** 30;

Deno.test({
  name: "hostile files: FIFOs, /dev/zero links and sparse files degrade one field, never hang ls --all",
  ignore: Deno.build.os === "windows",
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "agtop-hostile-" });
    try {
      const home = `${root}/home`;
      const projects = `${home}/.claude/projects/-work-app`;
      Deno.mkdirSync(projects, { recursive: true });
      Deno.mkdirSync(`${home}/.claude/sessions`, { recursive: true });
      // The good session, whose cwd is a repository with a FIFO for HEAD.
      const repo = `${root}/repo`;
      Deno.mkdirSync(`${repo}/.git`, { recursive: true });
      mkfifo(`${repo}/.git/HEAD`);
      const sparseRepo = `${root}/sparse-repo`;
      Deno.mkdirSync(`${sparseRepo}/.git`, { recursive: true });
      sparse(`${sparseRepo}/.git/HEAD`, 8 * GB);
      const good = "11111111-1111-4111-8111-111111111111";
      const rec = (cwd: string, id: string) =>
        JSON.stringify({
          type: "user",
          sessionId: id,
          cwd,
          timestamp: new Date().toISOString(),
          message: { role: "user", content: "the good prompt" },
        }) + "\n";
      Deno.writeTextFileSync(`${projects}/${good}.jsonl`, rec(repo, good));
      const good2 = "55555555-5555-4555-8555-555555555555";
      Deno.writeTextFileSync(`${projects}/${good2}.jsonl`, rec(sparseRepo, good2));
      // Transcripts that are not files, or are endless.
      mkfifo(`${projects}/22222222-2222-4222-8222-222222222222.jsonl`);
      Deno.symlinkSync("/dev/zero", `${projects}/33333333-3333-4333-8333-333333333333.jsonl`);
      sparse(`${projects}/44444444-4444-4444-8444-444444444444.jsonl`, 8 * GB);
      // Registry and meta files of other agents.
      mkfifo(`${home}/.claude/sessions/4242.json`);
      Deno.mkdirSync(`${home}/.gemini/tmp/abc`, { recursive: true });
      mkfifo(`${home}/.gemini/projects.json`);
      mkfifo(`${home}/.gemini/tmp/abc/.project_root`);
      Deno.mkdirSync(`${home}/.local/state/amp`, { recursive: true });
      mkfifo(`${home}/.local/state/amp/last-thread-id`);
      Deno.mkdirSync(`${home}/.local/share/opencode`, { recursive: true });
      mkfifo(`${home}/.local/share/opencode/opencode.db`);
      Deno.mkdirSync(`${home}/.local/share/goose/sessions`, { recursive: true });
      Deno.symlinkSync("/dev/zero", `${home}/.local/share/goose/sessions/sessions.db`);

      const env = { HOME: home, XDG_CONFIG_HOME: `${root}/config`, XDG_STATE_HOME: `${home}/.local/state` };
      const started = performance.now();
      const res = await runBounded(["ls", "--all", "--format", "json", "--sample", "0"], env);
      assert.ok(res.finished, `ls --all was killed after ${TIMEOUT_MS} ms`);
      assert.equal(res.code, 0, res.stderr);
      const rows = JSON.parse(res.stdout).agents;
      const byId = (id: string) => rows.find((a: { session: { id: string } | null }) => a.session?.id === id);
      assert.equal(byId(good)?.session.last_prompt, "the good prompt");
      assert.equal(byId(good)?.git, null);
      assert.equal(byId(good2)?.git, null);
      assert.ok(performance.now() - started < TIMEOUT_MS);

      // A FIFO named as the config file or the price file is an error, not a hang.
      const fifo = `${root}/named.toml`;
      mkfifo(fifo);
      const prices = await runBounded(["ls", "--prices", fifo, "--sample", "0"], env);
      assert.ok(prices.finished, "--prices FIFO hung");
      assert.notEqual(prices.code, 0);
      assert.match(prices.stderr, /not a regular file/);
      const config = await runBounded(["ls", "--sample", "0"], { ...env, AGTOP_CONFIG: fifo });
      assert.ok(config.finished, "AGTOP_CONFIG FIFO hung");
      assert.notEqual(config.code, 0);
      assert.match(config.stderr, /not a regular file/);
      const zero = await runBounded(["ls", "--sample", "0"], { ...env, AGTOP_CONFIG: "/dev/zero" });
      assert.ok(zero.finished && zero.code !== 0, "AGTOP_CONFIG /dev/zero");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
