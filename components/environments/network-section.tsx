"use client";

import { useEffect, useState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { CostEstimate } from "@/server/costs/estimate.ts";
import type { ActionResult } from "@/server/result.ts";
import { CostBreakdown } from "./cost-estimate";
import { Section } from "./form-parts";
import { toSpecInput, type FormState } from "./form-state";

const MODES: Array<{ value: FormState["egress"]; label: string }> = [
  { value: "nat-shared", label: "One shared NAT gateway (staging)" },
  { value: "nat-per-az", label: "A NAT gateway per zone (production)" },
  { value: "public", label: "Public subnets with public IPs (cheapest)" },
];

/** How instances get out, HTTPS, and what the whole stack costs per month, re-estimated as the form changes. */
export function NetworkSection({
  f,
  set,
  err,
  estimate,
}: {
  f: FormState;
  set: <K extends keyof FormState>(k: K, v: FormState[K]) => void;
  err: (path: string) => string[] | undefined;
  estimate: (spec: unknown) => Promise<ActionResult<CostEstimate>>;
}) {
  const [cost, setCost] = useState<CostEstimate | null>(null);
  const input = JSON.stringify(toSpecInput(f));
  useEffect(() => {
    // Debounced: one estimate after typing pauses, and a late answer never overwrites a newer one.
    let current = true;
    const timer = setTimeout(() => {
      void estimate(JSON.parse(input)).then((r) => current && r.ok && setCost(r.data));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [input, estimate]);
  const perMode = (m: FormState["egress"]) => (cost ? ` — $${Math.round(cost.byEgress[m])}/month` : "");

  return (
    <Section title="Network and cost" description="How instances reach package repositories and AWS APIs, and the estimated monthly bill.">
      <FormField
        label="Way out for the instances"
        htmlFor="egress"
        error={err("network.egress")}
        hint="An S3 gateway endpoint (free) is always added: S3 and Amazon Linux's repositories never cross the NAT."
      >
        <Select
          id="egress"
          value={f.egress}
          onChange={(e) => set("egress", e.target.value as FormState["egress"])}
          options={MODES.map((m) => ({ value: m.value, label: `${m.label}${perMode(m.value)}` }))}
        />
      </FormField>
      <FormField
        label="HTTPS certificate (ACM ARN, optional)"
        htmlFor="certificateArn"
        error={err("certificateArn")}
        hint="With a certificate the load balancer also listens on 443."
      >
        <Input
          id="certificateArn"
          value={f.certificateArn}
          onChange={(e) => set("certificateArn", e.target.value)}
          className="font-mono"
          placeholder="arn:aws:acm:us-east-1:123456789012:certificate/..."
          spellCheck={false}
        />
      </FormField>
      <div className="md:col-span-2">
        {cost ? <CostBreakdown estimate={cost} /> : <p className="text-sm text-muted-foreground">Estimating…</p>}
      </div>
    </Section>
  );
}
