"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { ScalingView } from "@/server/operations/scaling.ts";
import type { DashboardActions } from "./health-section";

type Fleet = ScalingView["fleets"][number];
type Key = "min" | "desired" | "max" | "target";
const LABEL: Record<Key, string> = { min: "Min", desired: "Desired", max: "Max", target: "Target" };

const fromFleet = (f: Fleet): Record<Key, string> => ({
  min: String(f.min),
  desired: String(f.desired),
  max: String(f.max),
  target: f.policy ? String(f.policy.target) : "",
});

/**
 * The live fleet's min/desired/max and target-tracking target. What a person typed stays in
 * the boxes (a refusal never resets them, a poll never overwrites them); untouched boxes follow
 * AWS. With target tracking the panel says that the policy moves desired by itself.
 */
export function CapacityForm({
  name,
  fleet,
  disabled,
  action,
  onDone,
}: {
  name: string;
  fleet: Fleet;
  disabled: boolean;
  action: DashboardActions["updateScaling"];
  onDone: () => void;
}) {
  const [values, setValues] = useState(() => fromFleet(fleet));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);
  const aws = fromFleet(fleet);
  const awsKey = JSON.stringify(aws);
  // Untouched boxes follow what AWS says (target tracking moves desired on its own).
  useEffect(() => {
    if (!dirty) setValues(JSON.parse(awsKey) as Record<Key, string>);
  }, [awsKey, dirty]);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    const res = await action(name, {
      min: values.min,
      desired: values.desired,
      max: values.max,
      ...(fleet.policy ? { target: values.target } : {}),
    });
    setPending(false);
    if (!res.ok) {
      const fields = res.fields ?? {};
      setErrors(fields);
      // Field messages are shown on their boxes; the toast only says that nothing changed.
      toast.error(Object.keys(fields).length ? "Scaling not changed: fix the values marked below." : res.message);
      const first = (["min", "desired", "max", "target"] as const).find((k) => fields[k]?.length);
      if (first) document.getElementById(`scaling-${first}`)?.focus();
      return;
    }
    setErrors({});
    setDirty(false);
    toast.success(
      fleet.policy
        ? `Scaling of the ${res.data.slot} fleet updated; target tracking may still move desired between min and max.`
        : `Scaling of the ${res.data.slot} fleet updated`,
    );
    onDone();
  }
  const set = (k: Key) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDirty(true);
    setValues((v) => ({ ...v, [k]: e.target.value }));
  };
  const unit = fleet.policy?.metric === "cpu" ? "% CPU" : fleet.policy?.metric === "requests_per_target" ? "requests / target" : "";
  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-lg border bg-card p-3" aria-label="Live fleet scaling">
      <h4 className="text-xs font-semibold">Live fleet ({fleet.slot}) capacity</h4>
      <div className="grid grid-cols-3 gap-2">
        {(["min", "desired", "max"] as const).map((k) => (
          <FormField key={k} label={LABEL[k]} htmlFor={`scaling-${k}`} error={errors[k]}>
            <Input id={`scaling-${k}`} name={k} type="number" inputMode="numeric" value={values[k]} onChange={set(k)} />
          </FormField>
        ))}
      </div>
      {fleet.policy ? (
        <FormField
          label={`Target-tracking target${unit ? ` (${unit})` : ""}`}
          htmlFor="scaling-target"
          error={errors.target}
          hint="Min ≤ desired ≤ max, 0–100 instances; a CPU target is 1–100 %. Applies to AWS now; the spec is unchanged."
        >
          <Input id="scaling-target" name="target" type="number" step="any" value={values.target} onChange={set("target")} />
        </FormField>
      ) : null}
      {fleet.policy ? (
        <p className="text-xs text-muted-foreground" data-testid="tracking-note">
          Target tracking keeps {unit ? `${fleet.policy.target} ${unit}` : "its target"}: within a few minutes of an apply it may move
          desired anywhere between min and max by itself. To hold a capacity, set min and max to it.
        </p>
      ) : null}
      <Button type="submit" size="sm" loading={pending} disabled={disabled}>
        Apply to {fleet.slot}
      </Button>
    </form>
  );
}
