import assert from "node:assert/strict";
import { bypassesOf, dangerousFlags } from "../../../agents/danger.ts";
import { markedAgent, ORPHAN_ENV_KEYS, ORPHAN_MARKERS, orphanMarkersOf } from "../../../agents/orphans.ts";
import { PROFILE_ENV, profileEnvOf } from "../../../agents/profiles.ts";
import type { Vendor } from "../../../agents/vendor.ts";
import { VENDORS } from "../../../agents/vendors/mod.ts";
import { namedAgents } from "../../../cli/help.ts";
import { manPage } from "../../../cli/man.ts";
import { programHelp } from "../../../cli/help.ts";

const fake = (id: string, facts: Partial<Vendor>): Vendor => ({
  id,
  label: id.toUpperCase(),
  recognise: () => null,
  ...facts,
});

const FAKES: Vendor[] = [
  fake("one", {
    dataDirEnv: "ONE_HOME",
    orphanMarkers: [{ env: "ONE_SESSION", session: true }, { env: "ONE", session: false }],
    dangerousFlags: { flags: ["--wild"], values: { "--mode": "open" } },
    sessions: () => Promise.reject(new Error("unused")),
  }),
  fake("two", {
    orphanMarkers: [{ env: "TWO", session: false }],
    dangerousFlags: { values: { "--mode": "free" } },
  }),
  fake("three", { dataDirEnv: "THREE_HOME", sessions: () => Promise.reject(new Error("unused")) }),
];

Deno.test("a vendor's declared facts reach the derived lists", () => {
  assert.deepEqual(profileEnvOf(FAKES), { one: "ONE_HOME", three: "THREE_HOME" });
  assert.deepEqual(Object.keys(profileEnvOf(FAKES)), ["one", "three"], "vendor order");
  const markers = orphanMarkersOf(FAKES);
  assert.deepEqual(markers, [
    { env: "ONE_SESSION", agent: "one", session: true },
    { env: "ONE", agent: "one", session: false },
    { env: "TWO", agent: "two", session: false },
  ]);
  assert.deepEqual(markedAgent({ TWO: "1", ONE: "1" }, markers), { agent: "one", sessionId: null });
  assert.deepEqual(markedAgent({ TWO: "1", ONE_SESSION: "s" }, markers), { agent: "one", sessionId: "s" });
  assert.deepEqual(markedAgent({ TWO: "1" }, markers), { agent: "two", sessionId: null });
  const bypasses = bypassesOf(FAKES);
  assert.deepEqual(
    dangerousFlags(["x", "--wild", "--mode", "free", "--mode=open", "--mode", "shut"], [], bypasses),
    ["--wild", "--mode free", "--mode=open"],
    "any vendor's flag counts for every agent",
  );
  assert.deepEqual(namedAgents(FAKES), ["ONE", "THREE"], "the agents whose sessions agtop reads");
});

Deno.test("the built-in lists are derived from VENDORS", () => {
  assert.deepEqual(PROFILE_ENV, profileEnvOf(VENDORS));
  assert.deepEqual(PROFILE_ENV, {
    claude: "CLAUDE_CONFIG_DIR",
    codex: "CODEX_HOME",
    gemini: "GEMINI_CLI_HOME",
    qwen: "QWEN_RUNTIME_DIR",
    copilot: "COPILOT_HOME",
    goose: "GOOSE_PATH_ROOT",
    continue: "CONTINUE_GLOBAL_DIR",
    droid: "FACTORY_HOME_OVERRIDE",
    pi: "PI_CODING_AGENT_DIR",
    omp: "PI_CODING_AGENT_DIR",
    openclaw: "OPENCLAW_STATE_DIR",
    kimi: "KIMI_CODE_HOME",
    hermes: "HERMES_HOME",
  });
  assert.deepEqual(ORPHAN_MARKERS, orphanMarkersOf(VENDORS));
  assert.deepEqual(ORPHAN_ENV_KEYS, [
    "CLAUDE_CODE_SESSION_ID",
    "CLAUDECODE",
    "CODEX_THREAD_ID",
    "CODEX_SESSION_ID",
    "GEMINI_CLI",
    "QWEN_CODE_NO_RELAUNCH",
    "PI_CODING_AGENT",
  ]);
  for (const v of VENDORS) {
    for (const flag of v.dangerousFlags?.flags ?? []) {
      assert.deepEqual(dangerousFlags(["x", flag], []), [flag], `${v.id} ${flag}`);
    }
    for (const [option, value] of Object.entries(v.dangerousFlags?.values ?? {})) {
      assert.deepEqual(dangerousFlags(["x", `${option}=${value}`], []), [`${option}=${value}`], v.id);
    }
  }
  const help = programHelp("1.0.0", null);
  const man = manPage("1.0.0", "2026-11-24");
  const names = namedAgents();
  assert.deepEqual(names, VENDORS.filter((v) => v.sessions).map((v) => v.label));
  for (const label of names) {
    assert.ok(help.includes(label), `help names ${label}`);
    assert.ok(man.includes(label), `man names ${label}`);
  }
  assert.ok(help.split("\n").slice(0, 8).every((line) => line.length <= 104), "the prose is wrapped");
});

Deno.test("the options that take a value are on the vendor", async () => {
  const opencode = VENDORS.find((v) => v.id === "opencode")!;
  const { OPENCODE_CLI } = await import("../../../agents/vendors/opencode/cli.ts");
  assert.equal(opencode.valued, OPENCODE_CLI.valued, "the session reader's list is the vendor's");
  assert.ok(opencode.valued?.includes("--session"));
  assert.ok(VENDORS.find((v) => v.id === "codex")!.valued?.includes("-c"));
});
