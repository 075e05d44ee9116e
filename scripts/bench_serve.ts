/**
 * `agtop serve` under load, with 50 agent-shaped processes, each with a Claude Code transcript.
 *
 * 1. The cost of one scrape: rendering the metrics of a real 50-agent snapshot in process, then over
 *    HTTP (gzipped, as Prometheus asks) the first scrape after a snapshot (renders and compresses) and the
 *    following ones (read the cached body).
 * 2. An hour of simulated scrapes: `serve` collects every 0.25 s and is scraped every 0.75 s for
 *    `--seconds` (default 180): 720 collections and 240 scrapes, what an hour brings at the default
 *    5 s interval and a 15 s scrape interval. Its CPU time and resident memory are read from /proc.
 *
 *     deno run -A scripts/bench_serve.ts [--seconds 180]
 *
 * @module
 */

import { benchCollector, cpuMs } from "./bench.ts";
import { renderMetrics } from "../render/metrics.ts";
import { FakeWorld } from "../tests/support/fakes.ts";
import { startClaude } from "../tests/support/claude_agent.ts";
import { Served } from "../tests/support/serve.ts";

const AGENTS = 50;
const OPENMETRICS = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

/** CPU ms (user + system) and resident KiB of a process, from /proc. */
function usage(pid: number): { cpuMs: number; rssKiB: number; peakKiB: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return {
    cpuMs: cpuMs(pid),
    rssKiB: kib("VmRSS"),
    peakKiB: kib("VmHWM"),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scrape(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/metrics`, { headers: { accept: OPENMETRICS } });
  await res.text();
  return performance.now() - t0;
}

async function scrapeCost(): Promise<void> {
  const collector = benchCollector();
  await collector.tick();
  const snap = await collector.tick();
  const live = snap.agents.filter((a) => a.session).length;
  const N = 200;
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < N; i++) bytes = renderMetrics(snap, { format: "openmetrics" }).length;
  const render = (performance.now() - t0) / N;
  console.log(`one scrape with ${live} agents with sessions (${snap.agents.length} agents):`);
  console.log(`  render OpenMetrics in process: ${render.toFixed(2)} ms, ${(bytes / 1024).toFixed(1)} KiB`);

  await using served = await Served.start(["--interval", "3600"]);
  const first = await scrape(served.url);
  const packed = await fetch(`${served.url}/metrics`, {
    headers: { accept: OPENMETRICS, "accept-encoding": "gzip" },
  });
  await packed.body?.cancel();
  console.log(
    `  gzipped for Prometheus: ${(Number(packed.headers.get("content-length")) / 1024).toFixed(1)} KiB`,
  );
  const cached: number[] = [];
  for (let i = 0; i < 200; i++) cached.push(await scrape(served.url));
  console.log(
    `  over HTTP: first scrape of a snapshot ${first.toFixed(2)} ms, then median ${
      median(cached).toFixed(2)
    } ms`,
  );
  const burst = performance.now();
  await Promise.all(Array.from({ length: 100 }, () => scrape(served.url)));
  console.log(`  a burst of 100 concurrent scrapes: ${(performance.now() - burst).toFixed(1)} ms in all`);
}

async function simulatedHour(seconds: number): Promise<void> {
  await using served = await Served.start(["--interval", "0.25"]);
  const pid = served.child.pid;
  await new Promise((r) => setTimeout(r, 2000));
  const u0 = usage(pid);
  const end = Date.now() + seconds * 1000;
  const times: number[] = [];
  while (Date.now() < end) {
    times.push(await scrape(served.url));
    await new Promise((r) => setTimeout(r, 750));
  }
  const u1 = usage(pid);
  const ticks = Math.round(seconds / 0.25);
  const cpu = u1.cpuMs - u0.cpuMs;
  // An hour at the defaults: 720 collections (5 s) and 240 scrapes (15 s), the same 3:1 mix as here.
  const hourMs = (cpu / ticks) * 720;
  console.log(`simulated hour: ${ticks} collections and ${times.length} scrapes in ${seconds} s:`);
  console.log(
    `  serve used ${(cpu / 1000).toFixed(2)} s CPU, ${(cpu / ticks).toFixed(2)} ms per collection with its` +
      ` share of scrapes; an hour at the defaults: ${(hourMs / 1000).toFixed(1)} s CPU,` +
      ` ${((hourMs / 3600e3) * 100).toFixed(3)} % of a core`,
  );
  console.log(
    `  RSS ${(u0.rssKiB / 1024).toFixed(1)} MiB after start-up, ${
      (u1.rssKiB / 1024).toFixed(1)
    } MiB at the end` +
      ` (peak ${(u1.peakKiB / 1024).toFixed(1)} MiB); scrape median ${median(times).toFixed(2)} ms`,
  );
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--seconds");
  const seconds = i >= 0 ? Number(Deno.args[i + 1]) : 180;
  await using world = await FakeWorld.create();
  for (let n = 0; n < AGENTS; n++) {
    await startClaude(world, `bench-${n}`, crypto.randomUUID(), 20);
  }
  await scrapeCost();
  await simulatedHour(seconds);
}
