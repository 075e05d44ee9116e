/**
 * Qwen Code chat files (`~/.qwen/projects/<enc(cwd)>/chats/<sessionId>.jsonl`): Claude-like records
 * (`uuid`, `parentUuid`, `type`) holding Gemini-API `parts` and `usageMetadata`. A pure, incremental
 * parser fed one line at a time; the Gemini-API shapes come from `formats/genai.ts`, the tool set and
 * token ledger Qwen Code shares with Gemini CLI (its origin) from `formats/gemini_cli.ts`.
 *
 * @module
 */

import type { SubagentFacts, ToolCall } from "../../session.ts";
import { addTokens, emptyTokens, newestCall } from "../../session.ts";
import { isObject, type JsonObject, nonBlank, timestamp } from "../../formats/records.ts";
import { ACTIVITY_WIDTH, cleanLine, promptLine } from "../../formats/text.ts";
import * as genai from "../../formats/genai.ts";
import { AGENT_TOOLS, geminiToolArg, type LedgerTotals, MessageLedger } from "../../formats/gemini_cli.ts";
import { type UsageFacts, withSubagentUsage } from "../../formats/timeline.ts";
import { subagentFacts, TranscriptState } from "../../formats/transcript_state.ts";
import type { SessionRead } from "../../vendor.ts";

/** A subagent the main thread started through the `agent` (formerly `task`) tool. */
interface AgentCall {
  callId: string;
  type: string | null;
  description: string | null;
  running: boolean;
  startedAt: number | null;
}

/** A subagent's own records (`isSidechain`/`agentId`) or its API calls in the telemetry. */
interface Sidechain {
  agentId: string;
  name: string | null;
  model: string | null;
  lastAt: number | null;
  pending: Map<string, ToolCall>;
}

/** Ledger source of the main thread; subagents are `agent:<id>`. */
const MAIN = "main";
/** The telemetry event that carries one API response's token counts. */
const API_RESPONSE = "qwen-code.api_response";
/** User text Qwen Code injects itself rather than the user typing it. */
const NOT_PROMPTS = ["<system-reminder>", "<session_context>", "<context>", "<environment_context>"];
/**
 * Tools Qwen Code confirms with the user before running them (outside `--yolo`): its confirmation
 * writes nothing, so a call of these without a process is read as waiting for you.
 */
const ASKS_FIRST = new Set(["run_shell_command", "edit", "write_file"]);
/** Slash commands that end the session. */
const EXITS = new Set(["/quit", "/exit"]);

/**
 * Incremental parser of one Qwen Code chat file: feed it lines in file order (strings, or records
 * already parsed) and read {@linkcode facts} whenever needed. Tokens come from the assistant records'
 * `usageMetadata` (each `uuid` once); where a file has none for the main thread, or none for its
 * subagents, the `qwen-code.api_response` telemetry records of that thread count instead, so one API
 * call is never counted from both. Pure: no I/O, never throws.
 *
 * @example
 * ```ts
 * const t = new QwenTranscript();
 * t.feed('{"uuid":"u1","parentUuid":null,"sessionId":"e351e2a0","timestamp":"2026-11-24T03:40:00.000Z","type":"user","cwd":"/home/me/api","message":{"role":"user","parts":[{"text":"fix the login bug"}]}}');
 * t.facts().lastPrompt; // "fix the login bug"
 * ```
 */
export class QwenTranscript {
  #records: MessageLedger;
  #telemetry: MessageLedger;
  #anonymous = 0;
  #id: string | null = null;
  #cwd: string | null = null;
  #branch: string | null = null;
  #title: string | null = null;
  #model: string | null = null;
  #fallbackModel: string | null = null;
  #context: number | null = null;
  #contextWindow: number | null = null;
  #calls = new Map<string, AgentCall>();
  #sidechains = new Map<string, Sidechain>();
  #s = new TranscriptState();
  #read = (rec: JsonObject) => this.#record(rec);

  /** A parser with no lines fed yet; `options.history` keeps the session's whole usage timeline. */
  constructor(options: { history?: boolean } = {}) {
    this.#records = new MessageLedger(options);
    this.#telemetry = new MessageLedger(options);
  }

  /** Lines that could not be parsed so far. */
  get malformedLines(): number {
    return this.#s.malformed;
  }

  /** Feeds one line (or one parsed record). Lines that are not JSON objects are counted as malformed. */
  feed(line: string | unknown): void {
    this.#s.feed(line, this.#read);
  }

  /** Everything the lines so far say about the session. */
  facts(): SessionRead {
    const { main, agents, timeline } = this.#usage();
    const tokens = addTokens(main.total, agents.total);
    const byModel = main.byModel;
    for (const [m, t] of Object.entries(agents.byModel)) addTokens(byModel[m] ??= emptyTokens(), t);
    return this.#s.facts({
      id: this.#id ?? "",
      cwd: this.#cwd,
      gitBranch: this.#branch,
      title: promptLine(this.#title ?? this.#s.firstPrompt),
      model: this.#model ?? this.#fallbackModel,
      subagents: this.#subagents(),
      tokens,
      tokensByModel: byModel,
      contextTokens: this.#context,
      contextWindow: this.#contextWindow,
      ...timeline,
    });
  }

  /**
   * Main-thread and subagent totals, each from the records when they carry usage, else from the
   * telemetry, and their usage over time.
   */
  #usage(): { main: LedgerTotals; agents: LedgerTotals; timeline: UsageFacts } {
    const agentSources = (l: MessageLedger) => l.sources().filter((s) => s !== MAIN);
    const mainLedger = this.#records.has(MAIN) ? this.#records : this.#telemetry;
    const fromRecords = agentSources(this.#records);
    const agentLedger = fromRecords.length ? this.#records : this.#telemetry;
    const sources = fromRecords.length ? fromRecords : agentSources(this.#telemetry);
    return {
      main: mainLedger.totals([MAIN]),
      agents: agentLedger.totals(sources),
      timeline: withSubagentUsage(mainLedger.usage([MAIN]), [agentLedger.usage(sources)]),
    };
  }

  /** The agent calls paired, in order, with the subagents seen in records or telemetry. */
  #subagents(): SubagentFacts[] {
    const calls = [...this.#calls.values()];
    const lanes = [...this.#sidechains.values()];
    const ledger = this.#records.sources().some((s) => s !== MAIN) ? this.#records : this.#telemetry;
    const out: SubagentFacts[] = [];
    for (let i = 0; i < Math.max(calls.length, lanes.length); i++) {
      const call = calls[i] as AgentCall | undefined;
      const lane = lanes[i] as Sidechain | undefined;
      out.push(subagentFacts({
        id: lane?.agentId ?? call!.callId,
        type: call?.type ?? lane?.name ?? null,
        description: call?.description ?? null,
        running: call?.running ?? false,
        model: lane?.model,
        tokens: lane && ledger.totals([`agent:${lane.agentId}`]).total,
        currentTool: lane && call?.running ? newestCall(lane.pending) : null,
        lastActivity: lane?.lastAt ?? call?.startedAt ?? null,
      }));
    }
    return out;
  }

  #record(rec: JsonObject): void {
    const at = timestamp(rec.timestamp);
    this.#s.span.see(at);
    if (this.#id === null && typeof rec.sessionId === "string" && rec.sessionId) this.#id = rec.sessionId;
    if (this.#cwd === null && typeof rec.cwd === "string" && rec.cwd) this.#cwd = rec.cwd;
    if (typeof rec.gitBranch === "string" && rec.gitBranch) this.#branch = rec.gitBranch;
    const agentId = nonBlank(rec.agentId) ?? (rec.isSidechain === true ? "sidechain" : null);
    if (agentId && rec.type !== "system") return this.#sidechain(rec, agentId, at);
    switch (rec.type) {
      case "user":
        return this.#user(rec, at);
      case "assistant":
        return this.#assistant(rec, at);
      case "tool_result":
        return this.#results(genai.partsOf(messageParts(rec)), rec, at);
      case "system":
        return this.#system(rec, at);
    }
  }

  #user(rec: JsonObject, at: number | null): void {
    const parts = genai.partsOf(messageParts(rec));
    if (genai.functionResponses(parts).length > 0) return this.#results(parts, rec, at);
    if (typeof rec.provenance === "string" && rec.provenance !== "real_user") return;
    const payload = isObject(rec.systemPayload) ? rec.systemPayload : {};
    const shown = typeof payload.displayText === "string" && payload.displayText.trim()
      ? payload.displayText
      : "";
    const text = shown || genai.partsText(parts);
    const trimmed = text.trimStart();
    if (!trimmed || NOT_PROMPTS.some((p) => trimmed.startsWith(p))) return;
    this.#s.prompt(at, text);
    this.#s.turn = "working";
    this.#s.pending.clear();
  }

  #assistant(rec: JsonObject, at: number | null): void {
    const model = nonBlank(rec.model);
    if (model) this.#model = model;
    if (typeof rec.contextWindowSize === "number" && rec.contextWindowSize > 0) {
      this.#contextWindow = rec.contextWindowSize;
    }
    if (isObject(rec.usageMetadata)) {
      const usage = genai.geminiUsage(rec.usageMetadata, true);
      this.#records.set(this.#key(rec), MAIN, model ?? this.#modelName(), usage.tokens, at);
      if (usage.prompt > 0) this.#context = usage.prompt;
    }
    const parts = genai.partsOf(messageParts(rec));
    const thought = genai.thoughtText(parts);
    if (thought.trim()) this.#s.activity.push(at, "thinking", thought);
    const text = genai.partsText(parts);
    if (text.trim()) this.#s.activity.push(at, "text", text);
    const calls = genai.functionCalls(parts);
    for (const c of calls) {
      const id = c.id ?? `#${this.#anonymous++}`;
      this.#s.toolCall(at, c.name, geminiToolArg(c.name, c.args), c.id, id);
      if (ASKS_FIRST.has(c.name)) this.#s.mayAsk(id);
      if (AGENT_TOOLS.has(c.name)) {
        this.#calls.set(id, {
          callId: id,
          type: nonBlank(c.args.subagent_type),
          description: nonBlank(c.args.description),
          running: true,
          startedAt: at,
        });
      }
    }
    if (calls.length > 0) this.#s.turn = "working";
    else this.#s.endTurn();
  }

  #results(parts: JsonObject[], rec: JsonObject, at: number | null): void {
    const result = isObject(rec.toolCallResult) ? rec.toolCallResult : {};
    const ids = new Set(genai.functionResponses(parts).map((r) => r.id).filter((id) => id !== null));
    if (typeof result.callId === "string") ids.add(result.callId);
    for (const id of ids) {
      this.#s.pending.delete(id);
      const call = this.#calls.get(id);
      if (call) call.running = false;
    }
    const failed = result.status === "error" || (result.error !== undefined && result.error !== null);
    for (const r of genai.functionResponses(parts)) {
      if (r.text) this.#s.activity.push(at, r.error || failed ? "error" : "result", r.text);
    }
    if (result.status === "cancelled") {
      // Esc at the confirmation or mid-tool: Qwen Code is back at its prompt.
      this.#s.activity.push(at, "system", "interrupted by user");
      this.#s.unlessExited("ended");
      return;
    }
    this.#s.unlessExited("working");
  }

  #system(rec: JsonObject, at: number | null): void {
    const p = isObject(rec.systemPayload) ? rec.systemPayload : {};
    switch (rec.subtype) {
      case "ui_telemetry":
        return this.#uiEvent(isObject(p.uiEvent) ? p.uiEvent : {}, rec, at);
      case "custom_title":
        this.#title = nonBlank(p.customTitle) ?? this.#title;
        return;
      case "session_model":
        this.#fallbackModel = nonBlank(p.modelId) ?? this.#fallbackModel;
        return;
      case "chat_compression":
        this.#s.activity.push(at, "system", "context compacted");
        return;
      case "rewind":
        this.#s.activity.push(at, "system", "conversation rewound");
        this.#s.endTurn();
        return;
      case "slash_command": {
        const command = nonBlank(p.rawCommand);
        if (!command || p.phase === "result") return;
        this.#s.activity.push(at, "system", command);
        if (EXITS.has(command.trim().split(/\s+/)[0])) this.#s.turn = "exited";
        return;
      }
      case "turn_result": {
        const state = typeof p.state === "string" ? p.state : "completed";
        this.#s.stopReason = nonBlank(p.stopReason) ?? state;
        if (state === "cancelled") this.#s.activity.push(at, "system", "interrupted by user");
        const error = isObject(p.error) ? nonBlank(p.error.message) : null;
        if (state === "error") this.#s.activity.push(at, "error", error ?? "error");
        this.#s.unlessExited("ended");
        this.#s.pending.clear();
        for (const call of this.#calls.values()) call.running = false;
        return;
      }
    }
  }

  /** A telemetry event: API responses (tokens), API errors. */
  #uiEvent(e: JsonObject, rec: JsonObject, at: number | null): void {
    const name = e["event.name"];
    if (name === API_RESPONSE) {
      const usage = genai.geminiUsage({
        promptTokenCount: e.input_token_count,
        candidatesTokenCount: e.output_token_count,
        cachedContentTokenCount: e.cached_content_token_count,
        thoughtsTokenCount: e.thoughts_token_count,
        toolUsePromptTokenCount: e.tool_token_count,
        totalTokenCount: e.total_token_count,
      }, true);
      const agent = nonBlank(e.subagent_id);
      const model = nonBlank(e.model) ?? this.#modelName();
      if (!agent) this.#fallbackModel ??= model;
      else this.#lane(agent, nonBlank(e.subagent_type), model, at);
      const key = nonBlank(e.response_id) ?? this.#key(rec);
      this.#telemetry.set(key, agent ? `agent:${agent}` : MAIN, model, usage.tokens, at);
    } else if (name === "qwen-code.api_error") {
      this.#s.activity.push(
        at,
        "error",
        `API error: ${nonBlank(e.error_message) ?? nonBlank(e.error) ?? ""}`.trim(),
      );
    }
  }

  /** A record written by a subagent: its usage and tools, kept apart from the main thread. */
  #sidechain(rec: JsonObject, agentId: string, at: number | null): void {
    const model = rec.type === "assistant" ? nonBlank(rec.model) : null;
    const lane = this.#lane(agentId, nonBlank(rec.agentName), model, at);
    const parts = genai.partsOf(messageParts(rec));
    if (rec.type === "assistant") {
      if (isObject(rec.usageMetadata)) {
        const usage = genai.geminiUsage(rec.usageMetadata, true);
        this.#records.set(
          this.#key(rec),
          `agent:${agentId}`,
          model ?? lane.model ?? "unknown",
          usage.tokens,
          at,
        );
      }
      for (const c of genai.functionCalls(parts)) {
        const arg = cleanLine(geminiToolArg(c.name, c.args), ACTIVITY_WIDTH);
        lane.pending.set(c.id ?? `#${this.#anonymous++}`, { name: c.name, arg, id: c.id, startedAt: at });
      }
      return;
    }
    for (const r of genai.functionResponses(parts)) if (r.id) lane.pending.delete(r.id);
    const result = isObject(rec.toolCallResult) ? rec.toolCallResult : {};
    if (typeof result.callId === "string") lane.pending.delete(result.callId);
  }

  #lane(agentId: string, name: string | null, model: string | null, at: number | null): Sidechain {
    let lane = this.#sidechains.get(agentId);
    if (!lane) this.#sidechains.set(agentId, lane = { agentId, name, model, lastAt: at, pending: new Map() });
    lane.name ??= name;
    if (model) lane.model = model;
    if (at !== null && (lane.lastAt === null || at > lane.lastAt)) lane.lastAt = at;
    return lane;
  }

  /** The model to attribute usage to when a record does not name one. */
  #modelName(): string {
    return this.#model ?? this.#fallbackModel ?? "unknown";
  }

  /** A record's `uuid`, or a key of its own when it has none. */
  #key(rec: JsonObject): string {
    return nonBlank(rec.uuid) ?? `#${this.#anonymous++}`;
  }
}

/** `message.parts` (or `message.content`) of a record. */
function messageParts(rec: JsonObject): unknown {
  const msg = rec.message;
  if (!isObject(msg)) return [];
  return msg.parts ?? msg.content ?? [];
}
