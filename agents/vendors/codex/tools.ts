/**
 * Codex's tool calls for `agtop report tools`: `function_call`, `custom_tool_call` and
 * `local_shell_call` response items are calls, their `*_output` items (and the command's end events)
 * results. A call failed when its command exited non-zero (`Process exited with code N` in the output,
 * `exit_code` in older JSON outputs, `exec_command_end`, a `CommandExecution` item), a patch did not
 * apply, or an MCP call ended in an error. A command that outlived the output it yielded (0.169's
 * `exec_command` answers after about ten seconds) ends at its end event. MCP tools are
 * `mcp__<server>__<tool>` (or a `mcp__<server>__` namespace). The rollouts of the subagents a thread
 * spawned (`spawn_agent` answers with the child's thread id; its rollout lies in the same or the next
 * day's folder) are read with it, so their calls count in the parent session.
 *
 * @module
 */

import type { ToolCallRecord } from "../../vendor.ts";
import { loggedCalls, type ToolCallLog } from "../../formats/tool_calls.ts";
import { asObject, isObject, type JsonObject } from "../../formats/records.ts";
import { listDir } from "../../formats/files.ts";

/** Response items that call a tool. */
const CALLS = new Set(["function_call", "custom_tool_call", "local_shell_call"]);
/** Response items that answer one. */
const OUTPUTS = new Set(["function_call_output", "custom_tool_call_output", "local_shell_call_output"]);
/** Output text of a command that failed. */
const FAILED_OUTPUT = /^Process exited with code [1-9]|^Exit code: [1-9]|"exit_code":\s*[1-9]/m;

/**
 * Every tool call of the Codex rollout at `path`, oldest first.
 *
 * @example
 * ```ts
 * const calls = codexToolCalls("/home/me/.codex/sessions/2026/11/24/rollout-….jsonl");
 * calls.length;
 * ```
 */
export function codexToolCalls(path: string): ToolCallRecord[] {
  return threadCalls(path, 0, new Set());
}

/** The calls of one rollout and, to {@linkcode MAX_DEPTH}, of the subagents it spawned. */
function threadCalls(path: string, depth: number, seen: Set<string>): ToolCallRecord[] {
  seen.add(path);
  const spawns = new Set<string>();
  const children: string[] = [];
  const calls = loggedCalls(path, (rec, log, at) => {
    const p = rec.payload;
    if (!isObject(p)) return;
    const id = typeof p.call_id === "string" ? p.call_id : null;
    if (rec.type === "response_item") {
      if (id && CALLS.has(String(p.type))) {
        call(log, id, p, at);
        if (p.name === "spawn_agent") spawns.add(id);
      } else if (id && OUTPUTS.has(String(p.type))) {
        log.result(id, at, failedOutput(p.output));
        const child = spawns.has(id) ? asObject(p.output)?.agent_id : null;
        if (typeof child === "string" && /^[0-9a-f-]{36}$/i.test(child)) children.push(child);
      }
    } else if (rec.type === "event_msg") ended(log, p, at);
  });
  if (depth >= MAX_DEPTH) return calls;
  for (const child of children) {
    const file = childRollout(path, child);
    if (file && !seen.has(file)) calls.push(...threadCalls(file, depth + 1, seen));
  }
  return calls;
}

/** Subagents of subagents are followed this deep. */
const MAX_DEPTH = 4;

/** The rollout of thread `id` in the folder of `parent` (`…/YYYY/MM/DD/`) or the next day's, or null. */
function childRollout(parent: string, id: string): string | null {
  const dir = parent.slice(0, parent.lastIndexOf("/"));
  const day = /^(.*)\/(\d{4})\/(\d{2})\/(\d{2})$/.exec(dir);
  const dirs = [dir];
  if (day) {
    const next = new Date(Date.UTC(Number(day[2]), Number(day[3]) - 1, Number(day[4]) + 1));
    const two = (n: number) => String(n).padStart(2, "0");
    dirs.push(`${day[1]}/${next.getUTCFullYear()}/${two(next.getUTCMonth() + 1)}/${two(next.getUTCDate())}`);
  }
  for (const d of dirs) {
    const name = listDir(d).find((n) => n.startsWith("rollout-") && n.endsWith(`-${id}.jsonl`));
    if (name) return `${d}/${name}`;
  }
  return null;
}

/** A call item: its tool, split into server and tool where it is an MCP tool. */
function call(log: ToolCallLog, id: string, p: JsonObject, at: number | null): void {
  const name = typeof p.name === "string" ? p.name : p.type === "local_shell_call" ? "local_shell" : null;
  if (!name) return;
  const ns = typeof p.namespace === "string" ? /^mcp__(.+?)_*$/.exec(p.namespace) : null;
  log.call(id, name, at, ns ? ns[1] : null);
}

/** Whether an output says its command failed. */
function failedOutput(output: unknown): boolean {
  if (typeof output === "string") return FAILED_OUTPUT.test(output);
  if (!Array.isArray(output)) return false;
  return output.some((c) => isObject(c) && typeof c.text === "string" && FAILED_OUTPUT.test(c.text));
}

/** The end events of commands, patches and MCP calls. */
function ended(log: ToolCallLog, p: JsonObject, at: number | null): void {
  switch (p.type) {
    case "exec_command_end":
      if (typeof p.call_id === "string") log.result(p.call_id, at, nonZero(p.exit_code));
      return;
    case "patch_apply_end":
      if (typeof p.call_id === "string") log.result(p.call_id, at, p.success === false);
      return;
    case "mcp_tool_call_end":
      if (typeof p.call_id === "string") log.result(p.call_id, at, mcpFailed(p.result));
      return;
    case "item_completed": {
      const item = asObject(p.item);
      if (item?.type === "CommandExecution" && typeof item.id === "string" && log.has(item.id)) {
        log.result(item.id, at, nonZero(item.exit_code) || item.status === "failed");
      }
    }
  }
}

/** An exit code other than 0. */
function nonZero(code: unknown): boolean {
  return typeof code === "number" && code !== 0;
}

/** An MCP call's result: `{"Err": …}`, or `{"Ok": {"isError": true}}`. */
function mcpFailed(result: unknown): boolean {
  if (!isObject(result)) return false;
  if ("Err" in result) return true;
  const ok = asObject(result.Ok);
  return ok?.isError === true || ok?.is_error === true;
}
