/** The RDS error codes we raise (awsQueryError codes and statuses from the model). */
import { AwsError } from "../../core/types.ts";

export const invalidParameterValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);
export const invalidParameterCombination = (message: string) => new AwsError("InvalidParameterCombination", message, 400);
export const dbInstanceNotFound = (id: string) => new AwsError("DBInstanceNotFound", `DBInstance ${id} not found.`, 404);
export const dbSubnetGroupNotFound = (name: string) => new AwsError("DBSubnetGroupNotFoundFault", `DBSubnetGroup ${name} not found.`, 404);
export const invalidDbInstanceState = (message: string) => new AwsError("InvalidDBInstanceState", message, 400);
