/** Copilot CLI's `workspace.yaml`, read as the session reader reads it. */
import assert from "node:assert/strict";
import { parseTopLevelYaml } from "../../../../agents/vendors/copilot/sessions.ts";

Deno.test("copilot: workspace.yaml", () => {
  assert.deepEqual(
    parseTopLevelYaml(
      [
        "id: 471dd490",
        'cwd: "/home/me/cli tool"',
        "git_root: '/home/me/it''s'",
        "branch: main # checked out",
        "summary_count: 0",
        "name: ~",
        "nested:",
        "  cwd: /elsewhere",
        "created_at: 2026-11-24T03:37:49.499Z",
      ].join("\n"),
    ),
    {
      id: "471dd490",
      cwd: "/home/me/cli tool",
      git_root: "/home/me/it's",
      branch: "main",
      summary_count: "0",
      created_at: "2026-11-24T03:37:49.499Z",
    },
  );
});
