/**
 * One short phrase of what an agent is doing, in the user's words: `running npm test`, `editing
 * src/app.ts`, `waiting for you`, `rate-limited until 14:05`, `idle for 12m`.
 *
 * @module
 */

import type { Agent, AgentProcess } from "./types.ts";
import type { ToolCall } from "./session.ts";
import { cleanLine } from "./formats/text.ts";

/** Longest argument (command, path, pattern) in a phrase, in characters. */
export const PHRASE_ARG_WIDTH = 60;

/** What {@linkcode doingPhrase} reads from an agent. */
export type PhraseFacts = Pick<
  Agent,
  "status" | "session" | "children" | "processes" | "pid" | "orphans" | "cwd"
>;

/** A verb phrase and what it says without an argument. */
interface Verb {
  verb: string;
  bare: string;
  /** How the argument is shown: as it is, as a path (relative to the cwd), or as a URL's host. */
  arg: "text" | "path" | "host" | "none";
}

const verb = (v: string, bare: string, arg: Verb["arg"] = "text"): Verb => ({ verb: v, bare, arg });
const RUNNING = verb("running", "running a command");
const EDITING = verb("editing", "editing files", "path");
const READING = verb("reading", "reading files", "path");
const SEARCHING = verb("searching for", "searching");
const LISTING = verb("listing", "listing files", "path");
const FETCHING = verb("fetching", "fetching a page", "host");
const WEB_SEARCH = verb("searching the web for", "searching the web");
const DELEGATING = verb("delegating", "delegating to a subagent");
const WAITING_SUBAGENTS = verb("", "waiting for subagents", "none");
const PLANNING = verb("", "planning", "none");
const POLLING = verb("", "watching a running command", "none");

/** Tools by lowercased name (the part after any `namespace.`), across the agents agtop reads. */
const TOOLS: ReadonlyMap<string, Verb> = new Map([
  ...[
    "bash",
    "shell",
    "exec_command",
    "shell_command",
    "local_shell",
    "run_shell_command",
    "run_terminal_cmd",
    "execute_command",
  ].map((n) => [n, RUNNING] as const),
  ...[
    "edit",
    "multiedit",
    "write",
    "notebookedit",
    "apply_patch",
    "patch",
    "replace",
    "write_file",
    "edit_file",
    "create",
    "create_file",
    "str_replace_editor",
    "str_replace_based_edit_tool",
  ].map((n) => [n, EDITING] as const),
  ...["read", "view", "read_file", "read_many_files", "view_image"].map((n) => [n, READING] as const),
  ...["grep", "glob", "search", "search_file_content", "codebase_search", "file_search", "grep_search"].map((
    n,
  ) => [n, SEARCHING] as const),
  ...["ls", "list", "list_directory", "list_dir"].map((n) => [n, LISTING] as const),
  ...["webfetch", "web_fetch", "fetch"].map((n) => [n, FETCHING] as const),
  ...["websearch", "web_search", "google_web_search"].map((n) => [n, WEB_SEARCH] as const),
  ...["task", "agent", "spawn_agent", "send_input"].map((n) => [n, DELEGATING] as const),
  ...["wait_agent", "wait"].map((n) => [n, WAITING_SUBAGENTS] as const),
  ...["todowrite", "todo_write", "write_todos", "update_plan", "taskcreate", "taskupdate"].map((n) =>
    [n, PLANNING] as const
  ),
  ...["bashoutput", "write_stdin"].map((n) => [n, POLLING] as const),
]);

/**
 * What `agent` is doing at `now`, in a few words. By status: `done` → how long ago it ended (or the
 * processes it left running); `limited` → until when; `waiting` → `waiting for you` (or your
 * permission, or your answer to a question); `subagents` → how many run, or what the one does; then
 * the tool in flight (`running npm test`, `editing src/app.ts`, `reading README.md`, `searching for
 * parseArgs`, `fetching docs.deno.com`, `delegating …`); `busy` without a tool → the command its child runs, else
 * `thinking`; `idle` → for how long.
 *
 * @example
 * ```ts
 * declare const agent: PhraseFacts; // busy, its session's current tool a Bash call of `npm test`
 * doingPhrase(agent, Date.now()); // "running npm test"
 * ```
 */
export function doingPhrase(agent: PhraseFacts, now: number): string {
  const s = agent.session;
  const running = s?.subagents.filter((x) => x.status === "running").length ?? 0;
  switch (agent.status) {
    case "done": {
      const n = agent.orphans.length;
      if (n) return `left ${n} process${n === 1 ? "" : "es"} running`;
      return s?.lastActivity != null ? `ended ${ago(now - s.lastActivity)} ago` : "ended";
    }
    case "limited":
      return s?.limitedUntil != null ? `rate-limited until ${clock(s.limitedUntil, now)}` : "rate-limited";
    case "waiting":
      if (s?.waitingFor && /permission|approval/i.test(s.waitingFor)) return "waiting for your permission";
      return s?.waitingFor?.startsWith("question") ? "waiting for your answer" : "waiting for you";
    case "subagents":
      if (running === 1 && s?.currentTool && TOOLS.get(baseName(s.currentTool.name)) === DELEGATING) {
        return toolPhrase(s.currentTool, agent.cwd);
      }
      return `running ${running} subagent${running === 1 ? "" : "s"}`;
  }
  if (s?.currentTool) return toolPhrase(s.currentTool, agent.cwd);
  if (agent.status === "busy") {
    const child = agent.children.find((c) =>
      c.role === "child" && c.state !== "zombie" &&
      (c.ppid === agent.pid || agent.processes.some((p) => p.pid === c.ppid))
    );
    if (child) return `running ${cleanLine(processCommand(child), PHRASE_ARG_WIDTH)}`;
    return "thinking";
  }
  if (agent.children.some((c) => c.role === "updater" && c.state !== "zombie")) return "updating itself";
  return s?.lastActivity != null ? `idle for ${ago(now - s.lastActivity)}` : "idle";
}

/**
 * A tool call as a phrase: `running npm test`, `editing src/app.ts` (paths relative to `cwd`),
 * `fetching docs.deno.com`, `using github search_issues` for an MCP tool, `using <tool>` otherwise.
 *
 * @example
 * ```ts
 * toolPhrase({ name: "Edit", arg: "/home/me/app/src/app.ts", id: null, startedAt: null }, "/home/me/app");
 * // "editing src/app.ts"
 * ```
 */
export function toolPhrase(tool: ToolCall, cwd: string | null): string {
  const name = baseName(tool.name);
  const v = TOOLS.get(name);
  if (!v) {
    const mcp = /^mcp__(.+?)__(.+)$/.exec(tool.name);
    return `using ${cleanLine(mcp ? `${mcp[1]} ${mcp[2]}` : tool.name, PHRASE_ARG_WIDTH)}`;
  }
  const raw = tool.arg.trim();
  if (v.arg === "none" || !raw) return v.bare;
  const arg = v.arg === "path" ? relative(raw, cwd) : v.arg === "host" ? host(raw) : raw;
  return `${v.verb} ${cleanLine(arg, PHRASE_ARG_WIDTH)}`;
}

/**
 * What a process runs, in the user's words: its command out of the agent's wrapper, else its argv, else
 * its name.
 *
 * @example
 * ```ts
 * import type { AgentProcess } from "./types.ts";
 * declare const p: AgentProcess; // argv ["/bin/bash", "-lc", "npm test"], command "npm test"
 * processCommand(p); // "npm test"
 * ```
 */
export function processCommand(p: Pick<AgentProcess, "command" | "argv" | "name">): string {
  return p.command ?? (p.argv.join(" ") || p.name);
}

/** `multi_agent_v1.spawn_agent` → `spawn_agent`, lowercased. */
function baseName(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1).toLowerCase();
}

/** A path inside `cwd` relative to it; others as they are. */
function relative(path: string, cwd: string | null): string {
  if (!cwd) return path;
  const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return path.startsWith(base) && path.length > base.length ? path.slice(base.length) : path;
}

/** The host of a URL, or the text as it is. */
function host(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** `45s`, `12m`, `3h`, `2d`. */
function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Local `14:05`, with the weekday when it is not today: `Tue 14:05`. */
function clock(at: number, now: number): string {
  const d = new Date(at);
  const hm = `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  if (d.toDateString() === new Date(now).toDateString()) return hm;
  return `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getDay()]} ${hm}`;
}
