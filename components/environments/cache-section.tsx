"use client";

import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Section, Toggle } from "./form-parts";
import type { FormState } from "./form-state";

/** The optional ElastiCache cache: engine, node type, replicas, Multi-AZ with automatic failover. */
export function CacheSection({
  f,
  set,
  err,
  nodeTypes,
}: {
  f: FormState;
  set: <K extends keyof FormState>(k: K, v: FormState[K]) => void;
  err: (path: string) => string[] | undefined;
  nodeTypes: Array<{ id: string; label: string }>;
}) {
  return (
    <Section
      title="Cache"
      description="ElastiCache in the private subnets behind its own security group (only the app reaches it, on 6379), encrypted in transit and at rest; its endpoint reaches the instances through SSM."
    >
      <FormField label="Cache engine" htmlFor="cacheEngine" error={err("cache.engine")}>
        <Select
          id="cacheEngine"
          value={f.cacheEnabled ? f.cacheEngine : "none"}
          onChange={(e) => {
            const engine = e.target.value;
            set("cacheEnabled", engine !== "none");
            if (engine !== "none") set("cacheEngine", engine as FormState["cacheEngine"]);
          }}
          options={[
            { value: "valkey", label: "Valkey" },
            { value: "redis", label: "Redis OSS" },
            { value: "none", label: "No cache" },
          ]}
        />
      </FormField>
      {f.cacheEnabled ? (
        <>
          <FormField label="Node type" htmlFor="cacheNodeType" error={err("cache.nodeType")}>
            <Select
              id="cacheNodeType"
              value={f.cacheNodeType}
              onChange={(e) => set("cacheNodeType", e.target.value)}
              options={nodeTypes.map((t) => ({ value: t.id, label: t.label }))}
            />
          </FormField>
          <FormField label="Replicas" htmlFor="cacheReplicas" error={err("cache.replicas")}>
            <Input id="cacheReplicas" inputMode="numeric" value={f.cacheReplicas} onChange={(e) => set("cacheReplicas", e.target.value)} />
          </FormField>
          <Toggle
            id="cacheMultiAz"
            label="Multi-AZ with automatic failover (replicas in other zones; a replica takes over in seconds)"
            checked={f.cacheMultiAz}
            onChange={(v) => set("cacheMultiAz", v)}
          />
        </>
      ) : null}
    </Section>
  );
}
