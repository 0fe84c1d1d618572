/** Regions and their Availability Zones, per AWS's public layout for a typical account. */
import { AwsError } from "../../core/types.ts";
import { applyFilters, type Filter } from "./filters.ts";

/** Region -> [zone id prefix, zone letters]. */
const REGION_ZONES: Record<string, [string, string]> = {
  "us-east-1": ["use1", "abcdef"],
  "us-east-2": ["use2", "abc"],
  "us-west-1": ["usw1", "ac"],
  "us-west-2": ["usw2", "abcd"],
  "ca-central-1": ["cac1", "abd"],
  "sa-east-1": ["sae1", "abc"],
  "eu-west-1": ["euw1", "abc"],
  "eu-west-2": ["euw2", "abc"],
  "eu-west-3": ["euw3", "abc"],
  "eu-central-1": ["euc1", "abc"],
  "eu-north-1": ["eun1", "abc"],
  "eu-south-1": ["eus1", "abc"],
  "ap-south-1": ["aps1", "abc"],
  "ap-southeast-1": ["apse1", "abc"],
  "ap-southeast-2": ["apse2", "abc"],
  "ap-northeast-1": ["apne1", "acd"],
  "ap-northeast-2": ["apne2", "abcd"],
  "ap-northeast-3": ["apne3", "abc"],
};

export const KNOWN_REGIONS = Object.keys(REGION_ZONES);

export interface AvailabilityZone {
  ZoneName: string;
  ZoneId: string;
  RegionName: string;
  State: "available";
  OptInStatus: "opt-in-not-required";
  GroupName: string;
  NetworkBorderGroup: string;
  ZoneType: "availability-zone";
  Messages: [];
}

function zoneIdPrefix(region: string): string {
  const known = REGION_ZONES[region];
  if (known) return known[0];
  // e.g. "me-central-1" -> "mec1": a stable, plausible id for regions not in the table.
  const [geo = "x", dir = "", num = "1"] = region.split("-");
  return `${geo}${dir.slice(0, 1)}${num}`;
}

/** The zones of a region; regions outside the table get three zones a-c. */
export function describeAvailabilityZones(region: string): AvailabilityZone[] {
  const letters = REGION_ZONES[region]?.[1] ?? "abc";
  const prefix = zoneIdPrefix(region);
  return [...letters].map((letter, i) => ({
    ZoneName: `${region}${letter}`,
    ZoneId: `${prefix}-az${i + 1}`,
    RegionName: region,
    State: "available",
    OptInStatus: "opt-in-not-required",
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: "availability-zone",
    Messages: [],
  }));
}

export function zoneOf(region: string, zoneName: string): AvailabilityZone | undefined {
  return describeAvailabilityZones(region).find((z) => z.ZoneName === zoneName);
}

export function zoneById(region: string, zoneId: string): AvailabilityZone | undefined {
  return describeAvailabilityZones(region).find((z) => z.ZoneId === zoneId);
}

export function describeAvailabilityZonesHandler(
  input: { Filters?: Filter[]; ZoneNames?: string[]; ZoneIds?: string[] },
  ctx: { region: string },
) {
  let zones = describeAvailabilityZones(ctx.region);
  for (const name of input.ZoneNames ?? []) {
    if (!zones.some((z) => z.ZoneName === name)) {
      throw new AwsError("InvalidParameterValue", `The zone '${name}' does not exist.`);
    }
  }
  for (const id of input.ZoneIds ?? []) {
    if (!zones.some((z) => z.ZoneId === id)) throw new AwsError("InvalidParameterValue", `The zone ID '${id}' does not exist.`);
  }
  if (input.ZoneNames?.length) zones = zones.filter((z) => input.ZoneNames!.includes(z.ZoneName));
  if (input.ZoneIds?.length) zones = zones.filter((z) => input.ZoneIds!.includes(z.ZoneId));
  zones = applyFilters(zones, input.Filters, {
    "zone-name": (z) => z.ZoneName,
    "zone-id": (z) => z.ZoneId,
    "region-name": (z) => z.RegionName,
    state: (z) => z.State,
    "zone-type": (z) => z.ZoneType,
    "group-name": (z) => z.GroupName,
    "opt-in-status": (z) => z.OptInStatus,
  });
  return { AvailabilityZones: zones };
}

export function describeRegions(input: { Filters?: Filter[]; RegionNames?: string[] }) {
  let regions = KNOWN_REGIONS.map((name) => ({
    RegionName: name,
    Endpoint: `ec2.${name}.amazonaws.com`,
    OptInStatus: "opt-in-not-required",
  }));
  for (const name of input.RegionNames ?? []) {
    if (!REGION_ZONES[name]) throw new AwsError("InvalidParameterValue", `Invalid region: ${name}`);
  }
  if (input.RegionNames?.length) regions = regions.filter((r) => input.RegionNames!.includes(r.RegionName));
  regions = applyFilters(regions, input.Filters, {
    "region-name": (r) => r.RegionName,
    endpoint: (r) => r.Endpoint,
    "opt-in-status": (r) => r.OptInStatus,
  });
  return { Regions: regions };
}
