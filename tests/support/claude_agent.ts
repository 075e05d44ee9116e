/**
 * A Claude Code-shaped process with a transcript that grows on request, for end-to-end tests of
 * what agtop exports: every appended response has known token counts.
 *
 * @module
 */

import { projectDirName } from "../../agents/vendors/claude/sessions.ts";
import type { FakeWorld } from "./fakes.ts";

/** Token usage of each response {@linkcode ClaudeAgent.respond} appends. */
export const RESPONSE_USAGE = {
  input_tokens: 3,
  cache_creation_input_tokens: 4200,
  cache_read_input_tokens: 21000,
  output_tokens: 187,
} as const;

/** A running fake Claude Code and its transcript. */
export interface ClaudeAgent {
  pid: number;
  sessionId: string;
  project: string;
  transcript: string;
  /** Responses appended so far. */
  responses: number;
  /** Appends a prompt and one finished response (with {@linkcode RESPONSE_USAGE}). */
  respond(): void;
}

const line = (o: unknown) => JSON.stringify(o) + "\n";

/**
 * Starts a fake Claude Code in `<root>/work/<project>` with HOME `<root>/home`, and writes its
 * transcript with `responses` finished turns.
 */
export async function startClaude(
  world: FakeWorld,
  project: string,
  sessionId: string,
  responses = 1,
): Promise<ClaudeAgent> {
  const home = world.dir("home");
  const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
  const cwd = world.dir(`work/${project}`);
  const { pid } = world.spawn(exe, [], { cwd, env: { HOME: home } });
  await new Promise((r) => setTimeout(r, 50));
  const transcript = `${world.dir(`home/.claude/projects/${projectDirName(cwd)}`)}/${sessionId}.jsonl`;
  const env = { sessionId, cwd, version: "2.1.197", gitBranch: "main", userType: "external" };
  const agent: ClaudeAgent = {
    pid,
    sessionId,
    project,
    transcript,
    responses: 0,
    respond() {
      const n = ++agent.responses;
      const t = new Date().toISOString();
      Deno.writeTextFileSync(
        transcript,
        line({
          type: "user",
          uuid: `u${n}`,
          timestamp: t,
          ...env,
          message: { role: "user", content: `step ${n}` },
        }) +
          line({
            type: "assistant",
            uuid: `a${n}`,
            requestId: `req_${n}`,
            timestamp: t,
            ...env,
            message: {
              id: `msg_${n}`,
              role: "assistant",
              model: "claude-sonnet-4-5-20250929",
              content: [{ type: "text", text: "done" }],
              stop_reason: "end_turn",
              usage: RESPONSE_USAGE,
            },
          }),
        { append: true },
      );
    },
  };
  for (let i = 0; i < responses; i++) agent.respond();
  return agent;
}

/** Appends records to the agent's transcript, with the session fields Claude Code writes on each (cwd: its project). */
export function append(agent: ClaudeAgent, cwd: string, records: Record<string, unknown>[]): void {
  const env = {
    sessionId: agent.sessionId,
    cwd,
    version: "2.1.197",
    gitBranch: "main",
    userType: "external",
  };
  const t = new Date().toISOString();
  Deno.writeTextFileSync(
    agent.transcript,
    records.map((r) => line({ timestamp: t, ...env, ...r })).join(""),
    {
      append: true,
    },
  );
}

/** A prompt record: the turn starts, the agent is busy. */
export const prompt = (n: number): Record<string, unknown> => ({
  type: "user",
  uuid: `p${n}`,
  message: { role: "user", content: "run the tests" },
});

/** An assistant record with these content blocks and stop reason. */
export const assistant = (n: number, content: unknown[], stop: string): Record<string, unknown> => ({
  type: "assistant",
  uuid: `r${n}`,
  requestId: `req_x${n}`,
  message: {
    id: `msg_x${n}`,
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content,
    stop_reason: stop,
    usage: {
      input_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      output_tokens: 9,
    },
  },
});

/** The answer that ends a turn: the agent waits for the next prompt. */
export const endTurn = (n: number): Record<string, unknown> =>
  assistant(n, [{ type: "text", text: "all green" }], "end_turn");
