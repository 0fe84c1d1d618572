/**
 * The cost estimate of a half-filled environment form: the form posts strings and may be
 * mid-edit, so this reads what it can (numbers leniently, unknown types priced at zero with a
 * note) instead of validating the whole spec.
 */
import { z } from "zod";
import { EGRESS_MODES } from "../environments/spec.ts";
import { estimateCost, type CostEstimate } from "./estimate.ts";

const count = z.preprocess((v) => (typeof v === "string" ? Number(v) : v), z.number().finite().min(0).max(10_000).catch(0));

const formInput = z.object({
  region: z.string().catch("us-east-1"),
  availabilityZones: z.array(z.string()).catch([]),
  instanceType: z.string().catch(""),
  capacity: z.object({ min: count, desired: count, max: count }).catch({ min: 0, desired: 0, max: 0 }),
  database: z
    .object({
      engine: z.enum(["postgres", "mysql"]).catch("postgres"),
      instanceClass: z.string().catch(""),
      storageGb: count,
      multiAz: z.boolean().catch(false),
    })
    .nullable()
    .catch(null),
  cache: z
    .object({
      engine: z.enum(["valkey", "redis"]).catch("valkey"),
      nodeType: z.string().catch(""),
      replicas: count,
      multiAz: z.boolean().catch(false),
    })
    .nullable()
    .catch(null),
  cloudfront: z.boolean().catch(false),
  protected: z.boolean().catch(false),
  network: z.object({ egress: z.enum(EGRESS_MODES).catch("nat-shared") }).catch({ egress: "nat-shared" }),
});

export function estimateFormCost(input: unknown): CostEstimate {
  return estimateCost(formInput.parse(input ?? {}));
}
