/**
 * Writes a generated Claude Code history for measuring `agtop report` (and `ls --all`) beside ccusage:
 * `S` sessions of `T` turns under `OUT/.claude/projects/`, each response written as three content-block
 * lines carrying the same usage (as Claude Code writes them), a tool result of 0.5–16.5 KB (in the message and in `toolUseResult`) after each,
 * every record's keys in the order Claude Code 2.1.197 writes them (the message before the record's time),
 * three models, spread over the last 50 days, each file's mtime its last line's time. Prints the totals the
 * readers should find, as JSON.
 *
 * Usage: deno run --allow-write scripts/claude_history.ts OUT [SESSIONS=600] [TURNS=60]
 *
 * @module
 */

const MODELS = ["claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101", "claude-haiku-4-5-20251001"];
const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32), so every run writes the same history. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(r: () => number): string {
  const hex = () => Math.floor(r() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join("");
  return `${part(8)}-${part(4)}-4${part(3)}-8${part(3)}-${part(12)}`;
}

if (import.meta.main) {
  const [out, sessionsArg, turnsArg] = Deno.args;
  if (!out) {
    console.error("usage: claude_history.ts OUT [SESSIONS] [TURNS]");
    Deno.exit(2);
  }
  const sessions = Number(sessionsArg ?? 600);
  const turns = Number(turnsArg ?? 60);
  const r = random(17);
  const filler = "x".repeat(20_000);
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, responses: 0, bytes: 0 };
  const now = Date.now();
  const enc = new TextEncoder();
  for (let s = 0; s < sessions; s++) {
    const project = `p${s % 12}`;
    const cwd = `/home/me/work/${project}`;
    const dir = `${out}/.claude/projects/-home-me-work-${project}`;
    Deno.mkdirSync(dir, { recursive: true });
    const id = uuid(r);
    let t = now - Math.floor(r() * 50 * DAY_MS) - DAY_MS;
    const lines: string[] = [];
    // Each record's keys in the order Claude Code 2.1.197 writes them: the message before its uuid and
    // time, and the session's fields last.
    const tail = {
      userType: "external",
      entrypoint: "cli",
      cwd,
      sessionId: id,
      version: "2.1.197",
      gitBranch: "main",
    };
    let parent: string | null = null;
    for (let i = 0; i < turns; i++) {
      t += 5_000 + Math.floor(r() * 60_000);
      const promptId = uuid(r);
      const prompt = uuid(r);
      lines.push(JSON.stringify({
        parentUuid: parent,
        isSidechain: false,
        promptId,
        type: "user",
        message: { role: "user", content: `step ${i}: make the tests pass` },
        uuid: prompt,
        timestamp: new Date(t).toISOString(),
        permissionMode: "default",
        ...tail,
      }));
      parent = prompt;
      const model = MODELS[Math.floor(r() * MODELS.length)];
      const usage = {
        input_tokens: 1 + Math.floor(r() * 50),
        cache_creation_input_tokens: Math.floor(r() * 5_000),
        cache_read_input_tokens: Math.floor(r() * 80_000),
        output_tokens: 10 + Math.floor(r() * 2_000),
      };
      totals.input += usage.input_tokens;
      totals.output += usage.output_tokens;
      totals.cacheRead += usage.cache_read_input_tokens;
      totals.cacheWrite += usage.cache_creation_input_tokens;
      totals.responses++;
      const written = {
        ...usage,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
        service_tier: "standard",
        cache_creation: {
          ephemeral_1h_input_tokens: 0,
          ephemeral_5m_input_tokens: usage.cache_creation_input_tokens,
        },
      };
      const blocks = [
        { type: "thinking", thinking: "Looking at the failing test.", signature: "sig" },
        { type: "text", text: "I will run the tests." },
        { type: "tool_use", id: `toolu_${s}_${i}`, name: "Bash", input: { command: "npm test" } },
      ];
      blocks.forEach((block, k) => {
        const line = uuid(r);
        lines.push(JSON.stringify({
          parentUuid: parent,
          isSidechain: false,
          message: {
            id: `msg_${s}_${i}`,
            type: "message",
            role: "assistant",
            model,
            content: [block],
            stop_reason: k === 2 ? "tool_use" : null,
            stop_sequence: null,
            usage: written,
            stop_details: null,
          },
          requestId: `req_${s}_${i}`,
          type: "assistant",
          uuid: line,
          timestamp: new Date(t + 1_000 + k * 40).toISOString(),
          ...tail,
        }));
        parent = line;
      });
      const size = 500 + Math.floor(r() * 16_000);
      const result = uuid(r);
      lines.push(JSON.stringify({
        parentUuid: parent,
        isSidechain: false,
        promptId,
        type: "user",
        message: {
          role: "user",
          content: [{
            tool_use_id: `toolu_${s}_${i}`,
            type: "tool_result",
            content: filler.slice(0, size),
            is_error: false,
          }],
        },
        uuid: result,
        timestamp: new Date(t + 3_000).toISOString(),
        toolUseResult: {
          stdout: filler.slice(0, size),
          stderr: "",
          interrupted: false,
          isImage: false,
          noOutputExpected: false,
        },
        sourceToolAssistantUUID: parent,
        ...tail,
      }));
      parent = result;
    }
    const data = enc.encode(lines.join("\n") + "\n");
    totals.bytes += data.length;
    Deno.writeFileSync(`${dir}/${id}.jsonl`, data);
    // Last written when its last line was, as a transcript Claude Code wrote would be.
    const last = new Date(t + 3_000);
    Deno.utimeSync(`${dir}/${id}.jsonl`, last, last);
  }
  console.log(JSON.stringify(totals));
}
