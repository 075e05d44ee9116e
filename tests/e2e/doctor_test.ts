/**
 * `agtop doctor` end to end: a recognised and linked Claude Code, an unlinked one, and a `codex login`
 * that looks like an agent and is not, explained through `main.ts doctor` as users run it.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { startClaude } from "../support/claude_agent.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";

const skip = fakesUnavailable();
if (skip) console.log(`doctor end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "doctor: why an agent is shown with its session, why one has none, why a look-alike is no agent",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const sessionId = "33333333-3333-4333-8333-333333333333";
    const linked = await startClaude(world, "shop", sessionId);
    const home = world.dir("home");
    const claudeExe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const unlinked = world.spawn(claudeExe, [], { cwd: world.dir("work/empty"), env: { HOME: home } });
    const codexExe = world.native(
      "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    );
    const login = world.spawn(codexExe, ["login"], { cwd: world.dir("work/svc"), env: { HOME: home } });
    await new Promise((r) => setTimeout(r, 150));
    const env = { HOME: home, CODEX_HOME: "", CLAUDE_CONFIG_DIR: "" };

    const text = await runAgtop(["doctor"], env);
    assert.equal(text.code, 0, text.stderr);
    const out = text.stdout;
    assert.match(out, /^Claude Code \(claude\)$/m);
    assert.match(out, new RegExp(`data: ${home}/\\.claude/projects  \\(from default\\)  ok`));
    assert.match(out, new RegExp(`data: ${home}/\\.codex/sessions  \\(from default\\)  missing`));
    assert.match(out, new RegExp(`${linked.pid}  agent  \\[binary name\\]`));
    assert.match(out, new RegExp(`pid ${linked.pid}: session ${sessionId} linked by cwd`));
    assert.match(out, new RegExp(`pid ${unlinked.pid}: no session`));
    assert.match(out, /passed over \(registry\): .*no entry for this pid/);
    assert.match(
      out,
      new RegExp(`${login.pid}  rejected  \\[binary name\\] .*'login' is a management subcommand`),
    );
    assert.match(out, /^Auggie \(auggie\)\n {2}sessions: not read by agtop/m);
    assert.match(out, /^processes: \d+ visible/m);

    const one = await runAgtop(["doctor", "--pid", String(login.pid)], env);
    assert.equal(one.code, 0, one.stderr);
    assert.match(
      one.stdout,
      new RegExp(`^pid ${login.pid} \\(codex\\): not an agent: .*'login' is a management`),
    );
    const agent = await runAgtop(["doctor", "-p", String(linked.pid)], env);
    assert.match(
      agent.stdout,
      new RegExp(
        `^pid ${linked.pid} \\(claude\\.exe\\): an agent: argv\\[0\\] and the executable are named 'claude'`,
      ),
    );
    assert.match(agent.stdout, /linked by cwd/);
    const none = await runAgtop(["doctor", "--pid", String(Deno.pid)], env);
    assert.match(none.stdout, /not an agent: nothing in its command line or executable names a known agent/);
    const bad = await runAgtop(["doctor", "--pid", "x"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^agtop: invalid value .x. for --pid/);

    const json = await runAgtop(["doctor", "--format", "json"], env);
    assert.equal(json.code, 0, json.stderr);
    const doc: Json = JSON.parse(json.stdout);
    assert.equal(doc.schema, 1);
    assert.equal(typeof doc.taken_at, "string");
    const claude = doc.vendors.find((v: Json) => v.id === "claude");
    assert.deepEqual(Object.keys(claude), [
      "id",
      "label",
      "reads_sessions",
      "data_dirs",
      "processes",
      "agents",
    ]);
    const link = claude.agents.find((a: Json) => a.pid === linked.pid);
    assert.deepEqual(link.session, { id: sessionId, path: linked.transcript, linked_by: "cwd" });
    const lonely = claude.agents.find((a: Json) => a.pid === unlinked.pid);
    assert.equal(lonely.session, null);
    assert.match(lonely.reason, /no candidate matched|no session found/);
    const codex = doc.vendors.find((v: Json) => v.id === "codex");
    assert.equal(codex.processes.find((p: Json) => p.pid === login.pid).verdict, "rejected");
    assert.deepEqual(Object.keys(doc.access), [
      "processes",
      "other_users",
      "unreadable",
      "visibility",
      "advice",
    ]);
    assert.equal(doc.vendors.length, VENDORS.length, "every vendor in the registry");

    for (const args of [["doctor", "--private"], ["doctor", "--private", "--format", "json"]]) {
      const priv = await runAgtop(args, env);
      assert.equal(priv.code, 0, priv.stderr);
      assert.ok(!priv.stdout.includes(world.root), `${args.join(" ")} leaves no path`);
      assert.ok(!priv.stdout.includes(home));
      assert.match(priv.stdout, /\(private\)/);
    }
    const privPid = await runAgtop(["doctor", "--private", "--pid", String(linked.pid)], env);
    assert.ok(!privPid.stdout.includes(world.root));
    assert.match(privPid.stdout, /linked by cwd/);
  },
});
