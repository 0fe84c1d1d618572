/** The ELBv2 error codes we raise (awsQueryError codes from the model, all 400 Sender). */
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
