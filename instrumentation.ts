/** Runs once when a Switchyard server process starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./server/bootstrap.ts");
  await bootstrap();
  // Without starting the world nothing resumes after a restart (shared/STACK.md).
  const { getWorld } = await import("workflow/runtime");
  await getWorld().start?.();
}
