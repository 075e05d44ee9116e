/**
 * MCP servers an agent runs as its children (`npx -y @modelcontextprotocol/server-github`,
 * `uvx mcp-server-fetch`, `node …/github-mcp-server/dist/index.js`, `docker run … github-mcp-server`):
 * long-lived helpers of the agent, told apart from the commands its tools run, so they never make it
 * busy or fill its doing text.
 *
 * @module
 */

import { branchPids, type ChildRef } from "./child_tree.ts";

/** Programs that run a package or script named by their first argument. */
const RUNNERS = new Set([
  "npx",
  "pnpx",
  "bunx",
  "uvx",
  "uv",
  "pipx",
  "node",
  "nodejs",
  "bun",
  "deno",
  "python",
  "python3",
]);
/** Container runners: the image is somewhere among their arguments, after options with values. */
const CONTAINERS = new Set(["docker", "podman"]);
/** Sub-commands and options of runners that come before the package or script. */
const RUNNER_WORDS = new Set([
  "run",
  "tool",
  "exec",
  "x",
  "dlx",
  "-m",
  "-y",
  "--yes",
  "-q",
  "--quiet",
  "-i",
  "--rm",
]);
/** A part of a package, image or script path named as an MCP server: `mcp` as a word of it, or the official scope. */
const MCP_NAME = /(?:^|[-_.@])mcp(?:$|[-_.@])|^@modelcontextprotocol$/i;

/**
 * The package, script or program `argv` runs: the first argument after a runner (`npx -y <pkg>`,
 * `uvx <pkg>`, `node <script>`, `python -m <module>`), else the program itself.
 *
 * @example
 * ```ts
 * programOf(["npx", "-y", "@modelcontextprotocol/server-github"]); // "@modelcontextprotocol/server-github"
 * programOf(["/usr/bin/grep", "-r", "mcp", "."]); // "grep"
 * ```
 */
export function programOf(argv: readonly string[]): string {
  const base = (w: string) => w.slice(w.lastIndexOf("/") + 1);
  const head = base(argv[0] ?? "");
  if (!RUNNERS.has(head)) return head;
  // A script path may name its server by a directory (`…/github-mcp-server/dist/index.js`): kept whole.
  return argv.slice(1).find((w) => !RUNNER_WORDS.has(w) && !w.startsWith("-")) ?? head;
}

/**
 * True when `argv` runs an MCP server: {@linkcode programOf} is named like one (for `docker`/`podman`,
 * any argument: the image).
 *
 * @example
 * ```ts
 * isMcpServer(["npx", "-y", "@modelcontextprotocol/server-filesystem", "/repo"]); // true
 * isMcpServer(["uvx", "mcp-server-fetch"]); // true
 * isMcpServer(["node", "/opt/github-mcp-server/dist/index.js"]); // true
 * isMcpServer(["node", "/u/node_modules/@modelcontextprotocol/server-memory/dist/index.js"]); // true
 * isMcpServer(["bash", "-c", "grep -r mcp ."]); // false
 * ```
 */
export function isMcpServer(argv: readonly string[]): boolean {
  const head = argv[0] ?? "";
  const names = CONTAINERS.has(head.slice(head.lastIndexOf("/") + 1)) ? argv.slice(1) : [programOf(argv)];
  return names.some((name) => name.split("/").some((part) => MCP_NAME.test(part)));
}

/**
 * The pids among `children` (an agent's descendants, parents before children) that are MCP servers
 * ({@linkcode isMcpServer}) or run below one (`npx` starting the server's own `node`).
 *
 * @example
 * ```ts
 * const kids = [
 *   { pid: 10, ppid: 1, argv: ["npx", "-y", "@modelcontextprotocol/server-github"] },
 *   { pid: 11, ppid: 10, argv: ["node", "/home/u/.npm/_npx/1/node_modules/.bin/mcp-server-github"] },
 *   { pid: 12, ppid: 1, argv: ["bash", "-c", "npm test"] },
 * ];
 * mcpServerPids(kids); // Set { 10, 11 }
 * ```
 */
export function mcpServerPids(children: readonly ChildRef[]): Set<number> {
  return branchPids(children, isMcpServer);
}
