/** Amp's session reader over a thread document rewritten in place. */
import assert from "node:assert/strict";
import { AmpSessionSource } from "../../../../agents/vendors/amp/sessions.ts";
import { amp } from "../../../../agents/vendors/amp/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";
import { assistant, thread, user } from "../../../support/amp.ts";

Deno.test("amp: a half-written document keeps the last whole one's facts and counts as malformed", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "agtop-amp-" });
  try {
    const path = `${dir}/T-019b9d03-62e3-772f-9780-3e637f90eaec.json`;
    const whole = JSON.stringify(thread([user(0, "hi"), assistant(1, [], { type: "running" }, null)]));
    Deno.writeTextFileSync(path, whole);
    const src = new AmpSessionSource();
    const link = { path, id: "T-019b9d03-62e3-772f-9780-3e637f90eaec", linkedBy: "cwd" };
    assert.equal(src.read(link, Date.now())?.turn, "working");
    Deno.writeTextFileSync(path, whole.slice(0, whole.length - 40) + "   ");
    const f = src.read(link, Date.now());
    assert.equal(f?.turn, "working");
    assert.equal(f?.malformedLines, 1);
    await assertReaderOf(amp, AmpSessionSource, "amp");
    Deno.writeTextFileSync(path, "{");
    assert.equal(new AmpSessionSource().read(link, Date.now()), null, "never parsed whole: nothing to show");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
