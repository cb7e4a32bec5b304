/**
 * Whether an IP address points inside the host or its networks, so a channel URL cannot
 * make hookd post to its own admin ports, the cloud metadata service or the LAN
 * (server-side request forgery). Used by safe-post.ts on the address actually connected to.
 */
import { isIP } from 'node:net';

/** [first address, prefix length] of the IPv4 blocks that are not the public internet. */
const PRIVATE_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata services live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast; 240/4 reserved and broadcast follow, see isPrivateV4
];

const V4_BLOCKS = PRIVATE_V4.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (v4Number(base)! & mask) >>> 0, mask };
});

/**
 * True for addresses in private, loopback, link-local, multicast or reserved space, and
 * for anything that is not an IP address at all: callers pass resolved or literal
 * addresses, so failing closed costs nothing and hides no odd spelling.
 */
export function isPrivateAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) return isPrivateV4(v4Number(ip)!);
  if (version === 6) {
    const bytes = v6Bytes(ip);
    return bytes === null || isPrivateV6(bytes);
  }
  return true;
}

function isPrivateV4(n: number): boolean {
  // 224.0.0.0 and up: multicast, reserved 240/4 and 255.255.255.255 broadcast.
  if (n >= 0xe0000000) return true;
  return V4_BLOCKS.some(({ network, mask }) => (n & mask) >>> 0 === network);
}

function isPrivateV6(b: number[]): boolean {
  const zeroUpTo = (end: number) => b.slice(0, end).every((x) => x === 0);
  const embedded = () => isPrivateV4(((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0);
  // ::/96 holds ::, ::1 and the old IPv4-compatible ::a.b.c.d: the embedded IPv4 judges
  // them, and :: (0.0.0.0) and ::1 (0.0.0.1) land in 0.0.0.0/8.
  if (zeroUpTo(12)) return embedded();
  // IPv4-mapped ::ffff:a.b.c.d reaches the IPv4 address through a dual-stack socket.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return embedded();
  // NAT64 64:ff9b::/96 is translated to the embedded IPv4 by the network's gateway.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return embedded();
  const first = b[0]!;
  if ((first & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (first === 0xfe && (b[1]! & 0xc0) === 0x80) return true; // fe80::/10 link-local
  return first === 0xff; // ff00::/8 multicast
}

/** Dotted quad to a 32-bit unsigned number; null unless it is exactly four decimal parts. */
function v4Number(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

/** An IPv6 address (any spelling isIP accepts: ::, embedded dotted quad, zone id) as 16 bytes. */
function v6Bytes(ip: string): number[] | null {
  let text = ip.split('%')[0]!.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = v4Number(tail);
    if (n === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}
