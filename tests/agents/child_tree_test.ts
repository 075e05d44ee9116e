import assert from "node:assert/strict";
import { branchPids } from "../../agents/child_tree.ts";

Deno.test("branchPids: each root the test picks and every process below it, nothing beside", () => {
  const kids = [
    { pid: 10, ppid: 1, argv: ["root"] },
    { pid: 11, ppid: 10, argv: ["sh"] },
    { pid: 12, ppid: 11, argv: ["node"] },
    { pid: 13, ppid: 1, argv: ["bash"] },
    { pid: 14, ppid: 13, argv: ["root"] },
    { pid: 15, ppid: 13, argv: ["sleep"] },
  ];
  assert.deepEqual([...branchPids(kids, (argv) => argv[0] === "root")], [10, 11, 12, 14]);
  assert.deepEqual([...branchPids(kids, () => false)], []);
});
