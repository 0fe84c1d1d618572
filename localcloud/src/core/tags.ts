/**
 * Tags as every service keeps them: a list of { Key, Value } checked against AWS's common
 * limits (keys 1-128 characters, values up to 256, reserved prefixes, at most 50 per
 * resource), merged so a later value wins, removed by key. Each service brings its own
 * error codes and, where AWS differs, its own limits.
 */
import type { AwsError } from "./types.ts";

export interface Tag {
  Key: string;
  Value: string;
}

export interface TagInput {
  Key?: string;
  Value?: string;
}

export interface TagRules {
  /** The service's error for a bad key or value, given a message saying what is wrong and which check failed. */
  invalid: (message: string, problem: TagProblem) => AwsError;
  /** The service's error for more than `max` tags on one resource. */
  tooMany: (max: number) => AwsError;
  /** Tags per resource (default 50). */
  max?: number;
  /** Key prefixes callers may not use (default "aws:"), compared case-insensitively. */
  reserved?: string[];
  /** The characters keys and values may hold, when the service restricts them. */
  pattern?: RegExp;
  /** The service's error for a key given twice in one request; without it the later value wins. */
  duplicate?: (key: string) => AwsError;
  /** Keys compare case-insensitively (IAM): "Team" replaces "team". */
  foldCase?: boolean;
}

const keyOf = (key: string, rules: Pick<TagRules, "foldCase">) => (rules.foldCase ? key.toLowerCase() : key);

/** Which check a tag failed (some services answer a missing key with another code than a reserved one). */
export type TagProblem = "missing" | "length" | "characters" | "reserved";

export const MAX_TAGS = 50;

/** The caller's tags, checked and normalised (a missing value is ""); a repeated key keeps its later value. */
export function checkTags(tags: TagInput[] | undefined, rules: TagRules): Tag[] {
  const byKey = new Map<string, Tag>();
  const reserved = rules.reserved ?? ["aws:"];
  for (const tag of tags ?? []) {
    const key = tag.Key ?? "";
    const value = tag.Value ?? "";
    if (key === "") throw rules.invalid("Tag key cannot be null or empty.", "missing");
    if (key.length > 128) throw rules.invalid(`Tag key '${key}' exceeds the maximum length of 128 characters.`, "length");
    if (value.length > 256) throw rules.invalid(`Tag value for key '${key}' exceeds the maximum length of 256 characters.`, "length");
    if (rules.pattern && !rules.pattern.test(key)) throw rules.invalid(`Invalid tag key: ${key}`, "characters");
    if (rules.pattern && !rules.pattern.test(value)) throw rules.invalid(`Invalid tag value for key ${key}: ${value}`, "characters");
    const prefix = reserved.find((p) => key.toLowerCase().startsWith(p));
    if (prefix) throw rules.invalid(`Tag keys starting with '${prefix}' are reserved for internal use.`, "reserved");
    if (rules.duplicate && byKey.has(keyOf(key, rules))) throw rules.duplicate(key);
    byKey.set(keyOf(key, rules), { Key: key, Value: value });
  }
  const max = rules.max ?? MAX_TAGS;
  if (byKey.size > max) throw rules.tooMany(max);
  return [...byKey.values()];
}

/** `current` with `added` applied (same key: the new tag replaces the old in place), at most `max` tags. */
export function mergeTags<T extends { Key: string }>(current: T[], added: T[], rules: Pick<TagRules, "tooMany" | "max" | "foldCase">): T[] {
  const byKey = new Map(current.map((t) => [keyOf(t.Key, rules), t] as const));
  for (const tag of added) byKey.set(keyOf(tag.Key, rules), tag);
  const max = rules.max ?? MAX_TAGS;
  if (byKey.size > max) throw rules.tooMany(max);
  return [...byKey.values()];
}

/** `current` without the tags whose key is in `keys`. */
export function withoutKeys<T extends { Key: string }>(
  current: T[],
  keys: Iterable<string> | undefined,
  rules: Pick<TagRules, "foldCase"> = {},
): T[] {
  const drop = new Set([...(keys ?? [])].map((k) => keyOf(k, rules)));
  return current.filter((t) => !drop.has(keyOf(t.Key, rules)));
}
