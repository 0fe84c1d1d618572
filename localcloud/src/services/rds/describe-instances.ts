/** DescribeDBInstances: by identifier (or ARN), Filters, Marker/MaxRecords. */
import type { RequestContext } from "../../core/types.ts";
import { rdsState, type DbInstanceRecord } from "./state.ts";
import { invalidParameterValue, rdsPages } from "./errors.ts";
import { pageOf } from "../../core/paging.ts";
import { requireDbInstance, toDbInstance } from "./instance-view.ts";

const FILTERS: Record<string, (db: DbInstanceRecord, values: string[]) => boolean> = {
  "db-instance-id": (db, v) => v.some((x) => x.toLowerCase() === db.id || x === db.arn),
  "dbi-resource-id": (db, v) => v.includes(db.dbiResourceId),
  engine: (db, v) => v.includes(db.engine),
  "db-cluster-id": () => false,
  domain: () => false,
};

/** An identifier may also be given as the instance ARN. */
function identifierOf(idOrArn: string): string {
  return idOrArn.startsWith("arn:") ? idOrArn.split(":").slice(6).join(":") : idOrArn;
}

export function describeDbInstances(
  input: { DBInstanceIdentifier?: string; Filters?: Array<{ Name?: string; Values?: string[] }>; MaxRecords?: number; Marker?: string },
  ctx: RequestContext,
) {
  for (const f of input.Filters ?? []) {
    if (!f.Name || !FILTERS[f.Name]) throw invalidParameterValue(`Unrecognized filter name: ${f.Name}`);
  }
  let selected = input.DBInstanceIdentifier
    ? [requireDbInstance(ctx, identifierOf(input.DBInstanceIdentifier))]
    : Object.values(rdsState(ctx.cloud).instances).filter((db) => db.region === ctx.region);
  for (const f of input.Filters ?? []) selected = selected.filter((db) => FILTERS[f.Name!](db, f.Values ?? []));
  const { items, next: marker } = pageOf(selected, input.Marker, input.MaxRecords, rdsPages("DescribeDBInstances"));
  return { DBInstances: items.map((db) => toDbInstance(db, ctx)), Marker: marker };
}
