/** ListMetrics: metrics of the caller's region that published in the last two weeks, 500 per page. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { fingerprint, pageOf } from "../../core/paging.ts";
import { cwPages, cwState } from "./state.ts";

interface Input {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value?: string }>;
  NextToken?: string;
  RecentlyActive?: string;
}

const LISTED_FOR_MS = 14 * 24 * 3600_000;
const RECENTLY_ACTIVE_MS = 3 * 3600_000;
const PAGE_SIZE = 500;

export function listMetrics(input: Input, ctx: RequestContext) {
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== "PT3H") {
    throw new AwsError(
      "InvalidParameterValue",
      `The value ${input.RecentlyActive} for parameter RecentlyActive is invalid. The only valid value is PT3H.`,
      400,
    );
  }
  if ((input.Dimensions?.length ?? 0) > 10)
    throw new AwsError("InvalidParameterValue", "The collection Dimensions must not have a size greater than 10.", 400);
  const now = ctx.cloud.now();
  const since = now - (input.RecentlyActive ? RECENTLY_ACTIVE_MS : LISTED_FOR_MS);
  const matches = Object.values(cwState(ctx.cloud).series)
    .filter((s) => s.r === ctx.region && s.last >= since)
    .filter((s) => !input.Namespace || s.ns === input.Namespace)
    .filter((s) => !input.MetricName || s.n === input.MetricName)
    .filter((s) =>
      (input.Dimensions ?? []).every((f) =>
        s.d.some(([name, value]) => name === f.Name && (f.Value === undefined || f.Value === null || f.Value === value)),
      ),
    )
    .map((s) => ({ Namespace: s.ns, MetricName: s.n, Dimensions: s.d.map(([Name, Value]) => ({ Name, Value })) }))
    .sort(
      (a, b) =>
        cmp(a.Namespace, b.Namespace) || cmp(a.MetricName, b.MetricName) || cmp(JSON.stringify(a.Dimensions), JSON.stringify(b.Dimensions)),
    );
  const fp = fingerprint([ctx.region, input.Namespace, input.MetricName, input.Dimensions, input.RecentlyActive]);
  const page = pageOf(matches, input.NextToken, PAGE_SIZE, cwPages(fp, PAGE_SIZE));
  return { Metrics: page.items, NextToken: page.next };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
