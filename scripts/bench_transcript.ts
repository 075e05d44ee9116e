/**
 * Transcript reading benchmark: writes a 200 MB Claude Code transcript in a temp directory, measures
 * the first full read (tail alone, and tail + parser through the session source), then a steady tick
 * over 20 sessions that each append a few lines, to show that a tick costs what was appended, not the
 * size of the files. Removes everything it wrote.
 *
 * Run: `deno run --allow-read --allow-write --allow-env scripts/bench_transcript.ts [sizeMB]`
 *
 * @module
 */

import { ClaudeSessionSource, projectDirName } from "../agents/vendors/claude/sessions.ts";
import { JsonlTail } from "../agents/formats/jsonl.ts";
import type { SessionLink } from "../agents/vendor.ts";

const BIG_MB = Number(Deno.args[0] ?? 200);
const SESSIONS = 20;
const SMALL_MB = 1;
const TICKS = 40;
const CWD = "/home/me/bench/project";

const encoder = new TextEncoder();
const FILLER = 'lorem ipsum dolor sit amet, \\"quoted\\" consectetur adipiscing elit\\n';

/** `n` characters of JSON-string-safe text. */
function filler(n: number): string {
  return FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n).replace(/\\+$/, "");
}

/** One exchange as Claude Code 2.1.x writes it: prompt, three streamed lines of one response, tool result, end. */
function exchange(sessionId: string, i: number): string {
  const at = new Date(Date.UTC(2026, 10, 24, 3, 0, 0) + i * 1000).toISOString();
  const env = (uuid: string) =>
    `"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"${CWD}","sessionId":"${sessionId}",` +
    `"version":"2.1.197","gitBranch":"main","entrypoint":"cli","uuid":"${uuid}","timestamp":"${at}"`;
  const usage = `{"input_tokens":3,"cache_creation_input_tokens":420,"cache_read_input_tokens":21000,` +
    `"output_tokens":187,"cache_creation":{"ephemeral_5m_input_tokens":420,"ephemeral_1h_input_tokens":0}}`;
  const assistant = (uuid: string, block: string) =>
    `{${env(uuid)},"requestId":"req_${i}","type":"assistant","message":{"id":"msg_${i}","type":"message",` +
    `"role":"assistant","model":"claude-opus-4-8","content":[${block}],"stop_reason":"tool_use","usage":${usage}}}`;
  const result = filler(500 + (i * 7919) % 12_000);
  return [
    `{${env(`u${i}`)},"type":"user","message":{"role":"user","content":"please do step ${i}"}}`,
    assistant(`a${i}`, `{"type":"thinking","thinking":"${filler(600)}","signature":"${"s".repeat(400)}"}`),
    assistant(`b${i}`, `{"type":"text","text":"${filler(300)}"}`),
    assistant(
      `c${i}`,
      `{"type":"tool_use","id":"toolu_${i}","name":"Read","input":{"file_path":"${CWD}/src/f${i}.ts"}}`,
    ),
    `{${env(`r${i}`)},"type":"user","message":{"role":"user","content":[{"type":"tool_result",` +
    `"tool_use_id":"toolu_${i}","content":"${result}","is_error":false}]},"toolUseResult":{"type":"text",` +
    `"file":{"filePath":"${CWD}/src/f${i}.ts","content":"${result}"}}}`,
    `{"type":"file-history-snapshot","messageId":"m${i}","snapshot":{"messageId":"m${i}","trackedFileBackups":{},` +
    `"timestamp":"${at}"},"isSnapshotUpdate":false}`,
    `{${env(`d${i}`)},"type":"system","subtype":"turn_duration","durationMs":1234,"messageCount":8}`,
  ].join("\n") + "\n";
}

/** Writes a transcript of about `mb` megabytes; returns the number of exchanges written. */
function writeTranscript(path: string, sessionId: string, mb: number): number {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  let bytes = 0;
  let i = 0;
  try {
    while (bytes < mb * 1024 * 1024) {
      let chunk = "";
      for (let k = 0; k < 100; k++) chunk += exchange(sessionId, i++);
      const data = encoder.encode(chunk);
      file.writeSync(data);
      bytes += data.length;
    }
  } finally {
    file.close();
  }
  return i;
}

function append(path: string, sessionId: string, from: number, count: number): void {
  let text = "";
  for (let k = 0; k < count; k++) text += exchange(sessionId, from + k);
  const file = Deno.openSync(path, { append: true });
  file.writeSync(encoder.encode(text));
  file.close();
}

function ms(start: number): number {
  return performance.now() - start;
}

const root = Deno.makeTempDirSync({ prefix: "agtop-bench-transcript-" });
try {
  const dir = `${root}/projects/${projectDirName(CWD)}`;
  Deno.mkdirSync(dir, { recursive: true });
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const links: SessionLink[] = [];
  const written: number[] = [];
  for (let n = 0; n < SESSIONS; n++) {
    const path = `${dir}/${id(n)}.jsonl`;
    written.push(writeTranscript(path, id(n), n === 0 ? BIG_MB : SMALL_MB));
    links.push({ path, id: id(n), linkedBy: "bench" });
  }
  const big = links[0].path;
  const bigMb = Deno.statSync(big).size / 1024 / 1024;
  console.log(
    `transcript: ${bigMb.toFixed(1)} MB, ${written[0] * 7} lines (+ ${SESSIONS - 1} × ${SMALL_MB} MB)`,
  );

  let t = performance.now();
  let lines = 0;
  new JsonlTail(big).read(() => lines++);
  const tailMs = ms(t);
  console.log(
    `first read, tail only:     ${(bigMb / (tailMs / 1000)).toFixed(0)} MB/s (${tailMs.toFixed(0)} ms)`,
  );

  const source = new ClaudeSessionSource();
  t = performance.now();
  const facts = source.read(links[0], Date.now());
  const parseMs = ms(t);
  console.log(
    `first read, tail + parser: ${(bigMb / (parseMs / 1000)).toFixed(0)} MB/s (${parseMs.toFixed(0)} ms; ` +
      `output tokens ${facts?.tokens.output})`,
  );
  for (const link of links.slice(1)) source.read(link, Date.now());

  /** Average µs per tick reading `set` after each session appended `exchanges` exchanges. */
  const tick = (set: SessionLink[], exchanges: number): { us: number; kb: number } => {
    let total = 0;
    let bytes = 0;
    for (let k = 0; k < TICKS; k++) {
      for (const link of set) {
        const n = links.indexOf(link);
        const before = Deno.statSync(link.path).size;
        if (exchanges > 0) append(link.path, link.id, written[n], exchanges);
        written[n] += exchanges;
        bytes += Deno.statSync(link.path).size - before;
      }
      const start = performance.now();
      for (const link of set) source.read(link, Date.now());
      total += ms(start);
    }
    return { us: (total / TICKS) * 1000, kb: bytes / TICKS / 1024 };
  };
  const report = (label: string, r: { us: number; kb: number }) =>
    console.log(
      `${label.padEnd(46)} ${r.us.toFixed(0).padStart(7)} µs/tick  (${r.kb.toFixed(0)} KB appended/tick)`,
    );

  const small = links.slice(1);
  tick(links, 0); // warm-up
  console.log(`steady tick, ${TICKS} ticks averaged:`);
  report(`  ${small.length} sessions of ${SMALL_MB} MB, nothing appended`, tick(small, 0));
  report(`  ${SESSIONS} sessions incl. ${bigMb.toFixed(0)} MB, nothing appended`, tick(links, 0));
  report(`  ${small.length} sessions of ${SMALL_MB} MB, 1 exchange each`, tick(small, 1));
  report(`  ${SESSIONS} sessions incl. ${bigMb.toFixed(0)} MB, 1 exchange each`, tick(links, 1));
  report(`  ${SESSIONS} sessions incl. ${bigMb.toFixed(0)} MB, 10 exchanges each`, tick(links, 10));
} finally {
  Deno.removeSync(root, { recursive: true });
}
