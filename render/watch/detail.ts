/**
 * The detail view of one agent in `agtop watch`: what it is doing in a phrase, where it runs (git,
 * terminal, ports), its process tree (orphans included), the files it writes and the files its session
 * changed, what its session says (id, title, model, last prompt, current tool and task, subagents, rate
 * limits), token buckets with cost, what the prompt cache saved, prompt-cache warmth, burn rate and the
 * 5-hour block, a context bar with when it fills at the current rate, sparklines of CPU and tokens per
 * minute over the last minutes (the live view's {@linkcode Trend}), and the recent-activity tail. Pure:
 * an {@linkcode Agent} and its trend in, unstyled lines out.
 *
 * @module
 */

import type { Agent, AgentGit, AgentProcess } from "../../agents/types.ts";
import type { SessionFacts } from "../../agents/session.ts";
import { totalTokens } from "../../agents/session.ts";
import { STATUS_BADGE } from "../columns.ts";
import { safeText } from "../text.ts";
import { formatBytes, formatCount, formatDuration, formatPercent, formatSpan, formatUsd } from "../units.ts";
import { inTmux } from "./actions.ts";
import { agentLimits, shortClock } from "./limits.ts";
import { type Line, seg } from "./paint.ts";
import { sparkline, type Trend } from "./trends.ts";

const LABEL = 12;
const BAR = 30;

/** `HH:MM:SS` in local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

const field = (label: string, value: string, tone: Line[number]["tone"] = "plain"): Line => [
  seg(`  ${label.padEnd(LABEL)}`, "dim"),
  seg(value, tone),
];

const heading = (text: string): Line => [seg(text, "bold")];

/** The title line of the detail view: label, pid and status. */
export function detailTitle(a: Agent): Line {
  return [
    seg(safeText(a.label), "bold"),
    ...(a.dangerous ? [seg("!", "danger")] : []),
    seg(`  pid ${a.pid}  `),
    seg(STATUS_BADGE[a.status], `status:${a.status}`),
    seg(a.project ? `  ${safeText(a.project)}` : ""),
  ];
}

/** Where the agent runs: the tmux pane (and that `t` jumps there), or the terminal program and its tty. */
function terminalText(a: Pick<Agent, "tty" | "terminal" | "terminalPlace">): string | null {
  if (a.tty === null) return a.terminal === null ? null : safeText(a.terminal);
  const tty = safeText(a.tty);
  const label = a.terminal === null || a.terminal === a.tty.replace(/^\/dev\//, "")
    ? null
    : safeText(a.terminal);
  if (inTmux(a)) return `${label ?? "tmux"} on ${tty}  (t jumps there)`;
  return label ? `${label} on ${tty}` : tty;
}

function overview(a: Agent): Line[] {
  const lines: Line[] = [heading("Agent")];
  lines.push(field("directory", a.cwd ? safeText(a.cwd) : "—"));
  lines.push(field("command", safeText(a.argv.join(" ")) || safeText(a.name)));
  if (a.git) lines.push(field("git", gitText(a.git)));
  const terminal = terminalText(a);
  if (terminal) lines.push(field("terminal", terminal));
  if (a.ports.length) {
    const ports = a.ports.map((p) => `${p.protocol} ${safeText(p.address)}:${p.port} (pid ${p.pid})`);
    lines.push(field("listening", ports.join("  ")));
  }
  if (a.dangerous) {
    lines.push(
      field("dangerous", `runs without permission checks: ${safeText(a.dangerousFlags.join(" "))}`, "danger"),
    );
  }
  lines.push(field("started", `${clockTime(a.startedAt)}  (up ${formatDuration(a.uptimeSec)})`));
  const io = a.readBytes === null && a.writeBytes === null
    ? ""
    : `  read ${formatBytes(a.readBytes)}  written ${formatBytes(a.writeBytes)}`;
  lines.push(
    field(
      "usage",
      `CPU ${formatPercent(a.cpuPercent)}%  MEM ${formatBytes(a.rssBytes)}  threads ${a.threads}${io}`,
    ),
  );
  return lines;
}

function gitText(g: AgentGit): string {
  const at = g.branch ? `branch ${safeText(g.branch)}` : `detached at ${safeText(g.detached ?? "?")}`;
  return `${at}${g.worktree ? " (linked worktree)" : ""}  ${safeText(g.root)}`;
}

/** Depth of each child below the agent's own processes, from the parent links. */
function depths(a: Agent): Map<number, number> {
  const depth = new Map<number, number>([
    [a.pid, 0],
    ...a.processes.map((p) => [p.pid, 0] as [number, number]),
  ]);
  for (const c of a.children) depth.set(c.pid, (depth.get(c.ppid) ?? 0) + 1);
  return depth;
}

function processRow(
  role: string,
  p: Pick<AgentProcess, "pid" | "name" | "argv" | "cpuPercent" | "rssBytes">,
  indent: number,
): Line {
  const cmd = safeText(p.argv.length ? p.argv.join(" ") : p.name);
  return [
    seg(`  ${" ".repeat(indent * 2)}${role}`.padEnd(LABEL + 2)),
    seg(
      `${String(p.pid).padStart(8)}  ${formatPercent(p.cpuPercent).padStart(5)}  ${
        formatBytes(p.rssBytes).padStart(5)
      }  `,
    ),
    seg(cmd, "dim"),
  ];
}

function processes(a: Agent): Line[] {
  const sum = (f: (p: AgentProcess) => number) => a.processes.reduce((s, p) => s + f(p), 0);
  const main = {
    pid: a.pid,
    name: a.name,
    argv: a.argv,
    cpuPercent: Math.max(0, a.cpuPercent - sum((p) => p.cpuPercent)),
    rssBytes: Math.max(0, a.rssBytes - sum((p) => p.rssBytes)),
  };
  const depth = depths(a);
  return [
    heading("Processes"),
    [seg(
      `  ${"ROLE".padEnd(LABEL)}${"PID".padStart(8)}  ${"CPU%".padStart(5)}  ${"MEM".padStart(5)}  COMMAND`,
      "dim",
    )],
    processRow("main", main, 0),
    ...a.processes.map((p) => processRow(p.role, p, 0)),
    ...a.children.map((c) => processRow(c.role, c, depth.get(c.pid) ?? 1)),
    ...a.orphans.map((o) => processRow("orphan", o, 0)),
  ];
}

function writing(a: Agent): Line[] {
  if (!a.writingFiles.length) return [];
  return [
    heading(`Writing files (${a.writingFiles.length})`),
    ...a.writingFiles.map((f) => [seg(`  ${safeText(f)}`)]),
  ];
}

/** `path` relative to `cwd` when it lies below it. */
function relative(path: string, cwd: string | null): string {
  const base = cwd?.replace(/[\\/]+$/, "");
  return base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

function changed(a: Agent, s: SessionFacts): Line[] {
  const files = s.filesChanged ?? [];
  if (!files.length) return [];
  return [
    heading(`Files changed (${files.length}, newest last)`),
    ...files.map((f): Line => [seg(`  ${safeText(relative(f, a.cwd))}`)]),
  ];
}

function session(a: Agent, s: SessionFacts, now: number): Line[] {
  const lines: Line[] = [heading("Session")];
  const opt = (label: string, v: string | null) => v && lines.push(field(label, safeText(v)));
  lines.push(field("id", safeText(s.id)));
  opt("title", s.title);
  opt("model", s.model);
  opt("branch", s.gitBranch);
  lines.push(field("transcript", `${safeText(s.path)}  (linked by ${safeText(s.linkedBy)})`));
  lines.push(field("turn", s.turn + (s.stopReason ? `  (stop: ${safeText(s.stopReason)})` : "")));
  if (s.lastActivity !== null) {
    lines.push(field("last active", `${formatDuration((now - s.lastActivity) / 1000)} ago`));
  }
  opt("last prompt", s.lastPrompt);
  if (s.currentTool) {
    const t = s.currentTool;
    const since = t.startedAt === null ? "" : `  (${formatDuration((now - t.startedAt) / 1000)})`;
    lines.push(field("tool", safeText(t.arg ? `${t.name}: ${t.arg}` : t.name) + since));
  }
  opt("task", s.currentTask);
  if (a.status === "limited") {
    const until = s.limitedUntil ?? null;
    lines.push(
      field(
        "limited",
        until === null ? "until an unknown time" : `until ${shortClock(until, now)}`,
        "danger",
      ),
    );
  }
  const limits = agentLimits(s.rateLimits, now);
  if (limits) lines.push(field("limits", limits));
  if (s.subagents.length) {
    const running = s.subagents.filter((x) => x.status === "running").length;
    lines.push(field("subagents", `${running} running of ${s.subagents.length}`));
    for (const x of s.subagents) {
      const what = [x.type, x.description].filter(Boolean).map((v) => safeText(v!)).join(": ") ||
        safeText(x.id);
      const tool = x.currentTool
        ? `  ${safeText(x.currentTool.name)}${x.currentTool.arg ? ` ${safeText(x.currentTool.arg)}` : ""}`
        : "";
      lines.push([
        seg(`    ${x.status === "running" ? "●" : "✓"} `, x.status === "running" ? "status:busy" : "dim"),
        seg(`${what}  ${formatCount(totalTokens(x.tokens))} tokens${tool}`),
      ]);
    }
  }
  return lines;
}

/** Whether the prompt cache holds, and what the next message pays for the context either way. */
function cacheText(a: Agent, s: SessionFacts, now: number): string | null {
  const c = a.cache;
  if (!c) return null;
  const context = s.contextTokens === null ? null : formatCount(s.contextTokens);
  if (c.warm) {
    const reads = context === null
      ? ""
      : `; next message reads ${context} tokens from it ≈ ${formatUsd(c.warmCostUsd)}`;
    return `warm for ${formatDuration((c.expiresAt - now) / 1000)}${reads}`;
  }
  const since = `since ${shortClock(c.expiresAt, now)}`;
  return context === null
    ? `cold ${since}`
    : `cold ${since}: next message re-reads ${context} tokens ≈ ${formatUsd(c.coldCostUsd)}`;
}

function spend(a: Agent, s: SessionFacts, now: number): Line[] {
  const lines: Line[] = [];
  const cache = a.costBasis === "local" ? null : cacheText(a, s, now);
  if (cache) lines.push(field("cache", cache));
  const b = a.burn;
  if (!b) return lines;
  const usd = b.usdPerHour === null ? "" : ` · ${formatUsd(b.usdPerHour)}/h`;
  lines.push(field("burn rate", `${formatCount(b.tokensPerMin)} tokens/min${usd}  (last 10 minutes)`));
  const k = b.block;
  if (k) {
    const spent = `${formatCount(k.tokens)} tokens${k.usd === null ? "" : ` ${formatUsd(k.usd)}`}`;
    const projected = `${formatCount(k.projectedTokens)} tokens${
      k.projectedUsd === null ? "" : ` ${formatUsd(k.projectedUsd)}`
    }`;
    lines.push(
      field(
        "5h block",
        `${shortClock(k.start, now)}–${shortClock(k.end, now)}: ${spent} so far, ${projected} at this rate`,
      ),
    );
  }
  return lines;
}

/** What the prompt cache saved this session (not for local models, which cost nothing either way). */
function saved(a: Agent): Line[] {
  if (a.costBasis === "local" || a.cacheSavedUsd === null) return [];
  return [
    field("cache saved", `${formatUsd(a.cacheSavedUsd)}  (cache reads at list prices vs uncached input)`),
  ];
}

function tokens(a: Agent, s: SessionFacts, now: number): Line[] {
  const t = s.tokens;
  const cost = a.costBasis === "local"
    ? "local model (free)"
    : `${formatUsd(a.costUsd)}${a.costBasis === "unknown" ? " (model price unknown)" : " (list prices)"}`;
  return [
    heading("Tokens"),
    field("input", formatCount(t.input)),
    field("output", formatCount(t.output)),
    field("cache read", formatCount(t.cacheRead)),
    field("cache write", formatCount(t.cacheWrite)),
    field("reasoning", formatCount(t.reasoning)),
    field("total", formatCount(totalTokens(t))),
    field("cost", cost),
    ...saved(a),
    ...spend(a, s, now),
  ];
}

/** A bar of `width` cells filled to `percent`. */
export function contextBar(percent: number, width = BAR): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

function context(a: Agent, s: SessionFacts, trend: Trend | null): Line[] {
  if (a.contextPercent === null) return [];
  const eta = trend?.contextFullInMs ?? null;
  const fills = eta === null ? [] : [
    field("fills", eta === 0 ? "full now" : `context full in ~${formatSpan(eta / 1000)} at the current rate`),
  ];
  const used = s.contextTokens === null ? "" : `  ${formatCount(s.contextTokens)}`;
  const limit = a.contextLimit === null ? "" : ` of ${formatCount(a.contextLimit)}`;
  const tone = a.contextPercent >= 90 ? "danger" : "plain";
  return [
    heading("Context"),
    [
      seg("  "),
      seg(contextBar(a.contextPercent), tone),
      seg(` ${Math.round(a.contextPercent)}%${used}${limit}`),
    ],
    ...fills,
  ];
}

/** Sparklines of CPU (scaled to at least one core) and tokens per minute over the live view's memory. */
function trends(t: Trend | null, session: boolean): Line[] {
  if (!t || !t.cpu.length) return [];
  const last = <T>(v: (T | null)[]) => v.findLast((x) => x !== null) ?? null;
  const peak = (v: (number | null)[]) => Math.max(0, ...v.map((x) => x ?? 0));
  const line = (
    label: string,
    values: (number | null)[],
    max: number | undefined,
    fmt: (n: number) => string,
  ) => [
    seg(`  ${label.padEnd(LABEL)}`, "dim"),
    seg(sparkline(values, max)),
    seg(`  now ${fmt(last(values) ?? 0)}  peak ${fmt(peak(values))}`, "dim"),
  ];
  return [
    heading(`Last ${formatSpan(t.minutes * 60)}`),
    line("CPU %", t.cpu, Math.max(100, peak(t.cpu)), formatPercent),
    ...(session ? [line("tokens/min", t.tokensPerMin, undefined, formatCount)] : []),
  ];
}

function activity(s: SessionFacts): Line[] {
  if (!s.activity.length) return [];
  return [
    heading("Recent activity"),
    ...s.activity.map((e): Line => [
      seg(`  ${e.at === null ? "        " : clockTime(e.at)}  ${e.kind.padEnd(8)}`, "dim"),
      seg(safeText(e.text), e.kind === "error" ? "danger" : "plain"),
    ]),
  ];
}

/**
 * Every line of the detail view, sections separated by blank lines; `now` (the snapshot's time)
 * dates the relative times; `trend` (the live view's memory of the agent) adds sparklines and when
 * the context fills. Lines are not cut: the caller fits them to the screen.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const lines = detailLines(snapshot.agents[0], snapshot.takenAt, null);
 * ```
 */
export function detailLines(a: Agent, now: number, trend: Trend | null = null): Line[] {
  const s = a.session;
  const sections = [
    a.phrase ? [[seg(safeText(a.phrase), "bold")]] : [],
    overview(a),
    trends(trend, s !== null),
    processes(a),
    writing(a),
    s ? changed(a, s) : [],
    s
      ? session(a, s, now)
      : [heading("Session"), [seg("  no session transcript linked to this agent", "dim")]],
    s ? tokens(a, s, now) : [],
    s ? context(a, s, trend) : [],
    s ? activity(s) : [],
  ].filter((x) => x.length);
  return sections.flatMap((sec, i) => (i ? [[], ...sec] : sec));
}
