import { describe, expect, it } from "vitest";
import { ServiceError } from "../errors.ts";
import { awsClients, destroyAwsClients, serverNow } from "./clients.ts";
import { type AwsServiceError, awsError, isInUse, isNotFound, isThrottling } from "./errors.ts";

/** What the SDK throws: an Error whose name is the AWS code, with $fault and $metadata. */
function sdkError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status } });
}

describe("awsError", () => {
  it("names the role that cannot be assumed", () => {
    const role = "arn:aws:iam::123456789012:role/SwitchyardDeployer";
    const err = awsError(
      sdkError(
        "AccessDenied",
        `User: arn:aws:sts::999999999999:assumed-role/app/i-1 is not authorized to perform: sts:AssumeRole on resource: ${role}`,
        403,
      ),
      { roleArn: role },
    );
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe("PRECONDITION_FAILED");
    expect(err.message).toContain(`The account cannot assume role ${role}`);
  });

  it("says which instance type does not exist in which region", () => {
    const err = awsError(sdkError("InvalidParameterValue", "Invalid value 't9.nano' for InstanceType."), {
      region: "us-east-1",
      action: "create the fleet for shop",
    });
    expect(err).toMatchObject({ code: "VALIDATION_FAILED", awsCode: "InvalidParameterValue", retryable: false });
    expect(err.message).toBe(
      "Instance type t9.nano does not exist in us-east-1, or this account cannot launch it there: choose another instance type. (while trying to create the fleet for shop)",
    );
  });

  it("maps throttling that outlived the retries, marked retryable", () => {
    for (const code of ["Throttling", "RequestLimitExceeded", "ThrottlingException", "TooManyRequestsException"]) {
      const err = awsError(sdkError(code, "Rate exceeded"), { region: "eu-west-1" }) as AwsServiceError;
      expect(err.code).toBe("RATE_LIMITED");
      expect(err.retryable).toBe(true);
      expect(err.message).toContain("throttling Switchyard's calls in eu-west-1");
      expect(isThrottling(sdkError(code, ""))).toBe(true);
    }
  });

  it("maps not found, in use, missing permissions and quotas", () => {
    expect(awsError(sdkError("InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist"))).toMatchObject({ code: "NOT_FOUND" });
    expect(awsError(sdkError("DBInstanceNotFoundFault", "DBInstance shop-db not found.", 404))).toMatchObject({ code: "NOT_FOUND" });
    expect(isNotFound(sdkError("LoadBalancerNotFoundException", "x"))).toBe(true);
    expect(isNotFound(sdkError("NoSuchDistribution", "x"))).toBe(true);
    expect(isInUse(sdkError("DependencyViolation", "x"))).toBe(true);
    expect(awsError(sdkError("DependencyViolation", "has a dependent object"))).toMatchObject({ code: "CONFLICT", retryable: true });
    const denied = awsError(
      sdkError(
        "UnauthorizedOperation",
        "You are not authorized to perform this operation. User: x is not authorized to perform: ec2:CreateVpc",
      ),
    );
    expect(denied.message).toContain("not allowed to ec2:CreateVpc");
    const vpcs = awsError(sdkError("VpcLimitExceeded", "The maximum number of VPCs has been reached."), { region: "us-east-2" }).message;
    // Which quota, and how to raise it.
    expect(vpcs).toContain('"VPCs per Region" (L-F678F1CE) is reached in us-east-2');
    expect(vpcs).toContain("--service-code vpc --quota-code L-F678F1CE");
    expect(
      awsError(sdkError("AddressLimitExceeded", "The maximum number of addresses has been reached."), { region: "us-east-1" }).message,
    ).toContain("EC2-VPC Elastic IPs");
    expect(awsError(sdkError("LimitExceeded", "Max number of Auto Scaling groups reached"), { region: "us-east-1" }).message).toContain(
      "L-CDE20ADC",
    );
    expect(awsError(sdkError("SomethingQuotaExceeded", "odd"), { region: "eu-west-1" }).message).toContain(
      "quota was reached in eu-west-1",
    );
  });

  it("leaves other errors alone and keeps ServiceErrors as they are", () => {
    const plain = new TypeError("boom");
    expect(awsError(plain)).toBe(plain);
    const service = new ServiceError("NOT_FOUND", "nope");
    expect(awsError(service)).toBe(service);
  });

  it("explains an unreachable endpoint", () => {
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", syscall: "connect" });
    expect(awsError(err, { endpointUrl: "http://127.0.0.1:1" }).message).toContain("Cannot reach http://127.0.0.1:1");
  });
});

describe("awsClients", () => {
  it("caches one set per account and region, and rebuilds when the account changes", () => {
    const account = { id: "a1", defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: "http://127.0.0.1:4566" };
    const a = awsClients(account, "eu-west-1");
    expect(awsClients(account, "eu-west-1")).toBe(a);
    expect(awsClients(account, "us-east-1")).not.toBe(a);
    expect(awsClients({ ...account, endpointUrl: "http://127.0.0.1:4567" }, "eu-west-1")).not.toBe(a);
    expect(serverNow(a.ec2)).toBeGreaterThan(Date.now() - 1000);
    destroyAwsClients();
  });

  it("puts CloudFront and its CloudWatch metrics in us-east-1", async () => {
    const c = awsClients(
      { id: "a2", defaultRegion: "eu-west-1", roleArn: null, externalId: null, endpointUrl: "http://127.0.0.1:4566" },
      "eu-west-1",
    );
    expect(await c.cloudfront.config.region()).toBe("us-east-1");
    expect(await c.cloudwatchGlobal.config.region()).toBe("us-east-1");
    expect(await c.cloudwatch.config.region()).toBe("eu-west-1");
    expect(await c.ec2.config.maxAttempts()).toBe(5);
    destroyAwsClients();
  });
});
