/**
 * The shape of `agtop doctor`'s report (collected by `agents/doctor.ts`, printed by `render/doctor.ts`):
 * plain data, like a Snapshot.
 *
 * @module
 */

import type { ProcessVisibility } from "../platform/types.ts";
import type { DataDir, LinkCandidate } from "./vendor.ts";

/** `agtop doctor --format json` schema version. */
export const DOCTOR_SCHEMA = 1;

/** A place sessions are looked for, and whether agtop can read it. */
export interface DirFact extends DataDir {
  exists: boolean;
  readable: boolean;
  /** Why it cannot be read (the OS's error), or null. */
  error: string | null;
}

/** A process that is an agent's, or looked like one: what the recogniser said. */
export interface ProcessFact {
  pid: number;
  name: string;
  argv: string[];
  verdict: "agent" | "member" | "rejected";
  role: string | null;
  rule: string;
  why: string;
  /** For a folded member, its agent's main pid. */
  agentPid: number | null;
}

/** How one live agent was joined with its session. */
export interface LinkFact {
  pid: number;
  /** The linked session, or null. */
  session: { id: string; path: string; linkedBy: string } | null;
  /** Candidates the reader passed over, in the order it considered them. */
  candidates: LinkCandidate[];
  /** Why there is no session (when `session` is null). */
  reason: string | null;
}

/** Everything the doctor says about one agent kind. */
export interface VendorFacts {
  id: string;
  label: string;
  /** Whether agtop reads this agent's sessions at all. */
  readsSessions: boolean;
  dataDirs: DirFact[];
  processes: ProcessFact[];
  agents: LinkFact[];
}

/** What limits the processes agtop sees, and what to do about it. */
export interface AccessFacts {
  /** Processes visible. */
  processes: number;
  /** Visible processes of other users. */
  otherUsers: number;
  /** Of those, how many have a command line but an unreadable executable (so no cwd, env or files either). */
  unreadable: number;
  /** hidepid, uid and ptrace scope; null where the OS source does not say. */
  visibility: ProcessVisibility | null;
  /** One line each: what to run to see more. */
  advice: string[];
}

/** The one process `--pid` asks about. */
export interface PidFacts {
  pid: number;
  /** False when no visible process has the pid. */
  found: boolean;
  name: string;
  argv: string[];
  /** What every recogniser that looked at it said; empty when none did. */
  verdicts: ProcessFact[];
  /** The conclusion in one line. */
  summary: string;
  /** The session link of the agent it is (or belongs to). */
  link: LinkFact | null;
}

/** The whole report. */
export interface DoctorReport {
  schema: number;
  version: string;
  takenAt: number;
  access: AccessFacts;
  vendors: VendorFacts[];
  /** `--pid`: the process asked about; null otherwise. */
  pid: PidFacts | null;
  /** Stores and fields agtop could not read, and why (the collector's and the platform's notices). */
  notices: string[];
}
