/**
 * Real processes shaped like coding agents, for integration tests: a compiled sleeper hardlinked
 * under agent-like paths (native binaries), node scripts under `node_modules/…` (npm installs), and
 * the chains between them. Everything lives in one temp dir and is killed and removed on dispose.
 *
 * @module
 */

import { BASE_PERMISSIONS, ffiFlag, hostTarget, TARGETS } from "../../scripts/build.ts";

const FAKE_SOURCE = new URL("./fake_agent.c", import.meta.url).pathname;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** The permissions agtop runs with on this OS: least privilege, FFI scoped to the libraries it opens. */
export const RUN_PERMISSIONS: readonly string[] = [...BASE_PERMISSIONS, ffiFlag(hostTarget() ?? TARGETS[0])];

/** Why process-shaped tests cannot run here, or null when they can. */
export function fakesUnavailable(): string | null {
  if (Deno.build.os !== "linux") {
    return "agent-shaped process tests wait for process trees in /proc (Linux); the OS self-test covers this platform";
  }
  for (const tool of ["cc", "node"]) if (!which(tool)) return `'${tool}' is not on PATH`;
  return null;
}

/** The path of `tool` on PATH, or null. */
export function which(tool: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${tool}`).isFile) return `${dir}/${tool}`;
    } catch {
      // not here
    }
  }
  return null;
}

/** A spawned process tree rooted in one of our children. */
export interface Spawned {
  pid: number;
  child: Deno.ChildProcess;
}

/** A temp directory of fake agents; `await using world = await FakeWorld.create()`. */
export class FakeWorld implements AsyncDisposable {
  readonly root: string;
  #sleeper: string;
  #spawned: Spawned[] = [];

  private constructor(root: string, sleeper: string) {
    this.root = root;
    this.#sleeper = sleeper;
  }

  /** Makes the temp dir and compiles the sleeper into it. */
  static async create(): Promise<FakeWorld> {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "agtop-fakes-" }));
    const sleeper = `${root}/.fake_agent`;
    const cc = await new Deno.Command("cc", { args: ["-O1", "-o", sleeper, FAKE_SOURCE] }).output();
    if (!cc.success) throw new Error(`cc failed: ${new TextDecoder().decode(cc.stderr)}`);
    return new FakeWorld(root, sleeper);
  }

  /** Absolute path under the root, with its parent directories made. */
  path(rel: string): string {
    const p = `${this.root}/${rel}`;
    Deno.mkdirSync(p.slice(0, p.lastIndexOf("/")), { recursive: true });
    return p;
  }

  /** A directory under the root (a project an agent works in). */
  dir(rel: string): string {
    const p = `${this.root}/${rel}`;
    Deno.mkdirSync(p, { recursive: true });
    return p;
  }

  /** Places the sleeper at `rel` (an agent's native binary), unless it is there already; returns its path. */
  native(rel: string): string {
    const p = this.path(rel);
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not placed yet
    }
    try {
      Deno.linkSync(this.#sleeper, p);
    } catch {
      Deno.copyFileSync(this.#sleeper, p);
      Deno.chmodSync(p, 0o755);
    }
    return p;
  }

  /** Writes a node script at `rel` and returns its path. */
  script(rel: string, code: string): string {
    const p = this.path(rel);
    Deno.writeTextFileSync(p, code);
    return p;
  }

  /**
   * A spawn file for the sleeper: each entry is `[exe, ...args]`, optionally with a cwd. Pass its
   * path as `AGTOP_FAKE_SPAWN` so the sleeper starts those children.
   */
  spawnFile(entries: { argv: string[]; cwd?: string }[]): string {
    const p = this.path(`.spawn-${crypto.randomUUID()}`);
    Deno.writeTextFileSync(
      p,
      entries.map((e) => [...(e.cwd ? [`cwd=${e.cwd}`] : []), ...e.argv].join("\t")).join("\n"),
    );
    return p;
  }

  /** Starts a process; it and all its descendants are killed on dispose. */
  spawn(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Spawned {
    const child = new Deno.Command(cmd, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const s = { pid: child.pid, child };
    this.#spawned.push(s);
    return s;
  }

  /** Waits until `pid` has `count` descendants (its process tree is up), or fails after `ms`. */
  async waitForDescendants(pid: number, count: number, ms = 5000): Promise<number[]> {
    const end = Date.now() + ms;
    for (;;) {
      const found = descendants(pid);
      if (found.length >= count) return found;
      if (Date.now() > end) {
        throw new Error(`pid ${pid}: ${found.length} of ${count} descendants after ${ms}ms`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.#spawned) {
      for (const pid of [...descendants(s.pid), s.pid]) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await s.child.status;
    }
    await Deno.remove(this.root, { recursive: true });
  }
}

/** Descendant pids of `pid`, read from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      parent.set(Number(e.name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // vanished
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p && !out.includes(c)) out.push(c), walk(c);
  };
  walk(pid);
  return out;
}

/** The result of running agtop. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts` as agtop's users run it (least permissions), with extra env. */
export async function runAgtop(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
