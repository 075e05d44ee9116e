/**
 * OS-independent end-to-end self-test of the process source `processSource()` picks for this OS: it
 * observes this test process and a child it spawns, so a wrong struct offset or a broken native call
 * shows up on the OS that has it (Linux here, macOS/Windows/FreeBSD in CI).
 */

import assert from "node:assert/strict";
import { processSource } from "../../platform/mod.ts";

const SUPPORTED = ["linux", "darwin", "windows", "freebsd"];
const supported = SUPPORTED.includes(Deno.build.os);
const windows = Deno.build.os === "windows";
if (!supported) console.log(`platform_selftest: skipped — agtop has no process source for ${Deno.build.os}`);

/** Path equality as the OS defines it (case-insensitive on Windows). */
function samePath(a: string, b: string): boolean {
  return windows ? a.toLowerCase() === b.toLowerCase() : a === b;
}

Deno.test({
  name: "writingFiles(Deno.pid) lists a temp file held open for writing, sorted and capped",
  ignore: !supported,
  fn() {
    using source = processSource();
    const path = Deno.makeTempFileSync({ prefix: "agtop-selftest-", suffix: ".log" });
    const file = Deno.openSync(path, { write: true });
    try {
      file.writeSync(new TextEncoder().encode("agtop"));
      const real = Deno.realPathSync(path);
      const files = source.writingFiles(Deno.pid, 4096);
      assert.ok(files.some((f) => samePath(f, real)), `${real} missing from ${JSON.stringify(files)}`);
      assert.deepEqual(files, [...files].sort(), "sorted");
      assert.ok(source.writingFiles(Deno.pid, 1).length <= 1, "capped");
      assert.deepEqual(source.writingFiles(Deno.pid, 0), []);
    } finally {
      file.close();
      Deno.removeSync(path);
    }
    assert.deepEqual(source.writingFiles(2 ** 31 - 2), [], "a pid that does not exist");
  },
});

Deno.test({
  name: "list() shows a spawned child with its argv and ppid == Deno.pid",
  ignore: !supported,
  async fn() {
    using source = processSource();
    const args = windows ? ["-n", "30", "127.0.0.1"] : ["30"];
    const program = windows ? "ping" : "sleep";
    const child = new Deno.Command(program, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
    try {
      const argvOk = (argv: string[]) =>
        argv.length === args.length + 1 && /(^|[\\/])(ping|sleep)(\.exe)?$/i.test(argv[0]) &&
        args.every((a, i) => argv[i + 1] === a);
      let seen = source.list().find((p) => p.pid === child.pid);
      // Right after fork the child may still run Deno's image; wait for exec (at most 5 s).
      for (let i = 0; i < 50 && !(seen && argvOk(seen.argv)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = source.list().find((p) => p.pid === child.pid);
      }
      assert.ok(seen, `child ${child.pid} not listed`);
      assert.ok(argvOk(seen.argv), `argv ${JSON.stringify(seen.argv)}`);
      assert.equal(seen.ppid, Deno.pid);
      assert.match(seen.name, /^(ping|sleep)(\.exe)?$/i);
      assert.ok(seen.state === "sleeping" || seen.state === "running", seen.state);
    } finally {
      child.kill();
      await child.status;
    }
  },
});

Deno.test({
  name: "list() and details() describe this process; system() is plausible",
  ignore: !supported,
  fn() {
    using source = processSource();
    const now = Date.now();
    const self = source.list().find((p) => p.pid === Deno.pid);
    assert.ok(self, "this process is listed");
    assert.ok(self.exe !== null && samePath(Deno.realPathSync(self.exe), Deno.realPathSync(Deno.execPath())));
    assert.ok(self.argv.includes("test"), `argv ${JSON.stringify(self.argv)}`);
    assert.ok(self.threads >= 1 && self.rssBytes > 1024 * 1024 && self.cpuTimeMs > 0);
    assert.ok(
      self.startedAt > now - 24 * 3600_000 && self.startedAt <= now + 2000,
      `startedAt ${self.startedAt}`,
    );
    assert.equal(self.uid, windows ? null : Deno.uid());

    const details = source.details(Deno.pid, ["PATH", "AGTOP_SURELY_UNSET"]);
    assert.ok(details.cwd !== null, "cwd");
    assert.ok(samePath(Deno.realPathSync(details.cwd), Deno.realPathSync(Deno.cwd())), details.cwd);
    assert.deepEqual(details.env, { PATH: Deno.env.get("PATH") });
    for (const bytes of [details.readBytes, details.writeBytes]) assert.ok(bytes === null || bytes >= 0);

    const facts = source.system();
    assert.equal(facts.os, Deno.build.os);
    assert.ok(facts.cpuCount >= 1 && facts.clockTicks > 0);
    assert.ok(
      facts.memTotalBytes > 0 && facts.memAvailableBytes > 0 &&
        facts.memAvailableBytes <= facts.memTotalBytes,
    );
    assert.ok(facts.bootTime > 0 && facts.bootTime < now && facts.bootTime <= self.startedAt + 2000);
    assert.ok([4096, 8192, 16384, 65536].includes(facts.pageSize), `pageSize ${facts.pageSize}`);
  },
});
