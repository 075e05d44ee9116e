import assert from "node:assert/strict";
import { parseNetTable, socketInode } from "../../../platform/linux/net.ts";
import { LinuxProcessSource } from "../../../platform/linux/source.ts";

// ---------------------------------------------------------------------------------------------------
// Pure parsers on hand-written /proc/net text.

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41001 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41002 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 41003 1 0000000000000000 20 4 30 10 -1
   3: 0A00020F:A1B2 5DB8D822:01BB 06 00000000:00000000 03:00000ABC 00000000     0        0 0 3 0000000000000000
`;

const TCP6 =
  `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42002 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000F02000A:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42003 1 0000000000000000 100 0 0 10 0
   3: B80D0120000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42004 1 0000000000000000 100 0 0 10 0
   4: 000080FE00000000FF0811A2FE0B8A3B:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42005 1 0000000000000000 100 0 0 10 0
`;

const UDP =
  `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 43001 2 0000000000000000 0
  200: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 43002 2 0000000000000000 0
  300: 0A00020F:C350 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 43003 2 0000000000000000 0
  400: 0100007F:0000 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 43004 2 0000000000000000 0
`;

const UDP6 =
  `   sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  500: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 44001 2 0000000000000000 0
  600: 00000000000000000000000001000000:C351 B80D0120000000000000000001000000:0035 01 00000000:00000000 00:00000000 00000000  1000        0 44002 2 0000000000000000 0
`;

Deno.test("parseNetTable keeps TCP sockets in LISTEN state with IPv4 addresses in host byte order", () => {
  assert.deepEqual(parseNetTable(TCP, "tcp"), [
    { protocol: "tcp", address: "127.0.0.1", port: 8080, inode: 41001 },
    { protocol: "tcp", address: "0.0.0.0", port: 22, inode: 41002 },
  ]);
});

Deno.test("parseNetTable decodes IPv6 word by word and writes it the RFC 5952 way", () => {
  assert.deepEqual(parseNetTable(TCP6, "tcp"), [
    { protocol: "tcp", address: "::", port: 80, inode: 42001 },
    { protocol: "tcp", address: "::1", port: 5432, inode: 42002 },
    { protocol: "tcp", address: "::ffff:10.0.2.15", port: 9000, inode: 42003 },
    { protocol: "tcp", address: "2001:db8::1", port: 3000, inode: 42004 },
    { protocol: "tcp", address: "fe80::a211:8ff:3b8a:bfe", port: 8000, inode: 42005 },
  ]);
});

Deno.test("parseNetTable keeps bound, unconnected UDP sockets and drops connected or portless ones", () => {
  assert.deepEqual(parseNetTable(UDP, "udp"), [
    { protocol: "udp", address: "127.0.0.53", port: 53, inode: 43001 },
    { protocol: "udp", address: "0.0.0.0", port: 5353, inode: 43002 },
  ]);
  assert.deepEqual(parseNetTable(UDP6, "udp"), [{
    protocol: "udp",
    address: "::",
    port: 5353,
    inode: 44001,
  }]);
});

Deno.test("parseNetTable skips headers, blank and malformed lines", () => {
  assert.deepEqual(parseNetTable("", "tcp"), []);
  assert.deepEqual(
    parseNetTable(
      "garbage\n   0: XYZ:1F90 00000000:0000 0A 0 0 0 0 0 41001\n   1: 0100007F:1F90 00000000:0000 0A 0 0 0 0 0 x\n",
      "tcp",
    ),
    [],
  );
});

Deno.test("socketInode reads socket fd links only", () => {
  assert.equal(socketInode("socket:[12345]"), 12345);
  assert.equal(socketInode("pipe:[12345]"), null);
  assert.equal(socketInode("/tmp/socket:[1]"), null);
  assert.equal(socketInode("anon_inode:[eventpoll]"), null);
});

// ---------------------------------------------------------------------------------------------------
// A real listener: node opens TCP on 127.0.0.1 and ::1 and UDP on 127.0.0.1, each on port 0, and its
// child opens one more TCP port.

const LISTENER = `
const net = require("net"), dgram = require("dgram"), { spawn } = require("child_process");
const ports = {};
const done = () => Object.keys(ports).length === 4 && console.log(JSON.stringify(ports));
const child = spawn(process.execPath, ["-e",
  "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port));" +
  "setInterval(() => {}, 1 << 30);"], { stdio: ["ignore", "pipe", "inherit"] });
child.stdout.once("data", (d) => { ports.child = [child.pid, Number(d)]; done(); });
const t4 = net.createServer().listen(0, "127.0.0.1", () => { ports.tcp4 = t4.address().port; done(); });
const t6 = net.createServer().listen(0, "::1", () => { ports.tcp6 = t6.address().port; done(); });
t6.on("error", () => { ports.tcp6 = null; done(); });
const u = dgram.createSocket("udp4");
u.bind(0, "127.0.0.1", () => { ports.udp4 = u.address().port; done(); });
`;

const hasNode = (() => {
  try {
    return new Deno.Command("node", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();
if (Deno.build.os !== "linux" || !hasNode) console.log("real listener test skipped: needs Linux and node");

function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

Deno.test({
  name: "listeningPorts finds the ports a real process and its child listen on, in one call",
  ignore: Deno.build.os !== "linux" || !hasNode,
  async fn() {
    const node = new Deno.Command("node", { args: ["-e", LISTENER], stdout: "piped", stdin: "null" }).spawn();
    const reader = node.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let childPid = 0;
    try {
      let line = "";
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("listener exited before reporting its ports");
        line += value;
      }
      const ports = JSON.parse(line);
      childPid = ports.child[0];
      const childPort = ports.child[1];
      using source = new LinuxProcessSource({ heldStatFiles: 0 });
      const found = source.listeningPorts([node.pid, childPid, node.pid, 999999999]);
      const expected = [
        { protocol: "tcp", address: "127.0.0.1", port: ports.tcp4 },
        ...(ports.tcp6 === null ? [] : [{ protocol: "tcp", address: "::1", port: ports.tcp6 }]),
        { protocol: "udp", address: "127.0.0.1", port: ports.udp4 },
      ].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
      assert.deepEqual(found.get(node.pid), expected);
      assert.deepEqual(found.get(childPid), [{ protocol: "tcp", address: "127.0.0.1", port: childPort }]);
      assert.deepEqual([...found.keys()].sort(), [node.pid, childPid].sort(), "only pids that listen");
      assert.deepEqual(source.listeningPorts([Deno.pid]).get(Deno.pid), undefined);
    } finally {
      if (childPid > 0) killQuietly(childPid);
      await reader.cancel();
      node.kill("SIGKILL");
      await node.status;
    }
  },
});
