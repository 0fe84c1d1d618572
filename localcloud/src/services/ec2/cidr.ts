/** IPv4 CIDR arithmetic for VPC/subnet validation and private address allocation. */

export interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

export function ipToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses "10.0.1.0/24"; null when malformed or when host bits are set. */
export function parseCidr(text: string | undefined): Cidr | null {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text ?? "");
  if (!match) return null;
  const base = ipToInt(match[1]);
  const prefix = Number(match[2]);
  if (base === null || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return null;
  return { base, prefix, size };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** AWS reserves the first four addresses and the last one of every subnet. */
export const RESERVED_PER_SUBNET = 5;

/** The lowest free host address of a subnet, skipping AWS's reserved ones. */
export function firstFreeAddress(subnet: Cidr, used: Set<string>): string | null {
  for (let offset = 4; offset < subnet.size - 1; offset++) {
    const ip = intToIp(subnet.base + offset);
    if (!used.has(ip)) return ip;
  }
  return null;
}
