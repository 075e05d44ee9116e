import assert from "node:assert/strict";
import { CodexSessionSource, rolloutThreadId } from "../../../../agents/vendors/codex/sessions.ts";
import { linkContext as ctx, NOW, uuid, withHome } from "../../../support/sessions.ts";

/** Local-time date directory, as Codex names them. */
function dateDir(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
}

/** Writes a Codex rollout; `parent` makes it a subagent's. */
function rollout(
  home: string,
  id: string,
  cwd: string,
  opts: { day?: string; parent?: string; ageMs?: number } = {},
): string {
  const dir = `${home}/.codex/sessions/${opts.day ?? dateDir(NOW)}`;
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/rollout-2026-11-24T03-29-12-${id}.jsonl`;
  const meta = opts.parent
    ? {
      id,
      session_id: opts.parent,
      parent_thread_id: opts.parent,
      cwd,
      source: { subagent: { thread_spawn: { parent_thread_id: opts.parent } } },
      thread_source: "subagent",
    }
    : { id, session_id: id, cwd, source: "cli", thread_source: "user" };
  Deno.writeTextFileSync(
    path,
    JSON.stringify({ timestamp: new Date(NOW).toISOString(), type: "session_meta", payload: meta }) + "\n",
  );
  const t = new Date(NOW - (opts.ageMs ?? 1_000));
  Deno.utimeSync(path, t, t);
  return path;
}

Deno.test("codex link: an open rollout (exec) and a shared daemon's rollouts by cwd", () => {
  withHome((home) => {
    const mine = rollout(home, uuid(1), "/w/one");
    const theirs = rollout(home, uuid(2), "/w/two", { ageMs: 10 });
    const source = new CodexSessionSource();
    assert.deepEqual(source.link(ctx(home, { cwd: "/w/one", openFiles: [mine, `${home}/.codex/x.lock`] })), {
      path: mine,
      id: uuid(1),
      linkedBy: "fd",
    });
    // The daemon holds both TUIs' rollouts: each TUI gets the one in its cwd.
    const both = [mine, theirs];
    assert.equal(source.link(ctx(home, { cwd: "/w/two", openFiles: both }))?.path, theirs);
    assert.equal(source.link(ctx(home, { cwd: "/w/one", openFiles: both }))?.path, mine);
  });
});

Deno.test("codex link: a subagent's thread id in a tool child's env leads to the top-level thread", () => {
  withHome((home) => {
    const parent = rollout(home, uuid(1), "/w", { ageMs: 3_600_000 });
    rollout(home, uuid(2), "/w", { parent: uuid(1) });
    const source = new CodexSessionSource();
    const link = source.link(ctx(home, { cwd: "/w", childEnv: [{ CODEX_THREAD_ID: uuid(2) }] }));
    assert.deepEqual(link, { path: parent, id: uuid(1), linkedBy: "env" });
    // A tool shell of another TUI (same daemon, other cwd) is not this agent's.
    assert.equal(
      source.link(ctx(home, { cwd: "/elsewhere", childEnv: [{ CODEX_THREAD_ID: uuid(2) }] })),
      null,
    );
  });
});

Deno.test("codex link: `resume <uuid>` finds a rollout in an old date directory", () => {
  withHome((home) => {
    const old = rollout(home, uuid(9), "/w", { day: "2025/01/02", ageMs: 3_600_000 * 24 * 300 });
    const source = new CodexSessionSource();
    const link = source.link(ctx(home, { cwd: "/w", argv: ["codex", "resume", uuid(9)] }));
    assert.deepEqual(link, { path: old, id: uuid(9), linkedBy: "argv" });
  });
});

Deno.test("codex link: by cwd (with -C), newest top-level rollout written since the start", () => {
  withHome((home) => {
    rollout(home, uuid(1), "/w/app", { ageMs: 3_600_000 }); // before the process started
    rollout(home, uuid(3), "/w/app", { parent: uuid(2) }); // a subagent
    const mine = rollout(home, uuid(2), "/w/app", { ageMs: 5_000 });
    const source = new CodexSessionSource();
    assert.equal(source.link(ctx(home, { cwd: "/w/app" }))?.path, mine);
    assert.equal(source.link(ctx(home, { cwd: "/w", argv: ["codex", "-C", "app"] }))?.path, mine);
    assert.equal(source.link(ctx(home, { cwd: "/w/app", claimed: new Set([mine]) })), null);
    assert.equal(
      source.link(ctx(home, { cwd: "/w/app", env: { HOME: home, CODEX_HOME: `${home}/nowhere` } })),
      null,
    );
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), [uuid(2)]);
  });
});

Deno.test("codex: rollout file names give the thread id", () => {
  assert.equal(rolloutThreadId(`rollout-2026-11-24T03-29-12-${uuid(4)}.jsonl`), uuid(4));
  assert.equal(rolloutThreadId("thread-writer.lock"), null);
});

Deno.test("codex: a thread resumed from an older date folder is linked by cwd and listed by --all", () => {
  withHome((home) => {
    // The fixture rollout began weeks ago (its date folder); it is resumed now: appended, a prompt in history.
    const fixture = new URL(
      "../../../fixtures/codex/rollout-2026-11-24T03-29-12-019a8b3c-29d1-7a2e-9c1f-3b5d7e9f1a74.jsonl",
      import.meta.url,
    );
    const id = "019a8b3c-29d1-7a2e-9c1f-3b5d7e9f1a74";
    const old = dateDir(NOW - 40 * 86_400_000);
    const dir = `${home}/.codex/sessions/${old}`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/rollout-2026-11-24T03-29-12-${id}.jsonl`;
    Deno.copyFileSync(fixture, path);
    const touched = new Date(NOW - 2_000);
    Deno.utimeSync(path, touched, touched);
    const other = rollout(home, uuid(9), "/elsewhere");
    const source = new CodexSessionSource();
    assert.equal(source.link(ctx(home, { argv: ["codex", "resume"], cwd: "/home/me/svc" })), null);
    const history = [
      { session_id: uuid(9), ts: Math.floor(NOW / 1000) - 10, text: "other" },
      { session_id: id, ts: Math.floor((NOW - 90 * 86_400_000) / 1000), text: "long ago" },
      { session_id: id, ts: Math.floor(NOW / 1000) - 5, text: "go on" },
    ];
    Deno.writeTextFileSync(
      `${home}/.codex/history.jsonl`,
      history.map((h) => JSON.stringify(h)).join("\n") + "\n",
    );
    assert.deepEqual(source.link(ctx(home, { argv: ["codex", "resume"], cwd: "/home/me/svc" })), {
      path,
      id,
      linkedBy: "cwd",
    });
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 3_600_000).links.map((l) => l.path), [
      other,
      path,
    ]);
  });
});
