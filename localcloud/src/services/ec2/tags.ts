/** CreateTags / DeleteTags / DescribeTags across every taggable resource, found by id prefix. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { notFound, required, ec2Pages, ec2TagRules } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, type Ec2State, type Tag } from "./state.ts";
import { validateTags } from "./tagging.ts";
import { mergeTags } from "../../core/tags.ts";

/** id prefix -> state collection, resource type, NotFound code and the noun in its message. */
const TAGGABLE: Record<string, [keyof Ec2State, string, string, string]> = {
  vpc: ["vpcs", "vpc", "InvalidVpcID.NotFound", "vpc"],
  subnet: ["subnets", "subnet", "InvalidSubnetID.NotFound", "subnet"],
  igw: ["internetGateways", "internet-gateway", "InvalidInternetGatewayID.NotFound", "internet gateway"],
  rtb: ["routeTables", "route-table", "InvalidRouteTableID.NotFound", "route table"],
  sg: ["securityGroups", "security-group", "InvalidGroup.NotFound", "security group"],
  lt: ["launchTemplates", "launch-template", "InvalidLaunchTemplateId.NotFound", "launch template"],
  i: ["instances", "instance", "InvalidInstanceID.NotFound", "instance"],
  nat: ["natGateways", "natgateway", "InvalidNatGatewayID.NotFound", "natGateway"],
  eipalloc: ["addresses", "elastic-ip", "InvalidAllocationID.NotFound", "allocation"],
  vpce: ["vpcEndpoints", "vpc-endpoint", "InvalidVpcEndpointId.NotFound", "vpcEndpoint"],
};

/** Security group rules live inside their group: a view whose Tags write through to the rule. */
function findRule(state: Ec2State, region: string, id: string): Taggable | undefined {
  for (const group of Object.values(state.securityGroups)) {
    if (group.region !== region) continue;
    const rule = group.Rules.find((r) => r.SecurityGroupRuleId === id);
    if (rule) {
      return {
        region,
        get Tags() {
          return rule.Tags ?? [];
        },
        set Tags(tags: Tag[]) {
          rule.Tags = tags;
        },
      };
    }
  }
  return undefined;
}

interface Taggable {
  region: string;
  Tags: Tag[];
}

function findTaggable(state: Ec2State, region: string, id: string): Taggable {
  const match = /^([a-z]+)-[0-9a-f]{8,17}$/.exec(id);
  if (match?.[1] === "sgr") {
    const rule = findRule(state, region, id);
    if (!rule) throw new AwsError("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
    return rule;
  }
  const kind = match ? TAGGABLE[match[1]] : undefined;
  if (!kind) throw new AwsError("InvalidID", `The ID '${id}' is not valid`);
  const record = (state[kind[0]] as Record<string, Taggable>)[id];
  if (!record || record.region !== region) throw notFound(kind[2], kind[3], [id]);
  return record;
}

export function createTags(input: { Resources?: string[]; Tags?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const resources = required(input.Resources, "ResourceId").map((id) => findTaggable(state, ctx.region, id));
  const tags = validateTags(required(input.Tags, "Tag"));
  for (const resource of resources) {
    resource.Tags = mergeTags(resource.Tags, tags, ec2TagRules);
  }
  ctx.cloud.markDirty();
  return {};
}

export function deleteTags(input: { Resources?: string[]; Tags?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const resources = required(input.Resources, "ResourceId").map((id) => findTaggable(state, ctx.region, id));
  const wanted = input.Tags ?? [];
  for (const tag of wanted) {
    if (tag.Key?.toLowerCase().startsWith("aws:")) {
      throw new AwsError("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
    }
  }
  for (const resource of resources) {
    resource.Tags = resource.Tags.filter((tag) => {
      // Without a tag list every user tag goes; a listed tag with a value goes only when the value matches.
      if (wanted.length === 0) return tag.Key.toLowerCase().startsWith("aws:");
      return !wanted.some((w) => w.Key === tag.Key && (w.Value === undefined || w.Value === tag.Value));
    });
  }
  ctx.cloud.markDirty();
  return {};
}

export function describeTags(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const descriptions: Array<{ ResourceId: string; ResourceType: string; Key: string; Value: string; Tags: Tag[] }> = [];
  for (const [collection, resourceType] of Object.values(TAGGABLE)) {
    for (const [id, record] of Object.entries(state[collection] as Record<string, Taggable>)) {
      if (record.region !== ctx.region) continue;
      for (const tag of record.Tags) {
        descriptions.push({ ResourceId: id, ResourceType: resourceType, Key: tag.Key, Value: tag.Value, Tags: [tag] });
      }
    }
  }
  for (const group of Object.values(state.securityGroups)) {
    if (group.region !== ctx.region) continue;
    for (const rule of group.Rules) {
      for (const tag of rule.Tags ?? []) {
        descriptions.push({
          ResourceId: rule.SecurityGroupRuleId,
          ResourceType: "security-group-rule",
          Key: tag.Key,
          Value: tag.Value,
          Tags: [tag],
        });
      }
    }
  }
  descriptions.sort((a, b) => a.ResourceId.localeCompare(b.ResourceId) || a.Key.localeCompare(b.Key));
  const filtered = applyFilters(descriptions, input.Filters, {
    key: (d) => d.Key,
    value: (d) => d.Value,
    "resource-id": (d) => d.ResourceId,
    "resource-type": (d) => d.ResourceType,
  });
  const { items: page, next: NextToken } = pageOf(filtered, input.NextToken, input.MaxResults, ec2Pages("DescribeTags"));
  return { Tags: page.map(({ Tags: _tags, ...description }) => description), NextToken };
}
