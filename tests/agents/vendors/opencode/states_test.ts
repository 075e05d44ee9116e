/**
 * OpenCode's question and permission states from rows OpenCode 1.18.33 wrote against the stand-in
 * model (`tests/fixtures/opencode/*.json`: the turn's messages and parts). Its permission dialog writes
 * nothing of its own (the `permission` table keeps only "always" answers): the `bash` part is `running`
 * with no process. Its `question` tool is a `running` part until answered.
 */
import assert from "node:assert/strict";
import {
  openCodeFacts,
  OpenCodeLedger,
  type OpenCodeView,
  parseOpenCodeMessage,
  parseOpenCodePart,
} from "../../../../agents/formats/opencode_transcript.ts";
import { agentStatus, APPROVAL_GRACE_MS } from "../../../../agents/status.ts";
import { makeSession } from "../../../support/agents.ts";

interface Rows {
  messages: { id: string; time_created: number; data: unknown }[];
  parts: { id: string; message_id: string; time_created: number; data: unknown }[];
}

/** The view of one session holding the fixture's rows. */
function view(name: string): OpenCodeView {
  const rows: Rows = JSON.parse(
    Deno.readTextFileSync(new URL(`../../../fixtures/opencode/${name}`, import.meta.url).pathname),
  );
  const messages = new OpenCodeLedger();
  for (const m of rows.messages) messages.put(parseOpenCodeMessage(m.id, m.data, m.time_created)!);
  return {
    info: {
      id: "ses_db373c09bffepOnlaPvVxkvKFS",
      parentId: null,
      directory: "/tmp/q1/proj",
      title: null,
      created: rows.messages[0].time_created,
      updated: null,
      model: null,
      agent: "build",
      totals: null,
    },
    messages,
    parts: rows.parts.map((p) => parseOpenCodePart(p.id, p.message_id, p.data)!),
    prompt: null,
    task: null,
    children: [],
    malformed: 0,
  };
}

Deno.test("opencode: a question part running waits for the answer and says what is asked", () => {
  const f = openCodeFacts(view("question.json"), Date.now());
  assert.equal(f.currentTool?.name, "question");
  assert.equal(f.waitingFor, "question: Color — Which color should the probe use?");
  const session = makeSession({ ...f });
  assert.equal(
    agentStatus({ cpuPercent: 60, toolChildren: 0, session, now: Date.now(), alive: true }),
    "waiting",
  );
});

Deno.test("opencode: a bash part running without a process past the grace is its permission dialog", () => {
  const f = openCodeFacts(view("permission.json"), Date.now());
  assert.equal(f.waitingFor, null);
  assert.deepEqual(
    [f.currentTool?.name, f.currentTool?.arg, f.currentTool?.asksFirst],
    ["bash", "sleep 40; echo agtop-probe-done", true],
  );
  const session = makeSession({ ...f });
  const t0 = f.currentTool!.startedAt!;
  const status = (toolChildren: number, now: number) =>
    agentStatus({ cpuPercent: 0, toolChildren, session, now, alive: true });
  assert.equal(status(0, t0 + 1000), "busy");
  assert.equal(status(0, t0 + APPROVAL_GRACE_MS), "waiting");
  assert.equal(status(1, t0 + APPROVAL_GRACE_MS), "busy");
});
