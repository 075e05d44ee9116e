/**
 * A generated history of several agents for report tests: Claude Code sessions (one line per content
 * block, a subagent), a Codex rollout with cumulative counts, Qwen Code and Gemini CLI chats and
 * OpenCode database rows, at times the test chooses.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { projectDirName } from "../../agents/vendors/claude/sessions.ts";
import { qwenProjectDir } from "../../agents/vendors/qwen/sessions.ts";

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
  // Keys in the order Claude Code 2.1.197 writes them: the message before the record's uuid and time.
  const tail = { userType: "external", entrypoint: "cli", cwd, sessionId, version: "2.1.197" };
  let out = "";
  responses.forEach((r, i) => {
    out += line({
      parentUuid: i === 0 ? null : `a${i - 1}-1`,
      isSidechain: sidechain,
      type: "user",
      message: { role: "user", content: `step ${i}` },
      uuid: `u${i}`,
      timestamp: iso(r.at - 1000),
      ...tail,
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
        parentUuid: k === 0 ? `u${i}` : `a${i}-${k - 1}`,
        isSidechain: sidechain,
        message: {
          id: `msg_${sessionId}_${sidechain ? "s" : "m"}${i}`,
          type: "message",
          role: "assistant",
          model: r.model,
          content: [block],
          stop_reason: k === 1 ? "end_turn" : null,
          usage,
        },
        requestId: `req_${sessionId}_${sidechain ? "s" : "m"}${i}`,
        type: "assistant",
        uuid: `a${i}-${k}`,
        timestamp: iso(r.at + k * 50),
        ...tail,
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

/** Writes a Qwen Code chat under `home`: a prompt before each response, each with its `usageMetadata`. */
export function writeQwen(home: string, cwd: string, sessionId: string, responses: Response[]): string {
  const dir = `${home}/.qwen/projects/${qwenProjectDir(cwd)}/chats`;
  Deno.mkdirSync(dir, { recursive: true });
  const env = (uuid: string, at: number) => ({ uuid, parentUuid: null, sessionId, timestamp: iso(at), cwd });
  let out = "";
  responses.forEach((r, i) => {
    out += line({
      ...env(`u${i}`, r.at - 1000),
      type: "user",
      message: { role: "user", parts: [{ text: `step ${i}` }] },
    });
    out += line({
      ...env(`a${i}`, r.at),
      type: "assistant",
      model: r.model,
      message: { role: "model", parts: [{ text: "done" }] },
      usageMetadata: {
        promptTokenCount: r.input + (r.cacheRead ?? 0),
        candidatesTokenCount: r.output,
        cachedContentTokenCount: r.cacheRead ?? 0,
        totalTokenCount: r.input + (r.cacheRead ?? 0) + r.output,
      },
    });
  });
  const path = `${dir}/${sessionId}.jsonl`;
  Deno.writeTextFileSync(path, out);
  return path;
}

/**
 * Writes a Gemini CLI chat (JSONL, 0.61 shapes) under `home` in the project directory of `cwd`: a header,
 * a prompt before each response, and each response written twice (as Gemini CLI appends a message again
 * when it grows), the last copy with its tool calls.
 */
export function writeGemini(home: string, cwd: string, sessionId: string, responses: Response[]): string {
  const slug = cwd.split("/").pop()!;
  const dir = `${home}/.gemini/tmp/${slug}/chats`;
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(`${home}/.gemini/projects.json`, JSON.stringify({ projects: { [cwd]: slug } }));
  Deno.writeTextFileSync(`${home}/.gemini/tmp/${slug}/.project_root`, cwd);
  const first = responses[0]?.at ?? Date.now();
  let out = line({
    sessionId,
    projectHash: "0",
    startTime: iso(first - 2000),
    lastUpdated: iso(first),
    kind: "main",
  });
  responses.forEach((r, i) => {
    out += line({ id: `u${i}`, timestamp: iso(r.at - 1000), type: "user", content: [{ text: `step ${i}` }] });
    const message = {
      id: `g${i}`,
      timestamp: iso(r.at),
      type: "gemini",
      content: "done",
      model: r.model,
      tokens: {
        input: r.input + (r.cacheRead ?? 0),
        output: r.output,
        cached: r.cacheRead ?? 0,
        thoughts: 0,
        tool: 0,
        total: r.input + (r.cacheRead ?? 0) + r.output,
      },
    };
    out += line(message) + line({ ...message, toolCalls: [] });
    out += line({ $set: { lastUpdated: iso(r.at + 10) } });
  });
  const stamp = iso(first).slice(0, 16).replaceAll(":", "-");
  const path = `${dir}/session-${stamp}-${sessionId.slice(0, 8)}.jsonl`;
  Deno.writeTextFileSync(path, out);
  return path;
}

/** OpenCode's tables and indexes as 1.18 writes them (the columns agtop reads). */
const OPENCODE_SCHEMA = `
CREATE TABLE IF NOT EXISTS session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT,
  slug TEXT NOT NULL, directory TEXT NOT NULL, title TEXT NOT NULL, version TEXT NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS session_parent_idx ON session (parent_id);
CREATE INDEX IF NOT EXISTS message_session_time_created_id_idx ON message (session_id, time_created, id);
CREATE INDEX IF NOT EXISTS part_message_id_id_idx ON part (message_id, id);
CREATE INDEX IF NOT EXISTS part_session_idx ON part (session_id);
`;

/** One OpenCode session to write: its id, directory and responses. */
export interface OpenCodeSession {
  id: string;
  cwd: string;
  responses: Response[];
}

/**
 * Writes OpenCode sessions into the database of `home` (`~/.local/share/opencode/opencode.db`, made
 * when missing): each response an assistant message row with its `time.created` and `tokens`, after a
 * user message. Returns the database's path.
 */
export function writeOpenCode(home: string, sessions: OpenCodeSession[]): string {
  const dir = `${home}/.local/share/opencode`;
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/opencode.db`;
  const db = new DatabaseSync(path);
  try {
    db.exec(OPENCODE_SCHEMA);
    db.exec("BEGIN");
    const session = db.prepare(
      `INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated)
       VALUES (?, 'global', NULL, 's', ?, 'Work', '1.18.33', ?, ?)`,
    );
    const message = db.prepare(`INSERT INTO message VALUES (?, ?, ?, ?, ?)`);
    for (const s of sessions) {
      const first = s.responses[0]?.at ?? Date.now();
      const last = s.responses.at(-1)?.at ?? first;
      session.run(s.id, s.cwd, first - 2000, last + 1000);
      s.responses.forEach((r, i) => {
        const user = { role: "user", time: { created: r.at - 1000 } };
        message.run(`msg_${s.id}_u${i}`, s.id, r.at - 1000, r.at - 1000, JSON.stringify(user));
        const reply = {
          role: "assistant",
          modelID: r.model,
          providerID: "anthropic",
          cost: 0,
          time: { created: r.at, completed: r.at + 500 },
          finish: "stop",
          tokens: {
            input: r.input,
            output: r.output,
            reasoning: 0,
            cache: { read: r.cacheRead ?? 0, write: r.cacheWrite ?? 0 },
          },
        };
        message.run(`msg_${s.id}_a${i}`, s.id, r.at, r.at + 500, JSON.stringify(reply));
      });
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
  return path;
}
