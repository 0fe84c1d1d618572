/**
 * Issue 14, finding 1 (the key): the client address the sign-in limit counts comes from the
 * socket, and X-Forwarded-For is believed only from the proxies SWITCHYARD_TRUSTED_PROXIES
 * names, read from the right. Before the fix better-auth read the leftmost X-Forwarded-For,
 * which any client writes.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { clientAddressOf, CLIENT_ADDRESS_HEADER, installClientAddressStamp } from "./client-address.ts";
import { inCidr, parseCidr, resolveClientAddress, type Cidr } from "./ip.ts";

const cidrs = (...items: string[]): Cidr[] => items.map((i) => parseCidr(i)!);

describe("resolveClientAddress", () => {
  it("without trusted proxies the socket's peer is the client, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("198.51.100.7", "1.2.3.4", [])).toBe("198.51.100.7");
    expect(resolveClientAddress("::ffff:198.51.100.7", "1.2.3.4, 5.6.7.8", [])).toBe("198.51.100.7");
    expect(resolveClientAddress(undefined, "1.2.3.4", [])).toBe("unknown");
  });

  it("behind trusted proxies, the first untrusted hop from the right is the client; what the client wrote to its left is ignored", () => {
    const trusted = cidrs("10.0.0.0/8", "192.168.1.5");
    // client 203.0.113.9 -> proxy 192.168.1.5 -> load balancer 10.1.2.3 -> Switchyard
    expect(resolveClientAddress("10.1.2.3", "203.0.113.9, 192.168.1.5", trusted)).toBe("203.0.113.9");
    // The same client forging a chain: the forged entries sit left of what the proxies appended.
    expect(resolveClientAddress("10.1.2.3", "1.1.1.1, 8.8.8.8, 203.0.113.9, 192.168.1.5", trusted)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.1.2.3", ["6.6.6.6", "203.0.113.9"], trusted)).toBe("203.0.113.9");
    // A direct connection from outside is not a proxy: its X-Forwarded-For means nothing.
    expect(resolveClientAddress("203.0.113.50", "10.9.9.9", trusted)).toBe("203.0.113.50");
    // Garbage written by the client stops the walk at the last address a proxy vouched for.
    expect(resolveClientAddress("10.1.2.3", "not-an-ip", trusted)).toBe("10.1.2.3");
    // Everything trusted: the leftmost hop.
    expect(resolveClientAddress("10.1.2.3", "10.7.7.7", trusted)).toBe("10.7.7.7");
  });

  it("parses IPv4, IPv6 and mapped addresses and CIDR ranges", () => {
    expect(inCidr("2001:db8::1", parseCidr("2001:db8::/32")!)).toBe(true);
    expect(inCidr("2001:db9::1", parseCidr("2001:db8::/32")!)).toBe(false);
    expect(inCidr("::ffff:10.2.3.4", parseCidr("10.0.0.0/8")!)).toBe(true);
    expect(inCidr("::1", parseCidr("::1")!)).toBe(true);
    for (const bad of ["10.0.0.0/33", "10.0.0", "example.com", "10.0.0.0/8/1", "::1/129", ""]) expect(parseCidr(bad), bad).toBeNull();
  });
});

describe("the stamp on a real HTTP server", () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it("stamps the socket's address before any handler runs; a client's own stamp and X-Forwarded-For do not change it", async () => {
    installClientAddressStamp([]);
    const server = http.createServer((req, res) => {
      const headers = new Headers(
        Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
      );
      res.end(clientAddressOf(headers));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const attempts: Array<Record<string, string>> = [
      {},
      { "x-forwarded-for": "203.0.113.1" },
      { [CLIENT_ADDRESS_HEADER]: "whatever 203.0.113.2", "x-forwarded-for": "1.2.3.4, 5.6.7.8" },
    ];
    for (const headers of attempts) {
      expect(await (await fetch(url, { headers })).text()).toBe("127.0.0.1");
    }
  });
});
