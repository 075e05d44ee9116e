/**
 * `agtop doctor`: why agtop shows (or does not show) each agent and its session. Collects, per agent
 * kind, the data directories searched and whether they can be read, the processes recognised and the
 * look-alikes turned down (with the recogniser's rule), each live agent's session link with the
 * candidates passed over, the notices of the run, and what limits the processes agtop can see. Plain
 * data: `render/doctor.ts` prints it.
 *
 * @module
 */

import type { ProcessInfo, ProcessSource } from "../platform/types.ts";
import type { Agent } from "./types.ts";
import type { DataDir, LinkCandidate, LinkContext, Vendor } from "./vendor.ts";
import type {
  AccessFacts,
  DirFact,
  DoctorReport,
  LinkFact,
  PidFacts,
  ProcessFact,
  VendorFacts,
} from "./doctor_report.ts";
import { explainProcesses, type ProcessVerdict } from "./detect.ts";
import { type CollectorSettings, createCollector, vendorsFor } from "./collect/collector.ts";
import { BASE_ENV_KEYS } from "./collect/link.ts";
import { profileEnvs } from "./profiles.ts";
import { firstLine } from "../platform/notices.ts";
import { DOCTOR_SCHEMA } from "./doctor_report.ts";

export type * from "./doctor_report.ts";

/** What a linked agent's tracing recorded. */
interface Traced {
  ctx: Omit<LinkContext, "claimed">;
  candidates: LinkCandidate[];
}

/**
 * Collects the doctor's report: one pass over the processes (every recogniser explaining itself), one
 * collection with session links traced, and the data directories of every agent kind.
 *
 * @example
 * ```ts
 * import { processSource } from "../platform/mod.ts";
 * import { bundledTable } from "./pricing/table.ts";
 *
 * const report = await diagnose(
 *   { matchSpecs: [], prices: bundledTable(), dataDirs: {}, version: "0.1.0" },
 *   processSource(),
 *   null,
 * );
 * report.vendors.map((v) => `${v.label}: ${v.agents.length}`);
 * ```
 */
export async function diagnose(
  settings: CollectorSettings,
  source: ProcessSource,
  pid: number | null,
): Promise<DoctorReport> {
  const listed = source.list();
  const frozen = frozenSource(source, listed);
  const vendors = vendorsFor(settings.matchSpecs);
  const verdicts = explainProcesses(listed, vendors).map(processFact);
  const traced = new Map<number, Traced>();
  const collector = createCollector({ ...settings, recentMs: null }, frozen, {
    linkTrace: (ctx) => {
      const candidates: LinkCandidate[] = [];
      traced.set(ctx.pid, { ctx, candidates });
      return (c) => candidates.push(c);
    },
  });
  const snap = await collector.tick(null);
  // Live agents are the rows whose link was traced (orphan rows and gone sessions are not).
  const live = snap.agents.filter((a) => traced.has(a.pid));
  const profiles = profileEnvs(settings.dataDirs);
  const vendorFacts: VendorFacts[] = [];
  const notices: string[] = [];
  for (const vendor of vendors) {
    const agents = live.filter((a) => a.agent === vendor.id);
    const envs = agents.map((a) => traced.get(a.pid)!.ctx);
    const dirs = await dataDirsOf(vendor, envs, profiles[vendor.id] ?? [], notices);
    vendorFacts.push({
      id: vendor.id,
      label: vendor.label,
      readsSessions: vendor.sessions !== undefined,
      dataDirs: dirs.map(checkDir),
      processes: verdicts.filter((v) => v.vendorId === vendor.id).map(({ vendorId: _, ...v }) => v),
      agents: agents.map((a) => linkFact(vendor, a, traced.get(a.pid))),
    });
  }
  const links = vendorFacts.flatMap((v) => v.agents);
  return {
    schema: DOCTOR_SCHEMA,
    version: settings.version,
    takenAt: snap.takenAt,
    access: accessFacts(listed, source),
    vendors: vendorFacts,
    pid: pid === null ? null : pidFacts(pid, listed, verdicts, links),
    notices: [...source.notices?.() ?? [], ...collector.notices(), ...notices],
  };
}

/** A source whose `list()` is the one already taken, so the collection sees the processes explained. */
function frozenSource(source: ProcessSource, listed: ProcessInfo[]): ProcessSource {
  return {
    list: () => listed,
    details: (pid, keys) => source.details(pid, keys),
    writingFiles: (pid, limit) => source.writingFiles(pid, limit),
    system: () => source.system(),
    notices: () => source.notices?.() ?? [],
    listeningPorts: (pids) => source.listeningPorts?.(pids) ?? new Map(),
    terminal: (pid) => source.terminal?.(pid) ?? null,
    terminate: (pid) => source.terminate(pid),
  };
}

function processFact(v: ProcessVerdict): ProcessFact & { vendorId: string } {
  return {
    vendorId: v.vendor.id,
    pid: v.process.pid,
    name: v.process.name,
    argv: v.process.argv,
    verdict: v.verdict,
    role: v.role,
    rule: v.recognition.rule,
    why: v.recognition.why,
    agentPid: v.agentPid,
  };
}

/** The data directories of a vendor for agtop's own environment, the profiles and each live agent's. */
async function dataDirsOf(
  vendor: Vendor,
  agents: Omit<LinkContext, "claimed">[],
  profiles: readonly Record<string, string>[],
  notices: string[],
): Promise<DataDir[]> {
  if (!vendor.sessions) return [];
  let reader;
  try {
    reader = await vendor.sessions();
  } catch (error) {
    notices.push(`loading the ${vendor.label} session reader failed: ${firstLine(error)}`);
    return [];
  }
  if (!reader.dataDirs) return [];
  const own: Record<string, string> = {};
  for (const key of [...BASE_ENV_KEYS, ...reader.envKeys]) {
    const value = Deno.env.get(key);
    if (value !== undefined) own[key] = value;
  }
  const ownHome = own.HOME ?? "";
  const envs: [Record<string, string>, string][] = [
    [own, ownHome],
    ...profiles.map((p): [Record<string, string>, string] => [{ ...own, ...p }, ownHome]),
    ...agents.map((ctx): [Record<string, string>, string] => [ctx.env, ctx.home]),
  ];
  const seen = new Map<string, DataDir>();
  for (const [env, home] of envs) {
    for (const dir of reader.dataDirs(env, home)) if (!seen.has(dir.path)) seen.set(dir.path, dir);
  }
  return [...seen.values()];
}

/**
 * Whether a data directory (or file) exists and can be read, with the OS's reason when not. A place
 * inside each project's folder is not checked here (it is per agent).
 *
 * @example
 * ```ts
 * checkDir({ path: "/nonexistent/.codex/sessions", from: "default" }).exists; // false
 * ```
 */
export function checkDir(dir: DataDir): DirFact {
  const fact = { ...dir, inProject: dir.inProject ?? false };
  if (dir.inProject) return { ...fact, exists: false, readable: false, error: null };
  try {
    const info = Deno.statSync(dir.path);
    if (info.isDirectory) {
      for (const _ of Deno.readDirSync(dir.path)) break;
    } else {
      using _file = Deno.openSync(dir.path, { read: true });
    }
    return { ...fact, exists: true, readable: true, error: null };
  } catch (error) {
    const missing = error instanceof Deno.errors.NotFound;
    return { ...fact, exists: !missing, readable: false, error: missing ? null : firstLine(error) };
  }
}

function linkFact(vendor: Vendor, agent: Agent, traced: Traced | undefined): LinkFact {
  const candidates = (traced?.candidates ?? []).filter((c) => c.skipped !== null);
  const session = agent.session && agent.session.path
    ? { id: agent.session.id, path: agent.session.path, linkedBy: agent.session.linkedBy }
    : null;
  const reason = session
    ? null
    : !vendor.sessions
    ? `agtop does not read ${vendor.label}'s sessions`
    : candidates.length
    ? "no candidate matched (see the candidates passed over)"
    : "no session found: none written since the process started in its working directory, and no id in its arguments or its tools' environment";
  return { pid: agent.pid, session, candidates, reason };
}

function accessFacts(listed: ProcessInfo[], source: ProcessSource): AccessFacts {
  const visibility = source.visibility?.() ?? null;
  const uid = visibility?.uid ?? null;
  const others = uid === null ? [] : listed.filter((p) => p.uid !== null && p.uid !== uid);
  // Kernel threads have no command line and no executable anyway: only user processes count.
  const unreadable = others.filter((p) => p.argv.length > 0 && p.exe === null).length;
  const advice: string[] = [];
  if (visibility && visibility.uid !== 0) {
    const hidden = visibility.hidepid !== null && !["0", "off"].includes(visibility.hidepid);
    if (hidden) {
      advice.push(
        `/proc is mounted with hidepid=${visibility.hidepid}: other users' processes are hidden; run agtop as root ` +
          `(sudo agtop doctor)${
            visibility.hidepidGid !== null ? ` or as a member of group ${visibility.hidepidGid}` : ""
          }, or remount /proc without hidepid`,
      );
    }
    if (unreadable > 0 || others.length > 0) {
      advice.push(
        "other users' command lines may show, but their working directories, environments and open files " +
          "are readable only by root: run `sudo agtop doctor` (or sudo agtop) to see their agents' sessions",
      );
    }
  }
  if (
    visibility?.ptraceScope !== null && visibility?.ptraceScope !== undefined && visibility.ptraceScope >= 3
  ) {
    advice.push(
      `kernel.yama.ptrace_scope is ${visibility.ptraceScope}: reading other processes' details is refused ` +
        "even to root until reboot",
    );
  }
  return { processes: listed.length, otherUsers: others.length, unreadable, visibility, advice };
}

function pidFacts(
  pid: number,
  listed: ProcessInfo[],
  verdicts: (ProcessFact & { vendorId: string })[],
  links: LinkFact[],
): PidFacts {
  const p = listed.find((q) => q.pid === pid);
  if (!p) {
    return {
      pid,
      found: false,
      name: "",
      argv: [],
      verdicts: [],
      summary: `no visible process has pid ${pid} (it exited, or /proc hides it from this user)`,
      link: null,
    };
  }
  const mine = verdicts.filter((v) => v.pid === pid).map(({ vendorId: _, ...v }) => v);
  const agent = mine.find((v) => v.verdict !== "rejected");
  const main = agent?.verdict === "member" ? agent.agentPid : agent ? pid : null;
  const summary = agent?.verdict === "agent"
    ? `an agent: ${agent.why}`
    : agent?.verdict === "member"
    ? `part of agent ${agent.agentPid} (its ${agent.role}): ${agent.why}`
    : mine.length
    ? `not an agent: ${mine.map((v) => v.why).join("; ")}`
    : "not an agent: nothing in its command line or executable names a known agent";
  return {
    pid,
    found: true,
    name: p.name,
    argv: p.argv,
    verdicts: mine,
    summary,
    link: main === null ? null : links.find((l) => l.pid === main) ?? null,
  };
}
