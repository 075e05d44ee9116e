/**
 * `agtop doctor`'s output: the report as text (per agent kind: data directories, processes matched and
 * rejected, session links with the candidates passed over; then notices and process visibility) or as
 * versioned JSON for bug reports, and its `--private` form with every path and command line removed.
 *
 * @module
 */

import type { DoctorReport, LinkFact, PidFacts, ProcessFact, VendorFacts } from "../agents/doctor_report.ts";
import { jsonDocument } from "./json.ts";
import { HIDDEN, processName } from "./privacy.ts";
import { safeText } from "./text.ts";

/** Candidates listed per agent in the text; the rest are counted. */
const CANDIDATES_SHOWN = 8;

/** Anything in free text that looks like a path (a notice naming a file). */
const PATH_IN_TEXT = /(^|[\s'"(=:])(?:~|[A-Za-z]:)?[/\\][^\s'")]*/g;

/**
 * The report with every path and command line replaced (`--private`): data directories, transcript
 * and candidate paths read `(private)`, argv is empty, process names that are not bare commands read
 * `(private)`, and paths inside notices are cut out. The recogniser's reasons name no process path.
 *
 * @example
 * ```ts
 * import type { DoctorReport } from "../agents/doctor_report.ts";
 * declare const report: DoctorReport;
 * redactDoctor(report).vendors[0].dataDirs[0]?.path; // "(private)"
 * ```
 */
export function redactDoctor(report: DoctorReport): DoctorReport {
  const proc = (p: ProcessFact): ProcessFact => ({ ...p, name: processName(p.name), argv: [] });
  const link = (l: LinkFact): LinkFact => ({
    ...l,
    session: l.session && { ...l.session, path: HIDDEN },
    candidates: l.candidates.map((c) => ({ ...c, path: c.path === null ? null : HIDDEN })),
  });
  const pid = (p: PidFacts): PidFacts => ({
    ...p,
    name: processName(p.name),
    argv: [],
    verdicts: p.verdicts.map(proc),
    link: p.link && link(p.link),
  });
  return {
    ...report,
    vendors: report.vendors.map((v) => ({
      ...v,
      dataDirs: v.dataDirs.map((d) => ({ ...d, path: HIDDEN, error: d.error && hidePaths(d.error) })),
      processes: v.processes.map(proc),
      agents: v.agents.map(link),
    })),
    pid: report.pid && pid(report.pid),
    notices: report.notices.map(hidePaths),
  };
}

function hidePaths(text: string): string {
  return text.replace(PATH_IN_TEXT, (_, lead: string) => `${lead}${HIDDEN}`);
}

/**
 * The report as versioned JSON (`schema`), snake_case keys, ISO times.
 *
 * @example
 * ```ts
 * import type { DoctorReport } from "../agents/doctor_report.ts";
 * declare const report: DoctorReport;
 * JSON.parse(renderDoctorJson(report)).schema; // 1
 * ```
 */
export function renderDoctorJson(report: DoctorReport): string {
  return jsonDocument(report);
}

const cmdline = (argv: readonly string[]) => safeText(argv.join(" "));

function processLine(p: ProcessFact): string {
  const head = p.verdict === "agent"
    ? "agent"
    : p.verdict === "member"
    ? `${p.role} of ${p.agentPid}`
    : p.role
    ? `rejected ${p.role}`
    : "rejected";
  const shown = p.argv.length ? `  ${cmdline(p.argv)}` : "";
  return `    ${String(p.pid).padStart(7)}  ${head}  [${p.rule}] ${safeText(p.why)}\n${
    shown ? `             ${safeText(p.name)}:${shown}\n` : ""
  }`;
}

function linkLines(l: LinkFact, indent: string): string {
  let out = l.session
    ? `${indent}pid ${l.pid}: session ${safeText(l.session.id)} linked by ${l.session.linkedBy}\n${indent}  ${
      safeText(l.session.path)
    }\n`
    : `${indent}pid ${l.pid}: no session — ${safeText(l.reason ?? "")}\n`;
  for (const c of l.candidates.slice(0, CANDIDATES_SHOWN)) {
    out += `${indent}  passed over (${c.by}): ${c.path === null ? "" : `${safeText(c.path)}: `}${
      safeText(c.skipped ?? "")
    }\n`;
  }
  if (l.candidates.length > CANDIDATES_SHOWN) {
    out += `${indent}  +${l.candidates.length - CANDIDATES_SHOWN} more candidates passed over\n`;
  }
  return out;
}

function vendorText(v: VendorFacts): string {
  let out = `${v.label} (${v.id})\n`;
  if (!v.readsSessions) out += "  sessions: not read by agtop (processes only)\n";
  for (const d of v.dataDirs) {
    const state = d.inProject
      ? "in each project's folder"
      : d.readable
      ? "ok"
      : d.exists
      ? `unreadable: ${safeText(d.error ?? "")}`
      : "missing";
    out += `  data: ${safeText(d.path)}  (from ${d.from})  ${state}\n`;
  }
  if (v.processes.length) out += "  processes:\n" + v.processes.map(processLine).join("");
  else out += "  processes: none look like it\n";
  if (v.agents.length) out += "  sessions:\n" + v.agents.map((l) => linkLines(l, "    ")).join("");
  return out;
}

/**
 * The report as text: one block per agent kind, then (with `--pid`) the process asked about, the
 * notices and what limits the processes agtop sees. Untrusted text (command lines, paths) is made
 * safe for a terminal.
 *
 * @example
 * ```ts
 * import type { DoctorReport } from "../agents/doctor_report.ts";
 * declare const report: DoctorReport;
 * console.log(renderDoctorText(report));
 * ```
 */
export function renderDoctorText(report: DoctorReport): string {
  let out = "";
  if (report.pid) {
    const p = report.pid;
    out += `pid ${p.pid}${p.found ? ` (${safeText(p.name)})` : ""}: ${safeText(p.summary)}\n`;
    if (p.argv.length) out += `  command line: ${cmdline(p.argv)}\n`;
    for (const v of p.verdicts) out += processLine(v);
    if (p.link) out += linkLines(p.link, "  ");
    out += "\n";
  } else {
    out += report.vendors.map(vendorText).join("\n") + "\n";
  }
  const a = report.access;
  out += `processes: ${a.processes} visible, ${a.otherUsers} of other users (${a.unreadable} unreadable)\n`;
  if (a.visibility) {
    const v = a.visibility;
    out += `  running as uid ${v.uid}; /proc hidepid ${v.hidepid ?? "off"}; ptrace_scope ${
      v.ptraceScope ?? "n/a"
    }\n`;
  } else out += "  process visibility: not checked on this OS\n";
  for (const line of a.advice) out += `  ${line}\n`;
  out += report.notices.length ? "notices:\n" : "notices: none\n";
  for (const n of report.notices) out += `  ${safeText(n)}\n`;
  return out;
}
