/**
 * Sessions of Copilot CLI, Aider, Amp and Cursor Agent end to end: agent-shaped processes (at the
 * paths `agents/vendors/*.ts` recognise) linked to session files written here from the documented
 * formats, checked through `main.ts ls --format json` as users run it.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";

const skip = fakesUnavailable();
if (skip) console.log(`session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const line = (o: unknown) => JSON.stringify(o) + "\n";
const iso = (ms: number) => new Date(ms).toISOString();
const two = (n: number) => String(n).padStart(2, "0");
/** Local time as Aider writes it in a run heading. */
const localStamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
};

/** The interpreter python3 really is (a pyenv shim or a venv link would hide it), or null. */
async function python(): Promise<string | null> {
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", "import sys; print(sys.executable)"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const path = new TextDecoder().decode(out.stdout).trim();
    return out.success && path ? path : null;
  } catch {
    return null;
  }
}

/** Copilot CLI events, one line each, a second apart from `t`. */
function copilotEvents(t: number, events: [string, Record<string, unknown>][]): string {
  return events.map(([type, data], i) =>
    line({ type, data, id: `e${i}`, timestamp: iso(t + i * 1000), parentId: i ? `e${i - 1}` : null })
  ).join("");
}

function copilotSession(state: string, id: string, cwd: string, events: string, lockPid?: number): void {
  Deno.mkdirSync(`${state}/${id}`, { recursive: true });
  Deno.writeTextFileSync(
    `${state}/${id}/workspace.yaml`,
    `id: ${id}\ncwd: ${cwd}\nbranch: main\nclient_name: github/cli\ncreated_at: ${iso(Date.now())}\n`,
  );
  if (lockPid !== undefined) Deno.writeTextFileSync(`${state}/${id}/inuse.${lockPid}.lock`, `${lockPid}`);
  Deno.writeTextFileSync(`${state}/${id}/events.jsonl`, events);
}

/** A Cursor chat store: `meta` row `0` holding hex-encoded JSON, and a blob table. */
function cursorStore(path: string, meta: Record<string, unknown>, wal: boolean): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const db = new DatabaseSync(path);
  if (wal) db.exec("PRAGMA journal_mode=WAL");
  db.exec(
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB)",
  );
  const hex = [...new TextEncoder().encode(JSON.stringify(meta))].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  db.prepare("INSERT INTO meta VALUES ('0', ?)").run(hex);
  db.prepare("INSERT INTO blobs VALUES (?, ?)").run("ab12", new Uint8Array([1, 2, 3]));
  db.close();
}

Deno.test({
  name: "sessions: Copilot CLI, Aider, Amp and Cursor Agent linked and read through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const env = {
      HOME: home,
      COPILOT_HOME: `${home}/.copilot`,
      XDG_DATA_HOME: `${home}/.local/share`,
      XDG_STATE_HOME: `${home}/.local/state`,
    };
    const py = await python();

    // The processes first: agents write their files after they start.
    const copilotExe = world.native("node_modules/@github/copilot-linux-x64/copilot");
    const byLock = world.spawn(copilotExe, [], { cwd: world.dir("work/cli-tool"), env });
    const byArgv = world.spawn(copilotExe, ["--resume=bbbbbbbb-0000-4000-8000-000000000002"], {
      cwd: world.dir("work/api"),
      env,
    });
    const byCwd = world.spawn(copilotExe, ["--model", "gpt-5.1"], { cwd: world.dir("work/web"), env });
    const repo = world.dir("work/repo");
    world.dir("work/repo/.git");
    Deno.writeTextFileSync(`${repo}/.git/HEAD`, "ref: refs/heads/main\n");
    const aiderScript = world.script("venvs/aider/bin/aider", "import time\ntime.sleep(3600)\n");
    const aider = py ? world.spawn(py, [aiderScript], { cwd: world.dir("work/repo/src"), env }) : null;
    const ampScript = world.script(
      "node_modules/@sourcegraph/amp/dist/main.js",
      "setInterval(() => {}, 1e9);\n",
    );
    const ampCwd = world.dir("work/amp app");
    const amp = world.spawn("node", [ampScript], { cwd: ampCwd, env });
    const cursorScript = world.script(
      "home/.local/share/cursor-agent/versions/2026.01.01/index.js",
      "setInterval(() => {}, 1e9);\n",
    );
    const cursorCwd = world.dir("work/shop");
    const cursor = world.spawn("node", [cursorScript], { cwd: cursorCwd, env });
    const walChat = "dddddddd-0000-4000-8000-000000000004";
    const cursorResumed = world.spawn("node", [cursorScript, "--resume", walChat], {
      cwd: world.dir("work/other"),
      env,
    });
    await new Promise((r) => setTimeout(r, 200));
    const now = Date.now();

    // Copilot: a session holding the process's lock (a newer one in the same directory has none),
    // one named by --resume, one found by its workspace cwd with a permission prompt open.
    const state = `${home}/.copilot/session-state`;
    const lockId = "aaaaaaaa-0000-4000-8000-000000000001";
    copilotSession(
      state,
      lockId,
      `${world.root}/work/cli-tool`,
      copilotEvents(now - 5000, [
        ["session.start", {
          sessionId: lockId,
          selectedModel: "gpt-5.1",
          context: { cwd: `${world.root}/work/cli-tool`, branch: "main" },
        }],
        ["user.message", { content: "fix lint errors", delivery: "idle" }],
        ["assistant.turn_start", { turnId: "0" }],
        ["session.usage_record", {
          usage: {
            model: "gpt-5.1",
            inputTokens: 5010,
            outputTokens: 210,
            cacheReadTokens: 3010,
            reasoningTokens: 50,
          },
        }],
        ["assistant.message", {
          messageId: "m1",
          model: "gpt-5.1",
          content: "Running the linter.",
          toolRequests: [{ toolCallId: "tc1", name: "bash", arguments: { command: "npm run lint" } }],
        }],
        ["tool.execution_start", {
          toolCallId: "tc1",
          toolName: "bash",
          arguments: { command: "npm run lint" },
        }],
      ]),
      byLock.pid,
    );
    copilotSession(
      state,
      "aaaaaaaa-0000-4000-8000-00000000000f",
      `${world.root}/work/cli-tool`,
      copilotEvents(now - 1000, [["session.start", { sessionId: "aaaaaaaa-0000-4000-8000-00000000000f" }]]),
    );
    const argvId = "bbbbbbbb-0000-4000-8000-000000000002";
    copilotSession(
      state,
      argvId,
      "/somewhere/else",
      copilotEvents(now - 90_000, [
        ["session.start", { sessionId: argvId, selectedModel: "claude-sonnet-4.5" }],
        ["user.message", { content: "summarise the API" }],
        ["assistant.turn_start", { turnId: "0" }],
        ["assistant.message", { messageId: "m1", model: "claude-sonnet-4.5", content: "It has 4 routes." }],
        ["assistant.turn_end", { turnId: "0" }],
      ]),
    );
    const cwdId = "cccccccc-0000-4000-8000-000000000003";
    copilotSession(
      state,
      cwdId,
      `${world.root}/work/web`,
      copilotEvents(now - 3000, [
        ["session.start", { sessionId: cwdId, selectedModel: "gpt-5.1" }],
        ["user.message", { content: "clean the build" }],
        ["assistant.turn_start", { turnId: "0" }],
        ["permission.requested", { requestId: "p1", permissionRequest: { kind: "shell" } }],
      ]),
    );

    // Aider: an older run of another process, then this process's run.
    const run = localStamp(now);
    if (aider) {
      Deno.writeTextFileSync(
        `${repo}/.aider.chat.history.md`,
        [
          "",
          `# aider chat started at ${localStamp(now - 86_400_000)}`,
          "",
          "#### an old question  ",
          "> Tokens: 1.0k sent, 10 received. Cost: $0.01 message, $0.01 session.  ",
          "",
          `# aider chat started at ${run}`,
          "",
          "> Aider v0.86.1  ",
          "> Main model: anthropic/claude-sonnet-4-5 with diff edit format, prompt cache  ",
          "",
          "#### add input validation  ",
          "",
          "Done.",
          "",
          "> Tokens: 12k sent, 2.1k cache write, 9.8k cache hit, 345 received.",
          "Cost: $0.05 message, $0.12 session.  ",
          "",
        ].join("\n"),
      );
    }

    // Amp: the thread last used, in the process's directory, with a tool running.
    const threadId = "T-019b9d03-62e3-772f-9780-3e637f90eaec";
    world.dir("home/.local/share/amp/threads");
    world.dir("home/.local/state/amp");
    Deno.writeTextFileSync(`${home}/.local/state/amp/last-thread-id`, threadId);
    Deno.writeTextFileSync(
      `${home}/.local/share/amp/threads/${threadId}.json`,
      JSON.stringify({
        v: 3,
        id: threadId,
        title: "Make the tests pass",
        created: now - 4000,
        env: { initial: { trees: [{ displayName: "amp app", uri: `file://${encodeURI(ampCwd)}` }] } },
        messages: [
          { role: "user", messageId: 0, content: [{ type: "text", text: "make the tests pass" }] },
          {
            role: "assistant",
            messageId: 1,
            content: [{ type: "tool_use", id: "tu1", name: "Bash", input: { cmd: "npm test" } }],
            state: { type: "complete", stopReason: "tool_use" },
            usage: {
              model: "claude-sonnet-4-5-20250929",
              inputTokens: 3,
              outputTokens: 187,
              cacheCreationInputTokens: 4200,
              cacheReadInputTokens: 21000,
              timestamp: iso(now - 2000),
            },
          },
        ],
      }),
    );

    // Cursor: a chat of the process's directory (rollback journal), and a WAL chat no one has open
    // that a resumed process names: opening it would create files, so only its id and time are read.
    const chats = `${home}/.cursor/chats`;
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const chat = "eeeeeeee-0000-4000-8000-000000000005";
    cursorStore(`${chats}/${md5(cursorCwd)}/${chat}/store.db`, {
      agentId: chat,
      latestRootBlobId: "ab12",
      name: "Fix the checkout",
      mode: "agent",
      createdAt: now - 3000,
      lastUsedModel: "gpt-5",
    }, false);
    const walStore = `${chats}/${md5("/elsewhere")}/${walChat}/store.db`;
    cursorStore(walStore, { agentId: walChat, lastUsedModel: "claude-4-sonnet" }, true);

    const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
    assert.equal(res.code, 0, res.stderr);
    const agents: Json[] = JSON.parse(res.stdout).agents;
    const byPid = (pid: number) => {
      const a = agents.find((x) => x.pid === pid);
      assert.ok(a, `pid ${pid} in ${agents.map((x) => `${x.agent}:${x.pid}`).join(", ")}`);
      return a;
    };

    const a = byPid(byLock.pid);
    assert.equal(a.agent, "copilot");
    assert.equal(a.session.id, lockId);
    assert.equal(a.session.linked_by, "registry");
    assert.equal(a.session.model, "gpt-5.1");
    assert.equal(a.session.current_tool.name, "bash");
    assert.equal(a.session.current_tool.arg, "npm run lint");
    assert.deepEqual(a.session.tokens, {
      input: 2000,
      output: 160,
      cache_read: 3010,
      cache_write: 0,
      reasoning: 50,
    });
    assert.equal(a.status, "busy");
    assert.equal(a.session.last_prompt, "fix lint errors");

    const b = byPid(byArgv.pid);
    assert.equal(b.session.id, argvId);
    assert.equal(b.session.linked_by, "argv");
    assert.equal(b.session.turn, "ended");
    assert.equal(b.status, "waiting");

    const c = byPid(byCwd.pid);
    assert.equal(c.session.id, cwdId);
    assert.equal(c.session.linked_by, "cwd");
    assert.equal(c.session.waiting_for, "permission prompt");
    assert.equal(c.status, "waiting");

    if (aider) {
      const ai = byPid(aider.pid);
      assert.equal(ai.agent, "aider");
      assert.equal(ai.session.id, run);
      assert.equal(ai.session.linked_by, "cwd");
      assert.equal(ai.session.path, `${repo}/.aider.chat.history.md`);
      assert.equal(ai.session.cwd, `${repo}/src`);
      assert.equal(ai.session.model, "anthropic/claude-sonnet-4-5");
      assert.equal(ai.session.last_prompt, "add input validation");
      assert.deepEqual(ai.session.tokens, {
        input: 100,
        output: 345,
        cache_read: 9800,
        cache_write: 2100,
        reasoning: 0,
      });
      assert.equal(ai.cost_usd, 0.12, "Aider's own session cost");
      assert.equal(ai.status, "waiting");
    } else console.log("aider part skipped: python3 is not on PATH");

    const m = byPid(amp.pid);
    assert.equal(m.agent, "amp");
    assert.equal(m.session.id, threadId);
    assert.equal(m.session.linked_by, "registry");
    assert.equal(m.session.cwd, ampCwd);
    assert.equal(m.session.title, "Make the tests pass");
    assert.equal(m.session.current_tool.arg, "npm test");
    assert.deepEqual(m.session.tokens, {
      input: 3,
      output: 187,
      cache_read: 21000,
      cache_write: 4200,
      reasoning: 0,
    });
    assert.ok(Math.abs(m.cost_usd - 0.024864) < 1e-6, String(m.cost_usd));
    assert.equal(m.context_limit, 200000);
    assert.equal(m.status, "busy");

    const k = byPid(cursor.pid);
    assert.equal(k.agent, "cursor");
    assert.equal(k.session.id, chat);
    assert.equal(k.session.linked_by, "cwd");
    assert.equal(k.session.cwd, cursorCwd);
    assert.equal(k.session.model, "gpt-5");
    assert.equal(k.session.title, "Fix the checkout");
    assert.equal(k.session.turn, "unknown");
    assert.deepEqual(k.session.tokens, { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 });
    assert.equal(k.cost_usd, null);
    const r = byPid(cursorResumed.pid);
    assert.equal(r.session.id, walChat);
    assert.equal(r.session.linked_by, "argv");
    assert.equal(r.session.model, null, "a WAL store nobody has open is not opened");
    assert.equal(r.session.cwd, null);

    // Gone: --all lists what the data directories hold, still without touching the WAL store.
    for (const s of [byLock, byArgv, byCwd, amp, cursor, cursorResumed, ...(aider ? [aider] : [])]) {
      s.child.kill("SIGKILL");
      await s.child.status;
    }
    const all = await runAgtop(["ls", "--format", "json", "--sample", "0", "--all"], env);
    assert.equal(all.code, 0, all.stderr);
    const gone: Json[] = JSON.parse(all.stdout).agents.filter((x: Json) => x.pid === 0);
    const ids = (agent: string) => gone.filter((x) => x.agent === agent).map((x) => x.session.id).sort();
    assert.deepEqual(ids("copilot"), [lockId, "aaaaaaaa-0000-4000-8000-00000000000f", argvId, cwdId].sort());
    assert.deepEqual(ids("amp"), [threadId]);
    assert.deepEqual(ids("cursor"), [walChat, chat].sort());
    assert.ok(gone.every((x) => x.status === "done"));
    for (const suffix of ["-wal", "-shm"]) {
      assert.throws(() => Deno.statSync(walStore + suffix), Deno.errors.NotFound, `${suffix} created`);
    }
  },
});
