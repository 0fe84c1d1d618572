/** Name rules shared by load balancers and target groups (max 32, alnum and hyphens, no hyphen at either end). */
import { validationError } from "./errors.ts";

export function validateResourceName(kind: "Load balancer" | "Target group", name: string | undefined): string {
  if (!name) throw validationError(`${kind} name is required`);
  if (name.length > 32) throw validationError(`${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[a-zA-Z0-9-]+$/.test(name))
    throw validationError(`${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith("-") || name.endsWith("-")) throw validationError(`${kind} name '${name}' cannot begin or end with '-'`);
  if (kind === "Load balancer" && name.toLowerCase().startsWith("internal-"))
    throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}
