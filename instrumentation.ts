/** Runs once when a Switchyard server process starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The client's address from the socket (X-Forwarded-For only via SWITCHYARD_TRUSTED_PROXIES), for the sign-in limit.
  const { installClientAddressStamp } = await import("./server/security/client-address.ts");
  installClientAddressStamp((await import("./server/env.ts")).env.SWITCHYARD_TRUSTED_PROXIES);
  // Security headers on every response; the workflow endpoints closed to all but the engine; URLs Next.js cannot decode refused.
  const { env } = await import("./server/env.ts");
  const { installHttpGuard } = await import("./server/security/http-guard.ts");
  installHttpGuard({ port: env.PORT, dev: env.NODE_ENV === "development" });
  const { bootstrap } = await import("./server/bootstrap.ts");
  await bootstrap();
  // Webhook and Slack notifications: the outbox in PostgreSQL is sent (and retried) from every replica.
  (await import("./server/notifications/deliver.ts")).startDeliveryLoop();
  // Scheduled Patch OS (spec osPatching): every replica looks every 10 minutes; the environment's lock lets one patch.
  (await import("./server/operations/os-patch-schedule.ts")).startOsPatchScheduler();
  // Without starting the world nothing resumes after a restart (shared/STACK.md).
  const { getWorld } = await import("workflow/runtime");
  await getWorld().start?.();
}
