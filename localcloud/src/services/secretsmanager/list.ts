/**
 * ListSecrets with AWS's filters: name, tag-key, tag-value, primary-region and owning-service
 * are case-sensitive prefix matches, description a case-insensitive one, "all" matches words in
 * any of them; a leading "!" negates a value. Values of one filter are ORed, filters ANDed.
 * Secrets scheduled for deletion are left out unless IncludePlannedDeletion.
 */
import type { RequestContext } from "../../core/types.ts";
import { invalidParameter, smPages, smState, versionsToStages, type SecretRecord } from "./state.ts";
import { secretView } from "./secrets.ts";
import { pageOf } from "../../core/paging.ts";

interface Filter {
  Key?: string;
  Values?: string[];
}

const KEYS = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];
const VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

/** Words as the console search splits them: letters, digits, and case changes. */
function words(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function matches(s: SecretRecord, key: string, value: string): boolean {
  switch (key) {
    case "name":
      return s.name.startsWith(value);
    case "description":
      return (s.description ?? "").toLowerCase().startsWith(value.toLowerCase());
    case "tag-key":
      return s.tags.some((t) => t.Key.startsWith(value));
    case "tag-value":
      return s.tags.some((t) => t.Value.startsWith(value));
    case "primary-region":
      return s.region.startsWith(value);
    case "owning-service":
      return s.owningService?.startsWith(value) ?? false;
    default: {
      const haystack = [s.name, s.description ?? "", ...s.tags.flatMap((t) => [t.Key, t.Value])].flatMap(words);
      const wanted = words(value);
      return wanted.length > 0 && wanted.every((w) => haystack.some((h) => h.startsWith(w)));
    }
  }
}

function checkFilters(filters: Filter[]): void {
  if (filters.length > 10) throw invalidParameter("You can specify at most 10 filters.");
  for (const f of filters) {
    if (!f.Key || !KEYS.includes(f.Key)) throw invalidParameter(`Invalid filter key: ${f.Key}. Valid keys: ${KEYS.join(", ")}.`);
    const values = f.Values ?? [];
    if (values.length < 1 || values.length > 10) throw invalidParameter("A filter must have between 1 and 10 values.");
    for (const v of values) if (v.length > 512 || !VALUE.test(v)) throw invalidParameter(`Invalid filter value: ${v}`);
  }
}

function passes(s: SecretRecord, f: Filter): boolean {
  const values = f.Values ?? [];
  const positive = values.filter((v) => !v.startsWith("!"));
  const negative = values.filter((v) => v.startsWith("!")).map((v) => v.slice(1));
  if (negative.some((v) => matches(s, f.Key!, v))) return false;
  return positive.length === 0 || positive.some((v) => matches(s, f.Key!, v));
}

export function listSecrets(
  input: { IncludePlannedDeletion?: boolean; MaxResults?: number; NextToken?: string; Filters?: Filter[]; SortOrder?: string },
  ctx: RequestContext,
) {
  const filters = input.Filters ?? [];
  checkFilters(filters);
  const order = input.SortOrder ?? "asc";
  if (order !== "asc" && order !== "desc") throw invalidParameter("SortOrder must be asc or desc.");
  const secrets = Object.values(smState(ctx.cloud).secrets)
    .filter((s) => s.region === ctx.region && (input.IncludePlannedDeletion || s.deletedAt === undefined))
    .filter((s) => filters.every((f) => passes(s, f)))
    .sort((a, b) => (a.createdAt - b.createdAt || a.name.localeCompare(b.name)) * (order === "asc" ? 1 : -1));
  const { items: page, next: NextToken } = pageOf(secrets, input.NextToken, input.MaxResults, smPages("ListSecrets", 100));
  return { SecretList: page.map((s) => ({ ...secretView(s), SecretVersionsToStages: versionsToStages(s) })), NextToken };
}
