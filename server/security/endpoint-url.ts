import dns from "node:dns";
import net from "node:net";

/**
 * Where an AWS account's endpoint URL may point. Switchyard's server sends requests there (AWS
 * API calls, the local cloud's data-plane listing), so an admin who can type a URL could make
 * it talk to whatever the server can reach: the cloud metadata service (169.254.169.254), the
 * embedded database's port, other services on loopback or the private network. So an endpoint
 * must resolve only to public addresses, the one exception being the configured local cloud on
 * loopback (its port, LOCALCLOUD_PORT, or the "local" account's own URL). Hostnames are
 * resolved before the check, and resolved again at connect time (`guardedLookup`), so a name
 * that later resolves elsewhere (DNS rebinding) is refused too.
 */

interface Range {
  net: string;
  bits: number;
  why: string;
}

const V4: Range[] = [
  { net: "0.0.0.0", bits: 8, why: "an unspecified address" },
  { net: "10.0.0.0", bits: 8, why: "a private address" },
  { net: "100.64.0.0", bits: 10, why: "a shared (carrier-grade NAT) address" },
  { net: "127.0.0.0", bits: 8, why: "a loopback address" },
  { net: "169.254.0.0", bits: 16, why: "a link-local address (the cloud metadata service lives there)" },
  { net: "172.16.0.0", bits: 12, why: "a private address" },
  { net: "192.0.0.0", bits: 24, why: "a reserved address" },
  { net: "192.168.0.0", bits: 16, why: "a private address" },
  { net: "198.18.0.0", bits: 15, why: "a reserved address" },
  { net: "224.0.0.0", bits: 4, why: "a multicast address" },
  { net: "240.0.0.0", bits: 4, why: "a reserved address" },
];

const V6: Range[] = [
  { net: "::", bits: 128, why: "an unspecified address" },
  { net: "::1", bits: 128, why: "a loopback address" },
  { net: "fe80::", bits: 10, why: "a link-local address" },
  { net: "fc00::", bits: 7, why: "a private (unique local) address (the IPv6 metadata service lives there)" },
  { net: "fec0::", bits: 10, why: "a site-local address" },
  { net: "ff00::", bits: 8, why: "a multicast address" },
  { net: "2001:db8::", bits: 32, why: "a documentation address" },
];

function v4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(ip: string): bigint {
  let s = ip.toLowerCase().replace(/%.*$/, "");
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const v = v4ToBigInt(quad[1]);
    s = `${s.slice(0, -quad[1].length)}${((v >> 16n) & 0xffffn).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.includes("::") ? s.split("::") : [s, null];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

function inRange(value: bigint, width: number, r: Range, toBig: (s: string) => bigint): boolean {
  const shift = BigInt(width - r.bits);
  return value >> shift === toBig(r.net) >> shift;
}

/** Why Switchyard must not connect to this IP address, or null when it is a public one. */
export function forbiddenAddress(ip: string): string | null {
  if (net.isIPv4(ip)) {
    const v = v4ToBigInt(ip);
    return V4.find((r) => inRange(v, 32, r, v4ToBigInt))?.why ?? null;
  }
  if (net.isIPv6(ip)) {
    const v = v6ToBigInt(ip);
    // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16).
    if (v >> 32n === 0xffffn || (v >> 32n === 0n && v > 1n)) return forbiddenAddress(bigToV4(v & 0xffffffffn));
    if (v >> 32n === 0x64ff9b0000000000000000n) return forbiddenAddress(bigToV4(v & 0xffffffffn));
    if (v >> 112n === 0x2002n) return forbiddenAddress(bigToV4((v >> 80n) & 0xffffffffn));
    return V6.find((r) => inRange(v, 128, r, v6ToBigInt))?.why ?? null;
  }
  return "not an IP address";
}

function bigToV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join(".");
}

export const isLoopbackAddress = (ip: string) => forbiddenAddress(ip) === "a loopback address";

export interface LocalCloudExemption {
  /** LOCALCLOUD_PORT: the configured local cloud listens on loopback there. */
  port: number;
  /** The "local" account's endpoint URL, if there is one. */
  localAccountUrl?: string | null;
}

function defaultPort(u: URL): number {
  return Number(u.port || (u.protocol === "https:" ? 443 : 80));
}

/** The configured local cloud: a loopback URL on its port, or the local account's own URL. */
export function isLocalCloudUrl(url: URL, exempt: LocalCloudExemption): boolean {
  if (exempt.localAccountUrl) {
    try {
      if (new URL(exempt.localAccountUrl).origin === url.origin) return true;
    } catch {
      /* not a URL */
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopbackName = host === "localhost" || (net.isIP(host) !== 0 && isLoopbackAddress(host));
  return loopbackName && defaultPort(url) === exempt.port;
}

type Lookup = (host: string) => Promise<string[]>;
const systemLookup: Lookup = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why an endpoint URL is not allowed (a message for the form field), or null. Resolves the
 * hostname: every address it resolves to must be public.
 */
export async function endpointUrlProblem(raw: string, exempt: LocalCloudExemption, lookup: Lookup = systemLookup): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "An http(s) URL, e.g. https://ec2.example.com";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "An http(s) URL, e.g. https://ec2.example.com";
  if (url.username || url.password) return "No user name or password in the URL";
  if (isLocalCloudUrl(url, exempt)) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      return `${host} does not resolve`;
    }
    if (!addresses.length) return `${host} does not resolve`;
  }
  for (const address of addresses) {
    const why = forbiddenAddress(address);
    if (why) {
      const local = `the only local endpoint allowed is the local cloud's (http://127.0.0.1:${exempt.port})`;
      return address === host ? `${host} is ${why}; ${local}` : `${host} resolves to ${address}, ${why}; ${local}`;
    }
  }
  return null;
}

/**
 * A `lookup` for the HTTP agents of endpoint accounts: connects only to public addresses, so a
 * name that passed the check when saved cannot be re-pointed at a private one later.
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 4);
    const list = addresses as unknown as dns.LookupAddress[];
    const bad = list.find((a) => forbiddenAddress(a.address));
    if (bad || !list.length) {
      const e = Object.assign(
        new Error(
          `Switchyard does not connect to ${hostname} (${bad?.address ?? "no address"}): ${bad ? forbiddenAddress(bad.address) : "it does not resolve"}`,
        ),
        { code: "EFORBIDDENADDRESS" },
      );
      return callback(e, "", 4);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
