/**
 * Google GenAI (Gemini API) shapes as chat files write them: usage counts (`usageMetadata`, or Gemini
 * CLI's `tokens`) in agtop's buckets, and `content`/`parts` with their text, thoughts, function calls
 * and function responses. Gemini CLI and Qwen Code both write these.
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { isObject, type JsonObject, nonBlank, positive } from "./records.ts";
import { firstLine } from "./text.ts";

/** One API response's usage in agtop's buckets, and the size of the prompt it answered. */
export interface GeminiUsage {
  /** The response's tokens by bucket. */
  tokens: TokenBuckets;
  /** Full prompt of the request: input (cached included) plus tool-use prompt tokens. */
  prompt: number;
}

/**
 * Gemini-API usage (`usageMetadata` names, or Gemini CLI's `tokens` names) in agtop's buckets.
 * `input`/`promptTokenCount` includes the cached tokens, so input = prompt − cached (+ tool-use prompt
 * tokens, billed as input); reasoning = thoughts. Whether the output count includes the thoughts is
 * read from the total when it adds up one way or the other (Gemini's API excludes them, OpenAI-style
 * providers behind Qwen Code include them); otherwise `thoughtsInOutput` decides.
 *
 * @example
 * ```ts
 * geminiUsage({ input: 7020, output: 170, cached: 5020, thoughts: 80, tool: 0, total: 7270 }, false);
 * // { tokens: { input: 2000, output: 170, cacheRead: 5020, cacheWrite: 0, reasoning: 80 }, prompt: 7020 }
 * geminiUsage({ promptTokenCount: 900, candidatesTokenCount: 120, thoughtsTokenCount: 20, totalTokenCount: 1020 }, true);
 * // { tokens: { input: 900, output: 100, cacheRead: 0, cacheWrite: 0, reasoning: 20 }, prompt: 900 }
 * ```
 */
export function geminiUsage(u: JsonObject, thoughtsInOutput: boolean): GeminiUsage {
  const pick = (a: string, b: string) => positive(u[a]) || positive(u[b]);
  const prompt = pick("promptTokenCount", "input");
  const candidates = pick("candidatesTokenCount", "output");
  const cached = Math.min(pick("cachedContentTokenCount", "cached"), prompt);
  const thoughts = pick("thoughtsTokenCount", "thoughts");
  const tool = pick("toolUsePromptTokenCount", "tool");
  const total = pick("totalTokenCount", "total");
  let included = thoughtsInOutput;
  if (thoughts > 0 && total > 0) {
    if (total === prompt + candidates + thoughts + tool) included = false;
    else if (total === prompt + candidates + tool) included = true;
  }
  return {
    tokens: {
      input: prompt - cached + tool,
      output: included ? Math.max(0, candidates - thoughts) : candidates,
      cacheRead: cached,
      cacheWrite: 0,
      reasoning: thoughts,
    },
    prompt: prompt + tool,
  };
}

/** A function call in Gemini-API `parts`. */
export interface FunctionCallPart {
  /** Call id, when the part has one. */
  id: string | null;
  /** Tool name. */
  name: string;
  /** Arguments of the call. */
  args: JsonObject;
}

/** A function response in Gemini-API `parts`. */
export interface FunctionResponsePart {
  /** Id of the call answered, when the part has one. */
  id: string | null;
  /** Tool name. */
  name: string;
  /** The first line a user wants to see of the response (its output or error), or "". */
  text: string;
  /** True when the response carries an error. */
  error: boolean;
}

/**
 * Gemini-API content as a list of parts: a string is one text part, a part is a list of one.
 *
 * @example
 * ```ts
 * partsOf("hi"); // [{ text: "hi" }]
 * ```
 */
export function partsOf(content: unknown): JsonObject[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  if (Array.isArray(content)) return content.flatMap((p) => partsOf(p));
  return isObject(content) ? [content] : [];
}

/**
 * The visible text of Gemini-API parts (thought parts left out), joined by newlines.
 *
 * @example
 * ```ts
 * partsText([{ text: "a" }, { text: "plan", thought: true }, { text: "b" }]); // "a\nb"
 * ```
 */
export function partsText(parts: JsonObject[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought !== true).map((p) => p.text).join("\n");
}

/** The thought parts' text of Gemini-API parts, joined by spaces. */
export function thoughtText(parts: JsonObject[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought === true).map((p) => p.text).join(" ");
}

/** The function calls in Gemini-API parts. */
export function functionCalls(parts: JsonObject[]): FunctionCallPart[] {
  return parts.flatMap((p) => {
    const c = p.functionCall;
    if (!isObject(c) || typeof c.name !== "string") return [];
    return [{ id: nonBlank(c.id), name: c.name, args: isObject(c.args) ? c.args : {} }];
  });
}

/** The function responses in Gemini-API parts. */
export function functionResponses(parts: JsonObject[]): FunctionResponsePart[] {
  return parts.flatMap((p) => {
    const r = p.functionResponse;
    if (!isObject(r)) return [];
    const res = isObject(r.response) ? r.response : {};
    const error = res.error !== undefined && res.error !== null && res.error !== "";
    const text = typeof res.output === "string"
      ? res.output
      : typeof res.error === "string"
      ? res.error
      : isObject(res.error) && typeof res.error.message === "string"
      ? res.error.message
      : "";
    return [{
      id: nonBlank(r.id),
      name: typeof r.name === "string" ? r.name : "",
      text: firstLine(text),
      error,
    }];
  });
}
