/**
 * `agtop events` and `agtop wait` end to end: `main.ts` as a subprocess against a fake Claude Code whose
 * transcript moves it from waiting to busy (a prompt, a tool call) and back (the tool's result, the end
 * of the turn), and which then exits.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, RUN_PERMISSIONS } from "../support/fakes.ts";
import { append, assistant, endTurn, prompt, startClaude } from "../support/claude_agent.ts";
import { WAIT_EXIT } from "../../cli/commands.ts";

const skip = fakesUnavailable();
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

const toolUse = (n: number) =>
  assistant(
    n,
    [{ type: "tool_use", id: "toolu_e2e1", name: "Bash", input: { command: "npm test" } }],
    "tool_use",
  );
const toolResult = () => ({
  type: "user",
  uuid: "tr1",
  message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_e2e1", content: "ok" }] },
});

/** `main.ts` with these arguments, its stdout read line by line as it comes. */
class Agtop implements AsyncDisposable {
  #child: Deno.ChildProcess;
  #lines: string[] = [];
  #reading: Promise<void>;

  constructor(args: string[], env: Record<string, string> = {}) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...RUN_PERMISSIONS, MAIN, ...args],
      env: { NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#reading = (async () => {
      let rest = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        this.#lines.push(...parts);
      }
    })();
  }

  get status(): Promise<Deno.CommandStatus> {
    return this.#child.status;
  }

  async stderr(): Promise<string> {
    return await new Response(this.#child.stderr).text();
  }

  /** The first line not taken yet that `test` accepts, within `ms`; taken. */
  async next<T>(what: string, parse: (line: string) => T, test: (v: T) => boolean, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.#lines.findIndex((l) => test(parse(l)));
      if (i >= 0) return parse(this.#lines.splice(i, 1)[0]);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // exited
    }
    await this.#child.status;
    await this.#reading.catch(() => {});
    await this.#child.stderr.cancel().catch(() => {});
  }
}

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "events: appeared, status changes with how long they lasted, tool started and finished, exited",
  ignore: skip !== null,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `ev${crypto.randomUUID().slice(0, 6)}`;
    await using events = new Agtop(["events", "--interval", "0.3", "--filter", tag]);
    await new Promise((r) => setTimeout(r, 1500));
    const agent = await startClaude(world, tag, crypto.randomUUID());
    const cwd = world.dir(`work/${tag}`);
    const json = (l: string) => JSON.parse(l) as Json;
    const appeared = await events.next("appeared", json, (e) => e.type === "appeared");
    assert.equal(appeared.pid, agent.pid);
    assert.equal(appeared.project, tag);
    assert.equal(appeared.status, "waiting");
    assert.match(appeared.at, /^\d{4}-\d\d-\d\dT/);

    append(agent, cwd, [prompt(1), toolUse(2)]);
    const busy = await events.next("busy", json, (e) => e.type === "status");
    assert.deepEqual([busy.from, busy.to], ["waiting", "busy"]);
    assert.equal(typeof busy.lasted_ms, "number");
    const started = await events.next("tool started", json, (e) => e.type === "tool_started");
    assert.deepEqual([started.tool, started.arg], ["Bash", "npm test"]);

    await new Promise((r) => setTimeout(r, 1200));
    append(agent, cwd, [toolResult(), endTurn(3)]);
    const finished = await events.next("tool finished", json, (e) => e.type === "tool_finished");
    assert.equal(finished.tool, "Bash");
    const waiting = await events.next("waiting", json, (e) => e.type === "status");
    assert.deepEqual([waiting.from, waiting.to], ["busy", "waiting"]);
    assert.ok(waiting.lasted_ms >= 1000, `busy lasted ${waiting.lasted_ms} ms`);

    Deno.kill(agent.pid, "SIGKILL");
    const exited = await events.next("exited", json, (e) => e.type === "exited");
    assert.equal(exited.pid, agent.pid);
  },
});

Deno.test({
  name: "events --format text --private: one line per change, no project name",
  ignore: skip !== null,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `et${crypto.randomUUID().slice(0, 6)}`;
    const agent = await startClaude(world, tag, crypto.randomUUID());
    await using events = new Agtop(["events", "-i", "0.3", "-f", tag, "--format", "text", "--private"]);
    await new Promise((r) => setTimeout(r, 1500));
    append(agent, world.dir(`work/${tag}`), [prompt(1)]);
    const text = await events.next("a status line", (l) => l, (l) => l.includes("waiting → busy"));
    assert.match(
      text,
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d  Claude Code ${agent.pid} project-1  waiting → busy \\(waiting \\d+[smhd]\\)$`,
      ),
    );
    assert.ok(!text.includes(tag));
  },
});

Deno.test({
  name: "wait: met (0), no such agent, timed out, gone — each its own exit status",
  ignore: skip !== null,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `wt${crypto.randomUUID().slice(0, 6)}`;
    const cwd = world.dir(`work/${tag}`);
    const agent = await startClaude(world, tag, crypto.randomUUID());
    const run = (...args: string[]) => new Agtop(["wait", "--interval", "0.3", ...args]);

    {
      await using none = run("--pid", String(world.spawn("/bin/sleep", ["30"]).pid));
      assert.equal((await none.status).code, WAIT_EXIT.noSuchAgent);
      assert.match(await none.stderr(), /^agtop: no such agent: pid \d+\n$/);
    }
    {
      await using already = run("--pid", String(agent.pid), "--for", "waiting");
      assert.equal((await already.status).code, WAIT_EXIT.met, "already waiting");
    }
    append(agent, cwd, [prompt(1)]);
    {
      await using late = run("--filter", tag, "--for", "idle", "--timeout", "1.5s");
      const t0 = Date.now();
      assert.equal((await late.status).code, WAIT_EXIT.timedOut);
      assert.ok(Date.now() - t0 >= 1500);
      assert.match(await late.stderr(), /timed out waiting for an agent matching '\w+' to be idle/);
    }
    {
      await using until = run("--pid", String(agent.pid), "--for", "waiting");
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(
        await Promise.race([until.status.then(() => "exited"), Promise.resolve("running")]),
        "running",
      );
      append(agent, cwd, [endTurn(2)]);
      assert.equal((await until.status).code, WAIT_EXIT.met, "the turn ended");
    }
    append(agent, cwd, [prompt(3)]);
    {
      await using gone = run("--pid", String(agent.pid), "--for", "waiting");
      await using done = run("--filter", tag, "--for", "done");
      await new Promise((r) => setTimeout(r, 1500));
      Deno.kill(agent.pid, "SIGKILL");
      assert.equal((await gone.status).code, WAIT_EXIT.gone);
      assert.match(await gone.stderr(), /exited before it was waiting/);
      assert.equal((await done.status).code, WAIT_EXIT.met, "done: the process exited");
    }
  },
});
