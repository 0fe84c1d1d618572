/**
 * Permission checks other parts of the local cloud ask of IAM (instance bootstrap asks whether
 * an instance's role may read a secret, a parameter or an object). A first, minimal version so
 * callers can import it; the full evaluation through the policy library follows.
 */
import type { CloudApi } from "../../core/types.ts";

/**
 * Whether the role in an instance profile (inline + attached policies) allows `action` on
 * `resource`. `reason` says why not in words (e.g. "no instance profile").
 */
export function instanceProfileAllows(
  cloud: CloudApi,
  instanceProfileArnOrName: string | undefined,
  action: string,
  resource: string,
  context?: Record<string, string | string[]>,
): { allowed: boolean; reason: string } {
  void cloud;
  void context;
  if (!instanceProfileArnOrName) return { allowed: false, reason: "no instance profile" };
  return { allowed: false, reason: `instance profile ${instanceProfileArnOrName} has no policy allowing ${action} on ${resource}` };
}
