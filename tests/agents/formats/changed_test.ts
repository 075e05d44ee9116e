import assert from "node:assert/strict";
import { ClaudeTranscript } from "../../../agents/vendors/claude/transcript.ts";
import { CodexTranscript } from "../../../agents/vendors/codex/transcript.ts";
import { ChangedFiles, FILES_CHANGED_LIMIT, patchFiles } from "../../../agents/formats/changed.ts";

const CWD = "/home/me/proj";

function claude(lines: string[]): string[] | undefined {
  const t = new ClaudeTranscript();
  for (const l of lines) t.feed(l);
  return t.facts().filesChanged;
}

function codex(lines: string[]): string[] | undefined {
  const t = new CodexTranscript();
  for (const l of lines) t.feed(l);
  return t.facts().filesChanged;
}

/** A Claude Code record in the 2.1 envelope. */
function rec(type: string, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type,
    sessionId: "9f8a",
    cwd: CWD,
    isSidechain: false,
    timestamp: "2026-11-24T04:00:00.000Z",
    ...fields,
  });
}

const toolUse = (id: string, name: string, input: Record<string, unknown>, sidechain = false) =>
  rec("assistant", {
    isSidechain: sidechain,
    message: {
      id: `msg_${id}`,
      model: "claude-sonnet-4-5",
      content: [{ type: "tool_use", id, name, input }],
      stop_reason: "tool_use",
    },
  });

const toolResult = (id: string, isError = false, sidechain = false) =>
  rec("user", {
    isSidechain: sidechain,
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content: "ok", is_error: isError }],
    },
  });

Deno.test("claude: Edit, Write, MultiEdit and NotebookEdit that succeeded, newest last, each once", () => {
  assert.deepEqual(
    claude([
      toolUse("t1", "Edit", { file_path: `${CWD}/src/a.ts`, old_string: "a", new_string: "b" }),
      toolResult("t1"),
      toolUse("t2", "Write", { file_path: `${CWD}/README.md`, content: "# hi" }),
      toolResult("t2"),
      toolUse("t3", "NotebookEdit", { notebook_path: `${CWD}/nb.ipynb`, new_source: "x" }),
      toolResult("t3"),
      toolUse("t4", "MultiEdit", { file_path: `${CWD}/src/a.ts`, edits: [] }),
      toolResult("t4"),
      toolUse("t5", "Read", { file_path: `${CWD}/src/b.ts` }),
      toolResult("t5"),
      toolUse("t6", "Bash", { command: "touch x" }),
      toolResult("t6"),
    ]),
    [`${CWD}/README.md`, `${CWD}/nb.ipynb`, `${CWD}/src/a.ts`],
  );
});

Deno.test("claude: a refused or failed edit, one still running, and sidechain replays change nothing", () => {
  assert.deepEqual(
    claude([
      toolUse("t1", "Edit", { file_path: `${CWD}/refused.ts` }),
      toolResult("t1", true),
      toolUse("t2", "Write", { file_path: `${CWD}/replayed.ts` }, true),
      toolResult("t2", false, true),
      toolUse("t3", "Write", { file_path: `${CWD}/running.ts` }),
    ]),
    [],
  );
});

Deno.test("claude: an edit whose turn was interrupted before its result is forgotten", () => {
  assert.deepEqual(
    claude([
      toolUse("t1", "Edit", { file_path: `${CWD}/a.ts` }),
      rec("user", { message: { role: "user", content: "[Request interrupted by user]" } }),
      toolUse("t2", "Edit", { file_path: `${CWD}/b.ts` }),
      toolResult("t2"),
      toolResult("t1"),
    ]),
    [`${CWD}/b.ts`],
  );
});

function line(type: string, payload: Record<string, unknown>): string {
  return JSON.stringify({ timestamp: "2026-01-10T10:00:00.000Z", type, payload });
}

const META = line("session_meta", { id: "019a", session_id: "019a", cwd: CWD });
const PATCH = "*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** Add File: docs/new.md\n+hi\n" +
  "*** Delete File: old.txt\n*** Update File: src/b.rs\n*** Move to: src/c.rs\n@@\n-x\n+y\n*** End Patch";

Deno.test("codex: custom apply_patch: updated, added, deleted, moved files, against the cwd", () => {
  assert.deepEqual(
    codex([
      META,
      line("response_item", { type: "custom_tool_call", name: "apply_patch", call_id: "c1", input: PATCH }),
      line("response_item", {
        type: "custom_tool_call_output",
        call_id: "c1",
        output:
          '{"output":"Success. Updated the following files:\\nM src/a.rs\\n","metadata":{"exit_code":0}}',
      }),
    ]),
    [`${CWD}/src/a.rs`, `${CWD}/docs/new.md`, `${CWD}/old.txt`, `${CWD}/src/b.rs`, `${CWD}/src/c.rs`],
  );
});

Deno.test("codex: apply_patch through a function call, a shell command and exec_command", () => {
  const patch = (file: string) => `*** Begin Patch\n*** Update File: ${file}\n@@\n-a\n+b\n*** End Patch`;
  assert.deepEqual(
    codex([
      META,
      line("response_item", {
        type: "function_call",
        name: "apply_patch",
        call_id: "c1",
        arguments: JSON.stringify({ input: patch("one.rs") }),
      }),
      line("response_item", { type: "function_call_output", call_id: "c1", output: "Done!" }),
      line("response_item", {
        type: "function_call",
        name: "shell",
        call_id: "c2",
        arguments: JSON.stringify({ command: ["apply_patch", patch("/abs/two.rs")] }),
      }),
      line("response_item", {
        type: "function_call_output",
        call_id: "c2",
        output: '{"output":"Success.","metadata":{"exit_code":0,"duration_seconds":0.1}}',
      }),
      line("response_item", {
        type: "function_call",
        name: "exec_command",
        call_id: "c3",
        arguments: JSON.stringify({ cmd: `apply_patch <<'EOF'\n${patch("./three.rs")}\nEOF` }),
      }),
      line("response_item", {
        type: "function_call_output",
        call_id: "c3",
        output: "Chunk ID: 1\nProcess exited with code 0\nOutput:\nSuccess.",
      }),
    ]),
    [`${CWD}/one.rs`, "/abs/two.rs", `${CWD}/three.rs`],
  );
});

Deno.test("codex: a failed patch, a plain shell command and a patch still applying change nothing", () => {
  assert.deepEqual(
    codex([
      META,
      line("response_item", { type: "custom_tool_call", name: "apply_patch", call_id: "c1", input: PATCH }),
      line("response_item", {
        type: "custom_tool_call_output",
        call_id: "c1",
        output: "apply_patch verification failed: Failed to find expected lines in src/a.rs",
      }),
      line("response_item", {
        type: "function_call",
        name: "exec_command",
        call_id: "c2",
        arguments: JSON.stringify({ cmd: "sed -i s/a/b/ x.rs" }),
      }),
      line("response_item", {
        type: "function_call_output",
        call_id: "c2",
        output: "Process exited with code 0",
      }),
      line("response_item", {
        type: "function_call",
        name: "exec_command",
        call_id: "c3",
        arguments: JSON.stringify({ cmd: `apply_patch <<'EOF'\n${PATCH}\nEOF` }),
      }),
      line("response_item", {
        type: "function_call_output",
        call_id: "c3",
        output: "Process exited with code 1",
      }),
      line("response_item", { type: "custom_tool_call", name: "apply_patch", call_id: "c4", input: PATCH }),
    ]),
    [],
  );
});

Deno.test("codex: file-writing tools and completed FileChange items; each file once, newest last", () => {
  assert.deepEqual(
    codex([
      META,
      line("response_item", {
        type: "function_call",
        name: "mcp__fs__write_file",
        call_id: "c1",
        arguments: JSON.stringify({ path: "notes.md", content: "x" }),
      }),
      line("response_item", { type: "function_call_output", call_id: "c1", output: "wrote 1 byte" }),
      line("event_msg", {
        type: "item_completed",
        item: {
          type: "FileChange",
          id: "c2",
          status: "completed",
          changes: [{ path: `${CWD}/src/a.rs`, kind: "update" }],
        },
      }),
      line("event_msg", {
        type: "item_completed",
        item: {
          type: "FileChange",
          id: "c3",
          status: "declined",
          changes: [{ path: `${CWD}/nope.rs`, kind: "add" }],
        },
      }),
      line("event_msg", {
        type: "item_completed",
        item: {
          type: "FileChange",
          id: "c4",
          status: "completed",
          changes: [{ path: "notes.md", kind: "update" }],
        },
      }),
    ]),
    [`${CWD}/src/a.rs`, `${CWD}/notes.md`],
  );
});

Deno.test("changed files: bounded to the newest, control characters stripped; patch file lines", () => {
  const files = new ChangedFiles();
  for (let i = 0; i < FILES_CHANGED_LIMIT + 5; i++) files.add(`f${i}`, "/w/");
  files.add("/w/f10", null);
  files.add("a\x1b[2Jb", null);
  files.add("  ", null);
  const list = files.list();
  assert.equal(list.length, FILES_CHANGED_LIMIT);
  assert.equal(list[0], "/w/f6", "the oldest changes give way");
  assert.deepEqual(list.slice(-2), ["/w/f10", "ab"]);
  assert.deepEqual(patchFiles("*** Begin Patch\n*** Update File:  spaced name.txt \n*** End Patch"), [
    "spaced name.txt",
  ]);
  assert.deepEqual(patchFiles("no patch here"), []);
});
