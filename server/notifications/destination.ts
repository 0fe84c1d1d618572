import http from "node:http";
import https from "node:https";
import net from "node:net";
import { env } from "../env.ts";
import { endpointUrlProblem, guardedLookup, isLoopbackAddress } from "../security/endpoint-url.ts";

/**
 * Where a notification may be sent: the same rule as an AWS account's endpoint URL
 * (server/security/endpoint-url.ts): http(s), no credentials in the URL, every address the
 * name resolves to public, checked when saved and again at connect time (DNS rebinding). The
 * one local exception mirrors the local cloud's: a loopback URL on a port the operator listed
 * in SWITCHYARD_NOTIFY_LOCAL_PORTS (empty by default), for a receiver on the same machine.
 */
export function isAllowedLocal(url: URL, ports: number[] = env.SWITCHYARD_NOTIFY_LOCAL_PORTS): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || (net.isIP(host) !== 0 && isLoopbackAddress(host));
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return loopback && ports.includes(port);
}

export async function destinationProblem(raw: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "An http(s) URL, e.g. https://hooks.example.com/switchyard";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "An http(s) URL, e.g. https://hooks.example.com/switchyard";
  if (url.username || url.password) return "No user name or password in the URL (put a token in the path or use the signing secret)";
  if (isAllowedLocal(url)) return null;
  // No local cloud exemption here: a webhook is never the local cloud.
  const problem = await endpointUrlProblem(raw, { port: -1 });
  return (
    problem?.replace(
      /the only local endpoint allowed is the local cloud's \([^)]*\)/,
      "list its port in SWITCHYARD_NOTIFY_LOCAL_PORTS to allow a receiver on this machine",
    ) ?? null
  );
}

/** What pages show of a URL: the origin and a shortened path (a Slack URL's path is its secret). */
export function displayUrl(raw: string, kind: "webhook" | "slack"): string {
  const url = new URL(raw);
  if (kind === "slack") return `${url.origin}/…${url.pathname.slice(-4)}`;
  return `${url.origin}${url.pathname.length > 40 ? `${url.pathname.slice(0, 37)}…` : url.pathname}`;
}

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** POSTs a JSON body; no redirects followed (a 3xx is a failed delivery); 10 s timeout. */
export async function postJson(raw: string, body: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<PostResult> {
  const started = Date.now();
  const problem = await destinationProblem(raw);
  if (problem) return { statusCode: null, error: `Refused: ${problem}`, durationMs: 0 };
  const url = new URL(raw);
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const done = (statusCode: number | null, error: string | null) => resolve({ statusCode, error, durationMs: Date.now() - started });
    const req = lib.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
        timeout: timeoutMs,
        // Names resolve again at connect time; only the listed loopback ports skip the guard.
        ...(isAllowedLocal(url) ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          done(code, code >= 200 && code < 300 ? null : `HTTP ${code}${text ? `: ${text.slice(0, 200)}` : ""}`);
        });
        res.on("error", (e) => done(res.statusCode ?? null, e.message));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`No answer within ${timeoutMs / 1000} s`)));
    req.on("error", (e) =>
      done(null, (e as NodeJS.ErrnoException).code ? `${(e as NodeJS.ErrnoException).code}: ${e.message}` : e.message),
    );
    req.end(body);
  });
}
