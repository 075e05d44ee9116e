/**
 * OpenCode's message ledger keeps order, totals, the unsettled point and the usage timeline up to
 * date message by message: after any sequence of puts (responses completing, rewritten, arriving out
 * of order, a timeline read in between) it answers exactly as a ledger filled once with the end state.
 */
import assert from "node:assert/strict";
import {
  OpenCodeLedger,
  type OpenCodeMessage,
  parseOpenCodeMessage,
} from "../../../agents/formats/opencode_transcript.ts";
import { USAGE_SPAN_MS } from "../../../agents/session.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");

/** An assistant message `i` minutes after T0; `done` false: still being generated. */
function reply(i: number, input: number, done = true, model = "m1", at = T0 + i * 60_000): OpenCodeMessage {
  return parseOpenCodeMessage(`msg_${String(i).padStart(3, "0")}`, {
    role: "assistant",
    modelID: model,
    cost: done ? input / 1000 : 0,
    time: done ? { created: at, completed: at + 500 } : { created: at },
    tokens: { input: done ? input : 0, output: done ? 10 : 0, reasoning: 0, cache: { read: 0, write: 0 } },
  }, at)!;
}

function user(i: number): OpenCodeMessage {
  const at = T0 + i * 60_000 - 1_000;
  return parseOpenCodeMessage(
    `msg_${String(i).padStart(3, "0")}u`,
    { role: "user", time: { created: at } },
    at,
  )!;
}

/** What a read asks of a ledger. */
function answers(l: OpenCodeLedger, history: boolean) {
  return {
    ordered: l.ordered().map((m) => m.id),
    tokens: l.tokens(),
    unsettled: l.unsettledSince(),
    timeline: l.timeline(history),
    errors: l.errors().map((m) => m.id),
  };
}

function fresh(messages: OpenCodeMessage[]): OpenCodeLedger {
  const l = new OpenCodeLedger();
  for (const m of messages) l.put(m);
  return l;
}

Deno.test("opencode ledger: puts one by one, with reads between, answer as a ledger filled once", () => {
  for (const history of [false, true]) {
    const live = new OpenCodeLedger();
    const end = new Map<string, OpenCodeMessage>();
    const put = (m: OpenCodeMessage) => {
      live.put(m);
      end.set(m.id, m);
      assert.deepEqual(answers(live, history), answers(fresh([...end.values()]), history));
    };
    for (let i = 0; i < 12; i++) {
      put(user(i));
      put(reply(i, 100 + i, false)); // being generated: counted in a copy only
      put(reply(i, 100 + i, true, i % 3 ? "m1" : "m2"));
    }
    put(reply(3, 999)); // a settled response rewritten: the timeline is built again
    put(reply(5, 105, true, "m3")); // its model changed: "m2" keeps only the others
    put(reply(20, 1, true, "m1", T0 - 60_000)); // an older message arrives late
    put(
      parseOpenCodeMessage("msg_err", {
        role: "assistant",
        error: { name: "Aborted" },
        time: { created: T0 },
      }, T0)!,
    );
    put(reply(400, 5, true, "m1", T0 + USAGE_SPAN_MS + 120_000)); // pushes the first minutes out of the recent block
    live.clear();
    end.clear();
    put(reply(1, 1));
  }
});

Deno.test("opencode ledger: a message without a time leaves the unsettled point unknown", () => {
  const l = fresh([reply(1, 1), parseOpenCodeMessage("msg_x", { role: "user" }, null)!]);
  assert.equal(l.unsettledSince(), null);
  assert.equal(fresh([reply(1, 1), reply(2, 1, false), reply(3, 1)]).unsettledSince(), T0 + 2 * 60_000);
});
