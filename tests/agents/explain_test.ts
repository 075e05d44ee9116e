/** The explaining recogniser behind `agtop doctor`: which rule matched, why a look-alike was turned down. */
import assert from "node:assert/strict";
import { makeProcess as proc } from "../support/agents.ts";
import type { ProcessInfo } from "../../platform/types.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { explainProcesses } from "../../agents/detect.ts";
import { parseMatchers } from "../../agents/custom.ts";
import type { Recognition } from "../../agents/vendor.ts";
import { claude } from "../../agents/vendors/claude/mod.ts";
import { codex } from "../../agents/vendors/codex/mod.ts";
import { gemini } from "../../agents/vendors/gemini/mod.ts";
import { aider } from "../../agents/vendors/aider/mod.ts";
import { pi } from "../../agents/vendors/pi/mod.ts";

const NM = "/home/me/lab/node_modules";
const CLAUDE = `${NM}/@anthropic-ai/claude-code/bin/claude.exe`;
const CODEX = `${NM}/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex`;

Deno.test("explain: each matching rule is named, and the reason names no path of the process", () => {
  const cases: [Recognition | null, string, RegExp][] = [
    [
      claude.explain!(proc(1, 0, "claude", "/opt/x/claude", ["claude"]), null),
      "binary name",
      /named 'claude'/,
    ],
    [
      claude.explain!(proc(1, 0, "claude", CLAUDE, ["/opt/bin/claude", "--resume"]), null),
      "binary name",
      /argv\[0\] and the executable are named 'claude'/,
    ],
    [
      codex.explain!(proc(1, 0, "codex", CODEX, [CODEX]), null),
      "binary name",
      /named 'codex'/,
    ],
    [
      claude.explain!(
        proc(1, 0, "claude", "/home/me/.local/share/claude/versions/2.1.197", ["claude"]),
        null,
      ),
      "install path",
      /under \/claude\/versions\//,
    ],
    [
      claude.explain!(proc(1, 0, "claude", "/usr/bin/node", ["claude"]), null),
      "process title",
      /a node process that set its title to 'claude'/,
    ],
    [
      gemini.explain!(
        proc(1, 0, "node", "/usr/bin/node", ["node", "/srv/bin/gem"]),
        `${NM}/@google/gemini-cli/dist/index.js`,
      ),
      "runtime + script",
      /node running a script under node_modules\/@google\/gemini-cli\/ \(symlink resolved\)/,
    ],
    [
      aider.explain!(proc(1, 0, "python3", "/usr/bin/python3.12", ["python3", "-m", "aider.main"]), null),
      "runtime + module",
      /python -m aider$/,
    ],
  ];
  for (const [r, rule, why] of cases) {
    assert.equal(r?.role, "main");
    assert.equal(r?.rule, rule);
    assert.match(r!.why, why);
    assert.doesNotMatch(r!.why, /\/home\/me|\/srv|\/opt/, "no path of the process");
  }
});

Deno.test("explain: look-alikes say why they are not agents", () => {
  const login = codex.explain!(proc(1, 0, "codex", CODEX, ["codex", "login"]), null);
  assert.equal(login?.role, null);
  assert.match(login!.why, /'login' is a management subcommand, not a session/);

  const spare = claude.explain!(proc(1, 0, "claude", CLAUDE, ["claude", "--bg-spare"]), null);
  assert.equal(spare?.role, null);
  assert.match(spare!.why, /--bg-spare marks a process it keeps, not a session/);

  const python = claude.explain!(proc(1, 0, "claude", "/usr/bin/python3.12", ["claude"]), null);
  assert.equal(python?.role, null);
  assert.match(python!.why, /the executable is python, not the program/);

  const sandbox = codex.explain!(
    proc(1, 0, "codex-linux-san", CODEX, ["codex-linux-sandbox", "--", "ls"]),
    null,
  );
  assert.equal(sandbox?.role, null);
  assert.match(sandbox!.why, /argv\[0\] does not name it/);

  const shell = claude.explain!(
    proc(1, 0, "claude", "/usr/bin/bash", ["/bin/bash", "/home/me/bin/claude"]),
    null,
  );
  assert.equal(shell?.role, null, "bash running a script named claude: comm alone");
  assert.match(shell!.why, /kernel's process name is 'claude' but argv\[0\] is not/);

  // A prompt is never quoted: only subcommands from the recogniser's own list are.
  const prompt = pi.explain!(proc(1, 0, "pi", "/usr/bin/node", ["pi", "tell me a secret"]), null);
  assert.equal(prompt?.role, "main");
  assert.doesNotMatch(prompt!.why, /secret/);

  // Nothing that looks like an agent: no explanation at all.
  assert.equal(claude.explain!(proc(1, 0, "vim", "/usr/bin/vim", ["vim", "claude.md"]), null), null);
});

Deno.test("explainProcesses: agents, folded members, helpers without a main, rejections", () => {
  const daemon = "/home/me/.codex/packages/app-server-daemon/releases/0.169.0/bin/codex";
  const processes = [
    proc(10, 1, "node", "/usr/bin/node", ["node", `${NM}/.bin/codex`]),
    proc(11, 10, "codex", CODEX, [CODEX]),
    proc(20, 1, "codex", daemon, [daemon, "app-server", "--listen", "unix://"]),
    proc(30, 1, "codex", CODEX, ["codex", "login"]),
    proc(40, 1, "vim", "/usr/bin/vim", ["vim", "codex.md"]),
    proc(50, 1, "claude", "/usr/bin/python3.12", ["claude"]),
  ];
  const script = (p: ProcessInfo) => p.pid === 10 ? `${NM}/@openai/codex/bin/codex.js` : null;
  const verdicts = explainProcesses(processes, VENDORS, script).map((v) =>
    `${v.process.pid} ${v.vendor.id} ${v.verdict} ${v.role} ${v.agentPid}`
  );
  assert.deepEqual(verdicts, [
    "10 codex member launcher 11",
    "11 codex agent main null",
    "20 codex rejected helper null",
    "30 codex rejected null null",
    "50 claude rejected null null",
  ]);
  const helper = explainProcesses(processes, VENDORS, script).find((v) => v.process.pid === 20)!;
  assert.match(helper.recognition.why, /a helper counts only beside a Codex main process/);
});

Deno.test("explainProcesses: a custom --match recogniser explains itself", () => {
  const vendors = [...VENDORS, ...parseMatchers(["Robo=robo-agent"])];
  const [v] = explainProcesses(
    [proc(5, 1, "python3", "/usr/bin/python3", ["python3", "robo-agent"])],
    vendors,
  );
  assert.equal(v.verdict, "agent");
  assert.equal(v.recognition.rule, "custom match");
  assert.match(v.recognition.why, /--match Robo/);
});
