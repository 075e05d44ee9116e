/**
 * Builds agtop binaries with `deno compile`. The one source of truth for release targets and their
 * permissions: `deno task compile` (host), `deno task compile:all` and the release workflow (which reads
 * `--matrix`) all come through here.
 *
 *     deno run -A scripts/build.ts              # host target into dist/
 *     deno run -A scripts/build.ts --all        # every release target
 *     deno run -A scripts/build.ts --target x86_64-apple-darwin
 *     deno run -A scripts/build.ts --matrix     # JSON for the workflow's build matrix
 *     deno run -A scripts/build.ts --args T     # print the deno compile arguments for target T
 *
 * @module
 */

import meta from "../deno.json" with { type: "json" };
import { LIBC_PATHS } from "../platform/linux/libc.ts";
import { LIBSYSTEM_PATH } from "../platform/darwin/symbols.ts";

/** A release target: Deno's target triple, the runner that can smoke-test it, and the FFI it needs. */
export interface Target {
  triple: string;
  /** GitHub Actions runner that runs this binary natively. */
  runner: string;
  /**
   * The libraries the native backend opens (`--allow-ffi=<these>`), or `"unscoped"` where it must read
   * native pointers, which Deno allows only with unscoped `--allow-ffi`.
   */
  ffi: readonly string[] | "unscoped";
  exe: string;
}

/** Every release target. */
export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", runner: "ubuntu-latest", ffi: LIBC_PATHS, exe: "" },
  { triple: "aarch64-unknown-linux-gnu", runner: "ubuntu-24.04-arm", ffi: LIBC_PATHS, exe: "" },
  { triple: "x86_64-apple-darwin", runner: "macos-13", ffi: [LIBSYSTEM_PATH], exe: "" },
  { triple: "aarch64-apple-darwin", runner: "macos-latest", ffi: [LIBSYSTEM_PATH], exe: "" },
  { triple: "x86_64-pc-windows-msvc", runner: "windows-latest", ffi: "unscoped", exe: ".exe" },
];

/** Permissions every binary gets: read, env, sys — never write or run. */
export const BASE_PERMISSIONS = ["--allow-read", "--allow-env", "--allow-sys"] as const;

/**
 * What the binary adds for `agtop serve`, whose address is chosen when it runs: the network, which
 * every command gives up before it reads anything (`cli/network.ts`), and no prompts, so nothing can
 * ask for it back.
 */
export const SERVE_PERMISSIONS = ["--allow-net", "--no-prompt"] as const;

/** Every permission flag of a target's binary (and of `deno task serve` on this machine). */
export function binaryPermissions(t: Target): string[] {
  return [...BASE_PERMISSIONS, ...SERVE_PERMISSIONS, ffiFlag(t)];
}

/**
 * V8 flags of the binary (and of the `agtop` and `serve` tasks): a young generation of at most 2 MiB per
 * semispace. Each tick allocates short-lived strings and buffers; by default V8 grows its young
 * generation to tens of MiB for them, which a long-running `serve` or `watch` keeps as resident memory
 * (measured with 50 agents: 165 MiB RSS by default, about 100 MiB with this, ticks as fast).
 */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=2"] as const;

/** The `--allow-ffi` flag of a target. */
export function ffiFlag(t: Target): string {
  return t.ffi === "unscoped" ? "--allow-ffi" : `--allow-ffi=${t.ffi.join(",")}`;
}

/** Modules loaded at run time that `deno compile` must embed (the live view's and the report's workers). */
export const INCLUDES = ["cli/watch/collect_worker.ts", "cli/report_worker.ts"] as const;

/** Release asset name: `agtop-<version>-<triple>[.exe]`. */
export function assetName(t: Target, version: string = meta.version): string {
  return `agtop-${version}-${t.triple}${t.exe}`;
}

/** The `deno compile` arguments for one target. */
export function compileArgs(t: Target, outDir = "dist", version: string = meta.version): string[] {
  return [
    "compile",
    ...binaryPermissions(t),
    ...V8_FLAGS,
    ...INCLUDES.filter(exists).flatMap((f) => ["--include", f]),
    "--include",
    `${outDir}/build_info.json`,
    "--target",
    t.triple,
    "--output",
    `${outDir}/${assetName(t, version)}`,
    "main.ts",
  ];
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(new URL(`../${path}`, import.meta.url)).isFile;
  } catch {
    return false;
  }
}

/** The target that matches the running machine, or undefined. */
export function hostTarget(): Target | undefined {
  const arch = Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";
  return TARGETS.find((t) => t.triple.startsWith(arch) && t.triple.includes(osWord(Deno.build.os)));
}

function osWord(os: string): string {
  return os === "darwin" ? "apple-darwin" : os === "windows" ? "windows" : "linux";
}

async function commit(): Promise<string | null> {
  const env = Deno.env.get("GITHUB_SHA");
  if (env) return env.slice(0, 12);
  try {
    const out = await new Deno.Command("git", { args: ["rev-parse", "--short=12", "HEAD"] }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

async function build(targets: readonly Target[]): Promise<void> {
  const root = new URL("..", import.meta.url).pathname;
  await Deno.mkdir(`${root}dist`, { recursive: true });
  const info = { version: meta.version, commit: await commit(), built: new Date().toISOString() };
  await Deno.writeTextFile(`${root}dist/build_info.json`, JSON.stringify(info) + "\n");
  for (const t of targets) {
    const args = compileArgs(t);
    console.log(`deno ${args.join(" ")}`);
    const st = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
    if (!st.success) Deno.exit(st.code || 1);
  }
}

if (import.meta.main) {
  const [flag, value] = Deno.args;
  if (flag === "--matrix") {
    console.log(JSON.stringify({ include: TARGETS.map((t) => ({ ...t, asset: assetName(t) })) }));
  } else if (flag === "--args") {
    const t = TARGETS.find((x) => x.triple === value);
    if (!t) throw new Error(`unknown target ${value}`);
    console.log(compileArgs(t).join(" "));
  } else if (flag === "--all") {
    await build(TARGETS);
  } else if (flag === "--target") {
    const t = TARGETS.find((x) => x.triple === value);
    if (!t) {
      console.error(`unknown target '${value}' (known: ${TARGETS.map((x) => x.triple).join(", ")})`);
      Deno.exit(2);
    }
    await build([t]);
  } else {
    const t = hostTarget();
    if (!t) {
      console.error(`no release target for ${Deno.build.os}/${Deno.build.arch}`);
      Deno.exit(2);
    }
    await build([t]);
  }
}
