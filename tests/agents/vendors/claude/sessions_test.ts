import assert from "node:assert/strict";
import { ClaudeSessionSource, javaHash, projectDirName } from "../../../../agents/vendors/claude/sessions.ts";
import { linkContext as ctx, NOW, START_ID, STARTED, uuid, withHome } from "../../../support/sessions.ts";

/** Writes a Claude transcript whose records carry `cwd`, modified `ageMs` ago. */
function claudeTranscript(
  home: string,
  cwd: string,
  id: string,
  ageMs = 1_000,
  dirName = projectDirName(cwd),
): string {
  const dir = `${home}/.claude/projects/${dirName}`;
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/${id}.jsonl`;
  const lines = [
    { type: "permission-mode", permissionMode: "default", sessionId: id },
    {
      type: "user",
      sessionId: id,
      cwd,
      timestamp: new Date(NOW - ageMs).toISOString(),
      message: { content: `hi ${id}` },
    },
  ];
  Deno.writeTextFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const t = new Date(NOW - ageMs);
  Deno.utimeSync(path, t, t);
  return path;
}

function registry(home: string, pid: number, fields: Record<string, unknown>): void {
  Deno.mkdirSync(`${home}/.claude/sessions`, { recursive: true });
  Deno.writeTextFileSync(`${home}/.claude/sessions/${pid}.json`, JSON.stringify({ pid, ...fields }));
}

Deno.test("projectDirName encodes forward, hashing paths past 200 characters", () => {
  assert.equal(projectDirName("/home/me/proj/claude/my_repo.v2"), "-home-me-proj-claude-my-repo-v2");
  assert.equal(projectDirName("/home/me/My Project (old)"), "-home-me-My-Project--old-");
  assert.equal(javaHash("abc"), 96354);
  const long = "/srv/" + "deep_dir.with space/".repeat(12) + "end";
  let h = 0;
  for (const c of long) h = (Math.imul(31, h) + c.charCodeAt(0)) | 0;
  const name = projectDirName(long);
  assert.equal(name, long.replace(/[^a-zA-Z0-9]/g, "-").slice(0, 200) + "-" + Math.abs(h).toString(36));
});

Deno.test("claude link: the registry with a matching procStart names the session", () => {
  withHome((home) => {
    const cwd = "/home/me/work/my_repo.v2";
    const path = claudeTranscript(home, cwd, uuid(1));
    claudeTranscript(home, cwd, uuid(2), 10); // newer, but not this process's
    registry(home, 4242, {
      sessionId: uuid(1),
      cwd,
      startedAt: STARTED + 300,
      procStart: String(START_ID),
      status: "busy",
    });
    const source = new ClaudeSessionSource();
    const link = source.link(ctx(home, { cwd }));
    assert.deepEqual(link, { path, id: uuid(1), linkedBy: "registry" });
    const facts = source.read(link!, NOW);
    assert.equal(facts?.turn, "working");
    assert.equal(facts?.lastPrompt, `hi ${uuid(1)}`);
  });
});

Deno.test("claude link: a registry of a reused pid is ignored; no procStart falls back to startedAt", () => {
  withHome((home) => {
    const cwd = "/home/me/w";
    claudeTranscript(home, cwd, uuid(1), 120_000); // older than the process
    registry(home, 4242, { sessionId: uuid(1), cwd, startedAt: STARTED - 3_600_000, procStart: "1" });
    const source = new ClaudeSessionSource();
    if (Deno.build.os === "linux") assert.equal(source.link(ctx(home, { cwd })), null);
    registry(home, 4242, { sessionId: uuid(1), cwd, startedAt: STARTED + 2_000 });
    assert.equal(source.link(ctx(home, { cwd }))?.linkedBy, "registry");
    registry(home, 4242, { sessionId: uuid(1), cwd, startedAt: STARTED + 60_000 });
    assert.equal(source.link(ctx(home, { cwd })), null);
  });
});

Deno.test("claude link: a registered session with no transcript yet links to the path it will have", () => {
  withHome((home) => {
    const cwd = "/home/me/fresh";
    registry(home, 4242, {
      sessionId: uuid(7),
      cwd,
      startedAt: STARTED,
      procStart: String(START_ID),
      status: "waiting",
      waitingFor: "permission prompt",
    });
    const source = new ClaudeSessionSource();
    const link = source.link(ctx(home, { cwd }));
    assert.equal(link?.path, `${home}/.claude/projects/-home-me-fresh/${uuid(7)}.jsonl`);
    const facts = source.read(link!, NOW);
    assert.equal(facts?.id, uuid(7));
    assert.equal(facts?.waitingFor, "permission prompt");
    assert.equal(facts?.tokens.output, 0);
  });
});

Deno.test("claude link: two agents in one cwd get different sessions", () => {
  withHome((home) => {
    const cwd = "/home/me/shared repo_x.y";
    const a = claudeTranscript(home, cwd, uuid(1), 3_000);
    const b = claudeTranscript(home, cwd, uuid(2), 1_000);
    const source = new ClaudeSessionSource();
    // Through the registry: exact.
    registry(home, 100, { sessionId: uuid(1), cwd, startedAt: STARTED, procStart: "11" });
    registry(home, 200, { sessionId: uuid(2), cwd, startedAt: STARTED, procStart: "22" });
    assert.equal(source.link(ctx(home, { cwd, pid: 100, startId: 11 }))?.path, a);
    assert.equal(source.link(ctx(home, { cwd, pid: 200, startId: 22 }))?.path, b);
    // By directory: the newest unclaimed transcript each.
    const first = source.link(ctx(home, { cwd, pid: 300 }));
    const second = source.link(ctx(home, { cwd, pid: 301, claimed: new Set([first!.path]) }));
    assert.deepEqual([first?.path, first?.linkedBy, second?.path], [b, "cwd", a]);
    assert.equal(source.link(ctx(home, { cwd, pid: 302, claimed: new Set([a, b]) })), null);
  });
});

Deno.test("claude link: by directory only transcripts written since the process started, confirmed by cwd", () => {
  withHome((home) => {
    const cwd = "/home/me/a-b";
    claudeTranscript(home, cwd, uuid(1), 3_600_000); // before the process started
    const source = new ClaudeSessionSource();
    assert.equal(source.link(ctx(home, { cwd })), null);
    // "/home/me/a.b" encodes to the same directory; its transcript must not be taken for "/home/me/a-b".
    claudeTranscript(home, "/home/me/a.b", uuid(2), 1_000);
    assert.equal(source.link(ctx(home, { cwd })), null);
    const mine = claudeTranscript(home, cwd, uuid(3), 2_000);
    assert.equal(source.link(ctx(home, { cwd, now: NOW + 2_000 }))?.path, mine); // the next tick lists again
  });
});

Deno.test("claude link: long cwds (> 200 characters) match by prefix and the recorded cwd", () => {
  withHome((home) => {
    const cwd = "/home/me/" + "very_long.directory name/".repeat(10) + "repo";
    const other = cwd + "-other";
    const prefix = projectDirName(cwd).slice(0, 200);
    // An older Claude Code named the directory with another suffix; a sibling long path shares the prefix.
    const mine = claudeTranscript(home, cwd, uuid(1), 2_000, `${prefix}-oldsuffix`);
    claudeTranscript(home, other, uuid(2), 1_000, projectDirName(other));
    const source = new ClaudeSessionSource();
    assert.equal(projectDirName(other).slice(0, 200), prefix);
    assert.deepEqual(source.link(ctx(home, { cwd })), { path: mine, id: uuid(1), linkedBy: "cwd" });
  });
});

Deno.test("claude link: tool child env and argv name the session", () => {
  withHome((home) => {
    const cwd = "/home/me/p";
    const a = claudeTranscript(home, cwd, uuid(1), 3_600_000);
    const b = claudeTranscript(home, "/elsewhere", uuid(2), 3_600_000);
    const source = new ClaudeSessionSource();
    const byEnv = source.link(ctx(home, { cwd, childEnv: [{ CLAUDE_CODE_SESSION_ID: uuid(1) }] }));
    assert.deepEqual(byEnv, { path: a, id: uuid(1), linkedBy: "env" });
    const byArgv = source.link(ctx(home, { cwd, argv: ["claude", "--resume", uuid(2)] }));
    assert.deepEqual(byArgv, { path: b, id: uuid(2), linkedBy: "argv" });
    assert.equal(
      source.link(ctx(home, { cwd, argv: ["claude", `--session-id=${uuid(1)}`] }))?.linkedBy,
      "argv",
    );
    assert.equal(source.link(ctx(home, { cwd, argv: ["claude", "-r", uuid(2), "--fork-session"] })), null);
    // The agent's own env (set by a parent Claude Code) is not its session.
    assert.equal(source.link(ctx(home, { cwd, env: { HOME: home, CLAUDE_CODE_SESSION_ID: uuid(1) } })), null);
  });
});

Deno.test("claude link: CLAUDE_CONFIG_DIR moves the data directory", () => {
  withHome((home) => {
    const cwd = "/home/me/p";
    const dir = `${home}/custom`;
    Deno.mkdirSync(`${dir}/projects/${projectDirName(cwd)}`, { recursive: true });
    const path = `${dir}/projects/${projectDirName(cwd)}/${uuid(5)}.jsonl`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify({ type: "user", cwd, sessionId: uuid(5), message: { content: "x" } }) + "\n",
    );
    const source = new ClaudeSessionSource();
    const link = source.link(ctx(home, { cwd, env: { HOME: home, CLAUDE_CONFIG_DIR: dir } }));
    assert.equal(link?.path, path);
    assert.deepEqual(
      source.recent([{ HOME: home, CLAUDE_CONFIG_DIR: dir }], NOW - 60_000).links.map((l) => l.path),
      [path],
    );
  });
});

Deno.test("claude link: /clear is followed on the next tick", () => {
  withHome((home) => {
    const cwd = "/home/me/p";
    const before = claudeTranscript(home, cwd, uuid(1), 5_000);
    const source = new ClaudeSessionSource();
    registry(home, 4242, {
      sessionId: uuid(1),
      cwd,
      startedAt: STARTED,
      procStart: String(START_ID),
      status: "idle",
    });
    assert.equal(source.link(ctx(home, { cwd }))?.path, before);
    assert.equal(source.read({ path: before, id: uuid(1), linkedBy: "registry" }, NOW)?.turn, "ended");
    // /clear: Claude Code writes a new transcript and updates the registry.
    const after = claudeTranscript(home, cwd, uuid(2), 0);
    registry(home, 4242, {
      sessionId: uuid(2),
      cwd,
      startedAt: STARTED,
      procStart: String(START_ID),
      status: "idle",
    });
    const link = source.link(ctx(home, { cwd, now: NOW + 2_000 }));
    assert.equal(link?.path, after);
    assert.equal(source.read(link!, NOW + 2_000)?.lastPrompt, `hi ${uuid(2)}`);
    // Builds without a registry: the newest transcript of the directory.
    Deno.removeSync(`${home}/.claude/sessions/4242.json`);
    assert.equal(source.link(ctx(home, { cwd, now: NOW + 4_000 }))?.path, after);
  });
});

Deno.test("claude recent: session files modified since, subagent files left out", () => {
  withHome((home) => {
    const fresh = claudeTranscript(home, "/a", uuid(1), 1_000);
    claudeTranscript(home, "/b", uuid(2), 3_600_000);
    Deno.writeTextFileSync(`${home}/.claude/projects/-a/agent-abc.jsonl`, "{}\n");
    const got = new ClaudeSessionSource().recent([{ HOME: home }, { HOME: home }], NOW - 60_000).links
      .map(({ at: _, ...l }) => l);
    assert.deepEqual(got, [{ path: fresh, id: uuid(1), linkedBy: "recent" }]);
  });
});
