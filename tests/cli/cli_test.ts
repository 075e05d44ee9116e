import assert from "node:assert/strict";
import { COMMANDS, GLOBAL_OPTIONS } from "../../cli/commands.ts";
import { completionScript } from "../../cli/completions.ts";
import { manPage } from "../../cli/man.ts";
import { commandHelp, programHelp } from "../../cli/help.ts";
import { parseCommandLine, UsageError } from "../../cli/args.ts";
import { runAgtop } from "../support/fakes.ts";

const allOptions = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];

Deno.test("help, completions and man page come from the same definitions", () => {
  const help = programHelp("1.0.0", "2026-07-24");
  const man = manPage("1.0.0", "2026-11-24");
  for (const c of COMMANDS) {
    assert.ok(help.includes(c.name), c.name);
    assert.ok(man.includes(`.SS ${c.name}`), c.name);
    for (const shell of ["bash", "zsh", "fish"] as const) {
      assert.ok(completionScript(shell).includes(c.name), `${shell} ${c.name}`);
    }
    const ch = commandHelp(c);
    for (const o of c.options) assert.ok(ch.includes(`--${o.name}`), `${c.name} --${o.name}`);
  }
  for (const o of allOptions) {
    assert.ok(man.includes(`\\-\\-${o.name}`), `man --${o.name}`);
    for (const shell of ["bash", "zsh", "fish"] as const) {
      const script = completionScript(shell);
      assert.ok(script.includes(`--${o.name}`) || script.includes(`-l ${o.name}`), `${shell} --${o.name}`);
    }
  }
  assert.match(help, /Prices: bundled table of 2026-07-24/);
  assert.match(man, /^\.TH AGTOP 1 "2026-11-24" "agtop 1\.0\.0"/);
});

Deno.test({
  name: "the bash and zsh completion scripts parse",
  ignore: Deno.build.os === "windows",
  async fn() {
    for (const shell of ["bash", "zsh"] as const) {
      let out;
      try {
        out = await new Deno.Command(shell, { args: ["-n"], stdin: "piped", stderr: "piped" }).spawn();
      } catch {
        console.log(`${shell} not installed: syntax check skipped`);
        continue;
      }
      const w = out.stdin.getWriter();
      await w.write(new TextEncoder().encode(completionScript(shell)));
      await w.close();
      const res = await out.output();
      assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    }
  },
});

Deno.test("argument parsing: values, repeats and one-line errors", () => {
  const p = parseCommandLine(["ls", "-o", "csv", "-m", "a=x", "--match", "b=y", "--sort=mem", "-r"]);
  assert.equal(p.command, "ls");
  assert.equal(p.values.format, "csv");
  assert.deepEqual(p.values.match, ["a=x", "b=y"]);
  assert.equal(p.values.sort, "mem");
  assert.equal(p.values.reverse, true);
  assert.equal(parseCommandLine([]).command, null);
  assert.equal(parseCommandLine(["--version"]).version, true);
  assert.throws(
    () => parseCommandLine(["ls", "--sort", "size"]),
    (e) => e instanceof UsageError && /--sort/.test(e.message),
  );
  assert.throws(() => parseCommandLine(["ls", "extra"]), /unexpected argument 'extra'/);
  const grouped = parseCommandLine(["ls", "-rvn3", "-ojson", "--filter=a=b"]);
  assert.deepEqual([grouped.values.reverse, grouped.values.verbose, grouped.values.top], [true, true, "3"]);
  assert.equal(grouped.values.format, "json");
  assert.equal(grouped.values.filter, "a=b");
  assert.deepEqual(parseCommandLine(["help", "--", "--weird"]).positionals, ["--weird"]);
  assert.throws(() => parseCommandLine(["ls", "--reverse=yes"]), /'--reverse' takes no value/);
  assert.throws(() => parseCommandLine(["ls", "-x"]), /unknown option '-x'/);
  assert.throws(() => parseCommandLine(["ls", "-n"]), /'--top' needs a value/);
  assert.equal(parseCommandLine(["--", "ls", "-o", "json"]).values.format, "json");
  assert.throws(() => parseCommandLine(["ls", "--", "x"]), /unexpected argument 'x'/);
});

Deno.test("completions and man through main.ts", async () => {
  const bash = await runAgtop(["completions", "bash"]);
  assert.equal(bash.code, 0);
  assert.match(bash.stdout, /complete -F _agtop agtop/);
  const bad = await runAgtop(["completions", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^agtop: completions needs one of: bash, zsh, fish/);
  const man = await runAgtop(["man"]);
  assert.match(man.stdout, /^\.TH AGTOP 1/);
});
