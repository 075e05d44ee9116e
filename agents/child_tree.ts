/**
 * Whole branches of an agent's process tree: the processes a test picks out, and everything below
 * them (an `npm install` and its `sh -c node install.js`, `npx` and the server it starts).
 *
 * @module
 */

/** A process of an agent's tree, as the branch pickers see it. */
export interface ChildRef {
  pid: number;
  ppid: number;
  argv: readonly string[];
}

/**
 * The pids among `children` (an agent's descendants, parents before children, as they are listed
 * depth-first) for which `isRoot` holds, and every pid below one of them: one pass.
 *
 * @example
 * ```ts
 * const kids = [
 *   { pid: 10, ppid: 1, argv: ["npx", "-y", "some-mcp-server"] },
 *   { pid: 11, ppid: 10, argv: ["node", "server.js"] },
 *   { pid: 12, ppid: 1, argv: ["bash", "-c", "npm test"] },
 * ];
 * branchPids(kids, (argv) => argv[0] === "npx"); // Set { 10, 11 }
 * ```
 */
export function branchPids(
  children: readonly ChildRef[],
  isRoot: (argv: readonly string[]) => boolean,
): Set<number> {
  const out = new Set<number>();
  for (const c of children) if (out.has(c.ppid) || isRoot(c.argv)) out.add(c.pid);
  return out;
}
