"use client";

import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Section, Toggle } from "./form-parts";
import type { FormState } from "./form-state";

/** How new versions reach traffic (strategy, canary steps, bakes), and when Switchyard rolls back by itself. */
export function RolloutSection({
  f,
  set,
  err,
}: {
  f: FormState;
  set: <K extends keyof FormState>(k: K, v: FormState[K]) => void;
  err: (path: string) => string[] | undefined;
}) {
  return (
    <Section title="Rollouts and rollback" description="How new versions reach traffic, and when Switchyard rolls back by itself.">
      <FormField label="Default strategy" htmlFor="strategy" error={err("rollout.strategy")}>
        <Select
          id="strategy"
          value={f.strategy}
          onChange={(e) => set("strategy", e.target.value as FormState["strategy"])}
          options={[
            { value: "canary", label: "Canary steps" },
            { value: "all-at-once", label: "All at once" },
          ]}
        />
      </FormField>
      {f.strategy === "canary" ? (
        <div className="grid grid-cols-2 gap-3">
          <FormField label="Canary steps (%)" htmlFor="canarySteps" error={err("rollout.canarySteps")} hint="Increasing, ending at 100.">
            <Input id="canarySteps" value={f.canarySteps} onChange={(e) => set("canarySteps", e.target.value)} className="font-mono" />
          </FormField>
          <FormField label="Bake per step (min)" htmlFor="bakeMinutes" error={err("rollout.bakeMinutes")}>
            <Input id="bakeMinutes" inputMode="numeric" value={f.bakeMinutes} onChange={(e) => set("bakeMinutes", e.target.value)} />
          </FormField>
          <FormField
            label="Longest bake (min)"
            htmlFor="maxBakeMinutes"
            error={err("rollout.maxBakeMinutes")}
            hint="Too little traffic to decide: the bake extends up to this."
          >
            <Input
              id="maxBakeMinutes"
              inputMode="numeric"
              value={f.maxBakeMinutes}
              onChange={(e) => set("maxBakeMinutes", e.target.value)}
            />
          </FormField>
          <FormField label="Still undecided then" htmlFor="onUndecided" error={err("rollout.onUndecided")}>
            <Select
              id="onUndecided"
              value={f.onUndecided}
              onChange={(e) => set("onUndecided", e.target.value as FormState["onUndecided"])}
              options={[
                { value: "hold", label: "Hold for a deployer's decision" },
                { value: "rollback", label: "Roll back" },
              ]}
            />
          </FormField>
          <FormField
            label="Sticky sessions (min)"
            htmlFor="stickyMinutes"
            error={err("rollout.stickyMinutes")}
            hint="During canary steps a viewer stays on the version it first got (0: off)."
          >
            <Input id="stickyMinutes" inputMode="numeric" value={f.stickyMinutes} onChange={(e) => set("stickyMinutes", e.target.value)} />
          </FormField>
        </div>
      ) : null}
      <div className="grid grid-cols-2 gap-3">
        <FormField label="Roll back above 5xx rate (%)" htmlFor="max5xx" error={err("autoRollback.max5xxRatePercent")}>
          <Input id="max5xx" inputMode="decimal" value={f.max5xx} onChange={(e) => set("max5xx", e.target.value)} />
        </FormField>
        <FormField label="Roll back above p95 (ms)" htmlFor="maxP95" error={err("autoRollback.maxP95LatencyMs")}>
          <Input id="maxP95" inputMode="numeric" value={f.maxP95} onChange={(e) => set("maxP95", e.target.value)} />
        </FormField>
      </div>
      <FormField
        label="Rollback window (min)"
        htmlFor="rollbackWindow"
        error={err("rollbackWindowMinutes")}
        hint="The old fleet stays warm this long: rollback is then one listener change."
      >
        <Input id="rollbackWindow" inputMode="numeric" value={f.rollbackWindow} onChange={(e) => set("rollbackWindow", e.target.value)} />
      </FormField>
      <Toggle
        id="protected"
        label="Protected (production): a second deployer approves each rollout"
        checked={f.protected}
        onChange={(v) => set("protected", v)}
      />
    </Section>
  );
}
