/**
 * The AWS services a VPC endpoint can point at (com.amazonaws.<region>.<service>) and the
 * endpoint types each supports, for CreateVpcEndpoint's checks and DescribeVpcEndpointServices.
 */
import { createHash } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2Pages } from "./errors.ts";
import { describeAvailabilityZones } from "./regions.ts";

/** Services with gateway endpoints (they also offer interface endpoints). */
const GATEWAY_AND_INTERFACE = ["s3", "dynamodb"];

/** Interface-only services commonly reached from private subnets. */
const INTERFACE_ONLY = [
  "autoscaling",
  "cloudformation",
  "ec2",
  "ec2messages",
  "ecr.api",
  "ecr.dkr",
  "ecs",
  "elasticfilesystem",
  "elasticloadbalancing",
  "events",
  "execute-api",
  "kms",
  "lambda",
  "logs",
  "monitoring",
  "rds",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "ssmmessages",
  "sts",
];

export type EndpointType = "Gateway" | "Interface";

export interface EndpointService {
  ServiceName: string;
  service: string;
  type: EndpointType;
}

export function endpointServices(region: string): EndpointService[] {
  const out: EndpointService[] = [];
  for (const service of [...GATEWAY_AND_INTERFACE, ...INTERFACE_ONLY].sort()) {
    const ServiceName = `com.amazonaws.${region}.${service}`;
    if (GATEWAY_AND_INTERFACE.includes(service)) out.push({ ServiceName, service, type: "Gateway" });
    out.push({ ServiceName, service, type: "Interface" });
  }
  return out;
}

export function invalidServiceName(name: string): AwsError {
  return new AwsError("InvalidServiceName", `The Vpc Endpoint Service '${name}' does not exist`);
}

/** The service entry for a name and type; throws AWS's errors for an unknown name or an unsupported type. */
export function endpointService(region: string, name: string, type: EndpointType): EndpointService {
  const offers = endpointServices(region).filter((s) => s.ServiceName === name);
  if (offers.length === 0) throw invalidServiceName(name);
  const offer = offers.find((s) => s.type === type);
  if (!offer) throw new AwsError("InvalidParameter", `The Vpc Endpoint Service '${name}' does not support the endpoint type '${type}'.`);
  return offer;
}

/** The hostname the SDKs use for a service; private DNS makes it resolve to the interface endpoint. */
export function servicePrivateDnsName(region: string, service: string): string {
  return `${service}.${region}.amazonaws.com`;
}

function serviceId(name: string, type: EndpointType): string {
  return `vpce-svc-${createHash("sha256").update(`${name}/${type}`).digest("hex").slice(0, 17)}`;
}

function detailOut(region: string, s: EndpointService) {
  const interfaceType = s.type === "Interface";
  const privateDns = servicePrivateDnsName(region, s.service);
  return {
    ServiceName: s.ServiceName,
    ServiceId: serviceId(s.ServiceName, s.type),
    ServiceType: [{ ServiceType: s.type }],
    AvailabilityZones: describeAvailabilityZones(region).map((z) => z.ZoneName),
    Owner: "amazon",
    BaseEndpointDnsNames: [interfaceType ? `${s.service}.${region}.vpce.amazonaws.com` : privateDns],
    PrivateDnsName: interfaceType ? privateDns : undefined,
    PrivateDnsNames: interfaceType ? [{ PrivateDnsName: privateDns }] : undefined,
    VpcEndpointPolicySupported: true,
    AcceptanceRequired: false,
    ManagesVpcEndpoints: false,
    PrivateDnsNameVerificationState: interfaceType ? "verified" : undefined,
    SupportedIpAddressTypes: ["ipv4"],
  };
}

export function describeVpcEndpointServices(
  input: { ServiceNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let services = endpointServices(ctx.region);
  for (const name of input.ServiceNames ?? []) if (!services.some((s) => s.ServiceName === name)) throw invalidServiceName(name);
  if (input.ServiceNames?.length) services = services.filter((s) => input.ServiceNames!.includes(s.ServiceName));
  services = applyFilters(services, input.Filters, {
    "service-name": (s) => s.ServiceName,
    "service-type": (s) => s.type,
    "supported-ip-address-types": () => "ipv4",
    owner: () => "amazon",
  });
  const { items: page, next: NextToken } = pageOf(services, input.NextToken, input.MaxResults, ec2Pages("DescribeVpcEndpointServices"));
  return {
    ServiceNames: [...new Set(page.map((s) => s.ServiceName))],
    ServiceDetails: page.map((s) => detailOut(ctx.region, s)),
    NextToken,
  };
}
