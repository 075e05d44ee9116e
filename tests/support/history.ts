/**
 * A generated history of several agents for report tests: Claude Code sessions (one line per content
 * block, a subagent) and a Codex rollout with cumulative counts, at times the test chooses.
 *
 * @module
 */

import { projectDirName } from "../../agents/vendors/claude/sessions.ts";

const line = (o: unknown) => JSON.stringify(o) + "\n";
const iso = (ms: number) => new Date(ms).toISOString();

/** One API response: its time, model and usage (Anthropic's field names). */
export interface Response {
  at: number;
  model: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/**
 * Claude Code transcript lines of `responses`: a prompt before each, and each response written as
 * two lines (a thinking and a text block) carrying the same usage, as Claude Code writes them.
 */
export function claudeLines(
  sessionId: string,
  cwd: string,
  responses: Response[],
  sidechain = false,
): string {
  const env = { sessionId, cwd, version: "2.1.197", userType: "external", isSidechain: sidechain };
  let out = "";
  responses.forEach((r, i) => {
    out += line({
      type: "user",
      uuid: `u${i}`,
      timestamp: iso(r.at - 1000),
      ...env,
      message: { role: "user", content: `step ${i}` },
    });
    const usage = {
      input_tokens: r.input,
      output_tokens: r.output,
      cache_read_input_tokens: r.cacheRead ?? 0,
      cache_creation_input_tokens: r.cacheWrite ?? 0,
    };
    for (
      const [k, block] of [{ type: "thinking", thinking: "hm" }, { type: "text", text: "done" }].entries()
    ) {
      out += line({
        type: "assistant",
        uuid: `a${i}-${k}`,
        requestId: `req_${sessionId}_${sidechain ? "s" : "m"}${i}`,
        timestamp: iso(r.at + k * 50),
        ...env,
        message: {
          id: `msg_${sessionId}_${sidechain ? "s" : "m"}${i}`,
          role: "assistant",
          model: r.model,
          content: [block],
          stop_reason: k === 1 ? "end_turn" : null,
          usage,
        },
      });
    }
  });
  return out;
}

/** Writes a Claude Code session (and optionally one subagent) under `home`; returns its path. */
export function writeClaude(
  home: string,
  cwd: string,
  sessionId: string,
  responses: Response[],
  subagent: Response[] = [],
): string {
  const dir = `${home}/.claude/projects/${projectDirName(cwd)}`;
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/${sessionId}.jsonl`;
  Deno.writeTextFileSync(path, claudeLines(sessionId, cwd, responses));
  if (subagent.length) {
    Deno.mkdirSync(`${dir}/${sessionId}/subagents`, { recursive: true });
    Deno.writeTextFileSync(
      `${dir}/${sessionId}/subagents/agent-a1.jsonl`,
      claudeLines(sessionId, cwd, subagent, true),
    );
  }
  return path;
}

/**
 * Writes a Codex rollout under `home` (in today's date directory, where Codex lists recent ones): a
 * `token_usage_record` with the thread's cumulative count after each response.
 */
export function writeCodex(home: string, cwd: string, threadId: string, responses: Response[]): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  const dir = `${home}/.codex/sessions/${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
  Deno.mkdirSync(dir, { recursive: true });
  const first = responses[0]?.at ?? Date.now();
  const stamp = iso(first).slice(0, 19).replaceAll(":", "-");
  const path = `${dir}/rollout-${stamp}-${threadId}.jsonl`;
  let out = line({
    timestamp: iso(first - 2000),
    type: "session_meta",
    payload: { id: threadId, timestamp: iso(first - 2000), cwd, originator: "codex_exec", source: "exec" },
  });
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 };
  responses.forEach((r, i) => {
    out += line({
      timestamp: iso(r.at - 500),
      type: "turn_context",
      payload: { turn_id: `t${i}`, cwd, model: r.model },
    });
    total.input_tokens += r.input + (r.cacheRead ?? 0);
    total.cached_input_tokens += r.cacheRead ?? 0;
    total.output_tokens += r.output;
    out += line({
      timestamp: iso(r.at),
      type: "token_usage_record",
      payload: {
        thread_id: threadId,
        turn_id: `t${i}`,
        thread_token_usage: { ...total, total_tokens: total.input_tokens + total.output_tokens },
      },
    });
  });
  Deno.writeTextFileSync(path, out);
  return path;
}
