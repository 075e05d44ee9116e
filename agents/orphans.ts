/**
 * Orphans: the commands an agent started that still run after the agent itself exited (a dev server,
 * a watcher, a hung test), reparented to init or a subreaper. Found two ways: by remembering each
 * agent's tool processes from tick to tick, and, for agents that exited before agtop started, by the
 * environment variables agents put on the commands they run.
 *
 * @module
 */

import type { ProcessInfo, ProcessSource, ProcessState } from "../platform/types.ts";
import type { Detection } from "./detect.ts";
import type { Agent } from "./types.ts";
import type { OrphanMarker, Vendor } from "./vendor.ts";
import { VENDORS } from "./vendors/mod.ts";

/** One process, told apart from a later process that reuses its pid. */
export interface ProcessRef {
  pid: number;
  startId: number;
}

/** What the tracker needs of one live agent per tick (see {@linkcode familyOf}). */
export interface AgentFamily {
  /** `Agent.key`. */
  key: string;
  /** Vendor id. */
  agent: string;
  label: string;
  cwd: string | null;
  main: ProcessRef;
  /** Launchers and helpers folded into the agent. */
  members: readonly ProcessRef[];
  /** The processes its tools run (`Detection.children`). */
  children: readonly ProcessRef[];
}

/** A process that outlived the agent that started it. */
export interface Orphan {
  /** `Agent.key` of the agent that started it; null when it was recognised by its environment alone. */
  agentKey: string | null;
  /** Vendor id of that agent. */
  agent: string;
  label: string;
  /** The agent's working directory when remembered, otherwise the orphan's own. */
  cwd: string | null;
  /** The agent's session id when the orphan's environment carries it (Claude Code, Codex). */
  sessionId: string | null;
  /** `remembered`: seen below the agent while it ran; `env`: its environment names the agent. */
  via: "remembered" | "env";
  pid: number;
  ppid: number;
  startId: number;
  name: string;
  argv: string[];
  state: ProcessState;
  startedAt: number;
  cpuTimeMs: number;
  rssBytes: number;
}

/** An environment variable an agent sets on the commands it runs, with the agent that sets it. */
export interface AgentMarker extends OrphanMarker {
  /** Vendor id of the agent that sets it. */
  agent: string;
}

/**
 * The orphan markers of `vendors` in vendor order, each vendor's most telling first, so the first
 * marker set in an environment names the agent.
 *
 * @example
 * ```ts
 * orphanMarkersOf([{ id: "mine", label: "Mine", recognise: () => null, orphanMarkers: [{ env: "MINE", session: false }] }]);
 * // [{ env: "MINE", agent: "mine", session: false }]
 * ```
 */
export function orphanMarkersOf(vendors: readonly Vendor[]): AgentMarker[] {
  return vendors.flatMap((v) =>
    (v.orphanMarkers ?? []).map((m) => ({ env: m.env, agent: v.id, session: m.session }))
  );
}

/** The variables the built-in agents set on their tool processes, most telling first. */
export const ORPHAN_MARKERS: readonly AgentMarker[] = orphanMarkersOf(VENDORS);

/** Environment variables to request from `details()` for {@linkcode OrphanTracker}. */
export const ORPHAN_ENV_KEYS: readonly string[] = ORPHAN_MARKERS.map((m) => m.env);

/**
 * Names of processes that adopt orphans besides pid 1: `systemd --user` and container inits
 * started as subreapers. Linux does not publish the subreaper flag, so the name stands in.
 */
export const REAPER_NAMES: ReadonlySet<string> = new Set(["systemd", "tini", "dumb-init", "catatonit"]);

/** Terminal multiplexers (Linux `comm` or the executable's base name): their panes are the user's. */
const MULTIPLEXERS = /^(tmux|screen|zellij|abduco|dtach|byobu)\b/i;

/** Shells, by the base name of `argv[0]`. */
const SHELLS = new Set([
  "sh",
  "bash",
  "dash",
  "zsh",
  "fish",
  "ksh",
  "mksh",
  "tcsh",
  "csh",
  "nu",
  "elvish",
  "xonsh",
]);

/**
 * Whether `p` is where an agent's family ends and the user's begins: a terminal multiplexer (its
 * panes are the user's, even when the server inherited an agent's environment) or an interactive
 * login shell (`-bash`, `zsh -l`; not `bash -c -l CMD`, which agents use to run tools). Neither it nor
 * anything below it is an orphan.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * userBoundary({ name: "tmux: server", exe: "/usr/bin/tmux", argv: ["tmux"] } as ProcessInfo); // true
 * userBoundary({ name: "bash", exe: "/usr/bin/bash", argv: ["-bash"] } as ProcessInfo); // true
 * userBoundary({ name: "node", exe: "/usr/bin/node", argv: ["node", "server.js"] } as ProcessInfo); // false
 * ```
 */
export function userBoundary(p: Pick<ProcessInfo, "name" | "exe" | "argv">): boolean {
  const base = (path: string | null | undefined) => (path ?? "").split("/").pop() ?? "";
  if (MULTIPLEXERS.test(p.name) || MULTIPLEXERS.test(base(p.exe)) || MULTIPLEXERS.test(base(p.argv[0]))) {
    return true;
  }
  const arg0 = p.argv[0] ?? "";
  if (arg0.startsWith("-")) return true;
  // `zsh -l` is the user's; `bash -c -l 'cmd'` is how some agents run a tool, and stays theirs.
  const args = p.argv.slice(1);
  return SHELLS.has(base(arg0)) && args.some((a) => a === "-l" || a === "--login") &&
    !args.some((a) => /^-[a-z]*c[a-z]*$/.test(a));
}

/** Agents remembered by default; the least recently seen is forgotten first. */
const DEFAULT_CAPACITY = 256;
/** Tool processes remembered per agent. */
const DESCENDANTS_LIMIT = 1024;

/**
 * The agent an environment names through `markers` (by default {@linkcode ORPHAN_MARKERS}), with its
 * session id when given; null when no marker is set.
 *
 * @example
 * ```ts
 * markedAgent({ CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: "5f0c…" }); // { agent: "claude", sessionId: "5f0c…" }
 * markedAgent({ HOME: "/root" }); // null
 * ```
 */
export function markedAgent(
  env: Readonly<Record<string, string>>,
  markers: readonly AgentMarker[] = ORPHAN_MARKERS,
): { agent: string; sessionId: string | null } | null {
  const first = markers.find((m) => env[m.env]);
  if (first === undefined) return null;
  const session = markers.find((m) => m.agent === first.agent && m.session && env[m.env]);
  return { agent: first.agent, sessionId: session ? env[session.env] : null };
}

/**
 * The {@linkcode AgentFamily} of a detected agent.
 *
 * @example
 * ```ts
 * import type { Detection } from "./detect.ts";
 * import type { Agent } from "./types.ts";
 * declare const detections: Detection[];
 * declare const agents: Agent[]; // agents[i] built from detections[i]
 * const families = detections.map((d, i) => familyOf(agents[i], d));
 * ```
 */
export function familyOf(agent: Pick<Agent, "key" | "agent" | "label" | "cwd">, d: Detection): AgentFamily {
  return {
    key: agent.key,
    agent: agent.agent,
    label: agent.label,
    cwd: agent.cwd,
    main: d.main,
    members: d.members.map((m) => m.process),
    children: d.children,
  };
}

/** What the tracker remembers of one agent. */
interface Remembered {
  agent: string;
  label: string;
  cwd: string | null;
  main: ProcessRef;
  /** pid → startId of its tool processes, and of what they started, while they run. */
  descendants: Map<number, number>;
}

/** What the environment of a process adopted by a reaper says. */
interface Mark {
  agent: string;
  sessionId: string | null;
  cwd: string | null;
}

const identity = (p: ProcessRef) => `${p.pid}:${p.startId}`;

/**
 * Finds orphans tick by tick. Feed it every tick with the live agents ({@linkcode familyOf}) and the
 * full process list. It remembers each agent's tool processes (the least recently seen agents beyond
 * `capacity` are forgotten); once an agent's main process is gone, the remembered processes that still
 * run (same pid and start) are that agent's orphans, until they exit; so is what they start later
 * when its own environment carries that agent's marker ({@linkcode ORPHAN_MARKERS}). A process adopted
 * by pid 1 or a subreaper ({@linkcode REAPER_NAMES}) whose environment carries an agent's marker is an
 * orphan too, with what it started that carries the marker, so orphans of agents that exited before
 * agtop started are found. A terminal multiplexer or a login shell ({@linkcode userBoundary}) ends
 * every such family: a tmux server that inherited an agent's marker is the user's, with its panes.
 * Processes that belong to a live agent are never orphans.
 *
 * Cost per tick: a walk over the process list, plus one `details()` call for each process adopted
 * by a reaper or started below an orphan that was not seen before (its environment is read once for
 * its lifetime).
 *
 * @example
 * ```ts
 * import type { ProcessSource } from "../platform/types.ts";
 * import { VENDORS } from "./vendors/mod.ts";
 * declare const source: ProcessSource;
 * declare const families: AgentFamily[]; // this tick's agents, through familyOf
 * const orphans = new OrphanTracker({ source, vendors: VENDORS });
 * // each tick:
 * const found = orphans.update(families, source.list());
 * ```
 */
export class OrphanTracker {
  readonly #source: Pick<ProcessSource, "details">;
  readonly #labels: ReadonlyMap<string, string>;
  readonly #capacity: number;
  /** Remembered agents, least recently seen first. */
  #agents = new Map<string, Remembered>();
  /** Marks of the processes adopted by a reaper, by identity, read once each. */
  #marks = new Map<string, Mark | null>();

  /**
   * `source` reads the environment of adopted processes; `vendors` give labels to vendor ids;
   * `capacity` bounds the agents remembered (default 256).
   */
  constructor(options: {
    source: Pick<ProcessSource, "details">;
    vendors?: readonly { id: string; label: string }[];
    capacity?: number;
  }) {
    this.#source = options.source;
    this.#labels = new Map((options.vendors ?? []).map((v) => [v.id, v.label]));
    this.#capacity = Math.max(1, options.capacity ?? DEFAULT_CAPACITY);
  }

  /** Takes one tick's live agents and processes and returns the orphans, each agent's in tree order. */
  update(families: readonly AgentFamily[], processes: readonly ProcessInfo[]): Orphan[] {
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const running = (r: ProcessRef) => {
      const p = byPid.get(r.pid);
      return p !== undefined && p.startId === r.startId && p.state !== "zombie" ? p : null;
    };
    const kids = new Map<number, ProcessInfo[]>();
    for (const p of [...processes].sort((a, b) => a.pid - b.pid)) {
      if (p.ppid === p.pid) continue;
      const list = kids.get(p.ppid);
      if (list) list.push(p);
      else kids.set(p.ppid, [p]);
    }
    const live = new Set(families.map((f) => f.key));
    const taken = new Set<string>();
    for (const f of families) for (const r of [f.main, ...f.members, ...f.children]) taken.add(identity(r));

    this.#remember(families, byPid, running);
    const gone: [string, Remembered, ProcessInfo[]][] = [];
    for (const [key, agent] of this.#agents) {
      if (live.has(key)) {
        // A daemon that left a live agent's tree is no orphan while the agent runs.
        for (const [pid, startId] of agent.descendants) taken.add(identity({ pid, startId }));
        continue;
      }
      const roots = [...agent.descendants].map(([pid, startId]) => running({ pid, startId }))
        .filter((p) => p !== null);
      if (running(agent.main)) {
        // Not recognised this tick but still running: what it started is no orphan yet.
        agent.descendants = new Map(roots.map((p) => [p.pid, p.startId]));
        for (const p of roots) taken.add(identity(p));
      } else gone.push([key, agent, roots]);
    }
    const orphans: Orphan[] = [];
    const marks = new Map<string, Mark | null>();
    for (const [key, agent, roots] of gone) {
      const seen = agent.descendants;
      const tree = subtrees(roots, kids, taken, (p) =>
        !userBoundary(p) &&
        (seen.get(p.pid) === p.startId || this.#markOf(p, marks)?.agent === agent.agent));
      if (tree.length === 0) {
        this.#agents.delete(key);
        continue;
      }
      agent.descendants = new Map(tree.slice(0, DESCENDANTS_LIMIT).map((p) => [p.pid, p.startId]));
      for (const p of tree) orphans.push(orphanOf(p, agent, key, null, "remembered"));
    }
    orphans.push(...this.#marked(processes, byPid, kids, taken, marks));
    this.#marks = marks;
    return orphans;
  }

  /** What the environment of `p` says (read once per process), noted in this tick's `marks`. */
  #markOf(p: ProcessInfo, marks: Map<string, Mark | null>): Mark | null {
    const id = identity(p);
    let mark = marks.get(id) ?? this.#marks.get(id);
    if (mark === undefined) {
      const details = this.#source.details(p.pid, ORPHAN_ENV_KEYS);
      const marked = markedAgent(details.env);
      mark = marked === null ? null : { ...marked, cwd: details.cwd };
    }
    marks.set(id, mark);
    return mark;
  }

  /**
   * Refreshes the memory of live agents: each tool process is remembered under the nearest agent
   * above it (an agent running inside another's tool keeps its own), and a remembered process that
   * left the tree (a daemon) is kept while it runs.
   */
  #remember(
    families: readonly AgentFamily[],
    byPid: Map<number, ProcessInfo>,
    running: (r: ProcessRef) => ProcessInfo | null,
  ): void {
    const ownerOf = new Map<number, string>();
    for (const f of families) for (const r of [f.main, ...f.members]) ownerOf.set(r.pid, f.key);
    const nearestAgent = (c: ProcessRef & { ppid: number }) => {
      for (let p = byPid.get(c.ppid), depth = 0; p && depth < 64; p = byPid.get(p.ppid), depth++) {
        const owner = ownerOf.get(p.pid);
        if (owner !== undefined) return owner;
      }
      return null;
    };
    for (const f of families) {
      const before = this.#agents.get(f.key);
      this.#agents.delete(f.key);
      const descendants = new Map<number, number>();
      for (const [pid, startId] of before?.descendants ?? []) {
        if (running({ pid, startId })) descendants.set(pid, startId);
      }
      for (const c of f.children) {
        const p = running(c);
        if (p === null || descendants.size >= DESCENDANTS_LIMIT) continue;
        if ((nearestAgent(p) ?? f.key) === f.key) descendants.set(c.pid, c.startId);
      }
      const { agent, label, cwd, main } = f;
      this.#agents.set(f.key, { agent, label, cwd, main, descendants });
    }
    for (const key of this.#agents.keys()) {
      if (this.#agents.size <= this.#capacity) break;
      this.#agents.delete(key);
    }
  }

  /**
   * Orphans recognised by the markers in their environment: processes adopted by a reaper, and below
   * them what carries the same agent's marker, short of a multiplexer or a login shell.
   */
  #marked(
    processes: readonly ProcessInfo[],
    byPid: Map<number, ProcessInfo>,
    kids: Map<number, ProcessInfo[]>,
    taken: Set<string>,
    marks: Map<string, Mark | null>,
  ): Orphan[] {
    const orphans: Orphan[] = [];
    const adopted = processes.filter((p) => {
      if (p.state === "zombie" || taken.has(identity(p))) return false;
      return p.ppid === 1 || REAPER_NAMES.has(byPid.get(p.ppid)?.name ?? "");
    }).sort((a, b) => a.pid - b.pid);
    for (const p of adopted) {
      const mark = this.#markOf(p, marks);
      if (mark === null || userBoundary(p)) continue;
      const label = this.#labels.get(mark.agent) ?? mark.agent;
      const from = { agent: mark.agent, label, cwd: mark.cwd };
      const family = (q: ProcessInfo) =>
        q === p || (!userBoundary(q) && this.#markOf(q, marks)?.agent === mark.agent);
      for (const q of subtrees([p], kids, taken, family)) {
        orphans.push(orphanOf(q, from, null, mark.sessionId, "env"));
      }
    }
    return orphans;
  }
}

/**
 * The live processes at and below `roots` that `keep` accepts, each tree depth-first (a root below
 * another root comes in that root's tree), leaving out zombies and what `taken` holds; a process
 * `keep` refuses is left out with everything below it. Adds what it returns to `taken`.
 */
function subtrees(
  roots: ProcessInfo[],
  kids: Map<number, ProcessInfo[]>,
  taken: Set<string>,
  keep: (p: ProcessInfo) => boolean,
): ProcessInfo[] {
  const rootPids = new Set(roots.map((p) => p.pid));
  const byPid = (a: ProcessInfo, b: ProcessInfo) => a.pid - b.pid;
  const tops = roots.filter((p) => !rootPids.has(p.ppid)).sort(byPid);
  const out: ProcessInfo[] = [];
  for (const root of [...tops, ...roots.filter((p) => rootPids.has(p.ppid)).sort(byPid)]) {
    const stack = [root];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const id = identity(p);
      if (taken.has(id) || p.state === "zombie" || !keep(p)) continue;
      taken.add(id);
      out.push(p);
      for (const c of [...kids.get(p.pid) ?? []].reverse()) stack.push(c);
    }
  }
  return out;
}

/** An orphan record for `p`, attributed to `from`. */
function orphanOf(
  p: ProcessInfo,
  from: { agent: string; label: string; cwd: string | null },
  agentKey: string | null,
  sessionId: string | null,
  via: Orphan["via"],
): Orphan {
  return {
    agentKey,
    agent: from.agent,
    label: from.label,
    cwd: from.cwd,
    sessionId,
    via,
    pid: p.pid,
    ppid: p.ppid,
    startId: p.startId,
    name: p.name,
    argv: p.argv,
    state: p.state,
    startedAt: p.startedAt,
    cpuTimeMs: p.cpuTimeMs,
    rssBytes: p.rssBytes,
  };
}
