import { describe, expect, it } from "vitest";
import { defaultSpec } from "../environments/spec.ts";
import { estimateCost } from "./estimate.ts";
import { DB_INSTANCE_CLASSES, INSTANCE_TYPES } from "../catalog/aws.ts";
import { EC2_HOURLY, RDS_HOURLY } from "./prices.ts";

const base = { ...defaultSpec("local", "us-east-1"), name: "shop" };
const line = (e: ReturnType<typeof estimateCost>, key: string) => e.lines.find((l) => l.key === key)?.monthlyUsd;

describe("estimateCost", () => {
  it("prices the default spec line by line, with the NAT gateway shared", () => {
    const e = estimateCost(base);
    expect(line(e, "instances")).toBeCloseTo(2 * 730 * 0.0208, 2);
    expect(line(e, "nat-gateways")).toBeCloseTo(730 * 0.045, 2);
    expect(line(e, "nat-ipv4")).toBeCloseTo(3.65, 2);
    expect(line(e, "alb-ipv4")).toBeCloseTo(2 * 3.65, 2);
    expect(line(e, "database")).toBeCloseTo(2 * 730 * 0.072, 2); // Multi-AZ: two instances
    expect(e.totalUsd).toBeCloseTo(
      e.lines.reduce((a, l) => a + l.monthlyUsd, 0),
      1,
    );
    expect(e.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.regionNote).toBeNull();
  });

  it("orders the network modes by price: public < shared NAT < NAT per zone", () => {
    const e = estimateCost({ ...base, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
    expect(e.byEgress.public).toBeLessThan(e.byEgress["nat-shared"]);
    expect(e.byEgress["nat-shared"]).toBeLessThan(e.byEgress["nat-per-az"]);
    // Two more NAT gateways and their addresses.
    expect(e.byEgress["nat-per-az"] - e.byEgress["nat-shared"]).toBeCloseTo(2 * 730 * (0.045 + 0.005), 1);
    const pub = estimateCost({ ...base, network: { egress: "public" } });
    expect(line(pub, "nat-gateways")).toBeUndefined();
    expect(line(pub, "public-ipv4-instances")).toBeCloseTo(2 * 3.65, 2);
  });

  it("warns an unprotected environment about the expensive choices, not a protected one", () => {
    const costly = { ...base, network: { egress: "nat-per-az" as const } };
    expect(estimateCost(costly).warnings).toEqual([
      expect.stringMatching(/NAT gateway per zone/),
      expect.stringMatching(/Multi-AZ doubles/),
    ]);
    expect(estimateCost({ ...costly, protected: true }).warnings).toEqual([]);
    expect(estimateCost({ ...base, database: null }).warnings).toEqual([]);
  });

  it("has a price for every instance type and database class the form offers", () => {
    for (const t of Object.keys(INSTANCE_TYPES)) expect(EC2_HOURLY[t], t).toBeGreaterThan(0);
    for (const engine of ["postgres", "mysql"] as const)
      for (const c of Object.keys(DB_INSTANCE_CLASSES)) expect(RDS_HOURLY[engine][c], `${engine} ${c}`).toBeGreaterThan(0);
  });

  it("says when the region's prices are not the table's", () => {
    expect(estimateCost({ ...base, region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] }).regionNote).toMatch(/us-east-1/);
  });
});
