/**
 * EC2's `Filter.N` semantics: filters AND together, values of one filter OR together, values
 * may use `*` and `?` wildcards, and `tag:<key>`, `tag-key`, `tag-value` work on every taggable
 * resource. An unknown filter name is an error, as in AWS, so typos do not silently match all.
 */
import { AwsError } from "../../core/types.ts";
import type { Tag } from "./state.ts";

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** Returns the values a resource has for a filter name, or undefined when the name is unknown. */
export type FilterFields<T> = Record<string, (resource: T) => unknown>;

function toStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(toStrings);
  return [String(value)];
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "s");
}

function matchesAny(actual: string[], wanted: string[]): boolean {
  const patterns = wanted.map(globToRegExp);
  return actual.some((value) => patterns.some((p) => p.test(value)));
}

export function applyFilters<T extends object>(items: T[], filters: Filter[] | undefined, fields: FilterFields<T>): T[] {
  if (!filters || filters.length === 0) return items;
  for (const filter of filters) {
    const name = filter.Name ?? "";
    if (!name.startsWith("tag:") && name !== "tag-key" && name !== "tag-value" && !(name in fields)) {
      throw new AwsError("InvalidParameterValue", `The filter '${name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every((filter) => {
      const name = filter.Name ?? "";
      const wanted = filter.Values ?? [];
      const tags = (item as { Tags?: Tag[] }).Tags ?? [];
      if (name.startsWith("tag:")) {
        const key = name.slice(4);
        return matchesAny(
          tags.filter((t) => t.Key === key).map((t) => t.Value),
          wanted,
        );
      }
      if (name === "tag-key")
        return matchesAny(
          tags.map((t) => t.Key),
          wanted,
        );
      if (name === "tag-value")
        return matchesAny(
          tags.map((t) => t.Value),
          wanted,
        );
      return matchesAny(toStrings(fields[name](item)), wanted);
    }),
  );
}
