import net from "node:net";

/**
 * IP addresses and CIDR ranges, and who the client of a request is. Pure functions: the
 * configuration (SWITCHYARD_TRUSTED_PROXIES) is validated with parseCidr in server/env.ts.
 */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

/** "::ffff:10.0.0.1" -> "10.0.0.1"; "[::1]" -> "::1"; "fe80::1%eth0" -> "fe80::1"; lower case. */
export function normalizeAddress(raw: string): string {
  let ip = raw.trim().toLowerCase();
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const zone = ip.indexOf("%");
  if (zone > 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  return mapped && net.isIPv4(mapped[1]) ? mapped[1] : ip;
}

export function ipBytes(raw: string): Uint8Array | null {
  const ip = normalizeAddress(raw);
  if (net.isIPv4(ip)) return Uint8Array.from(ip.split(".").map(Number));
  if (!net.isIPv6(ip)) return null;
  // Expand "a:b::c" (and an embedded dotted quad) into 8 groups.
  let text = ip;
  const quad = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1].split(".").map(Number);
    text = `${text.slice(0, -quad[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = text.includes("::") ? text.split("::") : [text, null];
  const head = left ? left.split(":") : [];
  const tail = right ? right.split(":") : [];
  const groups = right === null ? head : [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 255;
  });
  return bytes;
}

/** "10.0.0.0/8", "2001:db8::/32" or a single address; null when malformed. */
export function parseCidr(value: string): Cidr | null {
  const [addr, prefixText, extra] = value.trim().split("/");
  if (extra !== undefined || !addr) return null;
  const bytes = ipBytes(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bytes, prefix: Number(prefixText) };
}

export function inCidr(ip: string, range: Cidr): boolean {
  const bytes = ipBytes(ip);
  if (!bytes || bytes.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const take = Math.min(8, range.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8] & mask) !== (range.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy. Then the
 * X-Forwarded-For chain is read from the right (each proxy appends the address it saw) and
 * the first hop that is not a trusted proxy is the client; what a client writes to the left
 * of that is never believed. With no trusted proxies X-Forwarded-For is ignored entirely.
 */
export function resolveClientAddress(
  peer: string | undefined | null,
  forwardedFor: string | string[] | undefined | null,
  trusted: readonly Cidr[],
): string {
  if (!peer || !ipBytes(peer)) return "unknown";
  let client = normalizeAddress(peer);
  const isTrusted = (ip: string) => trusted.some((r) => inCidr(ip, r));
  if (!isTrusted(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    // A malformed hop was written by whoever is to its left: keep the last address a proxy vouched for.
    if (!ipBytes(hops[i])) return client;
    client = normalizeAddress(hops[i]);
    if (!isTrusted(client)) return client;
  }
  return client;
}
