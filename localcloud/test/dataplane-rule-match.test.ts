/**
 * Listener rule matching (dataplane/rule-match.ts) on its own: which actions a request gets for
 * each condition type, wildcards, case rules, priority order and the default fallback. The
 * end-to-end path (real HTTP through a listener port) is in elbv2-rules.test.ts.
 */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { actionsFor } from "../src/dataplane/rule-match.ts";
import type { ActionRecord, ConditionRecord, ListenerRecord } from "../src/services/elbv2/state.ts";

const fixed = (code: string): ActionRecord[] => [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: code } }];
const DEFAULT = fixed("200");

function listener(...rules: Array<[number, ConditionRecord[], string]>): ListenerRecord {
  return {
    arn: "arn:l",
    loadBalancerArn: "arn:lb",
    region: "us-east-1",
    port: 80,
    protocol: "HTTP",
    defaultActions: DEFAULT,
    defaultRuleArn: "arn:default",
    tags: [],
    ruleTags: [],
    rules: rules
      .sort((a, b) => a[0] - b[0])
      .map(([priority, conditions, code]) => ({ arn: `arn:r${priority}`, priority, conditions, actions: fixed(code), tags: [] })),
  };
}

/** A stand-in for the request the listener port received (only what matching reads). */
function req(url: string, opts: { method?: string; headers?: Array<[string, string]>; ip?: string } = {}): IncomingMessage {
  const raw = (opts.headers ?? []).flat();
  const headers = Object.fromEntries((opts.headers ?? []).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    url,
    method: opts.method ?? "GET",
    rawHeaders: raw,
    headers,
    socket: { remoteAddress: opts.ip ?? "127.0.0.1" },
  } as unknown as IncomingMessage;
}

const codeFor = (l: ListenerRecord, r: IncomingMessage) => actionsFor(l, r)[0].FixedResponseConfig.StatusCode as string;

describe("rule matching", () => {
  it("uses the default actions when there are no rules or none matches", () => {
    expect(actionsFor(listener(), req("/"))).toBe(DEFAULT);
    const l = listener([1, [{ Field: "path-pattern", Values: ["/api/*"], PathPatternConfig: { Values: ["/api/*"] } }], "201"]);
    expect(codeFor(l, req("/web"))).toBe("200");
  });

  it("evaluates rules in priority order and needs every condition of a rule to match", () => {
    const l = listener(
      [20, [{ Field: "path-pattern", PathPatternConfig: { Values: ["/api/*"] } }], "220"],
      [
        10,
        [
          { Field: "path-pattern", PathPatternConfig: { Values: ["/api/v2/*"] } },
          { Field: "http-request-method", HttpRequestMethodConfig: { Values: ["POST"] } },
        ],
        "210",
      ],
    );
    expect(codeFor(l, req("/api/v2/x", { method: "POST" }))).toBe("210");
    expect(codeFor(l, req("/api/v2/x", { method: "GET" }))).toBe("220");
    expect(codeFor(l, req("/api/v2/x", { method: "post" }))).toBe("220"); // methods are case-sensitive
  });

  it("matches paths case-sensitively with * and ?, ignoring the query string", () => {
    const l = listener([1, [{ Field: "path-pattern", PathPatternConfig: { Values: ["/img/?.png", "/static/*"] } }], "201"]);
    expect(codeFor(l, req("/img/a.png?size=2"))).toBe("201");
    expect(codeFor(l, req("/img/ab.png"))).toBe("200");
    expect(codeFor(l, req("/static/"))).toBe("201");
    expect(codeFor(l, req("/Static/x"))).toBe("200");
  });

  it("matches host names case-insensitively, without the port", () => {
    const l = listener([1, [{ Field: "host-header", HostHeaderConfig: { Values: ["*.example.com"] } }], "201"]);
    expect(codeFor(l, req("/", { headers: [["Host", "API.Example.com:8080"]] }))).toBe("201");
    expect(codeFor(l, req("/", { headers: [["Host", "example.org"]] }))).toBe("200");
  });

  it("matches header values case-insensitively with wildcards, trying every occurrence of the header", () => {
    const l = listener([1, [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "User-Agent", Values: ["*mobile*"] } }], "201"]);
    expect(codeFor(l, req("/", { headers: [["user-agent", "Foo MOBILE Safari"]] }))).toBe("201");
    expect(
      codeFor(
        l,
        req("/", {
          headers: [
            ["User-Agent", "desktop"],
            ["User-Agent", "mobile"],
          ],
        }),
      ),
    ).toBe("201");
    expect(codeFor(l, req("/", { headers: [["User-Agent", "desktop"]] }))).toBe("200");
  });

  it("matches query strings by key and value, or value alone, decoded, with escaped wildcards literal", () => {
    const l = listener(
      [1, [{ Field: "query-string", QueryStringConfig: { Values: [{ Key: "version", Value: "v1*" }] } }], "201"],
      [2, [{ Field: "query-string", QueryStringConfig: { Values: [{ Value: "beta" }] } }], "202"],
      [3, [{ Field: "query-string", QueryStringConfig: { Values: [{ Key: "q", Value: "a\\*b" }] } }], "203"],
    );
    expect(codeFor(l, req("/?x=1&VERSION=v1.2"))).toBe("201");
    expect(codeFor(l, req("/?mode=beta"))).toBe("202");
    expect(codeFor(l, req("/?beta"))).toBe("202");
    expect(codeFor(l, req("/?q=a%2Ab"))).toBe("203");
    expect(codeFor(l, req("/?q=axb"))).toBe("200");
  });

  it("matches the connection's source address against CIDRs (IPv4-mapped IPv6 as IPv4), not X-Forwarded-For", () => {
    const l = listener([1, [{ Field: "source-ip", SourceIpConfig: { Values: ["10.1.0.0/16", "2001:db8::/32"] } }], "201"]);
    expect(codeFor(l, req("/", { ip: "::ffff:10.1.2.3" }))).toBe("201");
    expect(codeFor(l, req("/", { ip: "2001:db8::7" }))).toBe("201");
    expect(codeFor(l, req("/", { ip: "127.0.0.1", headers: [["X-Forwarded-For", "10.1.2.3"]] }))).toBe("200");
  });
});
