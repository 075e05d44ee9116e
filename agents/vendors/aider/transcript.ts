/**
 * Aider's chat history (`.aider.chat.history.md`): a pure, incremental parser of the Markdown Aider
 * appends to, fed one line at a time. One file holds every run in a repository; each run starts with
 * `# aider chat started at <local time>`, and only the newest run is kept.
 *
 * @module
 */

import type { TokenBuckets } from "../../session.ts";
import { addTokens, emptyTokens, modelTable } from "../../session.ts";
import { TranscriptState } from "../../formats/transcript_state.ts";
import type { SessionRead } from "../../vendor.ts";

const HEADER = /^# aider chat started at (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\s*$/;
const PROMPT = "#### ";
const MODEL = /^> (?:Main model|Model): (.+?)(?: with .*)?$/;
const COUNT = String.raw`(\d+(?:\.\d+)?k?)`;
const TOKENS = new RegExp(
  String
    .raw`^> Tokens: ${COUNT} sent(?:, ${COUNT} cache write)?(?:, ${COUNT} cache hit)?, ${COUNT} received\.` +
    String.raw`(?: Cost: \$(\d+(?:\.\d+)?) message, \$(\d+(?:\.\d+)?) session\.)?$`,
);
/** With both cache numbers Aider writes the cost on the next line, without the quote mark. */
const COST = /^(?:> )?Cost: \$(\d+(?:\.\d+)?) message, \$(\d+(?:\.\d+)?) session\.$/;
/** Chat commands that send the message to the model. */
const MODEL_COMMANDS = new Set(["/ask", "/code", "/architect", "/context"]);
const EXIT_COMMANDS = new Set(["/exit", "/quit"]);
/** Aider's own lines worth showing in the activity tail. */
const TOOL_LINES = /^> (Applied edit to .+|Running .+)$/;
const COMMIT_LINE = /^> (Commit [0-9a-f]{7,} .+)$/;

/**
 * A token count as Aider prints it (`format_tokens`): `345`, `2.1k`, `12k`. The `k` forms are
 * rounded; the value is taken as written.
 *
 * @example
 * ```ts
 * aiderCount("2.1k"); // 2100
 * aiderCount("345"); // 345
 * ```
 */
export function aiderCount(text: string): number {
  const k = text.endsWith("k");
  const n = Number(k ? text.slice(0, -1) : text);
  return Number.isFinite(n) ? Math.round(k ? n * 1000 : n) : 0;
}

/**
 * The time of a run heading (`# aider chat started at 2026-05-22 10:01:07`) in ms since epoch, read
 * as local time (Aider writes `datetime.now()` without a zone); null for other lines.
 *
 * @example
 * ```ts
 * aiderRunStart("# aider chat started at 2026-05-22 10:01:07"); // new Date(2026, 4, 22, 10, 1, 7).getTime()
 * ```
 */
export function aiderRunStart(line: string): number | null {
  const m = HEADER.exec(line);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isNaN(t) ? null : t;
}

/**
 * Incremental parser of an Aider chat history. Per run it keeps the model (the newest `Main model:`
 * or `Model:` line), the prompts (`#### ` lines; a multi-line prompt is one run of them), the usage
 * reports (`Tokens: … sent, … cache write, … cache hit, … received. Cost: $… message, $… session.`:
 * tokens summed per message as written, k-rounding and all; the session cost is Aider's own), and
 * whether a prompt is waiting for its usage report. Aider writes no times per line, no tool calls
 * and no session id: a run is known by its heading. Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new AiderTranscript();
 * for (const l of ["# aider chat started at 2026-05-22 10:01:07", "#### add input validation  "]) t.feed(l);
 * t.facts().lastPrompt; // "add input validation"
 * t.facts().turn; // "working"
 * ```
 */
export class AiderTranscript {
  #run: string | null = null;
  #startedAt: number | null = null;
  #model: string | null = null;
  #prompt: string[] | null = null;
  #inReply = false;
  #byModel: Record<string, TokenBuckets> = modelTable();
  #cost: number | null = null;
  #context: number | null = null;
  /** The newest run's state (the malformed count goes on across runs). */
  #s = new TranscriptState();

  /** The heading of the newest run (`2026-05-22 10:01:07`), or null before the first one. */
  get run(): string | null {
    return this.#run;
  }

  /** When the newest run started (its heading, local time), or null before the first one. */
  get startedAt(): number | null {
    return this.#startedAt;
  }

  /** Feeds one line of the file (without its line break). */
  feed(line: string): void {
    const text = line.trimEnd();
    // Aider ends each prompt line with two spaces; a model's own `#### heading` has none.
    if (line.startsWith(PROMPT) && line.endsWith("  ")) {
      (this.#prompt ??= []).push(text.slice(PROMPT.length));
      return;
    }
    this.#endPrompt();
    if (text.startsWith("# aider chat started at ")) return this.#newRun(text);
    if (text === "") return;
    if (text.startsWith("> Tokens:")) return this.#usage(text);
    const cost = COST.exec(text);
    if (cost) return this.#sessionCost(cost[2]);
    if (text.startsWith("> ")) {
      this.#inReply = false;
      const model = MODEL.exec(text);
      if (model) this.#model = model[1].trim();
      const tool = TOOL_LINES.exec(text);
      const commit = tool ? null : COMMIT_LINE.exec(text);
      if (tool) this.#s.activity.push(null, "tool", tool[1]);
      else if (commit) this.#s.activity.push(null, "system", commit[1]);
      return;
    }
    if (!this.#inReply && this.#run !== null) this.#s.activity.push(null, "text", text);
    this.#inReply = true;
  }

  /** Everything the newest run says so far. */
  facts(): SessionRead {
    this.#endPrompt();
    const tokens = emptyTokens();
    const byModel: Record<string, TokenBuckets> = modelTable();
    for (const [m, t] of Object.entries(this.#byModel)) {
      byModel[m] = { ...t };
      addTokens(tokens, t);
    }
    return this.#s.facts({
      id: this.#run ?? "",
      model: this.#model,
      startedAt: this.#startedAt,
      tokens,
      tokensByModel: byModel,
      contextTokens: this.#context,
      costUsd: this.#cost,
    });
  }

  #newRun(text: string): void {
    const at = aiderRunStart(text);
    if (at === null) {
      this.#s.malformed++;
      return;
    }
    this.#run = text.slice("# aider chat started at ".length).trim();
    this.#startedAt = at;
    this.#model = null;
    this.#inReply = false;
    this.#byModel = modelTable();
    this.#cost = null;
    this.#context = null;
    const malformed = this.#s.malformed;
    this.#s = new TranscriptState();
    this.#s.malformed = malformed;
  }

  /** A prompt is complete once a line that is not part of it arrives. */
  #endPrompt(): void {
    const lines = this.#prompt;
    if (lines === null) return;
    this.#prompt = null;
    this.#inReply = false;
    const text = lines.join("\n").trim();
    if (text === "" || text === "<blank>") return;
    this.#s.prompt(null, text);
    const command = /^\/\S+/.exec(text)?.[0];
    if (command === undefined || MODEL_COMMANDS.has(command)) this.#s.turn = "working";
    else if (EXIT_COMMANDS.has(command)) this.#s.turn = "exited";
  }

  #usage(text: string): void {
    const m = TOKENS.exec(text);
    if (!m) {
      this.#s.malformed++;
      return;
    }
    const [sent, write, hit, received] = [m[1], m[2], m[3], m[4]].map((s) => (s ? aiderCount(s) : 0));
    // `sent` is the whole prompt: cache reads and writes inside it (Aider adds the writes itself).
    const usage: TokenBuckets = {
      input: Math.max(0, sent - write - hit),
      output: received,
      cacheRead: hit,
      cacheWrite: write,
      reasoning: 0,
    };
    addTokens(this.#byModel[this.#model ?? "unknown"] ??= emptyTokens(), usage);
    this.#context = sent;
    if (m[6]) this.#sessionCost(m[6]);
    this.#inReply = false;
    this.#s.unlessExited("ended");
  }

  #sessionCost(text: string): void {
    const usd = Number(text);
    if (Number.isFinite(usd)) this.#cost = usd;
  }
}
