import assert from "node:assert/strict";
import { userCommand } from "../../agents/wrappers.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";

const wrappersOf = (id: string) => VENDORS.find((v) => v.id === id)?.shellWrappers ?? [];

Deno.test("wrappers: any shell's -c script is the command it runs", () => {
  assert.equal(userCommand(["/bin/bash", "-lc", "npm test"]), "npm test");
  assert.equal(userCommand(["/bin/bash", "--norc", "--noprofile", "-c", "git status"]), "git status");
  assert.equal(userCommand(["bash", "script.sh"]), null);
  assert.equal(userCommand(["sleep", "40"]), null);
  assert.equal(userCommand([]), null);
});

// argv as the real agents ran `sleep 40; echo agtop-probe-done` (long parts cut).
const CMD = "sleep 40; echo agtop-probe-done";

Deno.test("wrappers: Claude Code's shell-snapshot eval, before its tool_use line is written", () => {
  const argv = [
    "/bin/bash",
    "-c",
    "source /h/.claude/shell-snapshots/snapshot-bash-1796575133304-vjm5ql.sh 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && eval 'sleep 40; echo agtop-probe-done' < /dev/null && pwd -P >| /tmp/claude-2376-cwd",
  ];
  assert.equal(userCommand(argv, wrappersOf("claude")), CMD);
  const quoted = argv[2].replace("'sleep 40; echo agtop-probe-done'", `'echo '\\''it'\\''s'`);
  assert.equal(userCommand([argv[0], argv[1], quoted], wrappersOf("claude")), "echo 'it's");
});

Deno.test("wrappers: Gemini CLI's shopt/trap script", () => {
  const argv = [
    "/usr/bin/bash",
    "-c",
    "shopt -u promptvars nullglob extglob nocaseglob dotglob; _bgpids_file=/tmp/gemini-shell-M0wHfI/bgpids.tmp\n(\n  trap 'jobs -p > \"$_bgpids_file\"' EXIT\nsleep 40; echo agtop-probe-done\n)\n__code=$?\nexit $__code",
  ];
  assert.equal(userCommand(argv, wrappersOf("gemini")), CMD);
});

Deno.test("wrappers: Codex's sandbox launcher and environment-snapshot script", () => {
  const script = '__CODEX_SNAPSHOT_OVERRIDE_SET_0="${CODEX_APPLY_PATCH_PRESERVE_LINE_ENDINGS+x}"\n' +
    'if [ -n "${PATH:-}" ]; then export PATH=\'/h/.codex/codex-path\':"$PATH"; fi\n\n' +
    "exec '/bin/bash' -c 'sleep 40; echo agtop-probe-done'";
  const argv = [
    "codex-linux-sandbox",
    "--sandbox-policy-cwd",
    "/w",
    "--command-cwd",
    "/w",
    "--permission-profile",
    '{"type":"managed"}',
    "--",
    "/bin/bash",
    "-c",
    script,
  ];
  assert.equal(userCommand(argv, wrappersOf("codex")), CMD);
  // The sandboxed shell below it.
  assert.equal(userCommand(["/bin/bash", "-c", CMD], wrappersOf("codex")), CMD);
});

Deno.test("wrappers: Copilot CLI's and OpenCode's plain shells", () => {
  assert.equal(userCommand(["/bin/bash", "--norc", "--noprofile", "-c", CMD], wrappersOf("copilot")), CMD);
  assert.equal(userCommand(["/bin/bash", "-c", CMD], wrappersOf("opencode")), CMD);
});
