/**
 * Listener rule evaluation for one request, as an ALB does it: the rules in priority order (the
 * listener keeps them sorted), the first whose conditions ALL match wins, else the default
 * actions. Within a condition any one value may match.
 *
 * Matching follows the ALB guide: host names and header values case-insensitive, paths and
 * methods case-sensitive, `*` (0 or more characters) and `?` (exactly one) wildcards in host,
 * path, header and query patterns (query patterns may escape them as `\*` / `\?`); the path
 * without the query string; source-ip against the connection's address, never X-Forwarded-For.
 *
 * The request is parsed lazily: a listener without rules (the common case) costs nothing.
 */
import type { IncomingMessage } from "node:http";
import { BlockList, isIPv4 } from "node:net";
import type { ActionRecord, ConditionRecord, ListenerRecord } from "../services/elbv2/state.ts";

/** The parts of a request conditions look at, each computed on first use. */
class RequestView {
  private url?: { path: string; query: Array<{ key?: string; value: string }> };
  constructor(readonly req: IncomingMessage) {}

  private parseUrl() {
    if (this.url) return this.url;
    const raw = this.req.url ?? "/";
    const q = raw.indexOf("?");
    const hash = raw.indexOf("#");
    const end = hash < 0 ? raw.length : hash;
    const path = q < 0 ? raw.slice(0, end) : raw.slice(0, q);
    const query =
      q < 0
        ? []
        : raw
            .slice(q + 1, Math.max(q + 1, end))
            .split("&")
            .filter(Boolean)
            .map(parsePair);
    return (this.url = { path, query });
  }

  get path(): string {
    return this.parseUrl().path;
  }

  get query(): Array<{ key?: string; value: string }> {
    return this.parseUrl().query;
  }

  /** The Host header's name without its port. */
  get host(): string {
    const h = this.req.headers.host ?? "";
    return h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.replace(/:\d+$/, "");
  }

  /** Every value of a header, in request order (repeated headers are searched one by one, as AWS does). */
  headerValues(name: string): string[] {
    const want = name.toLowerCase();
    const raw = this.req.rawHeaders;
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === want) out.push(raw[i + 1]);
    return out;
  }

  /** The connecting address; IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4. */
  get sourceIp(): string {
    const a = this.req.socket.remoteAddress ?? "";
    return a.startsWith("::ffff:") && isIPv4(a.slice(7)) ? a.slice(7) : a;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s; // malformed escapes are compared as sent
  }
}

/** "k=v" -> key and value; a bare "v" is a value without a key. */
function parsePair(part: string): { key?: string; value: string } {
  const eq = part.indexOf("=");
  return eq < 0 ? { value: decode(part) } : { key: decode(part.slice(0, eq)), value: decode(part.slice(eq + 1)) };
}

/** Compiled patterns, shared by every listener (conditions repeat across requests; capped so churn cannot grow it). */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 2000;

function compile(pattern: string, caseInsensitive: boolean, escapable: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${escapable ? "e" : "p"}${pattern}`;
  let re = patterns.get(key);
  if (re) return re;
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (escapable && ch === "\\" && i + 1 < pattern.length) src += escapeRe(pattern[++i]);
    else if (ch === "*") src += "[\\s\\S]*";
    else if (ch === "?") src += "[\\s\\S]";
    else src += escapeRe(ch);
  }
  re = new RegExp(`^${src}$`, caseInsensitive ? "i" : "");
  if (patterns.size >= MAX_PATTERNS) patterns.clear();
  patterns.set(key, re);
  return re;
}

const escapeRe = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const wildcardMatch = (pattern: string, value: string, caseInsensitive: boolean, escapable = false) =>
  compile(pattern, caseInsensitive, escapable).test(value);

const cidrLists = new Map<string, BlockList>();

function inCidrs(cidrs: string[], ip: string): boolean {
  const key = cidrs.join(",");
  let list = cidrLists.get(key);
  if (!list) {
    list = new BlockList();
    for (const c of cidrs) {
      const [addr, bits] = c.split("/");
      list.addSubnet(addr, Number(bits), isIPv4(addr) ? "ipv4" : "ipv6");
    }
    if (cidrLists.size >= MAX_PATTERNS) cidrLists.clear();
    cidrLists.set(key, list);
  }
  try {
    return list.check(ip, isIPv4(ip) ? "ipv4" : "ipv6");
  } catch {
    return false; // no usable address (socket already gone)
  }
}

function conditionMatches(c: ConditionRecord, r: RequestView): boolean {
  switch (c.Field) {
    case "host-header":
      return (c.HostHeaderConfig?.Values ?? c.Values ?? []).some((p) => wildcardMatch(p, r.host, true));
    case "path-pattern":
      return (c.PathPatternConfig?.Values ?? c.Values ?? []).some((p) => wildcardMatch(p, r.path, false));
    case "http-header": {
      const cfg = c.HttpHeaderConfig;
      if (!cfg) return false;
      const sent = r.headerValues(cfg.HttpHeaderName);
      return sent.some((v) => cfg.Values.some((p) => wildcardMatch(p, v, true)));
    }
    case "http-request-method":
      return (c.HttpRequestMethodConfig?.Values ?? []).includes(r.req.method ?? "");
    case "query-string":
      return (c.QueryStringConfig?.Values ?? []).some((want) =>
        r.query.some(
          (have) =>
            (want.Key === undefined || (have.key !== undefined && wildcardMatch(want.Key, have.key, true, true))) &&
            wildcardMatch(want.Value, have.value, true, true),
        ),
      );
    case "source-ip":
      return inCidrs(c.SourceIpConfig?.Values ?? [], r.sourceIp);
    default:
      return false; // a field this data plane does not know never matches
  }
}

/** The actions that apply to this request: the first matching rule's, else the listener's default actions. */
export function actionsFor(listener: ListenerRecord, req: IncomingMessage): ActionRecord[] {
  const rules = listener.rules;
  if (!rules || rules.length === 0) return listener.defaultActions;
  const view = new RequestView(req);
  for (const rule of rules) {
    if (rule.conditions.every((c) => conditionMatches(c, view))) return rule.actions;
  }
  return listener.defaultActions;
}
