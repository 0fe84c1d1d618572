/**
 * What `npm start` shows on PORT until the app is ready: a small page listing the start-up
 * steps and how long each took, refreshing itself, so a first start (which builds the app)
 * never looks like a dead port. `/api/health` answers 503 `{"status":"starting"}` meanwhile,
 * so supervisors and test runners keep waiting. It closes just before the app takes the port.
 */
import { createServer, type Server } from "node:http";

type State = "pending" | "running" | "done" | "failed";
interface Step {
  label: string;
  state: State;
  startedAt?: number;
  endedAt?: number;
  note?: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class StatusPage {
  private readonly steps = new Map<string, Step>();
  private server: Server | undefined;
  private readonly started = Date.now();

  constructor(labels: Record<string, string>) {
    for (const [key, label] of Object.entries(labels)) this.steps.set(key, { label, state: "pending" });
  }

  set(key: string, state: State, note?: string) {
    const s = this.steps.get(key);
    if (!s) return;
    if (state === "running") s.startedAt ??= Date.now();
    if (state === "done" || state === "failed") s.endedAt = Date.now();
    s.state = state;
    if (note !== undefined) s.note = note;
  }

  /** Listens on `port`; a port already taken (the previous app still stopping) is not fatal. */
  listen(port: number): Promise<void> {
    return new Promise((resolve) => {
      const server = createServer((req, res) => {
        if ((req.url ?? "").startsWith("/api/health")) {
          res.writeHead(503, { "content-type": "application/json", "retry-after": "2", "cache-control": "no-store" });
          res.end(JSON.stringify({ status: "starting", steps: [...this.steps.values()].map((s) => ({ label: s.label, state: s.state })) }));
          return;
        }
        res.writeHead(503, { "content-type": "text/html; charset=utf-8", "retry-after": "2", "cache-control": "no-store" });
        res.end(this.html());
      });
      server.once("error", () => resolve());
      server.listen(port, () => {
        this.server = server;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  }

  private html(): string {
    const secs = (s: Step) => (s.startedAt ? `${(((s.endedAt ?? Date.now()) - s.startedAt) / 1000).toFixed(0)} s` : "");
    const mark: Record<State, string> = { pending: "○", running: "◐", done: "✓", failed: "✗" };
    const rows = [...this.steps.values()]
      .map(
        (s) =>
          `<li class="${s.state}"><span>${mark[s.state]}</span> ${escapeHtml(s.label)} <small>${secs(s)}${s.note ? ` · ${escapeHtml(s.note)}` : ""}</small></li>`,
      )
      .join("");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Switchyard is starting…</title>
<style>body{font:15px system-ui,sans-serif;max-width:34rem;margin:12vh auto;color:#1f2937;padding:0 1rem}h1{font-size:1.25rem}ul{list-style:none;padding:0}li{margin:.4rem 0}
li span{display:inline-block;width:1.4rem}.running{font-weight:600}.pending{color:#9ca3af}.failed{color:#b91c1c}small{color:#6b7280;font-weight:400}</style></head>
<body><h1>Switchyard is starting…</h1><p>This page refreshes itself and gives way to the app when it is ready (${((Date.now() - this.started) / 1000).toFixed(0)} s so far).</p><ul>${rows}</ul></body></html>`;
  }
}
