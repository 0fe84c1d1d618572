"use client";

import { Rocket } from "lucide-react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/**
 * Deploys a version. The box starts with the spec's version when it differs from what runs
 * (after saving v1.1.0: "Deploy v1.1.0"). Inside the rollback window the idle slot holds the
 * warm previous fleet: a rollout replaces it, so one-click rollback to that version is gone;
 * the form says so and asks first.
 */
export function DeployForm({
  disabled,
  suggested,
  warmPrevious,
  onDeploy,
}: {
  disabled: boolean;
  /** The spec's version when it is not the live one. */
  suggested: string | null;
  warmPrevious: string | null;
  onDeploy: (version: string, strategy: string) => Promise<unknown>;
}) {
  const [version, setVersion] = useState(suggested ?? "");
  const [strategy, setStrategy] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [pending, start] = useTransition();
  const mustAccept = warmPrevious !== null && !accepted;
  const v = version.trim();
  return (
    <form
      className="grid gap-2"
      aria-label="Deploy a version"
      onSubmit={(e) => {
        e.preventDefault();
        if (mustAccept) return;
        start(async () => {
          await onDeploy(v, strategy);
          setAccepted(false);
        });
      }}
    >
      <FormField
        label="Version to deploy"
        htmlFor="deploy-version"
        hint={suggested ? `The spec names ${suggested}; it is not live yet.` : "The app version to roll out, as your artifacts name it."}
      >
        <Input
          id="deploy-version"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="e.g. 1.4.3"
          className="font-mono"
          autoComplete="off"
        />
      </FormField>
      <FormField label="Strategy" htmlFor="deploy-strategy">
        <Select
          id="deploy-strategy"
          value={strategy}
          onChange={(e) => setStrategy(e.target.value)}
          options={[
            { value: "", label: "Environment default" },
            { value: "canary", label: "Canary steps" },
            { value: "all-at-once", label: "All at once" },
          ]}
        />
      </FormField>
      {warmPrevious !== null ? (
        <div
          role="note"
          className="grid gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p>
            The warm <strong className="font-mono">{warmPrevious}</strong> fleet is replaced by this rollout: rollback to {warmPrevious}{" "}
            will no longer be instant.
          </p>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
            Replace the warm {warmPrevious} fleet
          </label>
        </div>
      ) : null}
      <Button type="submit" disabled={disabled || !v || mustAccept} loading={pending}>
        <Rocket aria-hidden /> {v ? `Deploy ${v}` : "Deploy"}
      </Button>
    </form>
  );
}
