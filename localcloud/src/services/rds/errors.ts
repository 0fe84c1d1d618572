/** The RDS error codes we raise (awsQueryError codes and statuses from the model). */
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError } from "../../core/types.ts";

export const invalidParameterValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);
export const invalidParameterCombination = (message: string) => new AwsError("InvalidParameterCombination", message, 400);
export const dbInstanceNotFound = (id: string) => new AwsError("DBInstanceNotFound", `DBInstance ${id} not found.`, 404);
export const dbSubnetGroupNotFound = (name: string) => new AwsError("DBSubnetGroupNotFoundFault", `DBSubnetGroup ${name} not found.`, 404);
export const invalidDbInstanceState = (message: string) => new AwsError("InvalidDBInstanceState", message, 400);

/** RDS's page limits for `operation`: MaxRecords 20-100 (default 100), an opaque marker. */
export function rdsPages(operation: string): PageRules {
  return {
    scope: operation,
    min: 20,
    max: 100,
    fallback: 100,
    badSize: (size) => invalidParameterValue(`Invalid value ${size} for MaxRecords. Must be between 20 and 100`),
    badToken: () => invalidParameterValue("The marker is not valid"),
  };
}

/** RDS tags: "aws:" and "rds:" are reserved; TagQuotaPerResourceExceeded past 50. */
export const rdsTagRules: TagRules = {
  invalid: invalidParameterValue,
  tooMany: (max) => new AwsError("TagQuotaPerResourceExceeded", `Cannot have more than ${max} tags per resource`, 400),
  reserved: ["aws:", "rds:"],
};
