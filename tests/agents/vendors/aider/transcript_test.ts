/**
 * Aider chat histories parsed from fixtures written here from the documented format (lines as Aider
 * writes them, values invented).
 */
import assert from "node:assert/strict";
import { aiderCount, aiderRunStart, AiderTranscript } from "../../../../agents/vendors/aider/transcript.ts";

/** A history file with an older run and the current one (lines as Aider writes them: `  ` line ends). */
const HISTORY = [
  "",
  "# aider chat started at 2026-05-21 09:00:00",
  "",
  "> Aider v0.86.0  ",
  "> Model: gpt-4o with diff edit format  ",
  "",
  "#### an old question  ",
  "",
  "An old answer.",
  "",
  "> Tokens: 3.0k sent, 100 received. Cost: $0.01 message, $0.01 session.  ",
  "",
  "# aider chat started at 2026-05-22 10:01:07",
  "",
  "> Aider v0.86.1  ",
  "> Main model: anthropic/claude-sonnet-4-5 with diff edit format, 4096 think tokens, prompt cache  ",
  "> Weak model: anthropic/claude-haiku-4-5  ",
  "> Git repo: .git with 42 files  ",
  "",
  "#### add input validation  ",
  "#### to parse_args  ",
  "",
  "I'll update `cli.py`.",
  "",
  "#### Changes",
  "",
  "cli.py",
  "> Applied edit to cli.py  ",
  "> Commit 1a2b3c4 feat: validate args  ",
  "> Tokens: 12k sent, 2.1k cache write, 9.8k cache hit, 345 received.",
  "Cost: $0.05 message, $0.31 session.  ",
  "",
  "#### /add README.md  ",
  "",
  "> Added README.md to the chat  ",
  "",
  "#### now update the docs  ",
  "",
  "Done.",
  "",
  "> Tokens: 8.2k sent, 512 received. Cost: $0.03 message, $0.34 session.  ",
  "> Tokens: garbled sent  ",
  "",
];

function aider(lines: string[]): AiderTranscript {
  const t = new AiderTranscript();
  for (const l of lines) t.feed(l);
  return t;
}

Deno.test("aider: the newest run only: model, prompts, k-rounded tokens, Aider's own session cost", () => {
  const t = aider(HISTORY);
  const f = t.facts();
  assert.equal(t.run, "2026-05-22 10:01:07");
  assert.equal(f.id, "2026-05-22 10:01:07");
  assert.equal(f.startedAt, new Date(2026, 4, 22, 10, 1, 7).getTime());
  assert.equal(f.model, "anthropic/claude-sonnet-4-5");
  assert.equal(f.title, "add input validation to parse_args");
  assert.equal(f.lastPrompt, "now update the docs");
  // 12000 sent − 2100 written − 9800 read = 100 plain input; then 8200 sent.
  assert.deepEqual(f.tokens, { input: 8300, output: 857, cacheRead: 9800, cacheWrite: 2100, reasoning: 0 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["anthropic/claude-sonnet-4-5"]);
  assert.equal(f.costUsd, 0.34);
  assert.equal(f.contextTokens, 8200);
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null, "Aider writes no tool calls");
  assert.equal(f.malformedLines, 1);
  const texts = f.activity.map((a) => `${a.kind}:${a.text}`);
  assert.ok(texts.includes("tool:Applied edit to cli.py"), texts.join(" | "));
  assert.ok(texts.includes("system:Commit 1a2b3c4 feat: validate args"));
  assert.ok(!texts.some((x) => x.includes("an old")), "older runs are dropped");
  assert.ok(!texts.includes("prompt:Changes"), "a model's own `#### heading` is not a prompt");
});

Deno.test("aider: a prompt without its usage report is in progress; /exit ends the run; unpriced models have no cost", () => {
  const t = aider([...HISTORY, "#### and the changelog  "]);
  assert.equal(t.facts().turn, "working");
  t.feed("");
  t.feed("#### /exit  ");
  assert.equal(t.facts().turn, "exited");
  const local = aider([
    "# aider chat started at 2026-05-22 11:00:00",
    "> Model: ollama/qwen2.5-coder with whole edit format  ",
    "#### hi  ",
    "Hello!",
    "> Tokens: 1.2k sent, 20 received.  ",
  ]).facts();
  assert.equal(local.costUsd, null);
  assert.deepEqual({ ...local.tokensByModel }, {
    "ollama/qwen2.5-coder": { input: 1200, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  });
  const headless = aider(["#### before any heading  "]).facts();
  assert.equal(headless.id, "");
  assert.equal(headless.startedAt, null);
});

Deno.test("aider: counts and run headings", () => {
  assert.equal(aiderCount("345"), 345);
  assert.equal(aiderCount("2.1k"), 2100);
  assert.equal(aiderCount("12k"), 12000);
  assert.equal(aiderCount("1234k"), 1234000);
  assert.equal(
    aiderRunStart("# aider chat started at 2026-05-22 10:01:07"),
    new Date(2026, 4, 22, 10, 1, 7).getTime(),
  );
  assert.equal(aiderRunStart("# aider chat started at yesterday"), null);
});
