/**
 * Shared pieces of the process recognisers in `agents/vendors/`: how a process runs a program (its own
 * binary, or a runtime running the program's script or module), which arguments the program got, and
 * which subcommand they name. Pure functions of {@linkcode ProcessInfo}.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import type { RecognisedRole, Recognition, RecognitionRule, Vendor } from "./vendor.ts";

/**
 * The command name of a path: its last component, lower-cased, without a Windows `.exe` suffix.
 *
 * @example
 * ```ts
 * commandName("/x/node_modules/@anthropic-ai/claude-code/bin/claude.exe"); // "claude"
 * ```
 */
export function commandName(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1).toLowerCase();
  return base.endsWith(".exe") ? base.slice(0, -4) : base;
}

/** A language runtime that runs a program given as a script (or, for Python, a module). */
export type Runtime = "node" | "bun" | "deno" | "python";

const JS_RUNTIMES: ReadonlySet<string> = new Set(["node", "nodejs", "bun", "deno"]);
const PYTHON = /^python(\d+(\.\d+)?)?$/;

/**
 * The runtime a command is, by its name (`node`, `nodejs`, `bun`, `deno`, `python`, `python3`,
 * `python3.12`), or null.
 *
 * @example
 * ```ts
 * runtimeOf("/usr/bin/python3.12"); // "python"
 * ```
 */
export function runtimeOf(command: string): Runtime | null {
  const name = commandName(command);
  if (PYTHON.test(name)) return "python";
  if (!JS_RUNTIMES.has(name)) return null;
  return name === "nodejs" ? "node" : name as Runtime;
}

/** Runtime options that take the next argument as their value. */
const VALUED: Record<Runtime, ReadonlySet<string>> = {
  node: new Set([
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "-C",
    "--conditions",
    "--env-file",
    "--input-type",
    "--title",
  ]),
  bun: new Set(["-r", "--preload", "--cwd", "--config", "--env-file"]),
  deno: new Set(["-c", "--config", "--import-map", "--env-file", "--location"]),
  python: new Set(["-W", "-X", "--check-hash-based-pycs"]),
};

/** Runtime options after which the program is inline code or stdin, not a file. */
const INLINE: Record<Runtime, ReadonlySet<string>> = {
  node: new Set(["-e", "--eval", "-p", "--print", "-"]),
  bun: new Set(["-e", "--eval", "-p", "--print", "-"]),
  deno: new Set(["eval", "repl", "-"]),
  python: new Set(["-c", "-"]),
};

/** Where the program of a runtime process is named in its argv. */
export interface Entry {
  /** `script`: a file path; `module`: a Python module (`python -m NAME`). */
  readonly kind: "script" | "module";
  /** Index of the script path or module name in argv. */
  readonly index: number;
}

/**
 * Finds the program a runtime process runs: the first argument that is not a runtime option (nor an
 * option's value, nor `bun`/`deno`'s `run`), or the module after Python's `-m`. Null when argv[0] is not
 * a runtime or the program is inline code.
 *
 * @example
 * ```ts
 * entry(["/usr/bin/node", "--max-old-space-size=8192", "/p/node_modules/.bin/gemini"]); // { kind: "script", index: 2 }
 * entry(["python3", "-m", "aider"]); // { kind: "module", index: 2 }
 * ```
 */
export function entry(argv: readonly string[]): Entry | null {
  return factsOf(argv).entry;
}

/**
 * What every recogniser asks of a process's argv first: argv[0]'s command name and the runtime entry.
 * Worked out once per argv array (sources hand out the same array while a process runs the same
 * program), not once per vendor.
 */
interface ArgvFacts {
  readonly command: string | null;
  readonly entry: Entry | null;
}

const argvFacts = new WeakMap<readonly string[], ArgvFacts>();

function factsOf(argv: readonly string[]): ArgvFacts {
  let facts = argvFacts.get(argv);
  if (facts === undefined) {
    facts = { command: argv.length > 0 ? commandName(argv[0]) : null, entry: findEntry(argv) };
    argvFacts.set(argv, facts);
  }
  return facts;
}

function findEntry(argv: readonly string[]): Entry | null {
  const runtime = argv.length > 0 ? runtimeOf(argv[0]) : null;
  if (runtime === null) return null;
  let subcommandSeen = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (INLINE[runtime].has(arg)) return null;
    if (arg === "--") return i + 1 < argv.length ? { kind: "script", index: i + 1 } : null;
    if (runtime === "python" && arg === "-m") {
      return i + 1 < argv.length ? { kind: "module", index: i + 1 } : null;
    }
    if (VALUED[runtime].has(arg)) i++;
    else if (arg.startsWith("-")) continue;
    else if (arg === "run" && (runtime === "bun" || runtime === "deno") && !subcommandSeen) {
      subcommandSeen = true;
    } else return { kind: "script", index: i };
  }
  return null;
}

/** How to tell an agent's program from other programs. */
export interface Program {
  /** Command names it is started as: npm bin names and binary names. */
  readonly bins: readonly string[];
  /** npm packages whose files are the program, e.g. `@openai/codex`. */
  readonly packages?: readonly string[];
  /** Other path fragments of its files, e.g. an installer's `/claude/versions/`. */
  readonly paths?: readonly string[];
  /** Python modules that are the program (`python -m NAME`, also `NAME.sub`). */
  readonly modules?: readonly string[];
}

/** How a process runs a program, and the arguments the program got. */
export interface Invocation {
  /** `native`: the program's own binary; `runtime`: node/bun/deno/python running its script or module. */
  readonly how: "native" | "runtime";
  /** Arguments after the program (after the binary, script or module). */
  readonly args: readonly string[];
}

function normalise(path: string): string {
  return path.replaceAll("\\", "/");
}

function named(path: string, program: Program): boolean {
  return program.bins.includes(commandName(path));
}

/**
 * Whether `path` lies in the files of npm package `pkg`: in a `node_modules/<pkg>/` folder (npm, npx's
 * `~/.npm/_npx/<hash>/`, `pnpm dlx`'s `~/.cache/pnpm/dlx/`, bunx's `/tmp/bunx-…/`), or in Deno's npm
 * cache, which has no `node_modules` folder: `<deno cache>/npm/<registry host>/<pkg>/<version>/…`.
 *
 * @example
 * ```ts
 * inNpmPackage("/home/me/.cache/deno/npm/registry.npmjs.org/@google/gemini-cli/0.61.0/dist/index.js", "@google/gemini-cli"); // true
 * inNpmPackage("/home/me/.npm/_npx/1a2b/node_modules/@openai/codex/bin/codex.js", "@openai/codex"); // true
 * ```
 */
export function inNpmPackage(path: string, pkg: string): boolean {
  const p = normalise(path);
  if (p.includes(`/node_modules/${pkg}/`)) return true;
  const at = p.indexOf(DENO_NPM);
  if (at === -1) return false;
  const rest = p.slice(at + DENO_NPM.length);
  return rest.slice(rest.indexOf("/") + 1).startsWith(`${pkg}/`);
}

/** Where Deno keeps npm packages in its cache (`~/.cache/deno/npm/`, macOS `~/Library/Caches/deno/npm/`). */
const DENO_NPM = "/deno/npm/";

/**
 * The npm package a Deno module specifier names (`npm:@scope/name@1.2/sub`, `npm:/name`), or null for
 * other specifiers.
 *
 * @example
 * ```ts
 * npmSpecifierPackage("npm:@anthropic-ai/claude-code@2.1.0"); // "@anthropic-ai/claude-code"
 * ```
 */
export function npmSpecifierPackage(spec: string): string | null {
  if (!spec.startsWith("npm:")) return null;
  const parts = spec.slice(4).replace(/^\/+/, "").split("/");
  const name = parts[0].startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : parts[0];
  const at = name.indexOf("@", 1);
  const bare = at === -1 ? name : name.slice(0, at);
  return bare && !bare.endsWith("/") ? bare : null;
}

/** The program's files `path` lies among, in words (its npm package's `node_modules/<pkg>/` or an install path), or null. */
function programFile(path: string, program: Program): string | null {
  const p = normalise(path);
  const pkg = (program.packages ?? []).find((pkg) => inNpmPackage(p, pkg));
  if (pkg !== undefined) return `node_modules/${pkg}/`;
  return (program.paths ?? []).find((fragment) => p.includes(fragment)) ?? null;
}

function inProgramFiles(path: string, program: Program): boolean {
  return programFile(path, program) !== null;
}

/** Whether a runtime's program (`target` as argv names it, `script` resolved on disk) is `program`'s. */
function runsProgram(target: string, script: string | null, program: Program): boolean {
  const spec = npmSpecifierPackage(target);
  if (spec !== null) return (program.packages ?? []).includes(spec);
  return isProgramPath(target, program) || (script !== null && isProgramPath(script, program));
}

function isProgramPath(path: string, program: Program): boolean {
  return named(path, program) || inProgramFiles(path, program);
}

/**
 * Whether `p` is the program's own binary. argv[0] must carry a program name, and the executable must
 * agree: its name or path is the program's, or (a JavaScript runtime whose process title was set to the
 * program, as old node releases of Claude Code did) the kernel's name is. When the executable is unreadable, the kernel's name or argv[0]'s path must agree.
 */
function isNative(p: ProcessInfo, program: Program): boolean {
  const command = factsOf(p.argv).command;
  if (command === null || !program.bins.includes(command)) return false;
  const comm = named(p.name, program);
  if (p.exe === null) return comm || inProgramFiles(p.argv[0], program);
  const runtime = runtimeOf(p.exe);
  return isProgramPath(p.exe, program) || (comm && runtime !== null && runtime !== "python");
}

/**
 * How `p` runs `program`, or null when it does not. `script` is the resolved real path of a runtime
 * process's script (or null); the script as written in argv counts too.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["node", "/p/node_modules/.bin/gemini", "-p", "hi"]
 * const gemini: Program = { bins: ["gemini"], packages: ["@google/gemini-cli"] };
 * invocation(p, "/p/node_modules/@google/gemini-cli/dist/index.js", gemini);
 * // { how: "runtime", args: ["-p", "hi"] }
 * ```
 */
export function invocation(p: ProcessInfo, script: string | null, program: Program): Invocation | null {
  if (isNative(p, program)) return { how: "native", args: p.argv.slice(1) };
  const e = entry(p.argv);
  if (e === null) return null;
  const target = p.argv[e.index];
  const matches = e.kind === "module"
    ? (program.modules ?? []).some((m) => target === m || target.startsWith(`${m}.`))
    : runsProgram(target, script, program);
  return matches ? { how: "runtime", args: p.argv.slice(e.index + 1) } : null;
}

/** A rule of a recogniser that matched, or that a near miss failed, in words for `agtop doctor`. */
interface RuleMatch {
  readonly rule: RecognitionRule;
  /** What the rule saw; names only the program's own names and packages, never the process's paths. */
  readonly why: string;
}

/** How {@linkcode explainInvocation} says a process runs a program, or why it only looks like it does. */
export type InvocationExplained =
  | (Invocation & RuleMatch & { readonly matched: true })
  | (RuleMatch & { readonly matched: false });

const quoted = (name: string) => `'${name}'`;

/** The native half of {@linkcode explainInvocation}: the same tests as `isNative`, each said in words. */
function explainNative(p: ProcessInfo, program: Program): InvocationExplained | null {
  const hit = (rule: RecognitionRule, why: string): InvocationExplained => ({
    matched: true,
    how: "native",
    args: p.argv.slice(1),
    rule,
    why,
  });
  const miss = (why: string): InvocationExplained => ({ matched: false, rule: "binary name", why });
  const comm = named(p.name, program);
  if (p.argv.length === 0 || !named(p.argv[0], program)) {
    if (comm) return miss(`the kernel's process name is ${quoted(commandName(p.name))} but argv[0] is not`);
    if (p.exe !== null && isProgramPath(p.exe, program)) {
      return miss("the executable is the program's but argv[0] does not name it (a re-execution)");
    }
    return null;
  }
  const bin = quoted(commandName(p.argv[0]));
  if (p.exe === null) {
    if (comm) {
      return hit("binary name", `argv[0] and the kernel's process name are ${bin} (executable unreadable)`);
    }
    const file = programFile(p.argv[0], program);
    if (file !== null) return hit(fileRule(file), `argv[0] is under ${file} (executable unreadable)`);
    return miss(
      `argv[0] is ${bin} but the executable is unreadable and the kernel's process name is not ${bin}`,
    );
  }
  if (named(p.exe, program)) return hit("binary name", `argv[0] and the executable are named ${bin}`);
  const file = programFile(p.exe, program);
  if (file !== null) return hit(fileRule(file), `argv[0] is ${bin} and the executable is under ${file}`);
  const runtime = runtimeOf(p.exe);
  if (comm && runtime !== null && runtime !== "python") {
    return hit("process title", `a ${runtime} process that set its title to ${bin}`);
  }
  return miss(
    runtime !== null
      ? `argv[0] is ${bin} but the executable is ${runtime}, not the program`
      : `argv[0] is ${bin} but the executable is neither named so nor among the program's files`,
  );
}

function fileRule(file: string): RecognitionRule {
  return file.startsWith("node_modules/") ? "npm package path" : "install path";
}

/**
 * {@linkcode invocation} with its reasons, for `agtop doctor`: which rule made `p` run `program`, or
 * why a process that looks like it (named like the program) does not; null when nothing about `p`
 * looks like `program`. The `why` names only the program's own names, never the process's paths or
 * arguments, so it is safe to share. Slower than `invocation`; not for the per-tick path.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["claude"], exe /usr/bin/python3
 * explainInvocation(p, null, { bins: ["claude"] });
 * // { matched: false, rule: "binary name", why: "argv[0] is 'claude' but the executable is python, not the program" }
 * ```
 */
export function explainInvocation(
  p: ProcessInfo,
  script: string | null,
  program: Program,
): InvocationExplained | null {
  const native = explainNative(p, program);
  if (native?.matched) return native;
  const e = entry(p.argv);
  if (e !== null) {
    const runtime = runtimeOf(p.argv[0])!;
    const target = p.argv[e.index];
    const args = p.argv.slice(e.index + 1);
    const hit = (rule: RecognitionRule, why: string): InvocationExplained => ({
      matched: true,
      how: "runtime",
      args,
      rule,
      why,
    });
    if (e.kind === "module") {
      const module = (program.modules ?? []).find((m) => target === m || target.startsWith(`${m}.`));
      if (module !== undefined) return hit("runtime + module", `${runtime} -m ${module}`);
    } else {
      if (named(target, program)) {
        return hit("runtime + script", `${runtime} running a script named ${quoted(commandName(target))}`);
      }
      const file = programFile(target, program) ?? (script === null ? null : programFile(script, program));
      const viaLink = programFile(target, program) === null ? " (symlink resolved)" : "";
      if (file !== null) {
        return hit("runtime + script", `${runtime} running a script under ${file}${viaLink}`);
      }
      if (script !== null && named(script, program)) {
        return hit(
          "runtime + script",
          `${runtime} running a script named ${quoted(commandName(script))} (symlink resolved)`,
        );
      }
    }
  }
  return native;
}

/**
 * The first argument that is neither an option nor the value of one of the `valued` options: the
 * subcommand (or prompt, or file) a CLI was given.
 *
 * @example
 * ```ts
 * firstPositional(["-c", "model=o3", "app-server"], new Set(["-c"])); // "app-server"
 * ```
 */
export function firstPositional(
  args: readonly string[],
  valued: ReadonlySet<string> = new Set(),
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return args[i + 1];
    if (valued.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** A command-line agent: its program and the subcommands that do not run an agent session. */
export interface Cli extends Program {
  /** Subcommands that manage the agent or serve others instead of running a session. */
  readonly skip?: readonly string[];
  /** Options that take the next argument as their value (so their values are not taken for subcommands). */
  readonly valued?: readonly string[];
  /** Flags that mark a process the agent keeps for itself (a spare, a terminal host), not a session. */
  readonly skipFlags?: readonly string[];
}

/** One recognised run of a {@linkcode Cli}: how it runs, its arguments and its subcommand. */
export interface Run extends Invocation {
  /** The first positional argument (subcommand, prompt or file), if any. */
  readonly subcommand: string | undefined;
}

/**
 * A {@linkcode Vendor} that recognises `cli`: a process running it (natively or through a runtime) whose
 * subcommand is not in `cli.skip` gets the role `role` returns (by default `main`).
 *
 * @example
 * ```ts
 * export const goose = cliVendor("goose", "Goose", { bins: ["goose"] });
 * ```
 */
export function cliVendor(
  id: string,
  label: string,
  cli: Cli,
  role: (run: Run) => RecognisedRole | null = () => "main",
): Vendor {
  const valued = new Set(cli.valued ?? []);
  const skip = new Set(cli.skip ?? []);
  const skipFlags = new Set(cli.skipFlags ?? []);
  /** The subcommand or flag that makes `run` no session, or undefined. */
  const skipped = (run: Invocation, subcommand: string | undefined) =>
    subcommand !== undefined && skip.has(subcommand)
      ? `'${subcommand}' is a management subcommand, not a session`
      : skipFlags.size > 0
      ? run.args.filter((a) => skipFlags.has(a)).map((a) => `${a} marks a process it keeps, not a session`)[0]
      : undefined;
  return {
    id,
    label,
    valued: cli.valued ?? [],
    ...(cli.packages ? { packages: cli.packages } : {}),
    recognise(p, script) {
      const run = invocation(p, script, cli);
      if (run === null) return null;
      const subcommand = firstPositional(run.args, valued);
      if (subcommand !== undefined && skip.has(subcommand)) return null;
      if (skipFlags.size > 0 && run.args.some((a) => skipFlags.has(a))) return null;
      return role({ ...run, subcommand });
    },
    explain(p, script): Recognition | null {
      const run = explainInvocation(p, script, cli);
      if (run === null) return null;
      if (!run.matched) return { role: null, rule: run.rule, why: run.why };
      const subcommand = firstPositional(run.args, valued);
      const rejected = skipped(run, subcommand);
      if (rejected !== undefined) return { role: null, rule: run.rule, why: `${run.why}, but ${rejected}` };
      const given = role({ how: run.how, args: run.args, subcommand });
      return {
        role: given,
        rule: run.rule,
        why: given === null ? `${run.why}, but ${label} does not run a session this way` : run.why,
      };
    },
  };
}
