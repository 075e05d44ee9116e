/**
 * A snapshot as metrics for Prometheus: `agtop ls --format=openmetrics` (or `prometheus`), the
 * textfile that node_exporter picks up, and `/metrics` of `agtop serve`.
 *
 * One text serves both parsers that meet it. Prometheus scrapes negotiate OpenMetrics; `promtool check
 * metrics` and node_exporter's textfile collector read the classic text format. So counters are declared
 * under the name their sample carries (`agtop_agent_cpu_seconds_total`), the state set of statuses is
 * written the classic way (a gauge per status with a `status` label, 1 for the current one), and a `#
 * UNIT` line is given where the name ends in its unit — Prometheus rejects a whole OpenMetrics scrape
 * whose UNIT is not a suffix of the name. The OpenMetrics form adds `# UNIT` and `# EOF`.
 *
 * Labels are bounded (see the README's table): `host`, `agent`, `pid`, `session`, `project` (the base
 * name of the working directory), `model`, plus `status` and `bucket` where a family says so. No prompt,
 * argument, path or command line ever becomes a label. `private` drops `project` and `session`.
 * Only agents with a live process are exported: a gone session has no process to count.
 *
 * @module
 */

import { type Agent, AGENT_STATUSES, type Snapshot } from "../agents/types.ts";
import { aggregate } from "../agents/aggregates.ts";
import type { TokenBuckets } from "../agents/session.ts";
import { safeText } from "./text.ts";

/** The two text formats. */
export type MetricsFormat = "openmetrics" | "prometheus";

/** The HTTP `Content-Type` of each format. */
export const METRICS_CONTENT_TYPES: Readonly<Record<MetricsFormat, string>> = {
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
};

/** How to write the metrics. */
export interface MetricsOptions {
  format: MetricsFormat;
  /** Leave out the `project` and `session` labels (`--private`). */
  private?: boolean;
  /** How long collecting the snapshot took, in ms, when known (`agtop_collection_duration_seconds`). */
  collectionMs?: number | null;
}

/** Token buckets as label values, in the order of {@linkcode TokenBuckets}. */
const BUCKETS: readonly [keyof TokenBuckets, string][] = [
  ["input", "input"],
  ["output", "output"],
  ["cacheRead", "cache_read"],
  ["cacheWrite", "cache_write"],
  ["reasoning", "reasoning"],
];

/** Longest label value written; longer ones are cut (model ids and project names are far shorter). */
const LABEL_MAX = 128;

type Labels = readonly (readonly [string, string])[];

/** One metric family: its metadata and its samples (label text already rendered). */
interface Family {
  name: string;
  type: "gauge" | "counter";
  help: string;
  /** The unit, given only when the name ends in `_<unit>`. */
  unit?: string;
  /** Label text without braces, and value. */
  samples: [labels: string, value: number][];
}

function labelValue(v: string): string {
  const clean = [...safeText(v)].slice(0, LABEL_MAX).join("");
  return clean.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** Labels as text without braces: `host="box",agent="claude"`. */
function labelText(labels: Labels): string {
  return labels.map(([k, v]) => `${k}="${labelValue(v)}"`).join(",");
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return String(n);
}

/** The identity labels of one agent's series, as label text. */
function agentLabels(host: string, a: Agent, priv: boolean): string {
  const labels: [string, string][] = [["host", host], ["agent", a.agent], ["pid", String(a.pid)]];
  if (!priv) labels.push(["session", a.session?.id ?? ""], ["project", a.project ?? ""]);
  labels.push(["model", a.session?.model ?? ""]);
  return labelText(labels);
}

class Families {
  readonly list: Family[] = [];

  add(name: string, type: Family["type"], help: string, unit?: string): Family {
    const family: Family = { name, type, help, unit, samples: [] };
    this.list.push(family);
    return family;
  }
}

/** Adds a sample with the rendered labels `labels` plus one more label `extra`, when there is a value. */
function sample(f: Family, labels: string, value: number | null | undefined, extra?: [string, string]): void {
  if (value === null || value === undefined) return;
  f.samples.push([extra ? `${labels},${extra[0]}="${labelValue(extra[1])}"` : labels, value]);
}

function agentFamilies(fs: Families, snap: Snapshot, agents: readonly Agent[], priv: boolean): void {
  const host = snap.host.hostname;
  const status = fs.add(
    "agtop_agent_status",
    "gauge",
    "Status of the agent as a state set: 1 for its current status, 0 for the others.",
  );
  const cpu = fs.add(
    "agtop_agent_cpu_seconds_total",
    "counter",
    "CPU time used by the agent's processes (main process, launchers, helpers).",
  );
  const cpuRatio = fs.add(
    "agtop_agent_cpu_ratio",
    "gauge",
    "CPU use over the last sample window, in cores (1 = one full core).",
    "ratio",
  );
  const rss = fs.add(
    "agtop_agent_resident_memory_bytes",
    "gauge",
    "Resident memory of the agent's processes.",
    "bytes",
  );
  const threads = fs.add("agtop_agent_threads", "gauge", "Threads of the agent's processes.");
  const read = fs.add(
    "agtop_agent_read_bytes_total",
    "counter",
    "Bytes the agent's processes read from storage.",
  );
  const written = fs.add(
    "agtop_agent_written_bytes_total",
    "counter",
    "Bytes the agent's processes wrote to storage.",
  );
  const tokens = fs.add(
    "agtop_agent_tokens_total",
    "counter",
    "Tokens of the whole session by billing bucket (input, output, cache_read, cache_write, reasoning).",
  );
  const cost = fs.add(
    "agtop_agent_cost_usd_total",
    "counter",
    "Estimated cost of the whole session in US dollars (list prices or the agent's own record).",
  );
  const context = fs.add(
    "agtop_agent_context_ratio",
    "gauge",
    "Context window fill: the newest prompt's size over the model's window (0 to 1).",
    "ratio",
  );
  const subagents = fs.add("agtop_agent_subagents", "gauge", "Subagents of the session running now.");
  const uptime = fs.add(
    "agtop_agent_uptime_seconds",
    "gauge",
    "Time since the agent's main process started.",
    "seconds",
  );
  for (const a of agents) {
    const id = agentLabels(host, a, priv);
    for (const st of AGENT_STATUSES) sample(status, id, a.status === st ? 1 : 0, ["status", st]);
    sample(cpu, id, a.cpuTimeMs / 1000);
    sample(cpuRatio, id, a.cpuPercent / 100);
    sample(rss, id, a.rssBytes);
    sample(threads, id, a.threads);
    sample(read, id, a.readBytes);
    sample(written, id, a.writeBytes);
    const s = a.session;
    if (s && s.tokensRecorded !== false) {
      for (const [key, bucket] of BUCKETS) sample(tokens, id, s.tokens[key], ["bucket", bucket]);
    }
    sample(cost, id, a.costUsd);
    sample(context, id, a.contextPercent === null ? null : a.contextPercent / 100);
    if (s) sample(subagents, id, s.subagents.filter((x) => x.status === "running").length);
    sample(uptime, id, a.uptimeSec);
  }
}

function hostFamilies(fs: Families, snap: Snapshot, agents: readonly Agent[], opts: MetricsOptions): void {
  const host = labelText([["host", snap.host.hostname]]);
  const totals = aggregate(agents);
  const count = fs.add("agtop_host_agents", "gauge", "Agents running on the host, by status.");
  for (const st of AGENT_STATUSES) sample(count, host, totals.byStatus[st], ["status", st]);
  sample(
    fs.add("agtop_host_cpu_ratio", "gauge", "CPU use of all agents on the host, in cores.", "ratio"),
    host,
    totals.cpuPercent / 100,
  );
  sample(
    fs.add(
      "agtop_host_resident_memory_bytes",
      "gauge",
      "Resident memory of all agents on the host.",
      "bytes",
    ),
    host,
    totals.rssBytes,
  );
  const tokens = fs.add(
    "agtop_host_tokens",
    "gauge",
    "Tokens of the sessions of the agents running now, by billing bucket (falls when an agent exits).",
  );
  for (const [key, bucket] of BUCKETS) {
    sample(tokens, host, totals.tokens[key], ["bucket", bucket]);
  }
  sample(
    fs.add(
      "agtop_host_cost_usd",
      "gauge",
      "Estimated cost of the sessions of the agents running now, in US dollars (falls when an agent exits).",
    ),
    host,
    totals.costUsd,
  );
  sample(
    fs.add("agtop_build_info", "gauge", "The agtop that wrote these metrics (always 1)."),
    host,
    1,
    ["version", snap.version],
  );
  sample(
    fs.add(
      "agtop_snapshot_timestamp_seconds",
      "gauge",
      "When the snapshot was taken (Unix time).",
      "seconds",
    ),
    host,
    snap.takenAt / 1000,
  );
  if (opts.collectionMs !== undefined && opts.collectionMs !== null) {
    sample(
      fs.add(
        "agtop_collection_duration_seconds",
        "gauge",
        "How long collecting the snapshot took.",
        "seconds",
      ),
      host,
      Math.round(opts.collectionMs * 1000) / 1e6,
    );
  }
}

/**
 * The snapshot's live agents and host totals as metrics text.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const text = renderMetrics(snapshot, { format: "openmetrics" });
 * text.endsWith("# EOF\n"); // true
 * ```
 */
export function renderMetrics(snap: Snapshot, opts: MetricsOptions): string {
  const agents = snap.agents.filter((a) => a.pid > 0);
  const fs = new Families();
  agentFamilies(fs, snap, agents, opts.private === true);
  hostFamilies(fs, snap, agents, opts);
  const om = opts.format === "openmetrics";
  const out: string[] = [];
  for (const f of fs.list) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    if (om && f.unit) out.push(`# UNIT ${f.name} ${f.unit}`);
    for (const [labels, value] of f.samples) out.push(`${f.name}{${labels}} ${numberText(value)}`);
  }
  if (om) out.push("# EOF");
  return out.join("\n") + "\n";
}

/**
 * The format an HTTP `Accept` header prefers: OpenMetrics when it is accepted at least as much as the
 * classic text format, the classic format otherwise (and when there is no header).
 *
 * @example
 * ```ts
 * negotiateMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"); // "openmetrics"
 * negotiateMetrics("*\/*"); // "prometheus"
 * ```
 */
export function negotiateMetrics(accept: string | null): MetricsFormat {
  if (!accept) return "prometheus";
  let om = 0, text = 0;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === "application/openmetrics-text") om = Math.max(om, q);
    else if (type === "text/plain") text = Math.max(text, q);
  }
  return om > 0 && om >= text ? "openmetrics" : "prometheus";
}
