/** CloudFront error codes with the HTTP statuses of the model's error shapes. */
import { AwsError } from "../../core/types.ts";

export const noSuchDistribution = (id: string) =>
  new AwsError("NoSuchDistribution", `The specified distribution does not exist: ${id}`, 404);
export const noSuchInvalidation = (id: string) =>
  new AwsError("NoSuchInvalidation", `The specified invalidation does not exist: ${id}`, 404);
export const noSuchResource = (arn: string) => new AwsError("NoSuchResource", `The specified resource does not exist: ${arn}`, 404);
export const noSuchOrigin = () => new AwsError("NoSuchOrigin", "One or more of your origins or origin groups do not exist.", 404);
export const invalidArgument = (message: string) => new AwsError("InvalidArgument", message, 400);
export const inconsistentQuantities = (where: string) =>
  new AwsError("InconsistentQuantities", `The value of Quantity and the size of Items don't match (${where}).`, 400);
export const invalidIfMatch = () =>
  new AwsError("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.", 400);
export const preconditionFailed = () =>
  new AwsError(
    "PreconditionFailed",
    "The request failed because it didn't meet the preconditions in one or more request-header fields.",
    412,
  );
export const distributionNotDisabled = () =>
  new AwsError("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.", 409);
export const distributionAlreadyExists = (id: string) =>
  new AwsError(
    "DistributionAlreadyExists",
    `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${id}`,
    409,
  );
export const cnameAlreadyExists = () =>
  new AwsError("CNAMEAlreadyExists", "One or more of the CNAMEs you provided are already associated with a different resource.", 409);
export const invalidViewerCertificate = (message: string) => new AwsError("InvalidViewerCertificate", message, 400);
export const invalidTagging = (message: string) => new AwsError("InvalidTagging", message, 400);
export const illegalUpdate = (message: string) => new AwsError("IllegalUpdate", message, 400);
