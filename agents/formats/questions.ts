/**
 * Questions an agent puts to the user through a tool (Claude Code's `AskUserQuestion`, OpenCode's
 * `question`, Copilot CLI's `ask_user`): while such a call has no result, the agent waits for an answer.
 *
 * @module
 */

import { isObject } from "./records.ts";
import { cleanLine } from "./text.ts";

/** Tool names by which agents ask the user a question and wait for the answer. */
export const QUESTION_TOOLS: ReadonlySet<string> = new Set(["AskUserQuestion", "question", "ask_user"]);

/** How many characters of a question `waiting_for` keeps. */
const QUESTION_WIDTH = 80;

/**
 * What a question call asks, as `waiting_for` says it: `question: <header> — <first question>` from a
 * `questions` list (Claude Code, OpenCode), `question: <message>` (Copilot's `ask_user`), cut to one
 * short line; `question` when the input says nothing. Null for any other tool.
 *
 * @example
 * ```ts
 * questionAsked("AskUserQuestion", { questions: [{ header: "Color", question: "Which color?" }] });
 * // "question: Color — Which color?"
 * questionAsked("ask_user", { message: "Which color?" }); // "question: Which color?"
 * questionAsked("Bash", { command: "ls" }); // null
 * ```
 */
export function questionAsked(name: string, input: unknown): string | null {
  if (!QUESTION_TOOLS.has(name)) return null;
  const line = cleanLine(questionText(input), QUESTION_WIDTH);
  return line ? `question: ${line}` : "question";
}

/**
 * What a question call's input asks, unsanitised and uncut (`<header> — <first question>`, or the
 * message): the call's argument, for the doing column. "" when the input says nothing.
 *
 * @example
 * ```ts
 * questionText({ questions: [{ header: "Color", question: "Which color?" }] }); // "Color — Which color?"
 * questionText({ message: "Proceed?" }); // "Proceed?"
 * ```
 */
export function questionText(input: unknown): string {
  if (!isObject(input)) return "";
  const first = Array.isArray(input.questions) ? input.questions.find(isObject) : undefined;
  if (first) {
    const header = typeof first.header === "string" ? first.header.trim() : "";
    const question = typeof first.question === "string" ? first.question.trim() : "";
    return header && question ? `${header} — ${question}` : header || question;
  }
  for (const k of ["message", "question", "prompt"]) {
    if (typeof input[k] === "string") return input[k] as string;
  }
  return "";
}
