import assert from "node:assert/strict";
import { firstSince, StatusClock } from "../../../agents/collect/since.ts";
import { makeAgent, makeSession } from "../../support/agents.ts";

const T = Date.parse("2026-11-24T10:10:00Z");
const started = Date.parse("2026-11-24T10:00:00Z");

Deno.test("first sight: a quiet status dates from the session's last activity, a busy one from now", () => {
  const session = makeSession({ lastActivity: T - 240_000 });
  assert.equal(firstSince(makeAgent({ status: "waiting", session }), T), T - 240_000);
  assert.equal(firstSince(makeAgent({ status: "idle", session }), T), T - 240_000);
  assert.equal(firstSince(makeAgent({ status: "busy", session }), T), T);
  assert.equal(firstSince(makeAgent({ status: "waiting", session: null }), T), T, "nothing better known");
  const resumed = makeSession({ lastActivity: started - 3_600_000 });
  assert.equal(
    firstSince(makeAgent({ status: "waiting", session: resumed }), T),
    started,
    "not before the start",
  );
  const future = makeSession({ lastActivity: T + 5_000 });
  assert.equal(firstSince(makeAgent({ status: "waiting", session: future }), T), T, "not after now");
});

Deno.test("the clock keeps the time of the last change per agent key and forgets gone agents", () => {
  const clock = new StatusClock();
  const session = makeSession({ lastActivity: T - 60_000 });
  const a = () => makeAgent({ pid: 1, status: "waiting", session });
  const b = () => makeAgent({ pid: 2, status: "busy" });

  const first = [a(), b()];
  clock.stamp(first, T);
  assert.deepEqual(first.map((x) => x.statusSince), [T - 60_000, T]);

  const same = [a(), b()];
  clock.stamp(same, T + 1_500);
  assert.deepEqual(same.map((x) => x.statusSince), [T - 60_000, T], "unchanged statuses keep their start");

  const changed = [makeAgent({ pid: 1, status: "busy", session }), b()];
  clock.stamp(changed, T + 3_000);
  assert.deepEqual(changed.map((x) => x.statusSince), [T + 3_000, T]);

  clock.stamp([a()], T + 4_500);
  const back = [b()];
  clock.stamp(back, T + 6_000);
  assert.equal(back[0].statusSince, T + 6_000, "an agent not seen in a tick starts over");
});
