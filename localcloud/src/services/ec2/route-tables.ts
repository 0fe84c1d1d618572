/** Route tables: the VPC's main table (with its local route) plus custom tables associated with subnets. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { dependencyViolation, invalidParameterValue, required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findAll, findRouteTable, findSubnet, findVpc, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { routeState } from "./routing.ts";
import { ec2State, newId, type Ec2State, type RouteTableRecord, type VpcRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

export function createMainRouteTable(state: Ec2State, vpc: VpcRecord): RouteTableRecord {
  const table: RouteTableRecord = {
    RouteTableId: newId("rtb"),
    region: vpc.region,
    VpcId: vpc.VpcId,
    Routes: [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: "local", Origin: "CreateRouteTable" }],
    Associations: [{ RouteTableAssociationId: newId("rtbassoc"), Main: true }],
    Tags: [],
  };
  state.routeTables[table.RouteTableId] = table;
  return table;
}

function routeTableOut(state: Ec2State, table: RouteTableRecord, ownerId: string) {
  return {
    RouteTableId: table.RouteTableId,
    VpcId: table.VpcId,
    OwnerId: ownerId,
    Routes: table.Routes.map((route) => ({ ...route, State: routeState(state, table, route) })),
    Associations: table.Associations.map((a) => ({
      Main: a.Main,
      RouteTableAssociationId: a.RouteTableAssociationId,
      RouteTableId: table.RouteTableId,
      SubnetId: a.SubnetId,
      AssociationState: { State: "associated" },
    })),
    PropagatingVgws: [],
    Tags: tagsOut(table.Tags),
  };
}

export function createRouteTable(input: { VpcId?: string; TagSpecifications?: TagSpecification[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const vpc = findVpc(ctx.cloud, ctx.region, required(input.VpcId, "VpcId"));
  const table: RouteTableRecord = {
    RouteTableId: newId("rtb"),
    region: ctx.region,
    VpcId: vpc.VpcId,
    Routes: [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: "local", Origin: "CreateRouteTable" }],
    Associations: [],
    Tags: tagsFromSpecifications(input.TagSpecifications, "route-table"),
  };
  state.routeTables[table.RouteTableId] = table;
  ctx.cloud.markDirty();
  return { RouteTable: routeTableOut(state, table, ctx.accountId) };
}

export function describeRouteTables(
  input: { RouteTableIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let tables = input.RouteTableIds?.length
    ? findAll(state.routeTables, ctx.region, input.RouteTableIds, "InvalidRouteTableID.NotFound", "route table")
    : regionRecords(state.routeTables, ctx.region);
  tables = applyFilters(tables, input.Filters, {
    "route-table-id": (t) => t.RouteTableId,
    "vpc-id": (t) => t.VpcId,
    "owner-id": () => ctx.accountId,
    "association.main": (t) => String(t.Associations.some((a) => a.Main)),
    "association.subnet-id": (t) => t.Associations.map((a) => a.SubnetId),
    "association.route-table-association-id": (t) => t.Associations.map((a) => a.RouteTableAssociationId),
    "association.route-table-id": (t) => (t.Associations.length ? t.RouteTableId : undefined),
    "route.destination-cidr-block": (t) => t.Routes.map((r) => r.DestinationCidrBlock),
    "route.destination-prefix-list-id": (t) => t.Routes.map((r) => r.DestinationPrefixListId),
    "route.gateway-id": (t) => t.Routes.map((r) => r.GatewayId),
    "route.nat-gateway-id": (t) => t.Routes.map((r) => r.NatGatewayId),
    "route.instance-id": (t) => t.Routes.map((r) => r.InstanceId),
    "route.origin": (t) => t.Routes.map((r) => r.Origin),
    "route.state": (t) => t.Routes.map((r) => routeState(state, t, r)),
  });
  const { items: page, next: NextToken } = pageOf(
    tables,
    input.NextToken,
    input.MaxResults,
    ec2Pages("DescribeRouteTables", { min: 5, max: 100 }),
  );
  return { RouteTables: page.map((t) => routeTableOut(state, t, ctx.accountId)), NextToken };
}

export function associateRouteTable(input: { RouteTableId?: string; SubnetId?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const table = findRouteTable(ctx.cloud, ctx.region, required(input.RouteTableId, "RouteTableId"));
  const subnet = findSubnet(ctx.cloud, ctx.region, required(input.SubnetId, "SubnetId"));
  if (subnet.VpcId !== table.VpcId) {
    throw invalidParameterValue(`Route table ${table.RouteTableId} and subnet ${subnet.SubnetId} belong to different networks`);
  }
  const existing = Object.values(state.routeTables).some((t) => t.Associations.some((a) => a.SubnetId === subnet.SubnetId));
  if (existing) {
    throw new AwsError(
      "Resource.AlreadyAssociated",
      `the specified association for route table ${table.RouteTableId} conflicts with an existing association`,
    );
  }
  const association = { RouteTableAssociationId: newId("rtbassoc"), SubnetId: subnet.SubnetId, Main: false };
  table.Associations.push(association);
  ctx.cloud.markDirty();
  return { AssociationId: association.RouteTableAssociationId, AssociationState: { State: "associated" } };
}

export function disassociateRouteTable(input: { AssociationId?: string }, ctx: RequestContext) {
  const id = required(input.AssociationId, "AssociationId");
  const table = regionRecords(ec2State(ctx.cloud).routeTables, ctx.region).find((t) =>
    t.Associations.some((a) => a.RouteTableAssociationId === id),
  );
  if (!table) throw new AwsError("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`);
  if (table.Associations.find((a) => a.RouteTableAssociationId === id)!.Main) {
    throw invalidParameterValue(`cannot disassociate the main route table association ${id}`);
  }
  table.Associations = table.Associations.filter((a) => a.RouteTableAssociationId !== id);
  ctx.cloud.markDirty();
  return {};
}

export function deleteRouteTable(input: { RouteTableId?: string }, ctx: RequestContext) {
  const table = findRouteTable(ctx.cloud, ctx.region, required(input.RouteTableId, "RouteTableId"));
  if (table.Associations.length > 0) throw dependencyViolation("routeTable", table.RouteTableId);
  const state = ec2State(ctx.cloud);
  // A gateway endpoint forgets a deleted table (its routes went with it).
  for (const endpoint of Object.values(state.vpcEndpoints))
    endpoint.RouteTableIds = endpoint.RouteTableIds.filter((id) => id !== table.RouteTableId);
  delete state.routeTables[table.RouteTableId];
  ctx.cloud.markDirty();
  return {};
}
