/** A field-by-field difference between two specs (or any two JSON values). */
export interface DiffRow {
  path: string;
  kind: "added" | "removed" | "changed";
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function diffSpecs(before: unknown, after: unknown, path = ""): DiffRow[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in before)) return [{ path: p, kind: "added" as const, before: undefined, after: after[k] }];
      if (!(k in after)) return [{ path: p, kind: "removed" as const, before: before[k], after: undefined }];
      return diffSpecs(before[k], after[k], p);
    });
  }
  // Arrays and scalars compare as a whole: "zones a,b -> a,b,c" reads better than per-index rows.
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === null || before === undefined) return [{ path, kind: "added", before, after }];
  if (after === null || after === undefined) return [{ path, kind: "removed", before, after }];
  return [{ path, kind: "changed", before, after }];
}

/** Deep-merges a JSON patch object onto a base (objects merge; arrays, scalars and null replace). */
export function mergePatch<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(v) && isObject(out[k]) ? mergePatch(out[k], v) : v;
  return out as T;
}
