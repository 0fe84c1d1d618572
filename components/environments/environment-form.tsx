"use client";

import { useActionState, useRef, useState, useTransition } from "react";
import { useFirstErrorFocus } from "@/components/use-first-error-focus";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/server/result.ts";
import type { CostEstimate } from "@/server/costs/estimate.ts";
import { FieldMessage, Section, Toggle } from "./form-parts";
import { toSpecInput, type FormState } from "./form-state";
import { CacheSection } from "./cache-section";
import { NetworkSection } from "./network-section";
import { RolloutSection } from "./rollout-section";

export interface FormCatalog {
  accounts: Array<{ name: string; defaultRegion: string }>;
  regions: Array<{ id: string; name: string; zones: string[] }>;
  instanceTypes: Array<{ id: string; label: string }>;
  dbClasses: Array<{ id: string; label: string }>;
  cacheNodeTypes: Array<{ id: string; label: string }>;
}

type Action = (prev: ActionResult<{ name: string }> | null, payload: never) => Promise<ActionResult<{ name: string }>>;

type Estimate = (spec: unknown) => Promise<ActionResult<CostEstimate>>;

/** Create and edit an environment spec; field errors from the server land on their fields. */
export function EnvironmentForm({
  initial,
  catalog,
  mode,
  action,
  estimate,
  locked = false,
}: {
  /** Provisioned: account and region can no longer change, so they are shown read-only. */
  locked?: boolean;
  initial: FormState;
  catalog: FormCatalog;
  mode: "create" | "edit";
  action: Action;
  estimate: Estimate;
}) {
  const [f, setF] = useState<FormState>(initial);
  const [state, dispatch] = useActionState(action, null);
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((s) => ({ ...s, [k]: v }));
  const err = (path: string) => (state && !state.ok ? state.fields?.[path] : undefined);
  const region = catalog.regions.find((r) => r.id === f.region);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const spec = toSpecInput(f);
    const payload = mode === "create" ? spec : { name: initial.name, spec };
    startTransition(() => dispatch(payload as never));
  };
  const changeRegion = (id: string) => {
    const zones = catalog.regions.find((r) => r.id === id)?.zones ?? [];
    setF((s) => ({ ...s, region: id, availabilityZones: zones.slice(0, 2) }));
  };
  const toggleZone = (az: string, on: boolean) =>
    setF((s) => ({ ...s, availabilityZones: on ? [...s.availabilityZones, az].sort() : s.availabilityZones.filter((z) => z !== az) }));
  const formError = state && !state.ok && !(state.fields && Object.keys(state.fields).length) ? state.message : null;
  const fieldCount = state && !state.ok ? Object.keys(state.fields ?? {}).length : 0;
  const formRef = useRef<HTMLFormElement>(null);
  useFirstErrorFocus(formRef, state, fieldCount > 0 || formError !== null);

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      className="grid gap-5"
      noValidate
      aria-label={mode === "create" ? "New environment" : "Edit environment"}
    >
      {formError ? <Alert variant="destructive">{formError}</Alert> : null}
      {fieldCount > 0 ? (
        <Alert variant="destructive" title="Nothing was saved">
          {fieldCount === 1 ? "One field needs attention." : `${fieldCount} fields need attention.`} See the messages below.
        </Alert>
      ) : null}

      <Section title="Environment" description="Where the stack lives. Account and region are fixed once it is provisioned.">
        <FormField
          label="Name"
          htmlFor="name"
          error={err("name")}
          hint="DNS-safe: lowercase letters, digits, hyphens; at most 23 characters."
        >
          <Input id="name" value={f.name} onChange={(e) => set("name", e.target.value)} disabled={mode === "edit"} autoComplete="off" />
        </FormField>
        <FormField
          label="AWS account"
          htmlFor="account"
          error={err("account")}
          hint={locked ? "Fixed: the stack exists in this account. Tear it down to move it." : undefined}
        >
          <Select
            disabled={locked}
            id="account"
            value={f.account}
            onChange={(e) => set("account", e.target.value)}
            placeholder="Choose an account"
            options={catalog.accounts.map((a) => ({ value: a.name, label: a.name }))}
          />
        </FormField>
        <FormField
          label="Region"
          htmlFor="region"
          error={err("region")}
          hint={locked ? "Fixed: the stack exists in this region. Tear it down to move it." : undefined}
        >
          <Select
            disabled={locked}
            id="region"
            value={f.region}
            onChange={(e) => changeRegion(e.target.value)}
            options={catalog.regions.map((r) => ({ value: r.id, label: `${r.id} — ${r.name}` }))}
          />
        </FormField>
        <fieldset className="grid gap-1.5" aria-describedby={err("availabilityZones") ? "availabilityZones-error" : undefined}>
          <legend className="text-sm font-medium">Availability zones</legend>
          <div className="flex flex-wrap gap-3 pt-1">
            {(region?.zones ?? []).map((az) => (
              <label key={az} className="flex items-center gap-1.5 text-sm">
                <Checkbox checked={f.availabilityZones.includes(az)} onChange={(e) => toggleZone(az, e.target.checked)} aria-label={az} />
                <span className="font-mono text-xs">{az}</span>
              </label>
            ))}
          </div>
          <FieldMessage
            id="availabilityZones-error"
            messages={err("availabilityZones")}
            hint="Two or three; the load balancer and each fleet span them."
          />
        </fieldset>
      </Section>

      <Section title="Application" description="The version the fleet runs and how instances get it.">
        <FormField label="App version" htmlFor="version" error={err("app.version")}>
          <Input id="version" value={f.version} onChange={(e) => set("version", e.target.value)} className="font-mono" />
        </FormField>
        <FormField label="Instances get the app from" htmlFor="sourceKind" error={err("app.source.kind")}>
          <Select
            id="sourceKind"
            value={f.sourceKind}
            onChange={(e) => set("sourceKind", e.target.value as FormState["sourceKind"])}
            options={[
              { value: "al2023", label: "Amazon Linux 2023 + user-data script" },
              { value: "ami", label: "A prebuilt AMI" },
            ]}
          />
        </FormField>
        {f.sourceKind === "ami" ? (
          <FormField label="AMI id" htmlFor="amiId" error={err("app.source.amiId")}>
            <Input
              id="amiId"
              value={f.amiId}
              onChange={(e) => set("amiId", e.target.value)}
              className="font-mono"
              placeholder="ami-0abc1234def567890"
            />
          </FormField>
        ) : (
          <FormField
            label="User-data template"
            htmlFor="userData"
            error={err("app.source.userData")}
            hint="{{version}}, {{slot}}, {{environment}}, {{region}}, {{artifact}} and {{dbSecretArn}} are filled in per launch (README: the delivery contract)."
            className="md:col-span-2"
          >
            <Textarea
              id="userData"
              value={f.userData}
              onChange={(e) => set("userData", e.target.value)}
              rows={8}
              className="font-mono text-xs"
              spellCheck={false}
            />
          </FormField>
        )}
        <FormField
          label="Artifact (S3 URI)"
          htmlFor="artifactUri"
          error={err("app.artifactUri")}
          hint="Where each version's build lives; {{version}} and {{environment}} are filled in."
          className="md:col-span-2"
        >
          <Input
            id="artifactUri"
            value={f.artifactUri}
            onChange={(e) => set("artifactUri", e.target.value)}
            className="font-mono"
            spellCheck={false}
          />
        </FormField>
        <FormField
          label="Instance profile ARN (optional)"
          htmlFor="instanceProfileArn"
          error={err("app.instanceProfileArn")}
          hint="Empty: Switchyard creates a role with SSM, artifact and database-secret read access."
          className="md:col-span-2"
        >
          <Input
            id="instanceProfileArn"
            value={f.instanceProfileArn}
            onChange={(e) => set("instanceProfileArn", e.target.value)}
            className="font-mono"
            placeholder="arn:aws:iam::123456789012:instance-profile/app"
            spellCheck={false}
          />
        </FormField>
      </Section>

      <Section title="Fleet and scaling" description="Each of the blue and green Auto Scaling groups gets this capacity when live.">
        <FormField label="Instance type" htmlFor="instanceType" error={err("instanceType")}>
          <Select
            id="instanceType"
            value={f.instanceType}
            onChange={(e) => set("instanceType", e.target.value)}
            options={catalog.instanceTypes.map((t) => ({ value: t.id, label: t.label }))}
          />
        </FormField>
        <div className="grid grid-cols-3 gap-3">
          <FormField label="Minimum instances" htmlFor="min" error={err("capacity.min")}>
            <Input id="min" inputMode="numeric" value={f.min} onChange={(e) => set("min", e.target.value)} />
          </FormField>
          <FormField label="Desired instances" htmlFor="desired" error={err("capacity.desired")}>
            <Input id="desired" inputMode="numeric" value={f.desired} onChange={(e) => set("desired", e.target.value)} />
          </FormField>
          <FormField label="Maximum instances" htmlFor="max" error={err("capacity.max")}>
            <Input id="max" inputMode="numeric" value={f.max} onChange={(e) => set("max", e.target.value)} />
          </FormField>
        </div>
        <FormField label="Scale on" htmlFor="scalingMetric" error={err("scaling.metric")}>
          <Select
            id="scalingMetric"
            value={f.scalingMetric}
            onChange={(e) => set("scalingMetric", e.target.value as FormState["scalingMetric"])}
            options={[
              { value: "cpu", label: "Average CPU (%)" },
              { value: "requests_per_target", label: "Requests per target (per minute)" },
            ]}
          />
        </FormField>
        <FormField
          label="Target value"
          htmlFor="scalingTarget"
          error={err("scaling.target")}
          hint="Target tracking keeps the metric near this value."
        >
          <Input id="scalingTarget" inputMode="decimal" value={f.scalingTarget} onChange={(e) => set("scalingTarget", e.target.value)} />
        </FormField>
      </Section>

      <Section title="Health check" description="The target groups' check; a target takes traffic only when healthy.">
        <FormField label="Path" htmlFor="hcPath" error={err("healthCheck.path")}>
          <Input id="hcPath" value={f.hcPath} onChange={(e) => set("hcPath", e.target.value)} className="font-mono" />
        </FormField>
        <div className="grid grid-cols-2 gap-3">
          <FormField label="Interval (s)" htmlFor="hcInterval" error={err("healthCheck.intervalSeconds")}>
            <Input id="hcInterval" inputMode="numeric" value={f.hcInterval} onChange={(e) => set("hcInterval", e.target.value)} />
          </FormField>
          <FormField label="Timeout (s)" htmlFor="hcTimeout" error={err("healthCheck.timeoutSeconds")}>
            <Input id="hcTimeout" inputMode="numeric" value={f.hcTimeout} onChange={(e) => set("hcTimeout", e.target.value)} />
          </FormField>
        </div>
        <div className="grid grid-cols-3 gap-3">
          <FormField label="Healthy after" htmlFor="hcHealthy" error={err("healthCheck.healthyThreshold")}>
            <Input id="hcHealthy" inputMode="numeric" value={f.hcHealthy} onChange={(e) => set("hcHealthy", e.target.value)} />
          </FormField>
          <FormField label="Unhealthy after" htmlFor="hcUnhealthy" error={err("healthCheck.unhealthyThreshold")}>
            <Input id="hcUnhealthy" inputMode="numeric" value={f.hcUnhealthy} onChange={(e) => set("hcUnhealthy", e.target.value)} />
          </FormField>
          <FormField label="Grace (s)" htmlFor="hcGrace" error={err("healthCheck.gracePeriodSeconds")}>
            <Input id="hcGrace" inputMode="numeric" value={f.hcGrace} onChange={(e) => set("hcGrace", e.target.value)} />
          </FormField>
        </div>
      </Section>

      <Section title="Database and edge" description="RDS in the private subnets; CloudFront in front of the load balancer.">
        <FormField label="Database engine" htmlFor="dbEngine" error={err("database.engine")}>
          <Select
            id="dbEngine"
            value={f.dbEnabled ? f.dbEngine : "none"}
            onChange={(e) =>
              e.target.value === "none"
                ? set("dbEnabled", false)
                : setF((s) => ({ ...s, dbEnabled: true, dbEngine: e.target.value as FormState["dbEngine"] }))
            }
            options={[
              { value: "postgres", label: "PostgreSQL" },
              { value: "mysql", label: "MySQL" },
              { value: "none", label: "No database" },
            ]}
          />
        </FormField>
        {f.dbEnabled ? (
          <>
            <FormField label="Instance class" htmlFor="dbClass" error={err("database.instanceClass")}>
              <Select
                id="dbClass"
                value={f.dbClass}
                onChange={(e) => set("dbClass", e.target.value)}
                options={catalog.dbClasses.map((c) => ({ value: c.id, label: c.label }))}
              />
            </FormField>
            <FormField label="Storage (GB)" htmlFor="dbStorage" error={err("database.storageGb")}>
              <Input id="dbStorage" inputMode="numeric" value={f.dbStorage} onChange={(e) => set("dbStorage", e.target.value)} />
            </FormField>
            <Toggle
              id="dbMultiAz"
              label="Multi-AZ (a standby in another zone; failover in about a minute)"
              checked={f.dbMultiAz}
              onChange={(v) => set("dbMultiAz", v)}
            />
          </>
        ) : null}
        <Toggle
          id="cloudfront"
          label="CloudFront distribution in front of the load balancer"
          checked={f.cloudfront}
          onChange={(v) => set("cloudfront", v)}
        />
      </Section>

      <CacheSection f={f} set={set} err={err} nodeTypes={catalog.cacheNodeTypes} />

      <NetworkSection f={f} set={set} err={err} estimate={estimate} />

      <RolloutSection f={f} set={set} err={err} />

      <div className="flex items-center gap-3">
        <Button type="submit" loading={pending}>
          {mode === "create" ? "Create environment" : "Save as new version"}
        </Button>
        <span className="text-xs text-muted-foreground">
          {mode === "edit" ? "Saving stores a new immutable spec version." : "Creating stores version 1; nothing is provisioned yet."}
        </span>
      </div>
    </form>
  );
}
