/**
 * The instances' way out (spec.network.egress), after ensureNetwork:
 *   1. ensureEgress      nat-per-az: an Elastic IP and a NAT gateway in each zone's public subnet,
 *                        each private route table 0.0.0.0/0 -> its zone's NAT gateway;
 *                        nat-shared: one of each, in the first zone, for every private table;
 *                        public: nothing (the fleets launch into the public subnets, whose
 *                        instances get public IPs; their security group admits only the ALB).
 *   2. waitEgressReady   (bounded poll) every NAT gateway available; a failed one ends the run
 *                        with AWS's FailureMessage. The fleets launch only after this: their
 *                        user data needs the way out at boot.
 * Elastic IPs are found by tag (AllocateAddress has no idempotency token but tags atomically);
 * NAT gateways by tag, and created with a ClientToken.
 */
import {
  AllocateAddressCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  ReplaceRouteCommand,
  type NatGateway,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import type { EgressMode } from "../environments/spec.ts";
import { defineRead, defineStep, envFilter, tagsOf, tokenOf, type Poll, type StepContext, type StepInput } from "./context.ts";
import { TAG_ZONE } from "./network.ts";

export interface EgressInput extends StepInput {
  publicSubnetByZone: Record<string, string>;
  privateRouteTableIds: Record<string, string>;
}

export interface EgressOutput {
  mode: EgressMode;
  /** Zone -> the NAT gateway its private subnet goes out through (empty in public mode). */
  natGatewayByZone: Record<string, string>;
}

const LIVE_NAT = ["pending", "available"];
const zoneTag = (t: { Tags?: Array<{ Key?: string; Value?: string }> }) => t.Tags?.find((x) => x.Key === TAG_ZONE)?.Value;

/** The zones that get a NAT gateway in this mode. */
export function natZones(mode: EgressMode, zones: string[]): string[] {
  return mode === "nat-per-az" ? zones : mode === "nat-shared" ? zones.slice(0, 1) : [];
}

async function natGateways(ctx: StepContext, envId: string): Promise<NatGateway[]> {
  return (await ctx.aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: [envFilter(envId)] }))).NatGateways ?? [];
}

async function ensureAddress(input: StepInput, ctx: StepContext, zone: string): Promise<string> {
  const name = `${ctx.names.prefix}${input.spec.name}-nat-${zone}`;
  const found = (
    await ctx.aws.ec2.send(new DescribeAddressesCommand({ Filters: [envFilter(input.envId), { Name: `tag:${TAG_ZONE}`, Values: [zone] }] }))
  ).Addresses?.[0];
  if (found?.AllocationId) {
    ctx.touch("ec2:elastic-ip", found.AllocationId, "found");
    return found.AllocationId;
  }
  const created = await ctx.aws.ec2.send(
    new AllocateAddressCommand({
      Domain: "vpc",
      TagSpecifications: [{ ResourceType: "elastic-ip", Tags: tagsOf(input, undefined, { Name: name, [TAG_ZONE]: zone }) }],
    }),
  );
  if (!created.AllocationId) throw new Error("AllocateAddress returned no allocation id");
  ctx.touch("ec2:elastic-ip", created.AllocationId, "created");
  return created.AllocationId;
}

async function ensureNat(input: EgressInput, ctx: StepContext, existing: NatGateway[], zone: string): Promise<string> {
  const found = existing.find((n) => zoneTag(n) === zone && LIVE_NAT.includes(n.State ?? ""));
  if (found?.NatGatewayId) {
    ctx.touch("ec2:nat-gateway", found.NatGatewayId, "found");
    return found.NatGatewayId;
  }
  const subnetId = input.publicSubnetByZone[zone];
  if (!subnetId) throw new Error(`No public subnet in ${zone} for its NAT gateway`);
  const allocationId = await ensureAddress(input, ctx, zone);
  const created = await afterCreate(() =>
    ctx.aws.ec2.send(
      new CreateNatGatewayCommand({
        SubnetId: subnetId,
        AllocationId: allocationId,
        ConnectivityType: "public",
        // The same for every retry of this NAT gateway: AWS returns the first one.
        ClientToken: tokenOf(input.envId, "nat-gateway", zone, allocationId),
        TagSpecifications: [
          {
            ResourceType: "natgateway",
            Tags: tagsOf(input, undefined, { Name: `${ctx.names.prefix}${input.spec.name}-nat-${zone}`, [TAG_ZONE]: zone }),
          },
        ],
      }),
    ),
  );
  const id = created.NatGateway?.NatGatewayId;
  if (!id) throw new Error("CreateNatGateway returned no NAT gateway id");
  ctx.touch("ec2:nat-gateway", id, "created");
  return id;
}

/** Points each private route table's default route at its NAT gateway (created, or replaced when it points elsewhere). */
async function routeThrough(ctx: StepContext, tables: Record<string, string>, natByZone: Record<string, string>) {
  const ids = Object.values(tables);
  // The tables may have been created moments ago: a NotFound by id is retried.
  const current = (await afterCreate(() => ctx.aws.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ids })))).RouteTables ?? [];
  for (const [zone, tableId] of Object.entries(tables)) {
    const nat = natByZone[zone];
    const route = current.find((t) => t.RouteTableId === tableId)?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
    if (route?.NatGatewayId === nat && route.State !== "blackhole") continue;
    const params = { RouteTableId: tableId, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat };
    await afterCreate(() => ctx.aws.ec2.send(route ? new ReplaceRouteCommand(params) : new CreateRouteCommand(params)));
    ctx.touch("ec2:route", `${tableId} 0.0.0.0/0 -> ${nat}`, route ? "updated" : "created");
  }
}

export const ensureEgress = defineStep("create the way out (NAT gateways)", async (input: EgressInput, ctx): Promise<EgressOutput> => {
  const mode = input.spec.network.egress;
  const zones = natZones(mode, input.spec.availabilityZones);
  if (zones.length === 0) return { mode, natGatewayByZone: {} };
  const existing = await natGateways(ctx, input.envId);
  const natByOwnZone: Record<string, string> = {};
  for (const zone of zones) natByOwnZone[zone] = await ensureNat(input, ctx, existing, zone);
  // Shared: every zone goes out through the first zone's NAT gateway.
  const natGatewayByZone = Object.fromEntries(input.spec.availabilityZones.map((az) => [az, natByOwnZone[az] ?? natByOwnZone[zones[0]]]));
  await routeThrough(ctx, input.privateRouteTableIds, natGatewayByZone);
  return { mode, natGatewayByZone };
});

export interface EgressDetail {
  summary: string;
  natGateways: Array<{ id: string; zone: string | null; state: string }>;
}

export const waitEgressReady = defineRead("wait for the NAT gateways", async (input: StepInput, ctx): Promise<Poll<EgressDetail>> => {
  const zones = natZones(input.spec.network.egress, input.spec.availabilityZones);
  if (zones.length === 0) return { done: true, detail: { summary: "public subnets: no NAT gateway", natGateways: [] } };
  const nats = (await natGateways(ctx, input.envId)).filter(
    (n) => zones.includes(zoneTag(n) ?? "") && n.State !== "deleted" && n.State !== "deleting",
  );
  const failed = nats.find((n) => n.State === "failed");
  if (failed)
    throw new Error(
      `NAT gateway ${failed.NatGatewayId} in ${zoneTag(failed)} failed: ${failed.FailureMessage ?? failed.FailureCode ?? "no reason given"}`,
    );
  const available = nats.filter((n) => n.State === "available").length;
  return {
    done: available >= zones.length,
    detail: {
      summary: `${available} of ${zones.length} NAT gateway${zones.length > 1 ? "s" : ""} available`,
      natGateways: nats.map((n) => ({ id: n.NatGatewayId ?? "", zone: zoneTag(n) ?? null, state: n.State ?? "unknown" })),
    },
  };
});
