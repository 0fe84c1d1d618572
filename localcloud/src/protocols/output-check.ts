/**
 * Handler output keys that are not members of the output shape are dropped by the codecs, which
 * hides typos (`VpcID` for `VpcId`). This finds them so the server can warn once per key.
 */
import type { Model, Shape } from "./model.ts";

export function unknownOutputKeys(model: Model, shapeName: string, value: unknown, path = ""): string[] {
  return walk(model, model.shape(shapeName), value, path || shapeName, []);
}

function walk(model: Model, shape: Shape, value: unknown, path: string, found: string[]): string[] {
  if (value === null || value === undefined || typeof value !== "object" || value instanceof Date || Buffer.isBuffer(value)) return found;
  if (shape.type === "structure") {
    const members = shape.members ?? {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === "$metadata") continue;
      const ref = members[key];
      if (!ref) found.push(`${path}.${key}`);
      else walk(model, model.shape(ref.shape), v, `${path}.${key}`, found);
    }
  } else if (shape.type === "list" && Array.isArray(value)) {
    const itemShape = model.shape(shape.member!.shape);
    // Only the first items: enough to catch a typo, cheap for long lists.
    if (itemShape.type === "structure" || itemShape.type === "list" || itemShape.type === "map") {
      for (let i = 0; i < Math.min(value.length, 3); i++) walk(model, itemShape, value[i], `${path}[${i}]`, found);
    }
  } else if (shape.type === "map") {
    const valueShape = model.shape(shape.value!.shape);
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 3)) walk(model, valueShape, v, `${path}{${k}}`, found);
  }
  return found;
}
