/**
 * Finds the coding agents among the processes of one tick and folds each agent's processes (launchers,
 * self-relaunches, helper daemons) into one {@linkcode Detection}. Pure except for
 * {@linkcode resolveScript}, which resolves script symlinks on disk.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import type { RecognisedRole, Recognition, Vendor } from "./vendor.ts";
import { entry } from "./recognise.ts";

/** One agent: its main process, the processes folded into it, and the processes its tools run. */
export interface Detection {
  vendor: Vendor;
  /** The process that does the agent's work. */
  main: ProcessInfo;
  /** Launchers and helpers folded into the agent (not `main`), in tree order. */
  members: { process: ProcessInfo; role: RecognisedRole }[];
  /** Descendants of `main` and `members` that are not members, in depth-first tree order. */
  children: ProcessInfo[];
}

const realPaths = new Map<string, string | null>();
const REAL_PATHS_LIMIT = 4096;

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\\\") || /^[A-Za-z]:[\\/]/.test(path);
}

/**
 * The real path (symlinks resolved) of the script a runtime process runs (`node`, `bun`, `deno`,
 * `python`: its first non-option argument), or null when the process is no runtime, runs a module
 * (`python -m`) or inline code, names a relative path, or the path cannot be resolved. Cached by path.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * declare const p: ProcessInfo;
 * resolveScript(p); // "/p/node_modules/@google/gemini-cli/dist/index.js" for argv ["node", "/p/node_modules/.bin/gemini"]
 * ```
 */
export function resolveScript(p: ProcessInfo): string | null {
  const e = entry(p.argv);
  if (e === null || e.kind !== "script") return null;
  const path = p.argv[e.index];
  if (!isAbsolute(path)) return null;
  const known = realPaths.get(path);
  if (known !== undefined) return known;
  let real: string | null;
  try {
    real = Deno.realPathSync(path);
  } catch {
    real = null;
  }
  if (realPaths.size >= REAL_PATHS_LIMIT) realPaths.clear();
  realPaths.set(path, real);
  return real;
}

interface Recognised {
  vendor: Vendor;
  role: RecognisedRole;
}

/** A recognised process in its group, with its depth below the group's root. */
interface GroupMember {
  process: ProcessInfo;
  role: RecognisedRole;
  depth: number;
}

/** Processes in depth-first tree order below `root` (excluded), children by pid. */
function descendants(root: ProcessInfo, kids: Map<number, ProcessInfo[]>): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const seen = new Set([root.pid]);
  const stack = [...(kids.get(root.pid) ?? [])].reverse();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    out.push(p);
    for (const c of [...(kids.get(p.pid) ?? [])].reverse()) stack.push(c);
  }
  return out;
}

/**
 * Folds one group (recognised processes of one vendor joined by parent→child edges, in tree order from
 * its root) into a detection: the deepest `main` wins (other mains become launchers); with no main, the
 * topmost launcher is main; a group of helpers alone is no agent.
 */
function fold(
  vendor: Vendor,
  group: GroupMember[],
  kids: Map<number, ProcessInfo[]>,
): Detection | null {
  const pick = (role: RecognisedRole, better: (a: number, b: number) => boolean) =>
    group.reduce<GroupMember | null>(
      (best, m) => m.role === role && (best === null || better(m.depth, best.depth)) ? m : best,
      null,
    );
  const main = pick("main", (a, b) => a > b) ?? pick("launcher", (a, b) => a < b);
  if (main === null) return null;
  const inGroup = new Set(group.map((m) => m.process.pid));
  return {
    vendor,
    main: main.process,
    members: group.filter((m) => m !== main).map((m) => ({
      process: m.process,
      role: m.role === "main" ? "launcher" : m.role,
    })),
    children: descendants(group[0].process, kids).filter((p) => !inGroup.has(p.pid)),
  };
}

/**
 * Recognition results per argv array and vendor list. Sources hand out the same argv array for a
 * process as long as it runs the same program, so a steady tick recognises nothing twice; a new
 * array (a new process, an exec) is recognised afresh.
 */
const recognised = new WeakMap<readonly string[], WeakMap<readonly Vendor[], Recognised | null>>();

/** The first vendor that recognises `p`, with its role; null when none does. */
function recognise(
  p: ProcessInfo,
  vendors: readonly Vendor[],
  resolve: (p: ProcessInfo) => string | null,
): Recognised | null {
  let byVendors = recognised.get(p.argv);
  const known = byVendors?.get(vendors);
  if (known !== undefined) return known;
  const script = resolve(p);
  let result: Recognised | null = null;
  for (const vendor of vendors) {
    const role = vendor.recognise(p, script);
    if (role !== null) {
      result = { vendor, role };
      break;
    }
  }
  if (!byVendors) recognised.set(p.argv, byVendors = new WeakMap());
  byVendors.set(vendors, result);
  return result;
}

/**
 * Recognises agents among `processes` and returns one {@linkcode Detection} per agent, sorted by main
 * pid. Each process is claimed by the first vendor (in `vendors` order) that recognises it; recognised
 * processes of one vendor joined by direct parent→child edges are one agent. Two agents of one vendor
 * where one runs inside the other's tool (claude → bash → claude) stay two.
 *
 * @example
 * ```ts
 * import type { ProcessSource } from "../platform/types.ts";
 * import { VENDORS } from "./vendors/mod.ts";
 * declare const source: ProcessSource;
 * const agents = detect(source.list(), VENDORS);
 * agents.map((d) => `${d.vendor.label} ${d.main.pid}`);
 * ```
 */
export function detect(
  processes: ProcessInfo[],
  vendors: readonly Vendor[],
  resolve: (p: ProcessInfo) => string | null = resolveScript,
): Detection[] {
  const sorted = [...processes].sort((a, b) => a.pid - b.pid);
  const kids = new Map<number, ProcessInfo[]>();
  for (const p of sorted) {
    if (p.ppid === p.pid) continue;
    const list = kids.get(p.ppid);
    if (list) list.push(p);
    else kids.set(p.ppid, [p]);
  }

  const found = new Map<number, Recognised>();
  for (const p of sorted) {
    if (p.argv.length === 0) continue;
    const r = recognise(p, vendors, resolve);
    if (r) found.set(p.pid, r);
  }

  const byPid = new Map(sorted.map((p) => [p.pid, p]));
  const joinsParent = (p: ProcessInfo, vendor: Vendor) =>
    p.ppid !== p.pid && found.get(p.ppid)?.vendor === vendor;

  const detections: Detection[] = [];
  for (const [pid, { vendor }] of found) {
    const root = byPid.get(pid)!;
    if (joinsParent(root, vendor)) continue;
    // A group is a tree below its root (a root's parent is never of the group), so no visited set.
    const group: GroupMember[] = [];
    const stack = [{ process: root, depth: 0 }];
    while (stack.length > 0) {
      const { process, depth } = stack.pop()!;
      group.push({ process, role: found.get(process.pid)!.role, depth });
      const next = (kids.get(process.pid) ?? []).filter((c) => found.get(c.pid)?.vendor === vendor);
      for (const c of next.reverse()) stack.push({ process: c, depth: depth + 1 });
    }
    const d = fold(vendor, group, kids);
    if (d) detections.push(d);
  }
  return detections.sort((a, b) => a.main.pid - b.main.pid);
}

/** What `agtop doctor` says about one process that is an agent's, or looked like one and is not. */
export interface ProcessVerdict {
  process: ProcessInfo;
  vendor: Vendor;
  /**
   * `agent`: the main process of an agent; `member`: a launcher or helper folded into one;
   * `rejected`: it looked like the vendor's (named like it, or running it) and is no agent.
   */
  verdict: "agent" | "member" | "rejected";
  /** The role the recogniser gave it (null when the recogniser turned it down). */
  role: RecognisedRole | null;
  /** The recogniser's rule, and why, in words that name no path of the process. */
  recognition: Recognition;
  /** The main pid of the agent a member is folded into; null otherwise. */
  agentPid: number | null;
}

/** A vendor's recognition of `p` with reasons; vendors without `explain` say only their role. */
function explainOne(vendor: Vendor, p: ProcessInfo, script: string | null): Recognition | null {
  if (vendor.explain) return vendor.explain(p, script);
  const role = vendor.recognise(p, script);
  return role && { role, rule: "custom match", why: `recognised by ${vendor.label}` };
}

/**
 * {@linkcode detect} with its reasons, for `agtop doctor`: a verdict for every process that is part of
 * an agent (with the rule that recognised it) and for every process that looked like an agent and was
 * turned down (a management subcommand, a name under another runtime, a helper with no main beside
 * it), in pid order. Runs every vendor's explaining recogniser on every process: for a one-off report,
 * never for a tick.
 *
 * @example
 * ```ts
 * import type { ProcessSource } from "../platform/types.ts";
 * import { VENDORS } from "./vendors/mod.ts";
 * declare const source: ProcessSource;
 * for (const v of explainProcesses(source.list(), VENDORS)) {
 *   console.log(v.process.pid, v.vendor.id, v.verdict, v.recognition.why);
 * }
 * ```
 */
export function explainProcesses(
  processes: ProcessInfo[],
  vendors: readonly Vendor[],
  resolve: (p: ProcessInfo) => string | null = resolveScript,
): ProcessVerdict[] {
  const folded = new Map<number, { main: number; role: RecognisedRole | null }>();
  for (const d of detect(processes, vendors, resolve)) {
    folded.set(d.main.pid, { main: d.main.pid, role: null });
    for (const m of d.members) folded.set(m.process.pid, { main: d.main.pid, role: m.role });
  }
  const out: ProcessVerdict[] = [];
  for (const p of [...processes].sort((a, b) => a.pid - b.pid)) {
    if (p.argv.length === 0) continue;
    const script = resolve(p);
    const rejections: ProcessVerdict[] = [];
    let claimed = false;
    for (const vendor of vendors) {
      const recognition = explainOne(vendor, p, script);
      if (recognition === null) continue;
      if (recognition.role === null) {
        rejections.push({ process: p, vendor, verdict: "rejected", role: null, recognition, agentPid: null });
        continue;
      }
      claimed = true;
      const f = folded.get(p.pid);
      if (f) {
        const member = f.main !== p.pid;
        out.push({
          process: p,
          vendor,
          verdict: member ? "member" : "agent",
          role: member ? f.role : "main",
          recognition,
          agentPid: member ? f.main : null,
        });
      } else {
        const why =
          `${recognition.why}, but a ${recognition.role} counts only beside a ${vendor.label} main process`;
        out.push({
          process: p,
          vendor,
          verdict: "rejected",
          role: recognition.role,
          recognition: { ...recognition, why },
          agentPid: null,
        });
      }
      break;
    }
    if (!claimed) out.push(...rejections);
  }
  return out;
}
