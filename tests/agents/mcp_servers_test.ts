import assert from "node:assert/strict";
import { isMcpServer, mcpServerPids, programOf } from "../../agents/mcp_servers.ts";

Deno.test("mcp servers: the ways agents start them are recognised", () => {
  for (
    const argv of [
      ["npx", "-y", "@modelcontextprotocol/server-github"],
      ["/usr/bin/npx", "--yes", "@upstash/context7-mcp@latest"],
      ["uvx", "mcp-server-fetch"],
      ["uv", "tool", "run", "mcp-server-git", "--repository", "/repo"],
      ["node", "/home/u/.npm/_npx/8a1f/node_modules/.bin/mcp-server-github"],
      ["node", "/home/u/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "/repo"],
      ["node", "/opt/servers/github-mcp-server/dist/index.js"],
      ["python3", "-m", "mcp_server_time"],
      ["/usr/local/bin/github-mcp-server", "stdio"],
      ["docker", "run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"],
    ]
  ) assert.equal(isMcpServer(argv), true, argv.join(" "));
});

Deno.test("mcp servers: tool commands that mention mcp are not servers", () => {
  for (
    const argv of [
      ["bash", "-c", "npx -y @modelcontextprotocol/server-github"],
      ["/usr/bin/grep", "-r", "mcp", "."],
      ["node", "scripts/build.js", "--mcp"],
      ["npm", "test"],
      ["sleep", "300"],
      ["python3", "-m", "pytest", "tests/mcp"],
    ]
  ) assert.equal(isMcpServer(argv), false, argv.join(" "));
  assert.equal(
    programOf(["npx", "-y", "@modelcontextprotocol/server-github"]),
    "@modelcontextprotocol/server-github",
  );
  assert.equal(programOf([]), "");
});

Deno.test("mcp servers: a server and everything it starts, not the agent's other children", () => {
  const kids = [
    { pid: 10, ppid: 1, argv: ["npx", "-y", "@modelcontextprotocol/server-github"] },
    { pid: 11, ppid: 10, argv: ["sh", "-c", "mcp-server-github"] },
    { pid: 12, ppid: 11, argv: ["node", "/home/u/.npm/_npx/1/node_modules/.bin/mcp-server-github"] },
    { pid: 13, ppid: 1, argv: ["bash", "-c", "npm test"] },
    { pid: 14, ppid: 13, argv: ["node", "node_modules/.bin/vitest"] },
  ];
  assert.deepEqual([...mcpServerPids(kids)], [10, 11, 12]);
});
