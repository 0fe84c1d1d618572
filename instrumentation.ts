/** Runs once when a Switchyard server process starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./server/bootstrap.ts");
  await bootstrap();
}
