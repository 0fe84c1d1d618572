import { finish } from "./steps.ts";

export async function rolloutWorkflow(deploymentId: string) {
  "use workflow";
  await finish(deploymentId, { status: "failed", reason: "not implemented yet" });
}
