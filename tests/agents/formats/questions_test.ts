import assert from "node:assert/strict";
import { questionAsked } from "../../../agents/formats/questions.ts";

Deno.test("questions: what each agent's question tool asks, as waiting_for says it", () => {
  // Claude Code's AskUserQuestion and OpenCode's question: a list of questions with headers.
  const questions = [{
    question: "Which color should the probe use?",
    header: "Color",
    options: [{ label: "Red", description: "The red one" }],
  }];
  assert.equal(
    questionAsked("AskUserQuestion", { questions }),
    "question: Color — Which color should the probe use?",
  );
  assert.equal(
    questionAsked("question", { questions }),
    "question: Color — Which color should the probe use?",
  );
  // Copilot CLI's ask_user: a message and a schema.
  assert.equal(
    questionAsked("ask_user", { message: "Which color?", requestedSchema: {} }),
    "question: Which color?",
  );
  // Cut to one short line, hostile text cleaned; nothing said: just "question".
  const long = questionAsked("ask_user", { message: `Pick\x1b[31m one\n${"x".repeat(200)}` })!;
  assert.ok(long.length <= "question: ".length + 80 && long.endsWith("…") && !long.includes("\x1b"), long);
  assert.equal(questionAsked("AskUserQuestion", {}), "question");
  assert.equal(questionAsked("AskUserQuestion", "nonsense"), "question");
  assert.equal(questionAsked("question", { questions: [{ header: "Scope" }] }), "question: Scope");
  assert.equal(questionAsked("Bash", { command: "ls" }), null);
});
