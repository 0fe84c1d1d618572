/**
 * The instance's serial console log: what GetConsoleOutput returns. The local cloud runs no
 * real OS, so the bootstrap simulation writes the lines (cloud-init, dnf, the app) through
 * appendConsoleOutput(); the API only reads them back, base64 as AWS sends them.
 */
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { checkIdShape, required } from "./errors.ts";
import { findInstance } from "./lookups.ts";
import { ec2State } from "./state.ts";

/** AWS keeps (and returns) only the most recent 64 KB of console output. */
export const CONSOLE_OUTPUT_LIMIT = 64 * 1024;

/**
 * Appends text to an instance's console output (no newline added) and stamps the time.
 * Returns false when the instance does not exist (any region), so a late writer after
 * termination and cleanup is harmless.
 */
export function appendConsoleOutput(cloud: CloudApi, instanceId: string, text: string): boolean {
  const instance = ec2State(cloud).instances[instanceId];
  if (!instance) return false;
  const combined = (instance.consoleOutput ?? "") + text;
  // Trim by bytes, not characters: the limit is AWS's, on the encoded log.
  const bytes = Buffer.from(combined, "utf8");
  instance.consoleOutput =
    bytes.length > CONSOLE_OUTPUT_LIMIT ? bytes.subarray(bytes.length - CONSOLE_OUTPUT_LIMIT).toString("utf8") : combined;
  instance.consoleOutputAt = cloud.now();
  cloud.markDirty();
  return true;
}

/** The console text as plain text (for tests and the admin side), "" when nothing was written. */
export function consoleOutputOf(cloud: CloudApi, instanceId: string): string {
  return ec2State(cloud).instances[instanceId]?.consoleOutput ?? "";
}

/**
 * GetConsoleOutput. `Latest` is accepted: AWS then reads the live serial buffer on Nitro
 * instances instead of the last snapshot; here both are the same record.
 */
export function getConsoleOutput(input: { InstanceId?: string; Latest?: boolean }, ctx: RequestContext) {
  const id = required(input.InstanceId, "InstanceId");
  checkIdShape(id, "i", "InvalidInstanceID.Malformed");
  const instance = findInstance(ctx.cloud, ctx.region, id);
  const text = instance.consoleOutput ?? "";
  return {
    InstanceId: instance.InstanceId,
    // AWS omits Output until the instance has written something.
    Output: text ? Buffer.from(text, "utf8").toString("base64") : undefined,
    Timestamp: new Date(instance.consoleOutputAt ?? ctx.cloud.now()),
  };
}
