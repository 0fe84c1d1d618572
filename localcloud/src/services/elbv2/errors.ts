/** The ELBv2 error codes we raise (awsQueryError codes from the model, all 400 Sender). */
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError } from "../../core/types.ts";

export const validationError = (message: string) => new AwsError("ValidationError", message, 400);
export const invalidConfiguration = (message: string) => new AwsError("InvalidConfigurationRequest", message, 400);
export const loadBalancerNotFound = (message = "One or more load balancers not found") =>
  new AwsError("LoadBalancerNotFound", message, 400);
export const targetGroupNotFound = (message = "One or more target groups not found") => new AwsError("TargetGroupNotFound", message, 400);
export const listenerNotFound = (message = "One or more listeners not found") => new AwsError("ListenerNotFound", message, 400);
export const ruleNotFound = (message = "One or more rules not found") => new AwsError("RuleNotFound", message, 400);
export const invalidTarget = (message: string) => new AwsError("InvalidTarget", message, 400);
export const resourceInUse = (message: string) => new AwsError("ResourceInUse", message, 400);
export const operationNotPermitted = (message: string) => new AwsError("OperationNotPermitted", message, 400);

/** ELBv2's page limits for `operation`: PageSize 1-400 (400 when not given), an opaque marker. */
export function elbPages(operation: string): PageRules {
  return {
    scope: operation,
    min: 1,
    max: 400,
    fallback: 400,
    badSize: (size, min, max) =>
      validationError(
        `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
      ),
    badToken: () => validationError("Invalid marker"),
  };
}

/** ELBv2 tags: a key given twice is DuplicateTagKeys, more than 50 TooManyTags. */
export const elbTagRules: TagRules = {
  invalid: validationError,
  tooMany: (max) => new AwsError("TooManyTags", `You can have at most ${max} tags per resource`, 400),
  duplicate: (key) => new AwsError("DuplicateTagKeys", `Tag key '${key}' is duplicated`, 400),
};
