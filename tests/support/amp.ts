/**
 * Amp thread documents for tests, written from the documented format (field names as Amp writes them,
 * values invented).
 *
 * @module
 */

/** When the thread of these fixtures was created (ms since epoch). */
export const CREATED: number = Date.parse("2026-11-24T09:00:00Z");

/** A thread document holding `messages`, with `extra` fields over the defaults. */
export function thread(messages: unknown[], extra: Record<string, unknown> = {}) {
  return {
    v: 12,
    id: "T-019b9d03-62e3-772f-9780-3e637f90eaec",
    title: "Fix the flaky test",
    agentMode: "smart",
    created: CREATED,
    env: {
      initial: {
        trees: [{ displayName: "my app", uri: "file:///home/me/my%20app", repository: { type: "git" } }],
        platform: { os: "linux", client: "CLI", clientVersion: "0.0.1" },
      },
    },
    messages,
    ...extra,
  };
}

/** The user's message `i`, sent `i` seconds after {@linkcode CREATED}. */
export const user = (i: number, text: string) => ({
  role: "user",
  messageId: i,
  content: [{ type: "text", text }],
  meta: { sentAt: CREATED + i * 1000 },
});
/** Amp's response `i`: its content, its `state` and its usage (input, output, cache write, cache read), if any. */
export const assistant = (
  i: number,
  content: unknown[],
  state: Record<string, unknown>,
  tokens: number[] | null,
) => ({
  role: "assistant",
  messageId: i,
  content,
  state,
  ...(tokens
    ? {
      usage: {
        model: "claude-sonnet-4-5-20250929",
        inputTokens: tokens[0],
        outputTokens: tokens[1],
        cacheCreationInputTokens: tokens[2],
        cacheReadInputTokens: tokens[3],
        totalTokens: tokens.reduce((a, b) => a + b, 0),
        timestamp: new Date(CREATED + i * 1000 + 500).toISOString(),
      },
    }
    : {}),
});
/** The result of tool call `id` in user message `i`, with its run's status. */
export const toolResult = (i: number, id: string, status: string, result: unknown) => ({
  role: "user",
  messageId: i,
  content: [{ type: "tool_result", toolUseID: id, run: { status, result } }],
});
/** A Bash tool call of `cmd`. */
export const bash = (id: string, cmd: string) => ({ type: "tool_use", id, name: "Bash", input: { cmd } });
