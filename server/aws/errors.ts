import { ServiceError, type ServiceErrorCode } from "../errors.ts";
import { quotaOf, raiseQuotaHint } from "./quotas.ts";

/**
 * AWS errors turned into messages a person can act on. Every caller of AWS passes its
 * failures through `awsError` (the provisioning steps do it once, in `defineStep`), so the
 * UI never shows "InvalidParameterValue" alone.
 */
export interface AwsErrorContext {
  /** What Switchyard was doing, e.g. "create the load balancer shop-alb". */
  action?: string;
  region?: string;
  roleArn?: string | null;
  endpointUrl?: string | null;
  instanceType?: string;
  dbInstanceClass?: string;
}

/** A ServiceError that remembers the AWS code and whether trying again later may help. */
export class AwsServiceError extends ServiceError {
  constructor(
    code: ServiceErrorCode,
    message: string,
    public readonly awsCode: string,
    public readonly retryable: boolean,
  ) {
    super(code, message);
    this.name = "AwsServiceError";
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code of an SDK error ("InvalidVpcID.NotFound", "Throttling"), or undefined. */
export function awsErrorCode(err: unknown): string | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as SdkErrorShape;
  const code = e.Code ?? e.code ?? e.name;
  return typeof code === "string" && code !== "Error" ? code : undefined;
}

const notFound = /NotFound|^NoSuch|NotFoundException$|NotFoundFault$|^ResourceNotFound/;
const throttled =
  /^(Throttling|ThrottlingException|ThrottledException|RequestLimitExceeded|TooManyRequestsException|RequestThrottled|RequestThrottledException|SlowDown|PriorRequestNotComplete)$/;
const inUse =
  /DependencyViolation|ResourceInUse|InUse|ScalingActivityInProgress|InvalidDBInstanceState|InvalidDBSubnetGroupState|DistributionNotDisabled|PreconditionFailed|InvalidIfMatchVersion/;

export const isNotFound = (err: unknown) => notFound.test(awsErrorCode(err) ?? "");
export const isThrottling = (err: unknown) => throttled.test(awsErrorCode(err) ?? "");
/** The resource is busy or still referenced: try again after a while. */
export const isInUse = (err: unknown) => inUse.test(awsErrorCode(err) ?? "");
export const isAlreadyExists = (err: unknown) => /AlreadyExists|Duplicate/.test(awsErrorCode(err) ?? "");

function where(ctx: AwsErrorContext): string {
  return ctx.action ? ` (while trying to ${ctx.action})` : "";
}

/** Maps any error thrown by an AWS call; errors that are not AWS errors are returned as they are. */
export function awsError(err: unknown, ctx: AwsErrorContext = {}): Error {
  if (err instanceof ServiceError) return err;
  const e = (err && typeof err === "object" ? err : {}) as SdkErrorShape & { errno?: unknown; syscall?: string };
  const code = awsErrorCode(err) ?? "";
  const detail = (e.message ?? "").trim();
  const region = ctx.region ?? "this region";
  const make = (c: ServiceErrorCode, msg: string, retryable = false) => new AwsServiceError(c, msg + where(ctx), code, retryable);

  if (/AssumeRole/i.test(detail) || (code === "CredentialsProviderError" && ctx.roleArn)) {
    return make(
      "PRECONDITION_FAILED",
      `The account cannot assume role ${ctx.roleArn ?? "(none configured)"}: check the role's trust policy (principal and ExternalId) and that Switchyard's own credentials may call sts:AssumeRole. AWS said: ${detail}`,
    );
  }
  if (code === "CredentialsProviderError") {
    return make(
      "PRECONDITION_FAILED",
      "Switchyard has no AWS credentials: give the server credentials (instance role, environment or profile) or set the account's endpoint URL.",
    );
  }
  if (
    /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException|AuthFailure|SignatureDoesNotMatch|IncompleteSignature)$/.test(
      code,
    )
  ) {
    return make("PRECONDITION_FAILED", `AWS rejected Switchyard's credentials (${code}): they are invalid or expired. ${detail}`);
  }
  if (/^(UnauthorizedOperation|AccessDenied|AccessDeniedException|AccessDeniedFault|Forbidden)$/.test(code)) {
    const action = /perform: ([\w-]+:\w+)/.exec(detail)?.[1];
    const resource = /on resource: (\S+)/.exec(detail)?.[1];
    return make(
      "PRECONDITION_FAILED",
      `The role Switchyard uses is not allowed to ${action ?? "make this call"}${resource ? ` on ${resource}` : ""}: add it to the role's policy (docs/aws-iam-policy.json).`,
    );
  }
  const badType = /Invalid value '([^']+)' for InstanceType|instance type '?([\w.]+)'? (is not supported|does not exist)/i.exec(detail);
  if (code === "InvalidInstanceType" || badType) {
    const type = badType?.[1] ?? badType?.[2] ?? ctx.instanceType ?? "requested";
    return make(
      "VALIDATION_FAILED",
      `Instance type ${type} does not exist in ${region}, or this account cannot launch it there: choose another instance type.`,
    );
  }
  if (
    /^(InvalidParameterCombination|DBInstanceClassNotSupported|StorageTypeNotSupported)/.test(code) &&
    /class|DBInstanceClass/i.test(detail)
  ) {
    return make(
      "VALIDATION_FAILED",
      `Database class ${ctx.dbInstanceClass ?? ""} is not offered for this engine in ${region}: choose another class. AWS said: ${detail}`.replace(
        "  ",
        " ",
      ),
    );
  }
  if (throttled.test(code)) {
    return make(
      "RATE_LIMITED",
      `AWS is throttling Switchyard's calls in ${region} (${code}) even after retries; try again in a minute.`,
      true,
    );
  }
  if (notFound.test(code)) return make("NOT_FOUND", `Not found in AWS: ${detail || code}`);
  if (/AlreadyExists|Duplicate/.test(code)) return make("CONFLICT", `Already exists in AWS and is not Switchyard's: ${detail || code}`);
  if (inUse.test(code)) return make("CONFLICT", `Still in use or busy in AWS, try again shortly: ${detail || code}`, true);
  const service = /auto ?scaling/i.test(detail)
    ? "autoscaling"
    : /\brole\b|instance profile/i.test(detail)
      ? "iam"
      : /alarm/i.test(detail)
        ? "cloudwatch"
        : undefined;
  const quota = quotaOf(code, service);
  if (quota) {
    return make(
      "PRECONDITION_FAILED",
      `The AWS quota "${quota.name}" (${quota.quotaCode}) is reached in ${region}: ${raiseQuotaHint(quota, region)}. AWS said: ${detail || code}`,
    );
  }
  if (/LimitExceeded|QuotaExceeded|InsufficientInstanceCapacity|Quota|TooMany/.test(code)) {
    return make(
      "PRECONDITION_FAILED",
      `An AWS quota was reached in ${region} (${code}): raise it in Service Quotas or remove unused resources. ${detail}`,
    );
  }
  if (
    /^(InvalidParameter|InvalidParameterValue|ValidationError|InvalidInput|InvalidArgument|MissingParameter|InvalidSubnet|InvalidConfigurationRequest)/.test(
      code,
    )
  ) {
    return make("VALIDATION_FAILED", `AWS refused the request (${code}): ${detail}`);
  }
  if (typeof e.syscall === "string" || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|TimeoutError/.test(`${code} ${detail}`)) {
    const target = ctx.endpointUrl ?? `AWS in ${region}`;
    return make(
      "PRECONDITION_FAILED",
      `Cannot reach ${target}: ${detail || code}. Is it running and reachable from the Switchyard server?`,
      true,
    );
  }
  if (e.$fault === "server" || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return make("PRECONDITION_FAILED", `AWS had an internal error (${code || "5xx"}); try again. ${detail}`, true);
  }
  return err instanceof Error ? err : new Error(String(err));
}
