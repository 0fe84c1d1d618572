/**
 * GetMetricData: up to 500 queries and, by default, 100,800 datapoints per call; the rest is
 * paged with NextToken. A result cut by the page limit says PartialData and continues on the
 * next page; results already complete are not repeated.
 */
import type { RequestContext } from "../../core/types.ts";
import { prepareQueries, validateQueries, type MetricDataQuery } from "./math/run-queries.ts";
import { decodeToken, encodeToken, fingerprint } from "../../core/paging.ts";
import { cwState, invalidNextToken, validation } from "./state.ts";

export const MAX_DATAPOINTS_PER_CALL = 100_800;

interface Input {
  MetricDataQueries?: MetricDataQuery[];
  StartTime?: Date;
  EndTime?: Date;
  NextToken?: string;
  ScanBy?: "TimestampDescending" | "TimestampAscending";
  MaxDatapoints?: number;
}

export function getMetricData(input: Input, ctx: RequestContext) {
  const queries = validateQueries(input.MetricDataQueries);
  if (!input.StartTime) throw validation("The parameter StartTime is required.");
  if (!input.EndTime) throw validation("The parameter EndTime is required.");
  const startMs = input.StartTime.getTime();
  const endMs = input.EndTime.getTime();
  if (startMs >= endMs) throw validation("The parameter StartTime must be less than the parameter EndTime.");
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending")
    throw validation(`The value ${scanBy} for parameter ScanBy is invalid.`);
  const maxDatapoints = input.MaxDatapoints ?? MAX_DATAPOINTS_PER_CALL;
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw validation(`The value ${maxDatapoints} for parameter MaxDatapoints is invalid.`);

  const fp = fingerprint([ctx.region, queries, startMs, endMs, scanBy, maxDatapoints]);
  // Cursor: returned query q, its sub-result s (expressions may yield several series), offset o.
  const cursor = decodeToken<{ q: number; s: number; o: number }>(input.NextToken, fp, invalidNextToken) ?? { q: 0, s: 0, o: 0 };

  const prepared = prepareQueries(cwState(ctx.cloud), ctx.region, queries, startMs, endMs);
  let budget = maxDatapoints;
  const page = [];
  let NextToken: string | undefined;
  outer: for (let q = cursor.q; q < prepared.returned.length; q++) {
    const results = prepared.resultsOf(prepared.returned[q]);
    for (let s = q === cursor.q ? cursor.s : 0; s < results.length; s++) {
      const r = results[s];
      const order = r.ts.map((_, k) => k);
      if (scanBy === "TimestampDescending") order.reverse();
      const offset = q === cursor.q && s === cursor.s ? cursor.o : 0;
      const remaining = order.length - offset;
      if (remaining > 0 && budget === 0) {
        NextToken = encodeToken(fp, { q, s, o: offset });
        break outer;
      }
      const take = order.slice(offset, offset + Math.min(budget, remaining));
      budget -= take.length;
      const partial = take.length < remaining;
      page.push({
        Id: r.Id,
        Label: r.Label,
        Timestamps: take.map((k) => new Date(r.ts[k] * 1000)),
        Values: take.map((k) => r.vs[k]),
        StatusCode: partial ? "PartialData" : "Complete",
        Messages: r.Messages,
      });
      if (partial) {
        NextToken = encodeToken(fp, { q, s, o: offset + take.length });
        break outer;
      }
    }
  }
  return { MetricDataResults: page, NextToken, Messages: [] };
}
