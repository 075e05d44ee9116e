/**
 * Pure parsers of the Linux socket tables `/proc/net/{tcp,tcp6,udp,udp6}` and of socket fd links.
 * Nothing here touches the OS: the source reads the text and these functions turn it into data.
 *
 * The kernel prints each address as the 32-bit words of the network-order address, each word in
 * host byte order (`%08X`); agtop's Linux targets (x86_64, aarch64) are little-endian, so every
 * word's four bytes are reversed here. Ports are printed already in host order.
 *
 * @module
 */

/** One listening socket from a `/proc/net` table. */
export interface NetSocket {
  protocol: "tcp" | "udp";
  /** Local address: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, `::ffff:10.0.0.2`. */
  address: string;
  port: number;
  /** Socket inode, as in the fd link `socket:[inode]`. */
  inode: number;
}

/** `st` of a TCP socket in LISTEN state. */
const TCP_LISTEN = "0A";
/** `st` of a UDP socket that is bound but not connected (TCP_CLOSE). */
const UDP_UNCONNECTED = "07";

/**
 * The listening sockets of one `/proc/net` table: TCP sockets in LISTEN state, and UDP sockets that
 * are bound to a port and not connected (state 07, remote address and port zero). IPv4 and IPv6
 * tables are told apart by the address width, so one function reads all four files. Malformed
 * lines (and the header) are skipped.
 *
 * @example
 * ```ts
 * const text = "  sl  local_address rem_address   st …\n" +
 *   "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242 1\n";
 * parseNetTable(text, "tcp"); // [{ protocol: "tcp", address: "127.0.0.1", port: 8080, inode: 4242 }]
 * ```
 */
export function parseNetTable(text: string, protocol: "tcp" | "udp"): NetSocket[] {
  const sockets: NetSocket[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !fields[0].endsWith(":")) continue;
    const [, local, remote, state] = fields;
    if (protocol === "tcp" ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED || !/^[0:]+$/.test(remote)) {
      continue;
    }
    const at = local.indexOf(":");
    const address = decodeAddress(local.slice(0, at));
    const port = parseHex(local.slice(at + 1));
    const inode = /^\d+$/.test(fields[9]) ? Number(fields[9]) : 0;
    if (address === null || !(port > 0) || inode === 0) continue;
    sockets.push({ protocol, address, port, inode });
  }
  return sockets;
}

/**
 * The inode of an fd link target that names a socket (`socket:[12345]`), or null for anything else
 * (files, pipes, anonymous inodes).
 *
 * @example
 * ```ts
 * socketInode("socket:[12345]"); // 12345
 * socketInode("pipe:[12345]"); // null
 * ```
 */
export function socketInode(target: string): number | null {
  const match = /^socket:\[(\d+)\]$/.exec(target);
  return match ? Number(match[1]) : null;
}

/** A hexadecimal field as a number, or NaN. */
function parseHex(hex: string): number {
  return /^[0-9A-Fa-f]{1,8}$/.test(hex) ? parseInt(hex, 16) : NaN;
}

/** An address column (8 hex digits for IPv4, 32 for IPv6) as text, or null when malformed. */
function decodeAddress(hex: string): string | null {
  if ((hex.length !== 8 && hex.length !== 32) || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    for (let i = 6; i >= 0; i -= 2) bytes.push(parseInt(hex.slice(word + i, word + i + 2), 16));
  }
  return bytes.length === 4 ? bytes.join(".") : formatIpv6(bytes);
}

/**
 * Sixteen address bytes in RFC 5952 text: lower-case groups without leading zeros, the longest run
 * of two or more zero groups as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d`.
 */
function formatIpv6(bytes: number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) [bestAt, bestLength] = [i, end - i];
    i = end > i ? end : i + 1;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(":");
  return bestAt < 0 ? hex(0, 8) : `${hex(0, bestAt)}::${hex(bestAt + bestLength, 8)}`;
}
