/**
 * A local HTTP port serving one ALB listener or one CloudFront distribution. It tries the
 * port it had before (persisted by the caller) so URLs survive a restart, and falls back to an
 * ephemeral port when that one is taken.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** AWS ALB's default idle timeout is 60 s; the client side keeps connections a little longer than the usual client default. */
const CLIENT_KEEP_ALIVE_MS = 61_000;

export class PortServer {
  private server: Server;
  port = 0;
  private closed = false;

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.server = createServer(handler);
    this.server.keepAliveTimeout = CLIENT_KEEP_ALIVE_MS;
    this.server.headersTimeout = CLIENT_KEEP_ALIVE_MS + 1000;
  }

  get url(): string | undefined {
    return this.port ? `http://127.0.0.1:${this.port}` : undefined;
  }

  /** Listen on `preferred` (0: any); resolves with the port, or 0 when closed meanwhile. */
  async listen(preferred: number | undefined): Promise<number> {
    const attempt = (port: number) =>
      new Promise<number>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.server.once("error", onError);
        this.server.listen(port, "127.0.0.1", () => {
          this.server.off("error", onError);
          resolve((this.server.address() as AddressInfo).port);
        });
      });
    let port: number;
    try {
      port = await attempt(preferred ?? 0);
    } catch (err) {
      if (!preferred || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      port = await attempt(0);
    }
    if (this.closed) {
      this.server.close();
      this.server.closeAllConnections();
      return 0;
    }
    this.port = port;
    return port;
  }

  close(): void {
    this.closed = true;
    this.port = 0;
    if (this.server.listening) this.server.close();
    this.server.closeAllConnections();
  }
}
